/**
 * The precision suite: small Dockerfiles of our own in the shapes real projects use, grouped by
 * source style under fixtures/<style>/. Each file states what it must produce:
 * - `ok-*.Dockerfile`: correct for its target platforms, so no diagnostic at all;
 * - `bad-*.Dockerfile`: exactly the diagnostics listed in its `# expect CODE severity L:C-L:C`
 *   comment lines (0-based, as LSP), no more and no fewer.
 * Per-arch-by-design files say so with a `# platforms=` directive. After the files, the suite
 * prints each rule's false-positive rate over the whole suite (diagnostics not expected /
 * diagnostics reported) and the expected diagnostics it missed.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/rules';
import { lintStrict, summary } from '../support/lint';

const root = join(__dirname, 'fixtures');
const EXPECT = /^# expect (GC\d+ (?:error|warning|info|hint) \d+:\d+-\d+:\d+)$/gm;

interface Tally {
  reported: number;
  falsePositives: number;
  missed: number;
}

const tally = new Map<string, Tally>(RULES.map((r) => [r.code, { reported: 0, falsePositives: 0, missed: 0 }]));
let files = 0;
let correctFiles = 0;

function count(list: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of list) m.set(s, (m.get(s) ?? 0) + 1);
  return m;
}

/** Compares multisets of summaries and updates the per-rule tally. */
function record(expected: readonly string[], actual: readonly string[]): void {
  const want = count(expected);
  const got = count(actual);
  for (const [s, n] of got) {
    const t = tally.get(s.split(' ')[0]);
    if (!t) continue;
    t.reported += n;
    t.falsePositives += Math.max(0, n - (want.get(s) ?? 0));
  }
  for (const [s, n] of want) {
    const t = tally.get(s.split(' ')[0]);
    if (t) t.missed += Math.max(0, n - (got.get(s) ?? 0));
  }
}

const styles = readdirSync(root, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('precision suite', () => {
  it('holds at least 150 Dockerfiles in every source style, correct and incorrect ones mixed', () => {
    const all = styles.flatMap((s) => readdirSync(join(root, s)).filter((f) => f.endsWith('.Dockerfile')));
    assert.ok(all.length >= 150, `only ${all.length} files`);
    for (const style of ['official', 'linuxserver', 'go', 'rust', 'node', 'windows', 'balena', 'installers', 'ci']) {
      const names = readdirSync(join(root, style));
      assert.ok(
        names.some((f) => f.startsWith('ok-')) && names.some((f) => f.startsWith('bad-')),
        `${style} mixes correct and incorrect files`,
      );
    }
    assert.ok(
      all.every((f) => /^(?:ok|bad)-[a-z0-9-]+\.Dockerfile$/.test(f)),
      'file names start with ok- or bad-',
    );
  });

  for (const style of styles) {
    describe(style, () => {
      for (const file of readdirSync(join(root, style))
        .filter((f) => f.endsWith('.Dockerfile'))
        .sort()) {
        const text = readFileSync(join(root, style, file), 'utf8');
        const expected = [...text.matchAll(EXPECT)].map((m) => m[1]);
        const actual = lintStrict(text).map(summary);
        files++;
        record(expected, actual);
        if (file.startsWith('ok-')) {
          correctFiles++;
          it(`${file}: no diagnostic`, () => {
            assert.equal(expected.length, 0, 'a correct file expects nothing');
            assert.deepEqual(actual, []);
          });
        } else {
          it(`${file}: exactly the expected diagnostics`, () => {
            assert.ok(expected.length > 0, 'an incorrect file names what it expects');
            assert.deepEqual(actual, expected);
          });
        }
      }
    });
  }

  after(() => {
    const rows = [...tally].filter(([, t]) => t.reported > 0 || t.missed > 0);
    const lines = rows.map(([code, t]) => {
      const rate = t.reported === 0 ? '—' : `${((100 * t.falsePositives) / t.reported).toFixed(1)}%`;
      return `  ${code}  reported ${String(t.reported).padStart(3)}  false positives ${String(t.falsePositives).padStart(3)} (${rate})  missed ${t.missed}`;
    });
    const reported = rows.reduce((n, [, t]) => n + t.reported, 0);
    const fp = rows.reduce((n, [, t]) => n + t.falsePositives, 0);
    process.stdout.write(
      `\nPrecision suite: ${files} Dockerfiles (${correctFiles} correct, ${files - correctFiles} incorrect)\n${lines.join('\n')}\n` +
        `  all    reported ${reported}  false positives ${fp} (${reported === 0 ? '—' : `${((100 * fp) / reported).toFixed(1)}%`})\n\n`,
    );
  });
});
