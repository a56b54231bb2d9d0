/**
 * Runs every fixture under test/fixtures/rules/<CODE>/:
 * - `bad-*.Dockerfile` must produce exactly the diagnostics in `bad-*.expected.json`
 *   (an array of "CODE severity line:char-line:char", 0-based, across all rules);
 * - `good-*.Dockerfile` must produce no diagnostic at all;
 * - every quick fix of every diagnostic in a bad fixture, applied alone, removes that diagnostic
 *   and adds no new one;
 * - `*.registry.json` beside a fixture holds the registry's answers for its base images (GC108/GC109).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, lintStrict as lintWith, registryAnswers, summary } from '../../support/lint';
import type { RegistryAnswers } from '../../../server/src/lookups/types';

const root = join(__dirname, '../../fixtures/rules');

function counts(list: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const code of list) m.set(code, (m.get(code) ?? 0) + 1);
  return m;
}

for (const code of readdirSync(root).sort()) {
  describe(`fixtures ${code}`, () => {
    const dir = join(root, code);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.Dockerfile'))
      .sort()) {
      const text = readFileSync(join(dir, file), 'utf8');
      const answersFile = join(dir, file.replace(/\.Dockerfile$/, '.registry.json'));
      const registry: RegistryAnswers | undefined = existsSync(answersFile)
        ? registryAnswers(JSON.parse(readFileSync(answersFile, 'utf8')) as Record<string, Record<string, unknown>>)
        : undefined;
      const lintStrict = (t: string) => lintWith(t, undefined, registry);
      if (file.startsWith('good-')) {
        it(`${file} has no diagnostic`, () => {
          assert.deepEqual(lintStrict(text).map(summary), []);
        });
        continue;
      }
      const expectedFile = join(dir, file.replace(/\.Dockerfile$/, '.expected.json'));
      it(`${file} has exactly the expected diagnostics`, () => {
        assert.ok(existsSync(expectedFile), `missing ${expectedFile}`);
        const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as string[];
        const actual = lintStrict(text).map(summary);
        assert.deepEqual(actual, expected);
        assert.ok(
          actual.some((s) => s.startsWith(`${code} `)),
          `${file} does not exercise ${code}`,
        );
      });
      it(`${file}: every quick fix removes its diagnostic and adds none`, () => {
        const before = lintStrict(text);
        for (const diagnostic of before) {
          for (const fix of diagnostic.data.fixes) {
            const fixed = applyEdits(text, fix.edits);
            const after = lintStrict(fixed);
            const beforeCodes = counts(before.map((d) => d.code));
            const afterCodes = counts(after.map((d) => d.code));
            const label = `${summary(diagnostic)} '${fix.title}'`;
            assert.ok(
              (afterCodes.get(diagnostic.code) ?? 0) < (beforeCodes.get(diagnostic.code) ?? 0),
              `${label} did not remove ${diagnostic.code}:\n${fixed}`,
            );
            for (const [c, n] of afterCodes) {
              assert.ok(n <= (beforeCodes.get(c) ?? 0), `${label} introduced ${c}:\n${fixed}`);
            }
          }
        }
      });
    }
  });
}
