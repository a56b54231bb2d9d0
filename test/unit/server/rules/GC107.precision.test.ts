/**
 * GC107 precision: tokens that select nothing the image runs (negatives), and the false
 * negatives the precision review found (positives). Each pattern is written here in our own words.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary } from '../../../support/lint';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('GC107 precision: tokens that select nothing the image runs', () => {
  it('ignores a package index read for a version string, not a package index used to install', () => {
    const apk = lines(
      'FROM alpine:3.20',
      'RUN NGINX_VERSION=$(curl -fsSL https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz | tar -xzO APKINDEX | awk "/^P:nginx$/{getline; print}") \\',
      ' && apk add --no-cache "nginx=${NGINX_VERSION#V:}"',
    );
    assert.deepEqual(lintSummary(apk), []);
    const deb = lines(
      'FROM ubuntu:24.04',
      'RUN curl -fsSL https://repo.example.org/ubuntu/dists/noble/main/binary-amd64/Packages | grep -m1 -A7 "Package: media-server" | sed -n "s/^Version: //p" > /version',
    );
    assert.deepEqual(lintSummary(deb), []);
    // The same index path, but downloading the package itself from the amd64 pool: reported.
    const pkg = lines('FROM ubuntu:24.04', 'RUN curl -fsSLO https://repo.example.org/pool/main/m/media-server/media-server_1.0_amd64.deb');
    assert.deepEqual(lintSummary(pkg), ['GC107 warning 1:83-1:88']);
  });

  it('ignores a list of cross-compilation targets and platforms of other operating systems', () => {
    const env = lines('FROM golang:1.22', 'ENV CROSS_TARGETS="linux/amd64 linux/arm/v7 windows/amd64 darwin/amd64 freebsd/amd64"');
    assert.deepEqual(lintSummary(env), []);
    const os = lines(
      'FROM debian:bookworm',
      'RUN curl -fsSLO https://example.com/cli/releases/v2/cli-darwin-amd64.zip -o /srv/downloads/cli-mac.zip',
    );
    assert.deepEqual(lintSummary(os), []);
    // One Linux platform alone is still a pin.
    assert.deepEqual(lintSummary(lines('FROM debian:bookworm', 'ENV TOOL_PLATFORM=linux/amd64')), ['GC107 warning 1:24-1:29']);
  });

  it('ignores the foreign architecture of an apt cross-compiling set-up, in every step of the stage', () => {
    const text = lines(
      'FROM debian:bookworm',
      'RUN dpkg --add-architecture arm64 \\',
      ' && echo "deb [arch=arm64] http://deb.example.org/debian bookworm main" > /etc/apt/sources.list.d/cross.list \\',
      ' && apt-get update && apt-get install -y libc6:arm64 libssl-dev:arm64 gcc-aarch64-linux-gnu',
      'ENV PKG_CONFIG_PATH=/usr/lib/aarch64-linux-gnu/pkgconfig',
    );
    assert.deepEqual(lintSummary(text), []);
    // `[arch=amd64]` without any foreign set-up pins the repository to amd64: apt ignores it on arm64.
    const pinned = lines(
      'FROM debian:bookworm',
      'RUN echo "deb [arch=amd64] https://download.example.com/debian bookworm stable" > /etc/apt/sources.list.d/x.list',
    );
    assert.deepEqual(lintSummary(pinned), ['GC107 warning 1:20-1:25']);
  });

  it('ignores echo and printf messages, not what they write to a file or a pipe', () => {
    assert.deepEqual(lintSummary(lines('FROM alpine', 'RUN echo "Note: this image also runs on amd64 hosts" && apk add curl')), []);
    assert.deepEqual(lintSummary(lines('FROM alpine', 'RUN printf "building on x86_64\\n" >&2; apk add curl')), []);
    assert.deepEqual(lintSummary(lines('FROM alpine', 'RUN echo x86_64 > /etc/apk/arch')), ['GC107 warning 1:9-1:15']);
    assert.deepEqual(lintSummary(lines('FROM alpine', 'RUN echo amd64 | tee /etc/arch')), ['GC107 warning 1:9-1:14']);
    assert.deepEqual(lintSummary(lines('FROM alpine', 'RUN V=$(echo amd64) && wget https://example.com/tool-$V')), [
      'GC107 warning 1:13-1:18',
    ]);
  });

  it('in a per-arch file, reports only what that platform cannot run', () => {
    const arm = '# platforms=linux/arm/v7\nFROM alpine:3.20\n';
    // Alpine's armhf is ARMv6, which an ARMv7 CPU runs.
    assert.deepEqual(lintSummary(`${arm}ADD https://example.com/s6-overlay-armhf.tar.xz /tmp\n`), []);
    assert.deepEqual(lintSummary(`${arm}ADD https://example.com/s6-overlay-aarch64.tar.xz /tmp\n`), ['GC107 warning 2:35-2:42']);
    // Outside a download, another architecture in a per-arch file is a cross-compilation target.
    assert.deepEqual(lintSummary('# platforms=linux/amd64\nFROM golang:1.22\nRUN GOARCH=arm64 go build -o /dist/app-arm64 .\n'), []);
    const v6 = '# platforms=linux/arm/v6\nFROM debian:bookworm\n';
    assert.deepEqual(lintSummary(`${v6}RUN wget https://example.com/tool-armv7.tar.gz\n`), ['GC107 warning 2:34-2:39']);
  });

  it('does not repeat the pin of a base pinned by name, but reports another architecture there', () => {
    const same = lines(
      'FROM hypriot/rpi-alpine:3.6',
      'RUN wget https://example.com/node-v8-linux-armv6l.tar.xz && tar -xf node-v8-linux-armv6l.tar.xz',
    );
    assert.deepEqual(lintSummary(same), ['GC103 warning 0:5-0:23']);
    const other = lines('FROM arm32v7/debian:bookworm', 'RUN wget https://example.com/tool_amd64.deb');
    assert.deepEqual(lintSummary(other), ['GC101 warning 0:5-0:19', 'GC107 warning 1:34-1:39']);
  });

  it('does not look at Windows stages, stages never reached, or COPY-only data stages', () => {
    const windows = lines(
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      'RUN powershell -Command Invoke-WebRequest https://example.com/jdk/OpenJDK21-jdk_x64_windows.zip -OutFile jdk.zip',
      'ENV JAVA_HOME=C:\\\\openjdk-21-x64',
    );
    assert.deepEqual(lintSummary(windows), []);
    const unreached = lines('FROM debian AS old', 'RUN wget https://example.com/tool-linux-amd64', 'FROM debian', 'RUN echo ok');
    assert.deepEqual(lintSummary(unreached), []);
    const qemu = lines(
      'FROM multiarch/qemu-user-static:x86_64-aarch64 AS qemu',
      'FROM --platform=linux/arm64 debian:bookworm AS arm64-rootfs',
      'COPY --from=qemu /usr/bin/qemu-aarch64-static /usr/bin/',
    );
    assert.deepEqual(lintSummary(`# platforms=linux/arm64\n${qemu}`), []);
  });

  it('still reports a COPY-only stage that supplies binaries to the image', () => {
    const text = lines('FROM amd64/busybox:1.36 AS tools', 'FROM debian:bookworm', 'COPY --from=tools /bin/busybox /usr/local/bin/busybox');
    assert.deepEqual(lintSummary(text), ['GC101 warning 0:5-0:18']);
  });
});

describe('GC107 architecture in an ARG default that reaches a download', () => {
  it('reports the token in the default, once, with a ${TARGETARCH} fix that declares the ARG', () => {
    const text = lines(
      'FROM debian:bookworm-slim',
      'ARG ARCH=arm64',
      'RUN wget -q https://example.com/releases/v1/tool-linux-${ARCH}.tar.gz \\',
      ' && wget -q https://example.com/releases/v1/tool-linux-${ARCH}.tar.gz.sha256',
      'RUN curl -fsSLO https://example.com/plugin-${ARCH}.zip',
    );
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC107');
    assert.deepEqual(d.range, { start: { line: 1, character: 9 }, end: { line: 1, character: 14 } });
    assert.equal(
      d.message,
      "'arm64' in the default of ARG ARCH hard-codes linux/arm64, and the value reaches the download in line 3: the linux/amd64 and linux/arm/v7 images get the arm64 file too. " +
        "Default it to ${TARGETARCH} (after 'ARG TARGETARCH' in a stage) or dispatch on $(uname -m) in the step.",
    );
    const fixed = applyFix(text, d);
    assert.equal(fixed, text.replace('ARG ARCH=arm64', 'ARG TARGETARCH\nARG ARCH=${TARGETARCH}'));
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('reports a global default redeclared in the stage (a Go version string)', () => {
    const text = lines(
      'ARG GO_VERSION=go1.22.4.linux-amd64',
      'FROM debian:bookworm',
      'ARG GO_VERSION',
      'RUN curl -fsSL https://dl.example.com/go/${GO_VERSION}.tar.gz | tar -C /usr/local -xz',
    );
    const [d] = lintStrict(text);
    assert.equal(lintStrict(text).length, 1);
    assert.deepEqual(d.range, { start: { line: 0, character: 30 }, end: { line: 0, character: 35 } });
    const fixed = applyFix(text, d);
    assert.equal(fixed, text.replace('linux-amd64', 'linux-${TARGETARCH}'));
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('does not report defaults that never reach a download, that the step overrides, or that vary per platform', () => {
    for (const text of [
      lines('FROM debian', 'ARG ARCH=amd64', 'RUN echo "$ARCH" > /etc/build-arch-note'),
      lines('FROM debian', 'ARG ARCH=amd64', 'RUN ARCH=$(dpkg --print-architecture) && wget https://example.com/tool-${ARCH}'),
      lines(
        'FROM debian',
        'ARG ARCH=amd64',
        'RUN case "$(uname -m)" in aarch64) A=arm64;; *) A=$ARCH;; esac; wget https://example.com/t-$A',
      ),
      lines('FROM debian', 'ARG TARGETARCH=amd64', 'RUN wget https://example.com/tool-${TARGETARCH}'),
      lines('FROM debian', 'ARG ARCH', 'RUN wget https://example.com/tool-${ARCH}'),
      lines('ARG ARCH=amd64', 'FROM debian', 'RUN wget https://example.com/tool-${ARCH}'),
      lines(
        'FROM --platform=$BUILDPLATFORM golang AS build',
        'ARG GOARCH=amd64',
        'RUN wget https://example.com/sdk-${GOARCH}.tgz',
        'FROM alpine',
        'COPY --from=build /out /out',
      ),
      lines('FROM debian', 'ARG TOOLS="amd64 arm64"', 'RUN for a in $TOOLS; do wget https://example.com/tool-$a; done'),
      lines('# platforms=linux/arm64', 'FROM debian', 'ARG ARCH=arm64', 'RUN wget https://example.com/tool-${ARCH}'),
      lines('FROM debian', 'ARG QEMU_ARCH=aarch64', 'ADD https://example.com/releases/qemu-${QEMU_ARCH}-static /usr/bin/'),
      lines('FROM debian', 'ARG ARCH=aarch64', 'RUN wget https://example.com/gcc-${ARCH}-linux-gnu.tar.xz'),
      lines('FROM debian', 'ARG ARCH=amd64', 'RUN curl -fsSLO https://example.com/cli-darwin-${ARCH}.zip'),
    ]) {
      assert.deepEqual(lintSummary(text), [], text);
    }
  });

  it('does not trust a shell variable the step sets to a constant', () => {
    assert.deepEqual(lintSummary(lines('FROM debian', 'RUN ARCH=amd64 && curl -fsSLo /t https://example.com/tool-${ARCH}')), [
      'GC107 warning 1:9-1:14',
    ]);
    assert.deepEqual(
      lintSummary(lines('FROM debian', 'RUN ARCH=$(dpkg --print-architecture) && curl -fsSLo /t https://example.com/tool-${ARCH}')),
      [],
    );
    assert.deepEqual(
      lintSummary(lines('FROM debian', 'RUN ARCH="$MACHINE_ARCH" && curl -fsSLo /t https://example.com/tool-amd64-${ARCH}')),
      [],
    );
  });

  it('no longer trusts an $…ARCH… variable whose value is a constant', () => {
    const text = lines(
      'FROM alpine',
      'ARG NODE_ARCH=x64',
      'ADD https://nodejs.example.org/dist/v20.12.0/node-v20.12.0-linux-${NODE_ARCH}.tar.xz /tmp/',
    );
    const found = lintStrict(text);
    assert.deepEqual(
      found.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`),
      ['GC107 1:14'],
    );
    assert.equal(found[0].data.fixes.filter((f) => !f.title.startsWith('Ignore')).length, 0);
  });

  // Their speed is measured by `npm run bench` (scripts/bench/lint.mjs), not here.
  it('judges a long stage of downloads through ARGs and a deep chain of stages', () => {
    const lines = ['FROM debian', 'ARG ARCH=amd64', 'ARG OTHER'];
    for (let i = 0; i < 10_000; i++) lines.push(`RUN curl -fsSL https://example.com/${i}/tool-\${ARCH}-\${OTHER} -o /f${i}`);
    assert.equal(lintStrict(lines.join('\n')).length, 1);
    const chain = ['FROM alpine AS s0', 'ARG TARGETARCH'];
    for (let i = 1; i < 3000; i++) chain.push(`FROM s${i - 1} AS s${i}`, `RUN echo $TARGETARCH`);
    assert.equal(lintStrict(chain.join('\n')).length, 0);
  });
});
