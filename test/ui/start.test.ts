/**
 * `npm start -- --code-server` as a person runs it: as a child process, up to the URL it prints;
 * that URL opened in headless Chromium (loopback only) shows the GC101 squiggle on
 * examples/pinned-base/Dockerfile, and a notification toast appears — the session is a
 * person's, not the test runner's (no smoke-test driver, which hides every toast). Then Ctrl+C
 * stops it, and nothing is left running: code-server's PID and process group are gone and its
 * run folder is removed. Screenshots: test-results/screenshots/.
 *
 * Ctrl+C in a terminal sends SIGINT to the foreground process group (npm, its `sh -c`, and
 * node scripts/start.mjs), not to npm alone — npm forwards it only to `sh`, which keeps waiting
 * for node. So npm runs in its own process group here, and the group gets the SIGINT.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { installEnvironment, ROOT } from '../../scripts/lib/codeServer';
import { waitFor } from '../support/waitFor';
import { DEADLINE, openPage, workbenchMoves, type WorkbenchMoves } from './support/workbench';

/** `npm start` packages the extension and starts code-server first (the install is cached). */
const START_DEADLINE = 5 * 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** PIDs of the processes whose command line mentions `text` (this process and its parents aside). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue; // ended meanwhile
    }
    if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.slice(0, 200)}`);
  }
  return found;
}

/** What Ctrl+C in a terminal does: SIGINT to the foreground process group. */
function ctrlC(child: ChildProcess): void {
  assert.ok(child.pid, 'npm start has no pid');
  process.kill(-child.pid, 'SIGINT');
}

describe('npm start -- --code-server', () => {
  let child: ChildProcess | undefined;
  let output = '';
  /** How npm start ended (set by its 'exit' event; read through a function, it changes under await). */
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = () => exit;
  let url = '';
  let pid = 0;
  let runDir = '';
  let browser: Browser | undefined;
  let page: Page;
  let moves: WorkbenchMoves;
  let blocked: string[] = [];

  before(async () => {
    installEnvironment(); // fails here, once, naming what is missing
    child = spawn('npm', ['start', '--', '--code-server'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
    child.on('exit', (code, signal) => (exit = { code, signal }));
    const printed = await waitFor(
      'npm start to print the workbench URL',
      () => {
        if (exited()) return { ended: true, url: '', pid: 0, run: '' };
        const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)\s*$/m.exec(output);
        const at = /\(code-server pid (\d+), run folder (\S+)\)/.exec(output);
        return m && at ? { ended: false, url: m[1], pid: Number(at[1]), run: at[2] } : undefined;
      },
      { timeoutMs: START_DEADLINE, intervalMs: 200 },
    );
    assert.ok(printed);
    if (printed.ended) throw new Error(`npm start ended (${JSON.stringify(exited())}) before printing a URL:\n${output.slice(-3000)}`);
    ({ url, pid, run: runDir } = printed);
    ({ browser, page, blocked } = await openPage(url));
    moves = workbenchMoves(page, 'start-');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'pinned-base' }).first().waitFor({ timeout: DEADLINE });
  });

  after(async () => {
    await browser?.close();
    // Only when a test failed half-way: stop what this test started.
    if (child && !exited()) {
      const ended = new Promise((r) => child?.once('exit', r));
      ctrlC(child);
      await Promise.race([ended, new Promise((r) => setTimeout(r, 30_000).unref())]);
      if (!exited() && child.pid) process.kill(-child.pid, 'SIGKILL');
    }
    if (pid && alive(pid)) process.kill(-pid, 'SIGKILL');
  });

  it('prints a loopback URL for examples/ and starts code-server without the smoke-test driver', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?folder=/);
    assert.equal(decodeURIComponent(new URL(url).searchParams.get('folder') ?? ''), join(ROOT, 'examples'));
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    assert.ok(
      cmdline.some((a) => a.endsWith('code-server')),
      `pid ${pid} is not code-server: ${cmdline.join(' ')}`,
    );
    assert.ok(!cmdline.includes('enable-smoke-test-driver'), `npm start passed the test driver: ${cmdline.join(' ')}`);
  });

  it('shows the GC101 squiggle on examples/pinned-base/Dockerfile', async () => {
    await moves.openFile('pinned-base/Dockerfile', 'arm64v8/alpine:3.7');
    await page.locator('.editor-instance .squiggly-warning').first().waitFor({ timeout: DEADLINE });
    await moves.shot('01-squiggle');
  });

  it('shows notification toasts (Green Cloud: Show Emulation Status)', async () => {
    await moves.runCommand('Green Cloud: Show Emulation Status');
    // The command always answers with a toast (ready, missing emulation, or no engine).
    await moves.notification('Green Cloud');
    await moves.shot('02-notification');
  });

  it('stays on loopback', () => {
    assert.deepEqual([...new Set(blocked)], []);
  });

  it('stops on Ctrl+C (SIGINT) and leaves nothing running', async () => {
    assert.ok(child && !exited(), `npm start ended early: ${JSON.stringify(exited())}\n${output.slice(-2000)}`);
    await browser?.close();
    browser = undefined;
    ctrlC(child);
    await waitFor('npm start to end after Ctrl+C', () => exited(), DEADLINE);
    assert.match(output, /Stopping code-server/);
    assert.ok(
      exited()?.code === 0 || exited()?.code === 130 || exited()?.signal === 'SIGINT',
      `npm start ended with ${JSON.stringify(exited())}:\n${output.slice(-2000)}`,
    );
    assert.ok(!alive(-(child.pid ?? 0)), "npm start's process group still has processes");
    assert.ok(!alive(pid), `code-server (pid ${pid}) is still running`);
    assert.ok(!alive(-pid), `code-server's process group ${pid} still has processes`);
    assert.ok(!existsSync(runDir), `the run folder ${runDir} is still there`);
    assert.deepEqual(processesMentioning(runDir), [], 'processes still use the run folder');
  });
});
