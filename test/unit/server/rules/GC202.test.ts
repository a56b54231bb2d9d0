import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary, settings } from '../../../support/lint';

const RESIN = '# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\n';

describe('GC202 cross-build-start without cross-build-end', () => {
  it('flags the open start marker as an error', () => {
    const text = `${RESIN}RUN [ "cross-build-start" ]\nRUN apt-get update\nCOPY app /app\n`;
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC202');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: { line: 2, character: 6 }, end: { line: 2, character: 25 } });
    assert.equal(
      d.message,
      "'cross-build-start' is never followed by 'cross-build-end' in this stage: the image ships the QEMU shim as /bin/sh, " +
        'so every shell in the container breaks on the device. Add RUN [ "cross-build-end" ] after the stage\'s last RUN.',
    );
  });

  it('inserts the end after the last RUN of the stage, not of the file', () => {
    const text = `${RESIN}RUN [ "cross-build-start" ]\nRUN apt-get update\nCOPY app /app\n\nFROM alpine:3.19\nCOPY --from=0 /app /app\nRUN apk add curl\n`;
    const [d] = lintStrict(text);
    assert.equal(d.data.fixes[0].title, 'Insert RUN [ "cross-build-end" ] after the last RUN');
    const fixed = applyFix(text, d);
    assert.equal(
      fixed,
      `${RESIN}RUN [ "cross-build-start" ]\nRUN apt-get update\nRUN [ "cross-build-end" ]\nCOPY app /app\n\nFROM alpine:3.19\nCOPY --from=0 /app /app\nRUN apk add curl\n`,
    );
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('keeps CRLF and a file without a final line break', () => {
    const text = '# platforms=linux/arm/v7\r\nFROM resin/armv7hf-debian\r\nRUN [ "cross-build-start" ]\r\nRUN apt-get update';
    const fixed = applyFix(text, lintStrict(text)[0]);
    assert.equal(
      fixed,
      '# platforms=linux/arm/v7\r\nFROM resin/armv7hf-debian\r\nRUN [ "cross-build-start" ]\r\nRUN apt-get update\r\nRUN [ "cross-build-end" ]',
    );
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('reports the start whose region is open at the end, also after a closed region', () => {
    const text = `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\nRUN [ "cross-build-start" ]\nRUN b\n`;
    assert.deepEqual(lintSummary(text), ['GC202 error 5:6-5:25']);
    assert.deepEqual(lintSummary(applyFix(text, lintStrict(text)[0])), []);
  });

  it('closes regions per stage and gives nothing on closed regions', () => {
    assert.deepEqual(lintSummary(`${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "/usr/bin/cross-build-end" ]\n`), []);
    assert.deepEqual(
      lintSummary('FROM mycompany/base\nRUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\nFROM mycompany/base\nRUN b\n'),
      [],
    );
  });

  it('honours severity settings and suppression pragmas', () => {
    const text = `${RESIN}RUN [ "cross-build-start" ]\nRUN a\n`;
    assert.deepEqual(lintSummary(text, settings({ rules: { GC202: 'warning' } })), ['GC202 warning 2:6-2:25']);
    assert.deepEqual(lintSummary(`${RESIN}# green-cloud ignore=GC202\nRUN [ "cross-build-start" ]\nRUN a\n`), []);
  });
});

describe('GC202 on a file that ends open', () => {
  for (const [what, text] of [
    ['a line continuation', 'FROM resin/armv7hf-debian\nRUN [ "cross-build-start" ]\nRUN apt-get update \\'],
    ['an unclosed heredoc', 'FROM resin/armv7hf-debian\nRUN [ "cross-build-start" ]\nRUN <<EOF\necho hi\n'],
  ] as const) {
    it(`still reports, but offers no insert fix after ${what} (the marker would join the RUN)`, () => {
      const d = lintStrict(`# platforms=linux/arm/v7\n${text}`).find((x) => x.code === 'GC202');
      assert.ok(d);
      assert.deepEqual(
        d.data.fixes.map((f) => f.title),
        ['Ignore GC202 for this instruction', 'Ignore GC202 for this file'],
      );
    });
  }
});
