import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary, settings } from '../../../support/lint';

const RESIN = '# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\n';

describe('GC201 RUN before cross-build-start', () => {
  it('flags the first RUN keyword of a resin stage without markers, counting the others', () => {
    const text = `${RESIN}RUN apt-get update\nCOPY . /src\nRUN make -C /src\n`;
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC201');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
    assert.equal(
      d.message,
      "This RUN and 1 more after it run before any 'cross-build-start' although the base 'resin/armv7hf-debian' ships the cross-build markers, " +
        "so the arm/v7 binaries are not emulated ('exec format error' on an x86 host without binfmt). Wrap the stage's RUN steps in the markers.",
    );
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC201\.md$/);
  });

  it('wraps the RUN steps in one fix with two edits, and the result is clean', () => {
    const text = `${RESIN}RUN apt-get update\nCOPY . /src\nRUN make -C /src\nCMD ["/src/app"]\n`;
    const [d] = lintStrict(text);
    assert.equal(d.data.fixes[0].title, 'Wrap the RUN steps in cross-build-start … cross-build-end');
    assert.equal(d.data.fixes[0].edits.length, 2);
    const fixed = applyFix(text, d);
    assert.equal(
      fixed,
      `${RESIN}RUN [ "cross-build-start" ]\nRUN apt-get update\nCOPY . /src\nRUN make -C /src\nRUN [ "cross-build-end" ]\nCMD ["/src/app"]\n`,
    );
    assert.deepEqual(lintSummary(fixed), []);
  });

  it("keeps CRLF, indentation and a missing final line break; inserts above the RUN's comments", () => {
    const text = '# platforms=linux/arm/v7\r\nFROM resin/armv7hf-debian\r\n  # deps\r\n  RUN apt-get update\r\n  RUN make';
    const [d] = lintStrict(text);
    assert.deepEqual(d.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 5 } });
    const fixed = applyFix(text, d);
    assert.equal(
      fixed,
      '# platforms=linux/arm/v7\r\nFROM resin/armv7hf-debian\r\n  RUN [ "cross-build-start" ]\r\n  # deps\r\n  RUN apt-get update\r\n  RUN make\r\n  RUN [ "cross-build-end" ]',
    );
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('moves a late start before the first RUN and keeps a well-placed end', () => {
    const text = `${RESIN}RUN apt-get update\nRUN [ "cross-build-start" ]\nRUN make\nRUN [ "cross-build-end" ]\n`;
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(String(d.message).startsWith("This RUN runs before any 'cross-build-start'"), true);
    assert.equal(d.data.fixes[0].title, 'Move the cross-build markers around all RUN steps');
    const fixed = applyFix(text, d);
    assert.equal(fixed, `${RESIN}RUN [ "cross-build-start" ]\nRUN apt-get update\nRUN make\nRUN [ "cross-build-end" ]\n`);
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('normalises a messy stage to a single region', () => {
    const text = `${RESIN}RUN a\nRUN [ "cross-build-end" ]\nRUN b\nRUN [ "cross-build-start" ]\nRUN c\nRUN cross-build-end\nRUN d\n`;
    assert.deepEqual(lintSummary(text), ['GC201 warning 2:0-2:3', 'GC203 error 3:6-3:23', 'GC205 error 7:4-7:19', 'GC204 warning 8:0-8:3']);
    const fixed = applyFix(text, lintStrict(text)[0]);
    assert.equal(fixed, `${RESIN}RUN [ "cross-build-start" ]\nRUN a\nRUN b\nRUN c\nRUN d\nRUN [ "cross-build-end" ]\n`);
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('counts a stage with markers on an unknown base as cross-build', () => {
    assert.deepEqual(
      lintSummary('FROM mycompany/devbase\nRUN apt-get update\nRUN [ "cross-build-start" ]\nRUN ./configure\nRUN [ "cross-build-end" ]\n'),
      ['GC201 warning 1:0-1:3'],
    );
    const [d] = lintStrict('FROM mycompany/devbase\nRUN a\nRUN [ "cross-build-start" ]\nRUN [ "cross-build-end" ]\n');
    assert.match(String(d.message), /although this stage uses the cross-build markers, so the foreign binaries are not emulated/);
  });

  it('uses greenCloud.crossBuild.images', () => {
    const text = 'FROM registry.local:5000/devbase:1\nRUN ./configure\n';
    assert.deepEqual(lintSummary(text), []);
    assert.deepEqual(lintSummary(text, settings({ crossBuild: { images: ['registry.local:5000/devbase'] } })), ['GC201 warning 1:0-1:3']);
    assert.deepEqual(lintSummary(text, settings({ crossBuild: { images: ['registry.local:5000/devbase:2'] } })), []);
  });

  it('inherits from an earlier stage', () => {
    const text =
      '# platforms=linux/arm/v7\nFROM resin/armv7hf-debian AS base\nRUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\nFROM base AS next\nRUN b\n';
    assert.deepEqual(lintSummary(text), ['GC201 warning 6:0-6:3']);
  });

  it('gives nothing on correct or unrelated files', () => {
    assert.deepEqual(lintSummary(`${RESIN}RUN [ "cross-build-start" ]\nRUN apt-get update\nRUN [ "cross-build-end" ]\n`), []);
    assert.deepEqual(lintSummary('FROM golang:1.22 AS build\nRUN go build ./...\nFROM debian:bookworm\nRUN apt-get update\n'), []);
    assert.deepEqual(lintSummary('FROM mycompany/base\nRUN ./configure\n'), []);
    assert.deepEqual(lintSummary(`${RESIN}COPY . /src\nCMD ["/src/app"]\n`), []);
    // x86 bases run natively on the x86 builders the markers exist for.
    assert.deepEqual(lintSummary('# platforms=linux/amd64\nFROM balenalib/amd64-debian\nRUN apt-get update\n'), []);
    // Exec-form steps never go through /bin/sh: the markers cannot help them.
    assert.deepEqual(lintSummary(`${RESIN}RUN ["apt-get", "update"]\n`), []);
    // Exec-form emulator steps do not need the markers (GC207 reports them instead).
    assert.deepEqual(lintSummary(`${RESIN}RUN ["/usr/bin/qemu-arm-static", "/bin/true"]\n`), ['GC207 info 2:0-2:3']);
  });

  it('honours severity settings and suppression pragmas', () => {
    const text = `${RESIN}RUN make\n`;
    assert.deepEqual(lintSummary(text, settings({ rules: { GC201: 'error' } })), ['GC201 error 2:0-2:3']);
    assert.deepEqual(lintSummary(text, settings({ rules: { GC201: 'off' } })), []);
    assert.deepEqual(lintSummary(`${RESIN}# green-cloud ignore=GC201\nRUN make\n`), []);
    const [d] = lintStrict(text);
    assert.deepEqual(lintSummary(applyFix(text, d, 'Ignore GC201 for this instruction')), []);
    assert.deepEqual(lintSummary(applyFix(text, d, 'Ignore GC201 for this file')), []);
  });

  it('keeps the cross-build analysis when the tag is a variable without a value', () => {
    const text = '# platforms=linux/arm/v6\nFROM resin/rpi-raspbian:${t}\nRUN apt-get update\n';
    assert.deepEqual(lintSummary(text), ['GC201 warning 2:0-2:3']);
  });
});
