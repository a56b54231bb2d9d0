/**
 * Runs the bundled CLI (`node dist/cli.js`) as a child process, as a user or CI would: real
 * process, real exit code, real stdin/stdout. `npm test` builds dist/ before this suite runs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');

/** Fails the suite with the next step when the bundle is missing. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test builds it before this suite).`);
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly cwd?: string;
  readonly stdin?: string | Buffer;
  readonly env?: Record<string, string | undefined>;
}

/** Deadline against hangs only (a run takes well under a second). */
const DEADLINE_MS = 30_000;

export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  env.GREEN_CLOUD_OFFLINE = '1'; // no registry lookups (tests reach only loopback); a test that wants them sets '0'
  Object.assign(env, options.env);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`green-cloud ${args.join(' ')} did not finish within ${DEADLINE_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, DEADLINE_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // the CLI may exit (usage error) before reading stdin
    child.stdin.end(options.stdin ?? '');
  });
}

/** A Dockerfile with one GC101 warning at 0:5-0:19 (for the default platforms). */
export const PINNED = 'FROM arm64v8/alpine:3.19\nRUN echo hello\n';
/** A multi-arch-correct Dockerfile: no findings. */
export const CLEAN = 'FROM alpine:3.19\nRUN echo hello\n';
/** A Dockerfile whose `# platforms=` directive is invalid: GC001 error. */
export const BAD_DIRECTIVE = '# platforms=linux/amd64,🐳\nFROM alpine:3.19\n';
