// `npm start`: installs the npm dependencies if needed, builds, and opens a real VS Code with
// Green Cloud loaded on examples/.
//   - Desktop VS Code when `code` is on PATH: code --extensionDevelopmentPath=<repo> examples/
//   - Otherwise code-server (installed once into .vscode-test/ by scripts/env/vscode.sh) with
//     the freshly packaged .vsix installed into this run's own extensions folder, on a loopback
//     URL that is printed. Stays in the foreground until Ctrl+C, then stops code-server by PID.
//     This is a person's session: code-server starts without the smoke-test driver (which the
//     integration runner needs and which hides every notification toast).
//
// Usage: npm start [-- --code-server] [-- --port N]
//   --code-server  use code-server even when `code` is on PATH
//   --port N       code-server's loopback port (default: a free one)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const examples = join(root, 'examples');
const args = process.argv.slice(2);
const forceCodeServer = args.includes('--code-server');
const portAt = args.indexOf('--port');
const port = portAt >= 0 ? args[portAt + 1] : undefined;
if (portAt >= 0 && !/^\d+$/.test(port ?? '')) fail(`--port needs a number, got '${port ?? ''}'`);

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
}

/**
 * @param {string} command
 * @param {string[]} argv
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(command, argv, options = {}) {
  const r = spawnSync(command, argv, { cwd: root, stdio: 'inherit', ...options });
  return r.status ?? 1;
}

/** npm ci on a fresh clone (or when package-lock.json changed), as `npm test` does. */
function ensureDependencies() {
  const stamp = join(root, 'node_modules/.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('Installing npm dependencies (npm ci)…');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) fail("'npm ci' failed; see the messages above");
}

/** @param {string} name */
function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}

function desktop() {
  if (run('npm', ['run', '--silent', 'build']) !== 0) fail("'npm run build' failed; see the messages above");
  console.log(`Opening VS Code on ${examples} with the extension from ${root} (Extension Development Host).`);
  const code = run('code', ['--new-window', `--extensionDevelopmentPath=${root}`, examples]);
  if (code !== 0) fail(`'code' exited with ${code}`);
}

function codeServer() {
  if (run('npm', ['run', '--silent', 'package']) !== 0) fail("'npm run package' failed; see the messages above");
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `${name}-${version}.vsix`);
  const env = join(root, 'scripts/env/vscode.sh');
  const started = spawnSync(env, ['start', '--install-extension', vsix, ...(port ? ['--port', port] : [])], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const runDir = started.stdout.trim().split('\n').pop() ?? '';
  if (started.status !== 0 || !runDir) fail(`${env} start failed; see the messages above`);
  const vars = Object.fromEntries(
    readFileSync(join(runDir, 'env'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const url = `${vars.CS_URL}?folder=${encodeURIComponent(examples)}`;
  const pid = Number(vars.CS_PID);
  let stopping = false;
  /** @type {NodeJS.Timeout | undefined} */
  // eslint-disable-next-line prefer-const -- stop() (below) clears it; it is set once the server runs
  let watch;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    console.log('\nStopping code-server…');
    const code = run(env, ['stop', runDir]);
    process.exit(code === 0 ? 0 : 1);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`
Green Cloud ${version} is installed in code-server (VS Code in the browser). Open:

    ${url}

It listens on loopback only; from another machine forward the port first:
    ssh -L ${vars.CS_PORT}:127.0.0.1:${vars.CS_PORT} <this machine>
Open a Dockerfile under examples/ (pinned-base/ shows a quick fix). Press Ctrl+C here to stop
(code-server pid ${pid}, run folder ${runDir}).`);
  // Stay in the foreground while code-server runs (it leads its own process group, so Ctrl+C
  // reaches only this process, which then stops it); if it ends on its own, say so and end.
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  watch = setInterval(() => {
    if (stopping || alive()) return;
    stopping = true;
    clearInterval(watch);
    let tail = '';
    try {
      tail = readFileSync(vars.CS_LOG, 'utf8').split('\n').slice(-21).join('\n');
    } catch {
      tail = `(no log at ${vars.CS_LOG})`;
    }
    process.stderr.write(`code-server (pid ${pid}) ended on its own; the end of its log:\n${tail}\n`);
    run(env, ['stop', runDir]);
    process.exit(1);
  }, 500);
}

ensureDependencies();
if (!forceCodeServer && onPath('code')) desktop();
else codeServer();
