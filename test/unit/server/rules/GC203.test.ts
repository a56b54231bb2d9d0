import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary } from '../../../support/lint';

const RESIN = '# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\n';

describe('GC203 stray cross-build marker', () => {
  it('flags a second start while one is open, naming the open one', () => {
    const text = `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-start" ]\nRUN b\nRUN [ "cross-build-end" ]\n`;
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC203');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: { line: 4, character: 6 }, end: { line: 4, character: 25 } });
    assert.equal(
      d.message,
      "A second 'cross-build-start' while the one on line 3 is still open: it is redundant at best, and with marker implementations that save " +
        "/bin/sh on start it saves the QEMU shim as the real shell, which 'cross-build-end' then puts back. Remove it.",
    );
    const fixed = applyFix(text, d);
    assert.equal(fixed, `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN b\nRUN [ "cross-build-end" ]\n`);
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('flags an end with no start and an end that repeats one', () => {
    const noStart = 'FROM mycompany/base\nCOPY . /src\nRUN [ "cross-build-end" ]\n';
    const [d] = lintStrict(noStart);
    assert.deepEqual(d.range, { start: { line: 2, character: 6 }, end: { line: 2, character: 23 } });
    assert.equal(
      d.message,
      "'cross-build-end' has no 'cross-build-start' before it in this stage: it closes nothing, and the steps it was meant to end were never emulated. " +
        'Remove it, or add RUN [ "cross-build-start" ] where emulation should begin.',
    );
    assert.equal(applyFix(noStart, d), 'FROM mycompany/base\nCOPY . /src\n');

    const repeat = `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\nRUN [ "cross-build-end" ]\n`;
    const [r] = lintStrict(repeat);
    assert.equal(r.code, 'GC203');
    assert.equal(
      r.message,
      "'cross-build-end' repeats the 'cross-build-end' on line 5: no region is open here, so it closes nothing and replaces /bin/sh once more for no reason. Remove it.",
    );
  });

  it('removes the whole marker line, CRLF and continuation lines included', () => {
    const text =
      '# platforms=linux/arm/v7\r\nFROM resin/armv7hf-debian\r\nRUN [ "cross-build-start" ]\r\nRUN a\r\nRUN [ "cross-build-end" ]\r\nRUN [ \\\r\n  "cross-build-end" ]\r\nCMD ["a"]\r\n';
    const [d] = lintStrict(text);
    assert.equal(d.code, 'GC203');
    const fixed = applyFix(text, d);
    assert.equal(
      fixed,
      '# platforms=linux/arm/v7\r\nFROM resin/armv7hf-debian\r\nRUN [ "cross-build-start" ]\r\nRUN a\r\nRUN [ "cross-build-end" ]\r\nCMD ["a"]\r\n',
    );
    assert.deepEqual(lintSummary(fixed), []);
    const last = `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\nRUN [ "cross-build-end" ]`;
    assert.equal(applyFix(last, lintStrict(last)[0]), `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\n`);
  });

  it('gives nothing on well-formed regions, several per stage', () => {
    assert.deepEqual(
      lintSummary(
        `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\nCOPY . /s\nRUN [ "cross-build-start" ]\nRUN b\nRUN [ "cross-build-end" ]\n`,
      ),
      [],
    );
  });
});
