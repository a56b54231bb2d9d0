/**
 * The code-server runner of the integration suite (test/integration/): runs the mocha suite in
 * code-server's real extension host, with this repository as the extension under development,
 * on a scratch copy of examples/. Headless Chromium opens the workbench with a payload naming
 * extensionDevelopmentPath/extensionTestsPath (needs `enable-smoke-test-driver`); the workbench
 * reports the exit code through `window.codeAutomationExit`.
 *
 * Usage: node --import tsx scripts/run-integration.ts [--results FILE]
 * Needs `npm run build` and `node scripts/build-integration.mjs` first. Exit 0 when every test
 * passed. FILE (default test-results/integration.results.json) receives
 * {passed, failed, skipped, failures[]} from inside the extension host.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  consoleText,
  copyExamples,
  launchChromium,
  loopbackOnly,
  remoteAuthority,
  removeWorkspace,
  ROOT,
  startCodeServer,
  workbenchUrl,
  type CodeServer,
} from './lib/codeServer';

const TIMEOUT_MS = 5 * 60_000;
const args = process.argv.slice(2);
const resultsAt = args.indexOf('--results');
const resultsFile = resolve(resultsAt >= 0 ? args[resultsAt + 1] : join(ROOT, 'test-results/integration.results.json'));
const testsPath = join(ROOT, 'out/integration/index.js');
const t0 = Date.now();
const log = (message: string) => process.stdout.write(`[integration ${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}\n`);

async function main(): Promise<number> {
  if (!existsSync(testsPath)) throw new Error(`${testsPath} is missing: run 'node scripts/build-integration.mjs' first`);
  if (!existsSync(join(ROOT, 'dist/extension.js'))) throw new Error("dist/extension.js is missing: run 'npm run build' first");
  mkdirSync(dirname(resultsFile), { recursive: true });
  rmSync(resultsFile, { force: true });
  const workspace = copyExamples();
  let server: CodeServer | undefined;
  try {
    server = startCodeServer({ env: { GC_INTEGRATION_RESULTS: resultsFile }, testDriver: true });
    log(`code-server at ${server.url} (pid ${server.pid}), workspace ${workspace}`);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const blocked = await loopbackOnly(context);
      const page = await context.newPage();
      let exited: (code: number) => void = () => undefined;
      const exit = new Promise<number>((r) => (exited = r));
      await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
      // The extension host's console (mocha's spec reporter) reaches the page in development
      // mode; the workbench's own chatter is kept for GC_VERBOSE=1.
      let printing = Promise.resolve();
      page.on('console', (m) => {
        printing = printing.then(async () => {
          const text = await consoleText(m);
          const host = /^(INFO|LOG|ERR|WARN) /.exec(text);
          if (host) process.stdout.write(`  ${text.slice(host[0].length).slice(0, 4000)}\n`);
          else if (process.env.GC_VERBOSE) process.stdout.write(`  [page] ${text.slice(0, 4000)}\n`);
        });
      });
      page.on('pageerror', (e) => log(`page error: ${String(e).slice(0, 500)}`));
      await page.goto(workbenchUrl(server, workspace));
      const authority = await remoteAuthority(page);
      const payload: [string, string][] = [
        ['extensionDevelopmentPath', `vscode-remote://${authority}${ROOT.replace(/\/$/, '')}`],
        ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`],
      ];
      await page.goto(workbenchUrl(server, workspace, payload));
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([exit, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), TIMEOUT_MS)))]);
      clearTimeout(timer);
      await printing;
      log(`extension host finished: ${code}`);
      if (blocked.length > 0) {
        log(`the workbench tried to reach beyond loopback (blocked): ${[...new Set(blocked)].join(', ')}`);
        return code === 0 ? 3 : code === 'timeout' ? 124 : code;
      }
      if (code !== 0) {
        mkdirSync(join(ROOT, 'test-results/screenshots'), { recursive: true });
        await page.screenshot({ path: join(ROOT, 'test-results/screenshots/integration-end.png') }).catch(() => undefined);
      }
      return code === 'timeout' ? 124 : code;
    } finally {
      await browser.close();
    }
  } finally {
    if (server) {
      // Keep code-server's own log as a test artifact (`stop` removes the run folder); a copy
      // that fails must not leave code-server running.
      try {
        mkdirSync(join(ROOT, 'test-results'), { recursive: true });
        if (existsSync(server.log)) copyFileSync(server.log, join(ROOT, 'test-results/code-server-integration.log'));
      } catch (error) {
        log(`code-server's log was not kept: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        server.stop();
      }
    }
    removeWorkspace(workspace);
  }
}

main().then(
  (code) => {
    if (existsSync(resultsFile)) {
      const r = JSON.parse(readFileSync(resultsFile, 'utf8')) as { passed: number; failed: number };
      log(`${r.passed} passed, ${r.failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } else log(`no results were written to ${resultsFile}`);
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`integration runner: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
