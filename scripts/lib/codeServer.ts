/**
 * Shared by the code-server integration runner, the UI tests and `npm start`: start/stop
 * code-server through scripts/env/vscode.sh, copy examples/ into a scratch workspace, and drive
 * the workbench with playwright-core + Debian's headless Chromium. Loopback only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ENV_SCRIPT = join(ROOT, 'scripts/env/vscode.sh');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly run: string;
  readonly log: string;
  stop(): void;
}

export interface StartOptions {
  /** A .vsix to install into this run's (fresh) extensions folder before starting. */
  readonly vsix?: string;
  /** Extra environment for code-server; the extension host inherits it. */
  readonly env?: Record<string, string>;
  /**
   * Start with VS Code's smoke-test driver (`--test-driver`): the integration runner needs it
   * for its page payload and codeAutomationExit. It hides every notification toast, so a
   * session that stands for a person's (the UI checks, `npm start`) leaves it off.
   */
  readonly testDriver?: boolean;
  /** code-server's and VS Code's log level (`--log`); 'trace' lets the output channels record trace lines. */
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/** Installs the environment (cached) — throws with the script's message when it cannot. */
export function installEnvironment(): void {
  const r = spawnSync(ENV_SCRIPT, ['install'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`scripts/env/vscode.sh install failed (exit ${r.status ?? r.signal}); see the messages above`);
}

export function startCodeServer(options: StartOptions = {}): CodeServer {
  const args = [
    'start',
    ...(options.vsix ? ['--install-extension', options.vsix] : []),
    ...(options.testDriver ? ['--test-driver'] : []),
    ...(options.logLevel ? ['--', '--log', options.logLevel] : []),
  ];
  const r = spawnSync(ENV_SCRIPT, args, {
    cwd: ROOT,
    // No registry lookups unless a test asks (GREEN_CLOUD_OFFLINE=0): tests reach only loopback.
    env: { GREEN_CLOUD_OFFLINE: '1', ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const run = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || run === '')
    throw new Error(`scripts/env/vscode.sh start failed (exit ${r.status ?? r.signal}); see the messages above`);
  const env = Object.fromEntries(
    readFileSync(join(run, 'env'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  let stopped = false;
  return {
    url: env.CS_URL,
    port: Number(env.CS_PORT),
    pid: Number(env.CS_PID),
    run,
    log: env.CS_LOG,
    stop() {
      if (stopped) return;
      stopped = true;
      execFileSync(ENV_SCRIPT, ['stop', run], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    },
  };
}

/** A fresh copy of examples/ (tests edit documents; the real examples stay untouched). */
export function copyExamples(): string {
  const base = join(ROOT, '.vscode-test', 'workspaces');
  mkdirSync(base, { recursive: true });
  const dir = join(mkdtempSync(join(base, 'ws-')), 'examples');
  cpSync(join(ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

/** Removes a copy made by copyExamples (its scratch parent folder too). */
export function removeWorkspace(dir: string): void {
  rmSync(dirname(dir), { recursive: true, force: true });
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Lets the page reach loopback only: every other request is aborted and recorded (tests assert
 * the list stays empty). Returns the list, filled as the page runs.
 */
export async function loopbackOnly(context: BrowserContext): Promise<string[]> {
  const blocked: string[] = [];
  await context.route(
    (url) => !/^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url.href) && /^(https?|wss?):/.test(url.protocol),
    async (route) => {
      blocked.push(route.request().url());
      await route.abort('blockedbyclient');
    },
  );
  return blocked;
}

/** The text of a console message as the page would print it (%s, %d and %c applied). */
export async function consoleText(message: ConsoleMessage): Promise<string> {
  const values = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => '[value]') as Promise<unknown>));
  if (values.length === 0) return message.text();
  // The workbench forwards extension host output as ('%c LEVEL', css, ...original arguments).
  if (typeof values[0] === 'string' && /^%c\s*[A-Z]+\s*$/.test(values[0]) && values.length > 2) {
    return `${values[0].replace('%c', '').trim()} ${format(...values.slice(2))}`;
  }
  return format(...values);
}

/** The workbench's remote authority (host:port as VS Code names this server). */
export async function remoteAuthority(page: Page): Promise<string> {
  // A string expression: this code runs in the page, which the node typings do not describe.
  const authority = await page.evaluate<unknown>(
    "JSON.parse(document.getElementById('vscode-workbench-web-configuration')?.getAttribute('data-settings') ?? '{}').remoteAuthority",
  );
  if (typeof authority !== 'string' || authority === '') throw new Error('the workbench page has no remoteAuthority');
  return authority;
}

/** The workbench URL for a folder, optionally with a payload (extension development/test paths). */
export function workbenchUrl(server: CodeServer, folder: string, payload?: [string, string][]): string {
  const query = `folder=${encodeURIComponent(folder)}`;
  return `${server.url}?${query}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
}
