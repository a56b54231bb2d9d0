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
      `Base image 'team/base:1@${A.slice(0, 19)}…' is pinned by digest to a single linux/arm64 image, not a multi-platform list: the linux/amd64 and linux/arm/v7 builds get arm64 binaries. Pin the list that '1' names instead (the quick fix): ${B.slice(0, 19)}….`,
    );
    const fixed = applyFix(text, d);
    assert.equal(fixed, `FROM team/base:1@${B} AS app\nRUN ./configure\n`);
    assert.deepEqual(lint(fixed, answers).map(summary), []);
  });

  it('without a tag: tells how to find the list digest, no fix', () => {
    const [d] = lint(`FROM team/base@${A}\n`, { [`team/base@${A}`]: child });
    assert.equal(d.code, 'GC109');
    assert.match(d.message, /docker buildx imagetools inspect team\/base:TAG` shows it\.$/);
    assert.deepEqual(
      d.data.fixes.filter((f) => !f.title.startsWith('Ignore')),
      [],
    );
  });

  it('a tag that no longer names a list holding the child: no fix, and says so', () => {
    const [d] = lint(`FROM team/base:1@${A}\n`, {
      [`team/base:1@${A}`]: { ...child, tagTarget: { digest: C, kind: 'list', containsPinned: false } },
    });
    assert.match(d.message, new RegExp(`'1' now names ${C.slice(0, 19)}…, which does not hold this image`));
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

  describe('a --platform=$BUILDPLATFORM stage (it runs on the build machine)', () => {
    const tools = (flag: string, base: string) =>
      `FROM ${flag} ${base} AS tools\nRUN make tool\nFROM team/app:1\nCOPY --from=tools /out/tool /usr/local/bin/tool\n`;
    const answers = {
      [`team/base:1@${A}`]: { ...child, tagTarget: { digest: B, kind: 'list', containsPinned: true } },
      [`team/base:1@${B}`]: { kind: 'list', platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
      'team/app:1': { kind: 'list', platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
    };

    it('pinned to a single image: reported, builder-bound; the fix pins the list the tag names', () => {
      for (const flag of ['--platform=$BUILDPLATFORM', '--platform=${BUILDPLATFORM}', '--platform="$BUILDPLATFORM"']) {
        const text = tools(flag, `team/base:1@${A}`);
        const found = lint(text, answers);
        assert.deepEqual(found.map(summary), [`GC109 warning 0:${6 + flag.length}-0:${15 + flag.length}`], flag);
        const [d] = found;
        assert.equal(
          d.message,
          `Base image 'team/base:1@${A.slice(0, 19)}…' is pinned by digest to a single linux/arm64 image, not a multi-platform list: ` +
            `this --platform=$BUILDPLATFORM stage runs arm64 binaries on every builder (emulated, or 'exec format error', on others). ` +
            `Pin the list that '1' names instead (the quick fix): ${B.slice(0, 19)}….`,
        );
        const fixed = applyFix(text, d);
        assert.equal(fixed, tools(flag, `team/base:1@${B}`));
        assert.deepEqual(lint(fixed, answers).map(summary), []);
      }
    });

    it('without a tag: how to find the list digest, no fix', () => {
      const [d, ...rest] = lint(tools('--platform=$BUILDPLATFORM', `team/base@${A}`), { ...answers, [`team/base@${A}`]: child });
      assert.equal(rest.length, 0);
      assert.equal(d.code, 'GC109');
      assert.match(d.message, /--platform=\$BUILDPLATFORM stage runs .*`docker buildx imagetools inspect team\/base:TAG` shows it\.$/);
      assert.deepEqual(
        d.data.fixes.filter((f) => !f.title.startsWith('Ignore')),
        [],
      );
    });

    it('runs nothing, unused, a list pin, or a single-platform file: nothing', () => {
      const pinned = { [`team/base@${A}`]: child, 'team/app:1': answers['team/app:1'] };
      const dataOnly = `FROM --platform=$BUILDPLATFORM team/base@${A} AS certs\nFROM team/app:1\nCOPY --from=certs /etc/ssl/certs /etc/ssl/certs\n`;
      assert.deepEqual(lint(dataOnly, pinned).map(summary), [], 'no RUN: no binary of the base executes');
      const unused = `FROM --platform=$BUILDPLATFORM team/base@${A} AS tools\nRUN make\nFROM team/app:1\nRUN true\n`;
      assert.deepEqual(lint(unused, pinned).map(summary), [], 'a stage the build never reaches');
      assert.deepEqual(lint(tools('--platform=$BUILDPLATFORM', `team/base:1@${B}`), answers).map(summary), []);
      assert.deepEqual(lint(`# platforms=linux/arm64\n${tools('--platform=$BUILDPLATFORM', `team/base@${A}`)}`, pinned).map(summary), []);
    });

    it('a stage built FROM it runs something: reported on the pinned FROM', () => {
      const text = `FROM --platform=$BUILDPLATFORM team/base@${A} AS sdk\nFROM sdk AS tools\nRUN make\nFROM team/app:1\nCOPY --from=tools /out/tool /usr/local/bin/\n`;
      assert.deepEqual(
        lint(text, { [`team/base@${A}`]: child, 'team/app:1': answers['team/app:1'] }).map((d) => `${d.code} ${d.range.start.line}`),
        ['GC109 0'],
      );
    });
  });

  it('a constant --platform stage is checked by GC108 against that platform: a matching child is fine, another architecture is reported', () => {
    const amd64Child = { kind: 'image', platforms: ['linux/amd64'], digest: C };
    const arm = `FROM --platform=linux/arm64 team/base@${A} AS arm\nRUN ./configure\nFROM team/app:1\nCOPY --from=arm /out/tool /usr/local/bin/\n`;
    assert.deepEqual(
      lint(arm, { [`team/base@${A}`]: child })
        .map((d) => d.code)
        .filter((code) => code !== 'GC104'),
      [],
    );
    const [d, ...rest] = lint(`FROM --platform=linux/arm64 team/base@${C}\nRUN true\n`, { [`team/base@${C}`]: amd64Child }).filter(
      (x) => x.code !== 'GC104',
    );
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC108');
    assert.match(
      d.message,
      /is a single linux\/amd64 image; this stage is built --platform=linux\/arm64, so its build gets amd64 binaries/,
    );
  });
});
