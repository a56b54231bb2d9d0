/**
 * Runs the YAML fixtures under test/fixtures/rules/GC3nn/:
 * - `bad-*.yaml` must produce exactly the diagnostics in `bad-*.expected.json`;
 * - `good-*.yaml` must produce none;
 * - `*.compose.yaml` are linted as Compose files (language id `dockercompose`), the others as YAML;
 * - `bad-x.registry.json` beside a fixture holds the registry answers its rules see (the
 *   Dockerfile fixtures' format, through the server's adapter);
 * - every quick fix, applied alone, removes its diagnostic, adds none, leaves valid YAML and
 *   keeps every comment; an "Ignore GCnnn" fix only adds or extends a pragma (the data of every
 *   document stays the same), and "… for this file" removes every diagnostic of its code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, summary } from '../../../support/lint';
import { lintYamlStrict, loadImageTable, yamlComments, yamlCommentsExceptPragmas, yamlErrors, yamlValues } from '../../../support/yamlLint';

const root = join(__dirname, '../../../fixtures/rules');

for (const code of readdirSync(root)
  .filter((c) => c.startsWith('GC3'))
  .sort()) {
  describe(`YAML fixtures ${code}`, () => {
    const dir = join(root, code);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const text = readFileSync(join(dir, file), 'utf8');
      const registryFile = join(dir, file.replace(/\.yaml$/, '.registry.json'));
      const images = existsSync(registryFile) ? loadImageTable(registryFile) : undefined;
      const options = { fileName: file, languageId: file.endsWith('.compose.yaml') ? 'dockercompose' : 'yaml', images };
      if (file.startsWith('good-')) {
        it(`${file} has no diagnostic`, () => assert.deepEqual(lintYamlStrict(text, options).map(summary), []));
        continue;
      }
      it(`${file} has exactly the expected diagnostics`, () => {
        const expected = JSON.parse(readFileSync(join(dir, file.replace(/\.yaml$/, '.expected.json')), 'utf8')) as string[];
        const actual = lintYamlStrict(text, options).map(summary);
        assert.deepEqual(actual, expected);
        assert.ok(
          actual.some((s) => s.startsWith(`${code} `)),
          `${file} does not exercise ${code}`,
        );
      });
      it(`${file}: every quick fix removes its diagnostic, adds none, keeps the YAML valid and its comments`, () => {
        const before = lintYamlStrict(text, options);
        for (const diagnostic of before) {
          for (const fix of diagnostic.data.fixes) {
            const fixed = applyEdits(text, fix.edits);
            const label = `${summary(diagnostic)} '${fix.title}'`;
            assert.deepEqual(yamlErrors(fixed), [], `${label} broke the YAML:\n${fixed}`);
            const after = lintYamlStrict(fixed, options);
            const count = (list: typeof before, c: string): number => list.filter((d) => d.code === c).length;
            if (fix.title.startsWith(`Ignore ${diagnostic.code} `)) {
              assert.deepEqual(yamlCommentsExceptPragmas(fixed), yamlCommentsExceptPragmas(text), `${label} lost a comment:\n${fixed}`);
              assert.ok(
                yamlComments(fixed).some((c) => c.includes('green-cloud') && c.includes(diagnostic.code)),
                `${label} added no pragma:\n${fixed}`,
              );
              assert.deepEqual(yamlValues(fixed), yamlValues(text), `${label} changed the data:\n${fixed}`);
              if (fix.title.endsWith(' for this file')) assert.equal(count(after, diagnostic.code), 0, `${label} left ${diagnostic.code}`);
            } else {
              assert.deepEqual(yamlComments(fixed), yamlComments(text), `${label} lost a comment:\n${fixed}`);
            }
            assert.ok(
              count(after, diagnostic.code) < count(before, diagnostic.code),
              `${label} did not remove ${diagnostic.code}:\n${fixed}`,
            );
            for (const d of after) assert.ok(count(after, d.code) <= count(before, d.code), `${label} introduced ${d.code}:\n${fixed}`);
          }
        }
      });
    }
  });
}
