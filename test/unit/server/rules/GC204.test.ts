import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary } from '../../../support/lint';

const RESIN = '# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\n';

describe('GC204 RUN after cross-build-end', () => {
  it('flags the first RUN after the end, counting the others', () => {
    const text = `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\nCOPY app /app\nRUN b\nRUN c\n`;
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC204');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 6, character: 0 }, end: { line: 6, character: 3 } });
    assert.equal(
      d.message,
      "This RUN and 1 more after it run after the 'cross-build-end' on line 5: the arm/v7 binaries are no longer emulated, " +
        "so the step fails with 'exec format error' on an x86 host without binfmt. Move the end marker after the stage's last RUN.",
    );
  });

  it('moves the end marker after the last RUN of the group (delete + insert), keeping how it was written', () => {
    const text = `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "/usr/bin/cross-build-end" ]\nCOPY app /app\nRUN b\nRUN c\nCMD ["b"]\n`;
    const [d] = lintStrict(text);
    assert.equal(d.data.fixes[0].title, "Move 'cross-build-end' after the last RUN");
    assert.equal(d.data.fixes[0].edits.length, 2);
    const fixed = applyFix(text, d);
    assert.equal(
      fixed,
      `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nCOPY app /app\nRUN b\nRUN c\nRUN [ "/usr/bin/cross-build-end" ]\nCMD ["b"]\n`,
    );
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('keeps CRLF and tabs', () => {
    const text =
      '# platforms=linux/arm/v7\r\nFROM resin/armv7hf-debian\r\n\tRUN [ "cross-build-start" ]\r\n\tRUN [ "cross-build-end" ]\r\n\tRUN a\r\n';
    const fixed = applyFix(text, lintStrict(text)[0]);
    assert.equal(
      fixed,
      '# platforms=linux/arm/v7\r\nFROM resin/armv7hf-debian\r\n\tRUN [ "cross-build-start" ]\r\n\tRUN a\r\n\tRUN [ "cross-build-end" ]\r\n',
    );
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('reports each group after an end separately', () => {
    const text = `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\nRUN b\nRUN [ "cross-build-start" ]\nRUN c\nRUN [ "cross-build-end" ]\nRUN d\n`;
    assert.deepEqual(lintSummary(text), ['GC204 warning 5:0-5:3', 'GC204 warning 9:0-9:3']);
    const fixed = applyFix(text, lintStrict(text)[0]);
    assert.equal(
      fixed,
      `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN b\nRUN [ "cross-build-end" ]\nRUN [ "cross-build-start" ]\nRUN c\nRUN [ "cross-build-end" ]\nRUN d\n`,
    );
    assert.deepEqual(lintSummary(fixed), ['GC204 warning 9:0-9:3']);
  });

  it('leaves non-cross-build stages and x86 bases alone', () => {
    assert.deepEqual(lintSummary('FROM mycompany/base\nRUN a\n'), []);
    assert.deepEqual(
      lintSummary(
        '# platforms=linux/amd64\nFROM balenalib/intel-nuc-debian\nRUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\nRUN b\n',
      ),
      [],
    );
  });
});
