import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary, settings } from '../../../support/lint';

const GO_CROSS = [
  '# syntax=docker/dockerfile:1',
  'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
  'ARG TARGETOS TARGETARCH',
  'WORKDIR /src',
  'COPY . .',
  'RUN --mount=type=cache,target=/root/.cache/go-build,id=go-$TARGETARCH \\',
  '    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app',
  '',
  'FROM gcr.io/distroless/static-debian12',
  'ARG TARGETPLATFORM',
  'LABEL org.opencontainers.image.description="app for ${TARGETPLATFORM}"',
  'COPY --from=build /out/app /app',
  'ENTRYPOINT ["/app"]',
  '',
].join('\n');

describe('GC106 platform ARG used without ARG in the stage', () => {
  it('flags the reference itself, with a message saying why it is empty', () => {
    const text = 'FROM alpine\nRUN echo "building for $TARGETARCH"\n';
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC106');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 1, character: 23 }, end: { line: 1, character: 34 } });
    assert.equal(
      d.message,
      "'$TARGETARCH' is empty in this RUN, so the linux/amd64, linux/arm64 and linux/arm/v7 builds all get the same empty value: TARGETARCH (the target's architecture) is predefined only in the global scope. Add 'ARG TARGETARCH' after the stage's FROM.",
    );
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC106\.md$/);
    const fixed = applyFix(text, d);
    assert.equal(fixed, 'FROM alpine\nARG TARGETARCH\nRUN echo "building for $TARGETARCH"\n');
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('reports every use; one fix declares the name for all its uses in the stage', () => {
    const text = 'FROM alpine AS a\nRUN echo ${TARGETARCH} $TARGETOS\nENV ARCH=${TARGETARCH:-amd64}\n';
    const before = lintStrict(text);
    assert.deepEqual(
      before.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`),
      ['GC106 1:9-1:22', 'GC106 1:23-1:32', 'GC106 2:9-2:29'],
    );
    assert.match(before[1].message, /^'\$TARGETOS' is empty in this RUN, .*: TARGETOS \(the target's OS\)/);
    assert.match(before[2].message, /^'\$\{TARGETARCH:-amd64\}' is empty in this ENV/);
    const fixed = applyFix(text, before[0]);
    assert.equal(fixed, 'FROM alpine AS a\nARG TARGETARCH\nRUN echo ${TARGETARCH} $TARGETOS\nENV ARCH=${TARGETARCH:-amd64}\n');
    assert.deepEqual(lintSummary(fixed), ['GC106 warning 2:23-2:32']);
  });

  it('explains BUILD* arguments in terms of the build machine', () => {
    const [d] = lintStrict('FROM alpine\nRUN echo $BUILDPLATFORM\n');
    assert.equal(
      d.message,
      "'$BUILDPLATFORM' is empty in this RUN, so builds on amd64 and on arm64 machines get the same empty value: BUILDPLATFORM (the build machine) is predefined only in the global scope. Add 'ARG BUILDPLATFORM' after the stage's FROM.",
    );
  });

  it('requires the ARG before the use in the stage (a global ARG does not count); a child stage inherits its parent stage ARGs', () => {
    const text = [
      'ARG TARGETARCH',
      'FROM --platform=$BUILDPLATFORM alpine AS base',
      'RUN echo $TARGETARCH',
      'ARG TARGETARCH',
      'RUN echo $TARGETARCH',
      'FROM base',
      'RUN echo $TARGETARCH',
      'RUN --mount=type=cache,id=apk-$TARGETARCH,target=/var/cache/apk apk add curl',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), ['GC106 warning 2:9-2:20']);
  });

  it('follows the whole parent chain, and only the parent chain', () => {
    const text = [
      'FROM alpine AS root',
      'ARG TARGETPLATFORM TARGETARCH',
      'FROM root AS middle',
      'RUN echo middle',
      'FROM middle AS leaf',
      'RUN echo "$TARGETPLATFORM $TARGETARCH"',
      'FROM alpine AS sibling',
      'COPY --from=leaf /etc/os-release /tmp/',
      'RUN echo $TARGETARCH',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), ['GC106 warning 8:9-8:20']);
  });

  it('does not look at stages the build never reaches', () => {
    const text = ['FROM alpine AS unused', 'RUN echo $TARGETARCH', 'FROM alpine', 'RUN echo done', ''].join('\n');
    assert.deepEqual(lintSummary(text), []);
    const reached = ['FROM alpine AS used', 'RUN echo $TARGETARCH > /arch', 'FROM alpine', 'COPY --from=used /arch /arch', ''].join('\n');
    assert.deepEqual(lintSummary(reached), ['GC106 warning 1:9-1:20']);
  });

  it('accepts a value set by ENV in the stage or inherited from the parent stage', () => {
    const text = ['FROM alpine AS base', 'ENV TARGETOS=linux', 'RUN echo $TARGETOS', 'FROM base', 'RUN echo $TARGETOS', ''].join('\n');
    assert.deepEqual(lintSummary(text), []);
  });

  it('checks every build-time instruction, flags included, and heredocs', () => {
    const text = [
      'FROM alpine',
      'WORKDIR /opt/$TARGETARCH',
      'COPY bin/app-${TARGETARCH} /app',
      'ADD https://example.com/${TARGETOS}/tool /tool',
      'LABEL arch=$TARGETARCH',
      'USER $BUILDARCH',
      'ARG SUFFIX=-$TARGETVARIANT',
      'RUN --mount=type=cache,id=apk-$TARGETARCH,target=/var/cache/apk apk add curl',
      'RUN ["sh", "-c", "echo $TARGETPLATFORM"]',
      'RUN <<EOF',
      'echo $TARGETARCH',
      'EOF',
      "RUN <<'EOF'",
      'echo "$BUILDOS"',
      'EOF',
      'COPY <<EOF /etc/arch',
      '$BUILDVARIANT',
      'EOF',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), [
      'GC106 warning 1:13-1:24',
      'GC106 warning 2:13-2:26',
      'GC106 warning 3:24-3:35',
      'GC106 warning 4:11-4:22',
      'GC106 warning 5:5-5:15',
      'GC106 warning 6:12-6:26',
      'GC106 warning 7:30-7:41',
      'GC106 warning 8:23-8:38',
      'GC106 warning 10:5-10:16',
      'GC106 warning 13:6-13:14',
      'GC106 warning 16:0-16:13',
    ]);
  });

  it('ignores FROM lines, runtime instructions, escapes, single quotes, $$, comments and literal heredocs', () => {
    const text = [
      'ARG BASE=alpine',
      'FROM --platform=$BUILDPLATFORM ${BASE}:3.19 AS build',
      "RUN echo \\$TARGETARCH '$TARGETARCH' $$TARGETARCH # $TARGETARCH",
      'RUN apk add curl \\',
      '# a comment line with $TARGETARCH',
      '  && true',
      'RUN <<EOF',
      '# shell comment $TARGETARCH',
      'true',
      'EOF',
      "COPY <<'EOF' /usr/local/bin/show-arch",
      'echo "$TARGETARCH"',
      'EOF',
      'CMD echo $TARGETARCH',
      'ENTRYPOINT ["sh", "-c", "echo $TARGETARCH"]',
      'HEALTHCHECK CMD test -n "$TARGETARCH"',
      'ONBUILD RUN echo $TARGETARCH',
      'RUN echo $TARGETARCHIVE $FOO ${HOME}',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), []);
  });

  it("honours '# escape=`'", () => {
    const text = '# escape=`\nFROM alpine\nENV A=`$TARGETARCH B=$TARGETOS\nRUN echo $TARGETARCH `\n  && true\n';
    assert.deepEqual(lintSummary(text), ['GC106 warning 2:21-2:30', 'GC106 warning 3:9-3:20']);
  });

  it('inserts the ARG with the stage indentation and line ending, also at the end of the file', () => {
    const crlf = '\tFROM alpine AS a\r\n\tRUN echo $TARGETARCH\r\n';
    assert.equal(applyFix(crlf, lintStrict(crlf)[0]), '\tFROM alpine AS a\r\n\tARG TARGETARCH\r\n\tRUN echo $TARGETARCH\r\n');
    const continued = 'FROM \\\n  alpine\n    RUN echo $TARGETARCH';
    const fixed = applyFix(continued, lintStrict(continued)[0]);
    assert.equal(fixed, 'FROM \\\n  alpine\n    ARG TARGETARCH\n    RUN echo $TARGETARCH');
    assert.deepEqual(lintSummary(fixed), []);
    const mixed = 'FROM alpine\r\nRUN echo $TARGETARCH\n';
    assert.equal(applyFix(mixed, lintStrict(mixed)[0]), 'FROM alpine\r\nARG TARGETARCH\r\nRUN echo $TARGETARCH\n');
  });

  it('gives no diagnostic on a correct cross-compiling Dockerfile', () => {
    assert.deepEqual(lintSummary(GO_CROSS), []);
  });

  it('honours severity settings and suppression pragmas', () => {
    const text = 'FROM alpine\nRUN echo $TARGETARCH\n';
    assert.deepEqual(lintSummary(text, settings({ rules: { GC106: 'error' } })), ['GC106 error 1:9-1:20']);
    assert.deepEqual(lintSummary(text, settings({ rules: { GC106: 'off' } })), []);
    assert.deepEqual(lintSummary('FROM alpine\n# green-cloud ignore=GC106\nRUN echo $TARGETARCH\n'), []);
    const ignored = applyFix(text, lintStrict(text)[0], 'Ignore GC106 for this instruction');
    assert.equal(ignored, 'FROM alpine\n# green-cloud ignore=GC106\nRUN echo $TARGETARCH\n');
  });

  it('never throws on odd input', () => {
    for (const text of [
      'FROM alpine\nRUN echo ${TARGETARCH\n',
      'FROM alpine\nRUN echo ${\n',
      'FROM alpine\nRUN echo $\n',
      'FROM alpine\nRUN <<EOF\necho $TARGETARCH\n',
      'FROM alpine\nRUN <<\n',
      'FROM alpine\nRUN ["sh", "-c", "echo $TARGETARCH\n',
      `FROM alpine\nRUN echo '${'$TARGETARCH '.repeat(10)}\n`,
      'RUN echo $TARGETARCH\n',
      '\u0000\u0001FROM\u00ff $TARGETARCH\n',
    ]) {
      assert.doesNotThrow(() => lintStrict(text), JSON.stringify(text));
    }
  });
});
