import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary, settings } from '../../../support/lint';

describe('GC104 constant --platform on FROM', () => {
  it('flags the constant value, naming the pinned and the other platforms', () => {
    const text = 'FROM --platform=linux/arm64 alpine:3.19\nRUN apk add --no-cache curl\n';
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC104');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 0, character: 16 }, end: { line: 0, character: 27 } });
    assert.equal(
      d.message,
      "FROM --platform=linux/arm64 pins this stage to linux/arm64: built for linux/amd64 and linux/arm/v7 it still contains arm64 binaries. Remove the flag (the build's --platform decides), or use $BUILDPLATFORM in a stage that cross-compiles.",
    );
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC104\.md$/);
    // The final stage gets no $BUILDPLATFORM fix: it must contain target binaries.
    assert.deepEqual(
      d.data.fixes.map((f) => [f.title, f.isPreferred ?? false]),
      [
        ['Remove --platform=linux/arm64', true],
        ['Ignore GC104 for this instruction', false],
        ['Ignore GC104 for this file', false],
      ],
    );
  });

  it('removes the whole flag and the following blank; the result is clean', () => {
    const text = 'FROM --platform=linux/amd64 \talpine:3.19 AS base\n';
    const fixed = applyFix(text, lintStrict(text)[0]);
    assert.equal(fixed, 'FROM alpine:3.19 AS base\n');
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('offers $BUILDPLATFORM (only) for a compiling build stage; the fix adds no diagnostic', () => {
    const text =
      'FROM --platform=linux/amd64 golang:1.22 AS build\r\nRUN go build -o /app .\r\n\r\nFROM alpine\r\nCOPY --from=build /app /app\r\n';
    const [d] = lintStrict(text);
    assert.deepEqual(d.range, { start: { line: 0, character: 16 }, end: { line: 0, character: 27 } });
    const viaBuild = applyFix(text, d, 'Use --platform=$BUILDPLATFORM');
    assert.equal(
      viaBuild,
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\r\nRUN go build -o /app .\r\n\r\nFROM alpine\r\nCOPY --from=build /app /app\r\n',
    );
    assert.deepEqual(lintSummary(viaBuild), []);
    // Removing the flag from a compiling build stage would compile under emulation (GC110): not offered.
    assert.deepEqual(
      d.data.fixes.filter((f) => !f.title.startsWith('Ignore')).map((f) => [f.title, f.isPreferred]),
      [['Use --platform=$BUILDPLATFORM (a build stage that runs on the build machine)', true]],
    );
  });

  it('keeps a line continuation intact when removing the flag', () => {
    const text = 'FROM --platform=linux/arm64 \\\n  alpine\n';
    const fixed = applyFix(text, lintStrict(text)[0]);
    assert.equal(fixed, 'FROM \\\n  alpine\n');
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('normalises the value (aarch64, arm64/v8, arm) and quotes', () => {
    const [a] = lintStrict('FROM --platform=linux/aarch64 alpine\n');
    assert.match(a.message, /^FROM --platform=linux\/aarch64 pins this stage to linux\/arm64: built for linux\/amd64 and linux\/arm\/v7/);
    const [b] = lintStrict('FROM --platform="linux/arm/v7" alpine\n');
    assert.deepEqual(b.range, { start: { line: 0, character: 16 }, end: { line: 0, character: 30 } });
    assert.match(b.message, /pins this stage to linux\/arm\/v7: built for linux\/amd64 and linux\/arm64 it still contains armv7 binaries/);
  });

  it("applies BuildKit's exemptions: variables, stage names with the os or arch, unparsable values", () => {
    const text = [
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
      'FROM --platform=${TARGETOS}/arm64 alpine AS a',
      'FROM --platform=linux/amd64 alpine AS build_amd64',
      'FROM --platform=linux/arm64 alpine AS build-aarch64',
      'FROM --platform=linux/arm/v7 alpine AS armhf-rootfs',
      'FROM --platform=linux/arm64 alpine AS linux-tools',
      'FROM --platform=not/a/platform/x alpine AS b',
      'FROM --platform= alpine AS c',
      'FROM --platform alpine AS d',
      'FROM build_${TARGETARCH}',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), []);
  });

  it('does not flag when the file targets exactly that platform', () => {
    assert.deepEqual(lintSummary('# platforms=linux/amd64\nFROM --platform=linux/amd64 alpine\n'), []);
    assert.deepEqual(lintSummary('FROM --platform=linux/arm64/v8 alpine\n', settings({ platforms: ['linux/arm64'] })), []);
    assert.deepEqual(lintSummary('# platforms=linux/amd64\nFROM --platform=linux/arm64 alpine\n'), ['GC104 warning 1:16-1:27']);
  });

  it("is suppressed by its own pragma and by hadolint's and BuildKit's", () => {
    const line = 'FROM --platform=linux/arm64 alpine\n';
    assert.deepEqual(lintSummary(`# green-cloud ignore=GC104\n${line}`), []);
    assert.deepEqual(lintSummary(`# hadolint ignore=DL3029\n${line}`), []);
    assert.deepEqual(lintSummary(`# hadolint global ignore=DL3029\nFROM alpine\n${line}`), []);
    assert.deepEqual(lintSummary(`# check=skip=FromPlatformFlagConstDisallowed\n${line}`), []);
    assert.deepEqual(lintSummary(`# check=skip=all\n${line}`), []);
    assert.deepEqual(lintSummary(`# hadolint ignore=DL3065\n${line}`), ['GC104 warning 1:16-1:27']);
    assert.deepEqual(lintSummary(line, settings({ rules: { GC104: 'error' } })), ['GC104 error 0:16-0:27']);
  });
});
