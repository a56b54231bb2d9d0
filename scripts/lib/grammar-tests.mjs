// Runs the TextMate grammar tests under test/grammar/*.Dockerfile (vscode-tmgrammar-test's
// `# SYNTAX TEST "source.dockerfile"` format) against the grammars contributed in package.json
// (our injection) on top of the base Dockerfile grammar — VS Code's built-in one is not on npm by
// itself, so the identical copy shipped by the `tm-grammars` package is used. Each scope
// assertion (a `^^^` or `<---` range) counts as one test.
//
// Usage: node scripts/lib/grammar-tests.mjs [--counts FILE] [--dump FILE.Dockerfile]
//   --dump prints the tokens and scopes of a file (to write new assertions).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;
const { loadConfiguration, createRegistry } = require('vscode-tmgrammar-test/dist/common/index.js');
const { parseGrammarTestCase, runGrammarTestCase } = require('vscode-tmgrammar-test/dist/unit/index.js');

export const BASE_GRAMMAR = require.resolve('tm-grammars/grammars/docker.json');

export function registry() {
  const { grammars } = loadConfiguration(join(root, 'package.json'), undefined, [BASE_GRAMMAR]);
  return createRegistry(grammars);
}

/** @param {string} file */
async function dump(file) {
  const grammar = await registry().loadGrammar('source.dockerfile');
  if (!grammar) throw new Error(`The grammar source.dockerfile is not contributed in package.json or ${BASE_GRAMMAR}.`);
  let stack = null;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const r = grammar.tokenizeLine(line, stack);
    console.log(line);
    for (const t of r.tokens) {
      const scopes = t.scopes.filter((s) => s !== 'source.dockerfile');
      if (scopes.length)
        console.log(`  ${t.startIndex}-${t.endIndex} ${JSON.stringify(line.slice(t.startIndex, t.endIndex))} ${scopes.join(' ')}`);
    }
    stack = r.ruleStack;
  }
}

async function main() {
  const args = process.argv.slice(2);
  const dumpAt = args.indexOf('--dump');
  if (dumpAt >= 0) return dump(args[dumpAt + 1]);
  const countsAt = args.indexOf('--counts');
  const countsFile = countsAt >= 0 ? args[countsAt + 1] : undefined;
  const dir = join(root, 'test/grammar');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.Dockerfile'))
    .sort();
  const reg = registry();
  const counts = { passed: 0, failed: 0, skipped: 0, failures: /** @type {string[]} */ ([]) };
  if (files.length === 0) {
    counts.failed++;
    counts.failures.push('no grammar test under test/grammar');
  }
  for (const file of files) {
    let testCase;
    try {
      testCase = parseGrammarTestCase(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      counts.failed++;
      counts.failures.push(`${file}: cannot parse the test file: ${error instanceof Error ? error.message : String(error)}`);
      console.log(`✖ ${file}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const total = testCase.assertions.reduce((n, a) => n + a.scopeAssertions.length, 0);
    if (total === 0) {
      counts.failed++;
      counts.failures.push(`${file}: no assertion`);
      console.log(`✖ ${file}: no assertion`);
      continue;
    }
    let failures;
    try {
      failures = await runGrammarTestCase(reg, testCase);
    } catch (error) {
      counts.failed += total;
      counts.failures.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      console.log(`✖ ${file}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    // One failure per failed assertion range (a range may report several missing scopes).
    const failedRanges = new Set(failures.map((f) => `${f.line}:${f.start}:${f.end}`));
    counts.failed += failedRanges.size;
    counts.passed += total - failedRanges.size;
    console.log(`${failedRanges.size === 0 ? '✔' : '✖'} ${file}: ${total - failedRanges.size}/${total} assertions`);
    for (const f of failures) {
      const source = testCase.source[f.srcLine] ?? '';
      const detail = `${file}: '${source.slice(f.start, f.end)}' at columns ${f.start}-${f.end} of '${source.trim()}': missing [${f.missing.join(', ')}] unexpected [${f.unexpected.join(', ')}] actual [${f.actual.join(' ')}]`;
      console.log(`    ${detail}`);
      counts.failures.push(detail);
    }
  }
  console.log(`grammar tests: ${counts.passed} assertions passed, ${counts.failed} failed`);
  if (countsFile) writeFileSync(countsFile, JSON.stringify(counts));
  process.exit(counts.failed > 0 ? 1 : 0);
}

await main();
