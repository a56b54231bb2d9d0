import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, registryAnswers, settings, summary } from '../../../support/lint';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const lint = (text: string, answers: Record<string, Record<string, unknown>>, raw?: unknown) =>
  lintStrict(text, settings(raw), registryAnswers(answers));

describe('GC109 base pinned to a single-platform digest', () => {
  const child = { kind: 'image', platforms: ['linux/arm64'], digest: A };

  it('with a tag whose list holds the child: the fix pins that list, and the result is clean', () => {
    const text = `FROM team/base:1@${A} AS app\nRUN ./configure\n`;
    const answers = {
      [`team/base:1@${A}`]: { ...child, tagTarget: { digest: B, kind: 'list', containsPinned: true } },
      [`team/base:1@${B}`]: { kind: 'list', platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
    };
    const [d, ...rest] = lint(text, answers);
    assert.equal(rest.length, 0, 'one problem, one diagnostic: no GC108 besides');
    assert.equal(summary(d), 'GC109 warning 0:5-0:14');
    assert.equal(
      d.message,
      `Base image 'team/base:1@${A}' is pinned by digest to a single linux/arm64 image, not to a multi-platform list: the linux/amd64 and linux/arm/v7 builds get arm64 binaries (BuildKit builds them without a warning). Pin the list that '1' names instead: ${B}.`,
    );
    const fixed = applyFix(text, d);
    assert.equal(fixed, `FROM team/base:1@${B} AS app\nRUN ./configure\n`);
    assert.deepEqual(lint(fixed, answers).map(summary), []);
  });

  it('without a tag: tells how to find the list digest, no fix', () => {
    const [d] = lint(`FROM team/base@${A}\n`, { [`team/base@${A}`]: child });
    assert.equal(d.code, 'GC109');
    assert.match(d.message, /docker buildx imagetools inspect team\/base:TAG` shows it on its 'Digest:' line\.$/);
    assert.deepEqual(
      d.data.fixes.filter((f) => !f.title.startsWith('Ignore')),
      [],
    );
  });

  it('a tag that no longer names a list holding the child: no fix, and says so', () => {
    const [d] = lint(`FROM team/base:1@${A}\n`, {
      [`team/base:1@${A}`]: { ...child, tagTarget: { digest: C, kind: 'list', containsPinned: false } },
    });
    assert.match(d.message, new RegExp(`'1' now names ${C}, which does not hold this image`));
    assert.deepEqual(
      d.data.fixes.filter((f) => !f.title.startsWith('Ignore')),
      [],
    );
  });

  it('a list pin, a single-platform file, or a constant --platform stage: nothing', () => {
    assert.deepEqual(
      lint(`FROM team/base@${B}\n`, {
        [`team/base@${B}`]: { kind: 'list', platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
      }).map(summary),
      [],
    );
    assert.deepEqual(lint(`# platforms=linux/arm64\nFROM team/base@${A}\n`, { [`team/base@${A}`]: child }).map(summary), []);
    assert.deepEqual(
      lint(`FROM --platform=linux/arm64 team/base@${A}\n`, { [`team/base@${A}`]: child }).map((d) => d.code),
      ['GC104'],
    );
  });
});
