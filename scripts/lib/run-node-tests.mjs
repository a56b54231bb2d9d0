// Runs node:test files (TypeScript through tsx) found under the given folders, printing the spec
// reporter and writing counts to --counts FILE. Node 20's `node --test` has no glob support,
// so the files are found here.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const countsAt = args.indexOf('--counts');
const countsFile = countsAt >= 0 ? args.splice(countsAt, 2)[1] : undefined;
const concurrencyAt = args.indexOf('--concurrency');
const concurrency = concurrencyAt >= 0 ? args.splice(concurrencyAt, 2)[1] : undefined;

/**
 * @param {string} path
 * @returns {string[]}
 */
function find(path) {
  const st = statSync(path);
  if (st.isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? find(join(path, e.name)) : /\.test\.(ts|mjs|js)$/.test(e.name) ? [join(path, e.name)] : []))
    .sort();
}

const files = args.flatMap((a) => find(resolve(a)));
if (files.length === 0) {
  console.error(`No test files under ${args.join(', ')}`);
  process.exit(2);
}
const reporter = fileURLToPath(new URL('./counting-reporter.mjs', import.meta.url));
const nodeArgs = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout'];
if (countsFile) nodeArgs.push(`--test-reporter=${reporter}`, `--test-reporter-destination=${countsFile}`);
if (concurrency) nodeArgs.push(`--test-concurrency=${concurrency}`);
const child = spawn(process.execPath, [...nodeArgs, ...files], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
