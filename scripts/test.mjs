// `npm test`: builds, type-checks, then runs every suite and prints one closing line
// `N passed, N failed` for the whole run. Suites that need components (Docker engine, QEMU,
// registry, code-server, Chromium) install and start them through scripts/env/* and stop them
// by PID afterwards. With CI=true a component that cannot be set up fails the run.
//
// Usage: node scripts/test.mjs [suite...]   (default: all suites)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

/**
 * @typedef {{ passed: number, failed: number, skipped?: number, failures?: string[], note?: string }} Counts
 * @typedef {{ name: string, run(): Counts }} Suite
 */

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(command, args, options = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  return r.status ?? 1;
}

/**
 * A suite: name, and a function that runs it and returns {passed, failed, skipped}.
 * @param {string} name
 * @param {string[]} dirs
 * @param {string[]} [extra]
 * @returns {Suite}
 */
function nodeSuite(name, dirs, extra = []) {
  return {
    name,
    run() {
      const counts = join(results, `${name}.counts.json`);
      rmSync(counts, { force: true });
      const code = run(process.execPath, [join(root, 'scripts/lib/run-node-tests.mjs'), ...dirs, '--counts', counts, ...extra]);
      if (!existsSync(counts))
        return { passed: 0, failed: 1, skipped: 0, note: `${name}: the test runner ended (exit ${code}) without a result` };
      const c = JSON.parse(readFileSync(counts, 'utf8'));
      if (code !== 0 && c.failed === 0) c.failed = 1; // e.g. a file that failed to load
      return c;
    },
  };
}

/** Installs the npm dependencies on a fresh clone (npm ci), so `npm test` is the whole set-up. */
function ensureDependencies() {
  const stamp = join(root, 'node_modules/.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('Installing npm dependencies (npm ci)…');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
ensureDependencies();

/**
 * A node suite that runs inside the Docker test environment (started before, stopped after).
 * @param {string} name
 * @param {string[]} dirs
 * @returns {Suite}
 */
function dockerSuite(name, dirs) {
  return {
    name,
    run() {
      const env = join(root, 'scripts/env/docker.sh');
      if (run(env, ['start'], { stdio: ['ignore', 'ignore', 'inherit'] }) !== 0) {
        return {
          passed: 0,
          failed: 1,
          skipped: 0,
          note: `${name}: ${env} start failed${process.env.CI === 'true' ? ' (CI=true: components are required)' : ''}`,
        };
      }
      try {
        return nodeSuite(name, dirs, ['--concurrency', '1']).run();
      } finally {
        run(env, ['stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
      }
    },
  };
}

/** @type {Suite[]} */
const SUITES = [
  {
    name: 'build',
    run() {
      // format: `prettier --check .` (the tree is formatted with `npx prettier --write .`).
      const steps = ['build', 'typecheck', 'lint', 'format'];
      const failures = steps.filter((step) => run('npm', ['run', '--silent', step]) !== 0);
      return { passed: steps.length - failures.length, failed: failures.length, skipped: 0, failures: failures.map((s) => `npm run ${s}`) };
    },
  },
  nodeSuite('unit', ['test/unit']),
  // Every rule has docs, tests and fixtures; package.json contributions are complete.
  nodeSuite('meta', ['test/meta']),
  // Zero false positives on correct Dockerfiles of every source style (test/precision/fixtures).
  nodeSuite('precision', ['test/precision']),
  // The TextMate injection grammar (syntaxes/) on the base Dockerfile grammar from tm-grammars.
  {
    name: 'grammar',
    run() {
      const counts = join(results, 'grammar.counts.json');
      rmSync(counts, { force: true });
      const code = run(process.execPath, [join(root, 'scripts/lib/grammar-tests.mjs'), '--counts', counts]);
      if (!existsSync(counts))
        return { passed: 0, failed: 1, skipped: 0, note: `grammar: the runner ended (exit ${code}) without a result` };
      const c = JSON.parse(readFileSync(counts, 'utf8'));
      if (code !== 0 && c.failed === 0) c.failed = 1;
      return c;
    },
  },
  nodeSuite('cli', ['test/cli']),
  nodeSuite('protocol', ['test/protocol']),
  // Builds through real dockerd engines + binfmt QEMU + a loopback registry (scripts/env/docker.sh
  // installs and starts them, and stops them afterwards). A failed start is a failure (CI or not).
  dockerSuite('e2e', ['test/e2e/imageBuild']),
  // Real docker-registry processes per test file, plus interop with dockerd and the docker CLI.
  dockerSuite('e2e-registry', ['test/e2e/registry']),
  // A real VS Code: code-server + headless Chromium (scripts/env/vscode.sh installs them once
  // into .vscode-test/, starts code-server per run and stops it by PID). The mocha suite
  // (test/integration) runs in the extension host; then the packaged .vsix is checked and
  // installed, and test/ui drives the workbench. An environment that cannot be set up fails.
  {
    name: 'integration',
    run() {
      // code-server + Chromium, and the Debian packages the suite runs (docker-registry and
      // htpasswd for the manifest list suite): installed once here, so a missing one fails once.
      for (const env of [join(root, 'scripts/env/vscode.sh'), join(root, 'scripts/env/docker.sh')]) {
        if (run(env, ['install']) !== 0) {
          return {
            passed: 0,
            failed: 1,
            skipped: 0,
            note: `integration: ${env} install failed (see its message above)${process.env.CI === 'true' ? ' (CI=true: components are required)' : ''}`,
          };
        }
      }
      if (run('npm', ['run', '--silent', 'build']) !== 0 || run(process.execPath, ['scripts/build-integration.mjs']) !== 0) {
        return { passed: 0, failed: 1, skipped: 0, note: 'integration: building the extension or the suite failed' };
      }
      const file = join(results, 'integration.results.json');
      rmSync(file, { force: true });
      const code = run(process.execPath, ['--import', 'tsx', 'scripts/run-integration.ts', '--results', file]);
      const c = existsSync(file)
        ? JSON.parse(readFileSync(file, 'utf8'))
        : { passed: 0, failed: 1, skipped: 0, failures: [`integration: the extension host ended (exit ${code}) without results`] };
      if (code !== 0 && c.failed === 0) {
        c.failed = 1;
        c.failures.push(`integration: the code-server runner exited with ${code}`);
      }
      if (run('npm', ['run', '--silent', 'package']) !== 0) {
        c.failed += 1;
        c.failures.push('npm run package');
        return c;
      }
      const ui = nodeSuite('ui', ['test/ui'], ['--concurrency', '1']).run();
      return {
        passed: c.passed + ui.passed,
        failed: c.failed + ui.failed,
        skipped: (c.skipped ?? 0) + (ui.skipped ?? 0),
        failures: c.failures,
        note: ui.note,
      };
    },
  },
];

const wanted = process.argv.slice(2);
const selected = wanted.length ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;
const total = { passed: 0, failed: 0, skipped: 0 };
const notes = [];
for (const suite of selected) {
  console.log(`\n=== ${suite.name} ===`);
  let c;
  try {
    c = await suite.run();
  } catch (error) {
    c = { passed: 0, failed: 1, skipped: 0, note: `${suite.name}: ${error instanceof Error ? error.message : String(error)}` };
  }
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped ?? 0;
  if (c.note) notes.push(c.note);
  for (const f of c.failures ?? []) notes.push(`failed: ${f}`);
  console.log(`--- ${suite.name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`);
}
for (const n of notes) console.log(n);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);
