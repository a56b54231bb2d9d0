import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary } from '../../../support/lint';

const RESIN = '# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\n';

describe('GC205 cross-build marker in shell form', () => {
  it('flags a shell-form start without cascading region diagnostics', () => {
    const text = `${RESIN}RUN cross-build-start\nRUN apt-get update\nRUN [ "cross-build-end" ]\n`;
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC205');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 21 } });
    assert.equal(
      d.message,
      "'cross-build-start' is in shell form, so Docker runs it through /bin/sh, the image's foreign shell before emulation is on " +
        '(\'exec format error\' on an x86 host without binfmt). Write it in exec form: RUN [ "cross-build-start" ].',
    );
    const fixed = applyFix(text, d);
    assert.equal(fixed, `${RESIN}RUN [ "cross-build-start" ]\nRUN apt-get update\nRUN [ "cross-build-end" ]\n`);
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('keeps the path of a shell-form end and explains the shim', () => {
    const text = `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN /usr/bin/cross-build-end\n`;
    const [d] = lintStrict(text);
    assert.deepEqual(d.range, { start: { line: 4, character: 4 }, end: { line: 4, character: 28 } });
    assert.equal(
      d.message,
      "'/usr/bin/cross-build-end' is in shell form, so Docker runs it through /bin/sh, the QEMU shim the step is about to remove " +
        '(outside a region, the foreign shell). Write it in exec form: RUN [ "/usr/bin/cross-build-end" ].',
    );
    assert.equal(applyFix(text, d), `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "/usr/bin/cross-build-end" ]\n`);
  });

  it('treats JSON Docker cannot parse as shell form, and fixes it', () => {
    const text = `${RESIN}RUN [ "cross-build-start"\nRUN a\nRUN ['cross-build-end']\n`;
    assert.deepEqual(lintSummary(text), ['GC205 error 2:6-2:25', 'GC205 error 4:5-4:22']);
    const [d, e] = lintStrict(text);
    assert.match(String(d.message), /^'cross-build-start' is not valid JSON, so Docker runs it in shell form/);
    const fixed = applyFix(applyFix(text, d), lintStrict(applyFix(text, d)).find((x) => x.code === 'GC205') ?? e);
    assert.equal(fixed, `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\n`);
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('keeps CRLF', () => {
    const text = '# platforms=linux/arm/v7\r\nFROM resin/armv7hf-debian\r\nRUN cross-build-start\r\nRUN a\r\nRUN [ "cross-build-end" ]\r\n';
    assert.equal(
      applyFix(text, lintStrict(text)[0]),
      '# platforms=linux/arm/v7\r\nFROM resin/armv7hf-debian\r\nRUN [ "cross-build-start" ]\r\nRUN a\r\nRUN [ "cross-build-end" ]\r\n',
    );
  });

  it('offers no rewrite when the step does more than the marker', () => {
    const text = `${RESIN}RUN cross-build-start && apt-get update\nRUN [ "cross-build-end" ]\n`;
    const [d] = lintStrict(text);
    assert.equal(d.code, 'GC205');
    assert.deepEqual(
      d.data.fixes.map((f) => f.title),
      ['Ignore GC205 for this instruction', 'Ignore GC205 for this file'],
    );
  });

  it('does not treat heredocs, echo or other commands as markers', () => {
    assert.deepEqual(
      lintSummary('FROM mycompany/base\nRUN <<EOF\ncross-build-start\nEOF\nRUN echo cross-build-start\nRUN ["echo", "cross-build-end"]\n'),
      [],
    );
  });

  it('flags typographic quotes in a marker (a shell-form [ test that succeeds) and fixes them to straight quotes', () => {
    const text = `${RESIN}RUN [ \u201ccross-build-start\u201d ]\nRUN apt-get update\nRUN [ "cross-build-end" ]\n`;
    const [d, ...rest] = lintStrict(text);
    assert.deepEqual(
      rest.map((r) => r.code),
      [],
    );
    assert.equal(d.code, 'GC205');
    assert.deepEqual(d.range, { start: { line: 2, character: 6 }, end: { line: 2, character: 25 } });
    assert.equal(
      d.message,
      "'\u201ccross-build-start\u201d' has typographic quotes, so Docker runs it in shell form, as a '[' test that does nothing: " +
        'emulation never starts (\'exec format error\' on an x86 host without binfmt). Use straight quotes: RUN [ "cross-build-start" ].',
    );
    const fixed = applyFix(text, d);
    assert.equal(fixed, `${RESIN}RUN [ "cross-build-start" ]\nRUN apt-get update\nRUN [ "cross-build-end" ]\n`);
    assert.deepEqual(lintSummary(fixed), []);
    const end = `${RESIN}RUN [ "cross-build-start" ]\nRUN true\nRUN [\u2018cross-build-end\u2019]\n`;
    const [e] = lintStrict(end);
    assert.equal(e.code, 'GC205');
    assert.match(e.message, /the real \/bin\/sh is never put back/);
    assert.deepEqual(lintSummary(applyFix(end, e)), []);
  });
});
