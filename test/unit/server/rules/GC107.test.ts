import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary, settings } from '../../../support/lint';

const TWO = settings({ platforms: ['linux/amd64', 'linux/arm64'] });
const KUBECTL =
  'FROM debian:bookworm-slim\nRUN curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl\n';

describe('GC107 hard-coded architecture in a build step', () => {
  it('flags the token, saying which images get the wrong file and what to use', () => {
    const [d, ...rest] = lintStrict(KUBECTL);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC107');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 1, character: 83 }, end: { line: 1, character: 88 } });
    assert.equal(
      d.message,
      "'amd64' hard-codes linux/amd64 in this RUN: the linux/arm64 and linux/arm/v7 images get the amd64 file too ('exec format error' for a binary). Use ${TARGETARCH} (after 'ARG TARGETARCH' in the stage) or dispatch on $(uname -m) / $(dpkg --print-architecture).",
    );
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC107\.md$/);
  });

  it('fixes Go-named tokens with ${TARGETARCH} and declares the ARG in the same fix (no GC106)', () => {
    const [d] = lintStrict(KUBECTL);
    const fix = d.data.fixes[0];
    assert.equal(fix.title, "Replace 'amd64' with ${TARGETARCH} and declare ARG TARGETARCH");
    // Not preferred when a target (linux/arm/v7) is often named differently from Go's 'arm'.
    assert.equal(fix.isPreferred, false);
    const fixed = applyFix(KUBECTL, d);
    assert.equal(
      fixed,
      'FROM debian:bookworm-slim\nARG TARGETARCH\nRUN curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.30.0/bin/linux/${TARGETARCH}/kubectl\n',
    );
    assert.deepEqual(lintSummary(fixed), []);
    assert.equal(lintStrict(KUBECTL, TWO)[0].data.fixes[0].isPreferred, true);
  });

  it('only replaces the token when ARG TARGETARCH is already declared before the step', () => {
    const text = 'FROM alpine\nARG TARGETARCH\nADD https://example.com/tool-linux-arm64.tar.gz /tmp/\n';
    const [d] = lintStrict(text);
    assert.equal(d.data.fixes[0].title, "Replace 'arm64' with ${TARGETARCH}");
    assert.equal(applyFix(text, d), 'FROM alpine\nARG TARGETARCH\nADD https://example.com/tool-linux-${TARGETARCH}.tar.gz /tmp/\n');
  });

  it('keeps CRLF and tab indentation in the fix', () => {
    const text = 'FROM alpine AS app\r\n\tCOPY dist/app-linux-amd64 /usr/local/bin/app\r\n';
    const [d] = lintStrict(text);
    assert.deepEqual(d.range, { start: { line: 1, character: 21 }, end: { line: 1, character: 26 } });
    const fixed = applyFix(text, d);
    assert.equal(fixed, 'FROM alpine AS app\r\n\tARG TARGETARCH\r\n\tCOPY dist/app-linux-${TARGETARCH} /usr/local/bin/app\r\n');
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('offers $(uname -m) for uname-style names in RUN', () => {
    const text = 'FROM debian\nRUN curl -fsSLO https://example.com/cmake-3.28.3-linux-x86_64.tar.gz\n';
    const [d] = lintStrict(text);
    assert.deepEqual(d.range, { start: { line: 1, character: 55 }, end: { line: 1, character: 61 } });
    assert.equal(
      d.message,
      "'x86_64' hard-codes linux/amd64 in this RUN: the linux/arm64 and linux/arm/v7 images get the x86_64 file too ('exec format error' for a binary). Dispatch on $(uname -m) (x86_64, aarch64, armv7l) or map ${TARGETARCH} in a 'case' (after 'ARG TARGETARCH').",
    );
    assert.deepEqual(
      d.data.fixes.map((f) => [f.title, f.isPreferred]),
      [
        ["Replace 'x86_64' with $(uname -m)", false],
        ['Ignore GC107 for this instruction', undefined],
        ['Ignore GC107 for this file', undefined],
      ],
    );
    const fixed = applyFix(text, d);
    assert.equal(fixed, 'FROM debian\nRUN curl -fsSLO https://example.com/cmake-3.28.3-linux-$(uname -m).tar.gz\n');
    assert.deepEqual(lintSummary(fixed), []);
    assert.equal(lintStrict(text, TWO)[0].data.fixes[0].isPreferred, true);
  });

  it('gives Debian-named tokens no ${TARGETARCH} fix while a target is named differently by Debian', () => {
    const text = 'FROM debian\nENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64\nRUN curl -fsSLO https://example.com/tool_1.0_amd64.deb\n';
    const [env, run] = lintStrict(text);
    assert.deepEqual(env.range, { start: { line: 1, character: 43 }, end: { line: 1, character: 48 } });
    assert.equal(
      env.message,
      "'amd64' hard-codes linux/amd64 in this ENV: the linux/arm64 and linux/arm/v7 images get the amd64 value too. Debian's names differ from ${TARGETARCH} (armhf for linux/arm/v7, i386 for linux/386): dispatch on $(dpkg --print-architecture) in a RUN step.",
    );
    assert.equal(env.data.fixes.filter((f) => !f.title.startsWith('Ignore')).length, 0);
    assert.equal(run.data.fixes.filter((f) => !f.title.startsWith('Ignore')).length, 0);
    // For amd64 + arm64 only, Debian's and Go's names agree.
    const [env2] = lintStrict(text, TWO);
    assert.equal(
      env2.message,
      "'amd64' hard-codes linux/amd64 in this ENV: the linux/arm64 image gets the amd64 value too. Use ${TARGETARCH} (after 'ARG TARGETARCH' in the stage).",
    );
    const fixed = applyFix(text, env2);
    assert.equal(
      fixed,
      'FROM debian\nARG TARGETARCH\nENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-${TARGETARCH}\nRUN curl -fsSLO https://example.com/tool_1.0_amd64.deb\n',
    );
  });

  it('flags but does not fix tokens in single quotes or exec form (no expansion there)', () => {
    const text = 'FROM alpine\nRUN wget -O /x \'https://example.com/linux/arm64/x\'\nRUN ["wget", "https://example.com/linux/arm64/y"]\n';
    const found = lintStrict(text);
    assert.deepEqual(
      found.map((d) => d.code),
      ['GC107', 'GC107'],
    );
    for (const d of found) assert.equal(d.data.fixes.filter((f) => !f.title.startsWith('Ignore')).length, 0);
  });

  it('flags tokens in heredocs and other naming schemes', () => {
    const text = [
      'FROM alpine',
      'RUN <<EOF',
      'wget https://nodejs.org/dist/v20.11.0/node-v20.11.0-linux-x64.tar.xz',
      'EOF',
      'COPY <<EOF /etc/apt/sources.list.d/x.list',
      'deb [arch=arm64] https://example.com/debian stable main',
      'EOF',
      'ENV LD_LIBRARY_PATH=/usr/lib/aarch64-linux-gnu',
      'RUN export CFLAGS=-march=x86-64-v2',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), [
      'GC107 warning 2:58-2:61',
      'GC107 warning 5:10-5:15',
      'GC107 warning 7:29-7:36',
      'GC107 warning 8:25-8:31',
    ]);
  });

  it('does not flag steps that dispatch on the architecture', () => {
    const text = [
      'FROM debian:bookworm-slim',
      'ARG TARGETARCH',
      'RUN set -eux; \\',
      '    case "$(dpkg --print-architecture)" in \\',
      '      amd64) sha=aaa ;; \\',
      '      arm64) sha=bbb ;; \\',
      '      *) echo "unsupported" >&2; exit 1 ;; \\',
      '    esac; \\',
      '    curl -fsSLO "https://example.com/tool-$(dpkg --print-architecture).tar.gz"',
      'RUN if [ "$(uname -m)" = "x86_64" ]; then echo intel; fi',
      'RUN apkArch="$(apk --print-arch)"; [ "$apkArch" = aarch64 ] && echo arm',
      'RUN curl -fsSLO https://dl.k8s.io/release/v1.30.0/bin/linux/${TARGETARCH}/kubectl && echo amd64',
      'RUN ARCH=$(arch); [ "$ARCH" = x86_64 ] || true',
      'RUN GOARCH=$TARGETARCH go build ./... # not amd64 only',
      'RUN for arch in amd64 arm64; do mkdir -p /opt/$arch; done',
      'RUN case "$TARGETARCH" in amd64) a=x86_64 ;; arm64) a=aarch64 ;; esac',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), []);
  });

  it('does not flag toolchains, foreign packages, qemu, comments and per-arch stages', () => {
    const text = [
      'FROM --platform=$BUILDPLATFORM debian:bookworm AS cross',
      'ARG TARGETARCH',
      'RUN dpkg --add-architecture arm64 && apt-get update && apt-get install -y gcc-aarch64-linux-gnu libssl-dev:arm64',
      'RUN curl -fsSLO https://go.dev/dl/go1.22.0.linux-amd64.tar.gz',
      '',
      'FROM debian:bookworm AS native',
      'RUN apt-get install -y crossbuild-essential-arm64 libc6-dev-arm64-cross binutils-x86-64-linux-gnu',
      'RUN rustup target add aarch64-unknown-linux-musl',
      'COPY qemu-aarch64-static /usr/bin/',
      '# RUN curl https://example.com/linux/amd64/tool',
      'RUN apt-get update \\',
      '# amd64 only below? no',
      '  && true # works on amd64 and arm64',
      'RUN echo "build for $BUILDPLATFORM" # amd64',
      '',
      'FROM alpine AS tools-arm64',
      'RUN wget https://example.com/tool-aarch64',
      '',
      'FROM --platform=linux/amd64 debian AS kotlin-linux',
      'RUN curl -fsSLO https://example.com/kotlin-native-linux-x86_64.tar.gz',
      '',
      'FROM alpine',
      'COPY --from=tools-arm64 /tool-aarch64 /opt/arm64/tool',
      'LABEL org.example.arch=amd64',
      'COPY --from=native /usr/local/bin/app /usr/local/bin/app',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), ['GC106 warning 13:20-13:34']);
  });

  it('fires when a token names an architecture the file does not target (a single-platform file may name its own)', () => {
    assert.deepEqual(lintSummary(`# platforms=linux/amd64\n${KUBECTL}`), []);
    const [d, ...rest] = lintStrict(KUBECTL, settings({ platforms: ['linux/arm64'] }));
    assert.equal(rest.length, 0);
    assert.equal(`${d.code} ${d.range.start.line}:${d.range.start.character}`, 'GC107 1:83');
    assert.match(d.message, /^'amd64' hard-codes linux\/amd64 in this RUN: the linux\/arm64 image gets the amd64 file too/);
    assert.deepEqual(lintSummary(`# platforms=linux/amd64,linux/arm64\n${KUBECTL}`), ['GC107 warning 2:83-2:88']);
  });

  it('checks stages with the redundant --platform=$TARGETPLATFORM like any other', () => {
    const text = 'FROM --platform=$TARGETPLATFORM debian\nRUN curl -O https://example.com/linux/arm64/x\n';
    assert.deepEqual(lintSummary(text), ['GC105 hint 0:5-0:31', 'GC107 warning 1:38-1:43']);
  });

  it('caps diagnostics per instruction and stays linear on a huge line', () => {
    const text = `FROM alpine\nRUN apk add ${'pkg-amd64 '.repeat(100_000)}\n`;
    const found = lintStrict(text);
    assert.equal(found.length, 20);
    assert.ok(found.every((d) => d.code === 'GC107'));
  });

  it('honours severity settings and suppression pragmas', () => {
    assert.deepEqual(lintSummary(KUBECTL, settings({ rules: { GC107: 'error' } })), ['GC107 error 1:83-1:88']);
    assert.deepEqual(lintSummary(KUBECTL, settings({ rules: { GC107: 'off' } })), []);
    assert.deepEqual(lintSummary(KUBECTL.replace('RUN', '# green-cloud ignore=GC107\nRUN')), []);
    assert.deepEqual(lintSummary(`# green-cloud global ignore=GC107\n${KUBECTL}`), []);
  });

  it('never throws on odd input', () => {
    for (const text of [
      "FROM alpine\nRUN echo 'amd64\n",
      'FROM alpine\nRUN <<EOF\namd64\n',
      'FROM alpine\nCOPY --from= amd64 /x\n',
      'FROM alpine\nENV\n',
      'FROM alpine\nRUN ["amd64"\n',
      'RUN echo amd64\n',
    ]) {
      assert.doesNotThrow(() => lintStrict(text), JSON.stringify(text));
    }
  });
});
