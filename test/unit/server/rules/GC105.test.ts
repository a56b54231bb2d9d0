import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary, settings } from '../../../support/lint';

describe('GC105 redundant --platform=$TARGETPLATFORM', () => {
  it('hints at the whole flag, tagged Unnecessary', () => {
    const text = 'FROM --platform=$TARGETPLATFORM alpine:3.19\n';
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC105');
    assert.equal(d.severity, 4);
    assert.deepEqual(d.tags, [1]);
    assert.deepEqual(d.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 31 } });
    assert.equal(
      d.message,
      '--platform=$TARGETPLATFORM is redundant: a stage is built for the target platform by default (each of linux/amd64, linux/arm64 and linux/arm/v7 in turn), so the flag changes nothing. Remove it.',
    );
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC105\.md$/);
  });

  it('removes the flag and the blank after it; the result is clean', () => {
    for (const [text, expected] of [
      ['FROM --platform=$TARGETPLATFORM alpine:3.19\n', 'FROM alpine:3.19\n'],
      ['FROM --platform=${TARGETPLATFORM}  golang AS build\r\nRUN true\r\n', 'FROM golang AS build\r\nRUN true\r\n'],
      ['\tFROM --platform="$TARGETPLATFORM"\talpine', '\tFROM alpine'],
    ]) {
      const [d] = lintStrict(text);
      assert.equal(d.code, 'GC105', text);
      const fixed = applyFix(text, d);
      assert.equal(fixed, expected);
      assert.deepEqual(lintSummary(fixed), []);
    }
  });

  it('does not flag other platform values', () => {
    const text = [
      'FROM --platform=$BUILDPLATFORM golang AS a',
      'FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine AS b',
      'FROM --platform=$TARGETOS/$TARGETARCH alpine AS c',
      'FROM alpine',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), []);
  });

  it('does not hide a pinned base: removing the flag changes no other diagnostic', () => {
    const text = 'FROM --platform=$TARGETPLATFORM arm64v8/alpine\n';
    assert.deepEqual(lintSummary(text), ['GC105 hint 0:5-0:31', 'GC101 warning 0:32-0:46']);
    assert.deepEqual(lintSummary(applyFix(text, lintStrict(text)[0])), ['GC101 warning 0:5-0:19']);
  });

  it("is suppressed by its own pragma and by hadolint's and BuildKit's", () => {
    const line = 'FROM --platform=$TARGETPLATFORM alpine\n';
    assert.deepEqual(lintSummary(`# green-cloud ignore=GC105\n${line}`), []);
    assert.deepEqual(lintSummary(`# hadolint ignore=DL3065\n${line}`), []);
    assert.deepEqual(lintSummary(`# check=skip=RedundantTargetPlatform\n${line}`), []);
    assert.deepEqual(lintSummary(`# check=skip=FromPlatformFlagConstDisallowed\n${line}`), ['GC105 hint 1:5-1:31']);
    assert.deepEqual(lintSummary(line, settings({ rules: { GC105: 'off' } })), []);
    assert.deepEqual(lintSummary(line, settings({ rules: { GC105: 'warning' } })), ['GC105 warning 0:5-0:31']);
  });
});
