import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BuildOutputReader,
  buildTiming,
  commandLabel,
  emulationVerdict,
  hostPlatformStages,
  isEmulated,
  timingLine,
} from '../../../../core/src/imageBuild';
import { parsePlatform } from '../../../../core/src/platforms';

// A minimal protobuf writer (the decoder under test is separate code).
function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const bytes = (no: number, value: Uint8Array | string): number[] => {
  const b = typeof value === 'string' ? Buffer.from(value) : value;
  return [...varint((no << 3) | 2), ...varint(b.length), ...b];
};
const num = (no: number, value: number): number[] => [...varint(no << 3), ...varint(value)];
const msg = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());
const T0 = 1_700_000_000;
const at = (s: number): Uint8Array => msg(num(1, T0 + Math.floor(s)), num(2, Math.round((s % 1) * 1e9)));
const vertex = (digest: string, name: string, start?: number, end?: number, cached = false): number[] =>
  bytes(
    1,
    msg(
      bytes(1, digest),
      bytes(3, name),
      ...(cached ? [num(4, 1)] : []),
      ...(start !== undefined ? [bytes(5, at(start))] : []),
      ...(end !== undefined ? [bytes(6, at(end))] : []),
    ),
  );

function readerOf(...vertexes: number[][]): BuildOutputReader {
  const reader = new BuildOutputReader(() => undefined);
  for (const v of vertexes) reader.push({ id: 'moby.buildkit.trace', aux: Buffer.from(msg(v)).toString('base64') });
  return reader;
}

const ARM64 = parsePlatform('linux/arm64');
const AMD64 = parsePlatform('linux/amd64');

describe('build timing from BuildKit vertex times', () => {
  it('sums RUN steps (merging overlaps), measures the whole build and names the slowest RUN', () => {
    const reader = readerOf(
      vertex('i', '[internal] load build definition from Dockerfile', 0, 0.5),
      vertex('f', '[build 1/4] FROM 127.0.0.1:5000/base/golang:1.19', 0.5, 2.8),
      vertex('c', '[build 2/4] COPY . /src', 2.8, 2.8, true),
      vertex('r1', '[build 3/4] RUN --mount=type=cache,target=/root/.cache go mod download', 2.8, 4.0),
      vertex('r1', '[build 3/4] RUN --mount=type=cache,target=/root/.cache go mod download', 2.8, 4.0),
      vertex('r2', '[build 4/4] RUN CGO_ENABLED=0 go build -o /out/hello .', 4.0, 44.0),
      vertex('r3', '[stage-1 2/2] RUN apk add ca-certificates', 40.0, 43.0),
      vertex('e', 'exporting to image', 44.0, 44.0),
    );
    const t = buildTiming(reader.vertexTimes(), ARM64, 'x86_64');
    assert.ok(t);
    assert.equal(t.totalMs, 44_000);
    assert.equal(t.runMs, 41_200);
    assert.equal(t.emulated, true);
    assert.equal(t.engineArch, 'amd64');
    assert.deepEqual(t.slowestRun, { step: '4', command: 'go build', ms: 40_000 });
    assert.equal(timingLine(ARM64, t), 'linux/arm64 emulated (engine amd64): 41.2 s of 44.0 s in RUN steps');
    assert.equal(
      emulationVerdict([
        { platform: AMD64, timing: { ...t, emulated: false } },
        { platform: ARM64, timing: t },
      ]),
      'linux/arm64: 41.2 s of 44.0 s in RUN steps under QEMU (step 4: go build). Emulated steps dominate this build: compile on the build platform and cross-compile instead (see GC110, docs/rules/GC110.md).',
    );
  });

  it('says nothing when RUN steps do not dominate, are short, run natively, or emulation is unknown', () => {
    const base = { runMs: 30_000, totalMs: 40_000, slowestRun: { step: '2', command: 'make', ms: 30_000 } };
    assert.equal(emulationVerdict([{ platform: ARM64, timing: { ...base, emulated: false } }]), undefined);
    assert.equal(emulationVerdict([{ platform: ARM64, timing: { ...base } }]), undefined);
    assert.equal(emulationVerdict([{ platform: ARM64, timing: { ...base, emulated: true, runMs: 15_000 } }]), undefined);
    assert.equal(emulationVerdict([{ platform: ARM64, timing: { ...base, emulated: true, runMs: 5_000, totalMs: 6_000 } }]), undefined);
    assert.match(
      emulationVerdict([{ platform: ARM64, timing: { ...base, emulated: true } }]) ?? '',
      /^linux\/arm64: 30\.0 s of 40\.0 s in RUN steps under QEMU \(step 2: make\)/,
    );
    assert.equal(timingLine(AMD64, { ...base, emulated: false, engineArch: 'amd64' }), 'linux/amd64 native: 30.0 s of 40.0 s in RUN steps');
  });

  it('RUN steps of $BUILDPLATFORM stages are not counted as emulated (after the GC110 fix)', () => {
    const dockerfile = [
      'ARG GO_BASE=golang:1.19',
      'FROM --platform=$BUILDPLATFORM ${GO_BASE} AS build',
      'RUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /out/hello .',
      'FROM build AS test',
      'FROM \\',
      '  busybox',
      'RUN echo hi',
    ].join('\n');
    const hosts = hostPlatformStages(dockerfile);
    assert.deepEqual([...hosts].sort(), ['build', 'stage-0', 'stage-1', 'test']);
    const reader = readerOf(
      vertex('r1', '[build 3/3] RUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /out/hello .', 1, 21),
      vertex('r2', '[stage-2 2/2] RUN echo hi', 21, 23),
    );
    const t = buildTiming(reader.vertexTimes(), ARM64, 'amd64', hosts);
    assert.ok(t);
    assert.equal(t.runMs, 22_000);
    assert.equal(t.emulatedRunMs, 2_000);
    assert.deepEqual(t.slowestRun, { step: '2', command: 'echo hi', ms: 2_000 });
    assert.equal(timingLine(ARM64, t), 'linux/arm64 emulated (engine amd64): 22.0 s of 22.0 s in RUN steps, 2.0 s of them under QEMU');
    assert.equal(emulationVerdict([{ platform: ARM64, timing: t }]), undefined);
  });

  it('ignores cached and unfinished vertices; no times, no timing', () => {
    assert.equal(
      buildTiming(readerOf(vertex('a', '[1/2] RUN x', 1, 2, true), vertex('b', '[2/2] RUN y', 3)).vertexTimes(), ARM64, 'amd64'),
      undefined,
    );
  });

  it('knows which platforms an engine runs natively', () => {
    assert.equal(isEmulated(AMD64, 'x86_64'), false);
    assert.equal(isEmulated(parsePlatform('linux/386'), 'amd64'), false);
    assert.equal(isEmulated(parsePlatform('linux/arm/v7'), 'amd64'), true);
    assert.equal(isEmulated(ARM64, 'aarch64'), false);
    assert.equal(isEmulated(AMD64, 'arm64'), true);
    assert.equal(isEmulated(AMD64, undefined), undefined);
  });

  it('labels commands briefly and safely', () => {
    assert.equal(commandLabel('--mount=type=cache,target=/x cargo build --release'), 'cargo build');
    assert.equal(commandLabel('cd /src && ./configure && make -j4'), 'make');
    assert.equal(commandLabel('echo \u001b[31mred\u0007 && sleep 1'), 'echo [31mred && sleep 1');
    assert.equal(commandLabel('x'.repeat(100)), `${'x'.repeat(39)}…`);
  });
});
