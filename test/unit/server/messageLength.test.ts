/**
 * Diagnostic messages lead with the point and stay short enough for the Problems panel (which
 * shows the start of a message on one line): about two sentences, the detail on the rule page.
 * Measured over every bad Dockerfile fixture (test/fixtures/rules), registry answers included.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lintStrict, registryAnswers } from '../../support/lint';

const root = join(__dirname, '../../fixtures/rules');
/** The longest today is GC109's with a registry path and two shortened digests (≈320). */
const MAX_LENGTH = 330;
/** GC110 was five sentences ending "The quick fix does it."; now the point and the step. */
const MAX_GC110 = 290;

function messages(): { code: string; file: string; message: string }[] {
  const out: { code: string; file: string; message: string }[] = [];
  for (const code of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, code)).filter((f) => f.startsWith('bad-') && f.endsWith('.Dockerfile'))) {
      const answers = join(root, code, file.replace(/\.Dockerfile$/, '.registry.json'));
      const registry = existsSync(answers)
        ? registryAnswers(JSON.parse(readFileSync(answers, 'utf8')) as Record<string, Record<string, unknown>>)
        : undefined;
      for (const d of lintStrict(readFileSync(join(root, code, file), 'utf8'), undefined, registry))
        out.push({ code: d.code, file, message: d.message });
    }
  }
  return out;
}

describe('diagnostic message length', () => {
  const all = messages();

  it('covers the fixtures of every Dockerfile rule', () => {
    assert.ok(new Set(all.map((m) => m.code)).size >= 18, [...new Set(all.map((m) => m.code))].join(' '));
  });

  it(`keeps every message within ${MAX_LENGTH} characters, GC110's within ${MAX_GC110}`, () => {
    const long = all.filter((m) => m.message.length > (m.code === 'GC110' ? MAX_GC110 : MAX_LENGTH));
    assert.deepEqual(
      long.map((m) => `${m.code} ${m.file} (${m.message.length}): ${m.message}`),
      [],
    );
  });

  it('keeps the once long-winded rules to two sentences (GC106, GC110, GC201, GC205, GC206, GC207)', () => {
    for (const m of all.filter((x) => ['GC106', 'GC110', 'GC201', 'GC205', 'GC206', 'GC207'].includes(x.code))) {
      // A sentence ends in ". " before a capital letter (not "e.g." or a path).
      const sentences = m.message.split(/\.\s+(?=[A-Z'])/).length;
      assert.ok(sentences <= 2, `${m.code} ${m.file}: ${sentences} sentences: ${m.message}`);
    }
  });
});
