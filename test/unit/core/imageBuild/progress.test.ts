import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BuildOutputReader, decodeTrace, describeStepFailure, secretBuildArgs } from '../../../../core/src/imageBuild';
import type { BuildStreamMessage } from '../../../../core/src/imageBuild/progress';

// A minimal protobuf writer for the test's messages (the reader under test is separate code).
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
const bytes = (no: number, value: Uint8Array | string): number[] => {
  const b = typeof value === 'string' ? Buffer.from(value) : value;
  return [...varint((no << 3) | 2), ...varint(b.length), ...b];
};
const num = (no: number, value: number): number[] => [...varint(no << 3), ...varint(value)];
const msg = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

const TS = msg(num(1, 1700000000));
const vertex = (digest: string, name: string, extra: number[][] = []) => bytes(1, msg(bytes(1, digest), bytes(3, name), ...extra));
const logEntry = (digest: string, text: string) => bytes(3, msg(bytes(1, digest), bytes(2, TS), num(3, 1), bytes(4, text)));

describe('decodeTrace (moby.buildkit.v1.StatusResponse)', () => {
  it('reads vertexes, logs and statuses', () => {
    const trace = decodeTrace(
      msg(
        vertex('sha256:a', '[2/2] RUN uname -m', [bytes(5, TS), bytes(6, TS)]),
        vertex('sha256:b', '[1/2] FROM base', [num(4, 1)]),
        bytes(2, msg(bytes(1, 'extracting'), bytes(2, 'sha256:b'), num(4, 10), num(5, 20))),
        logEntry('sha256:a', 'aarch64\n'),
        bytes(4, msg(bytes(1, 'sha256:a'), bytes(3, 'deprecated'))),
      ),
    );
    assert.deepEqual(trace.vertexes, [
      {
        digest: 'sha256:a',
        name: '[2/2] RUN uname -m',
        cached: false,
        started: true,
        completed: true,
        startedAt: 1700000000000,
        completedAt: 1700000000000,
      },
      { digest: 'sha256:b', name: '[1/2] FROM base', cached: true, started: false, completed: false },
    ]);
    assert.deepEqual(trace.logs, [{ vertex: 'sha256:a', stream: 1, msg: 'aarch64\n' }]);
    assert.deepEqual(trace.statuses, [{ vertex: 'sha256:b', id: 'extracting', name: '', current: 10, total: 20, completed: false }]);
    assert.deepEqual(trace.warnings, [{ vertex: 'sha256:a', short: 'deprecated' }]);
  });
  it('reads the vertex start and completion Timestamps (seconds + nanos) as ms since the epoch', () => {
    const at = (seconds: number, nanos: number): Uint8Array => msg(num(1, seconds), num(2, nanos));
    const [v] = decodeTrace(
      msg(vertex('d', '[3/4] RUN go build', [bytes(5, at(1700000000, 250_000_000)), bytes(6, at(1700000041, 450_000_000))])),
    ).vertexes;
    assert.equal(v.startedAt, 1700000000250);
    assert.equal(v.completedAt, 1700000041450);
  });
  it('throws on truncated input instead of looping', () => {
    assert.throws(() => decodeTrace(Uint8Array.from([0x0a, 0x10, 0x01])), /truncated/);
  });
});

describe('BuildOutputReader', () => {
  it("says the failing step's error once, at error level, and names the step (not a cancelled sibling)", () => {
    const lines: [string, string | undefined][] = [];
    const reader = new BuildOutputReader((l, level) => lines.push([l, level]));
    const aux = (m: Uint8Array) => ({ id: 'moby.buildkit.trace', aux: Buffer.from(m).toString('base64') });
    const failure = 'executor failed running [/bin/sh -c ./configure]: exit code: 1';
    reader.push(aux(msg(vertex('c', '[builder 3/4] RUN ./configure', [bytes(5, TS)]))));
    reader.push(aux(msg(vertex('s', '[other 2/2] RUN sleep 5', [bytes(5, TS)]))));
    reader.push(aux(msg(vertex('s', '[other 2/2] RUN sleep 5', [bytes(5, TS), bytes(6, TS), bytes(7, 'context canceled')]))));
    reader.push(aux(msg(vertex('c', '[builder 3/4] RUN ./configure', [bytes(5, TS), bytes(6, TS), bytes(7, failure)]))));
    reader.push({ errorDetail: { message: failure }, error: failure });
    reader.end();
    assert.equal(lines.filter(([l]) => l.includes('executor failed running')).length, 1);
    assert.deepEqual(
      lines.find(([l]) => l.includes('executor failed running')),
      [`#1 ERROR: ${failure}`, 'error'],
    );
    assert.equal(reader.failedStep, '[builder 3/4] RUN ./configure');
    assert.equal(reader.error, failure);
  });

  it("keeps an engine error that no step reported, and names the classic builder's failing step", () => {
    const lines: [string, string | undefined][] = [];
    const reader = new BuildOutputReader((l, level) => lines.push([l, level]));
    reader.push({ stream: 'Step 1/2 : FROM base\n ---> 1234\nStep 2/2 : RUN ./configure\n ---> Running in 5678\n' });
    reader.push({ errorDetail: { message: "The command '/bin/sh -c ./configure' returned a non-zero code: 1" }, error: 'x' });
    assert.deepEqual(lines.at(-1), ["ERROR: The command '/bin/sh -c ./configure' returned a non-zero code: 1", 'error']);
    assert.equal(reader.failedStep, 'Step 2/2 : RUN ./configure');
  });

  it('turns BuildKit traces into numbered step lines, output and errors', () => {
    const lines: string[] = [];
    const reader = new BuildOutputReader((l) => lines.push(l));
    const aux = (m: Uint8Array) => ({ id: 'moby.buildkit.trace', aux: Buffer.from(m).toString('base64') });
    reader.push(aux(msg(vertex('d1', '[internal] load build definition', [bytes(5, TS)]))));
    reader.push(aux(msg(vertex('d2', '[2/2] RUN make', [bytes(5, TS)]))));
    reader.push(aux(msg(logEntry('d2', 'compiling'))));
    reader.push(aux(msg(logEntry('d2', ' part two\nlast line'))));
    reader.push(aux(msg(vertex('d2', '[2/2] RUN make', [bytes(5, TS), bytes(6, TS), bytes(7, 'exit code: 2')]))));
    reader.push({ errorDetail: { message: 'executor failed running [/bin/sh -c make]: exit code: 2' }, error: 'x' });
    reader.push({ id: 'moby.image.id', aux: { ID: 'sha256:abc' } });
    reader.end();
    // The engine's closing error repeats the step's: it is said once.
    assert.deepEqual(lines, ['#2 [2/2] RUN make', '#2 compiling part two', '#2 last line', '#2 ERROR: exit code: 2']);
    assert.equal(reader.failedStep, '[2/2] RUN make');
    assert.equal(reader.buildkit, true);
    assert.equal(reader.error, 'executor failed running [/bin/sh -c make]: exit code: 2');
    assert.equal(reader.imageId, 'sha256:abc');
  });
  it('reads the classic builder stream', () => {
    const lines: string[] = [];
    const reader = new BuildOutputReader((l) => lines.push(l));
    reader.push({ stream: 'Step 1/2 : FROM base\n ---> 1234\n' });
    reader.push({ stream: 'Successfully built 0123456789ab\n' });
    assert.deepEqual(lines, ['Step 1/2 : FROM base', ' ---> 1234', 'Successfully built 0123456789ab']);
    assert.equal(reader.imageId, '0123456789ab');
  });
});

/**
 * Streams recorded from a real engine (Docker 20.10, scripts/env/docker.sh) for this Dockerfile,
 * built for linux/arm64 (under QEMU) with `--build-arg API_TOKEN=fixture-secret-token`:
 *
 *   FROM <GC_TEST_BASE>
 *   ARG API_TOKEN
 *   RUN echo step one
 *   RUN echo "checking $(uname -m)" && echo "login with token $API_TOKEN refused" >&2 && test "$(uname -m)" != aarch64 || { printf '\033[31mno arm64 support in this step\033[0m\n' >&2; exit 3; }
 */
function replay(name: 'buildkit' | 'classic'): BuildOutputReader {
  const reader = new BuildOutputReader(() => undefined);
  const text = readFileSync(join(__dirname, 'fixtures', `run-fails-arm64.${name}.jsonl`), 'utf8');
  for (const line of text.split('\n')) if (line.trim() !== '') reader.push(JSON.parse(line) as BuildStreamMessage);
  reader.end();
  return reader;
}
const SECRET = 'fixture-secret-token';

describe("the failing step's last output lines (recorded engine streams)", () => {
  it('BuildKit: the vertex logs of the failing step, not of the step before it; the secret out of them and of the step', () => {
    const reader = replay('buildkit');
    // BuildKit names the step with the build argument expanded: the secret is in the name too.
    assert.match(
      reader.failedStep ?? '',
      /^\[3\/3\] RUN echo "checking \$\(uname -m\)" && echo "login with token fixture-secret-token refused"/,
    );
    const output = reader.failedOutput();
    assert.equal(output.at(-1), '\u001b[31mno arm64 support in this step\u001b[0m');
    assert.ok(!output.includes('step one'), output.join(' | '));
    const failure = describeStepFailure(reader.failedStep, reader.error ?? '', { output, secrets: secretBuildArgs({ API_TOKEN: SECRET }) });
    assert.deepEqual(failure.output, ['checking aarch64', 'login with token *** refused', 'no arm64 support in this step']);
    assert.equal(failure.exitCode, 3);
    assert.equal(failure.index, 3);
    assert.match(failure.step ?? '', /^RUN echo "checking \$\(uname -m\)" && echo "login with token \*\*\* refused" >&2 && test/);
    assert.equal(
      failure.reason,
      'RUN echo "checking $(uname -m)" && echo "login with token *** r… failed (exit code 3): "no arm64 support in this step"',
    );
    assert.ok(!JSON.stringify(failure).includes(SECRET));
  });

  it("the classic builder: the failing Step's output, without the builder's own lines and colours", () => {
    const reader = replay('classic');
    assert.equal(reader.buildkit, false);
    assert.match(reader.failedStep ?? '', /^Step 4\/4 : RUN echo "checking/);
    const failure = describeStepFailure(reader.failedStep, reader.error ?? '', {
      output: reader.failedOutput(),
      secrets: secretBuildArgs({ API_TOKEN: SECRET }),
    });
    assert.deepEqual(failure.output, ['checking aarch64', 'login with token *** refused', 'no arm64 support in this step']);
    assert.match(failure.reason, / failed \(exit code 3\): "no arm64 support in this step"$/);
    assert.ok(!JSON.stringify(failure).includes(SECRET));
  });
});

describe('BuildOutputReader.failedOutput', () => {
  const aux = (m: Uint8Array) => ({ id: 'moby.buildkit.trace', aux: Buffer.from(m).toString('base64') });

  it("keeps the failing vertex's lines (also those that arrive with its error, or without a newline), not a sibling's", () => {
    const reader = new BuildOutputReader(() => undefined);
    reader.push(aux(msg(vertex('a', '[a 2/2] RUN ./one', [bytes(5, TS)]), vertex('b', '[b 2/2] RUN ./two', [bytes(5, TS)]))));
    reader.push(aux(msg(logEntry('a', 'a1\na2\n'), logEntry('b', 'b1\n'))));
    reader.push(aux(msg(vertex('a', '[a 2/2] RUN ./one', [bytes(5, TS), bytes(6, TS)]))));
    reader.push(aux(msg(logEntry('b', 'b2\n\n'))));
    // The error and the step's last output in one StatusResponse (vertexes are read first).
    reader.push(
      aux(msg(vertex('b', '[b 2/2] RUN ./two', [bytes(5, TS), bytes(6, TS), bytes(7, 'exit code: 1')]), logEntry('b', 'b3 no newline'))),
    );
    reader.push({ error: 'executor failed running [/bin/sh -c ./two]: exit code: 1' });
    reader.end();
    assert.equal(reader.failedStep, '[b 2/2] RUN ./two');
    assert.deepEqual(reader.failedOutput(), ['b1', 'b2', 'b3 no newline']);
  });

  it('puts standard error last (the engine reads the two streams apart), and never joins a line cut in two with the other stream', () => {
    const log = (digest: string, stream: number, text: string) =>
      bytes(3, msg(bytes(1, digest), bytes(2, TS), num(3, stream), bytes(4, text)));
    const lines: string[] = [];
    const reader = new BuildOutputReader((l) => lines.push(l));
    reader.push(aux(msg(vertex('s', '[2/2] RUN ./check', [bytes(5, TS)]))));
    reader.push(aux(msg(log('s', 2, 'error: no dri'), log('s', 1, 'checking\n'), log('s', 2, 'ver\n'), log('s', 1, 'done'))));
    reader.push(aux(msg(vertex('s', '[2/2] RUN ./check', [bytes(5, TS), bytes(6, TS), bytes(7, 'exit code: 1')]))));
    reader.end();
    assert.deepEqual(reader.failedOutput(), ['checking', 'done', 'error: no driver']);
    assert.deepEqual(lines.slice(1, 4).sort(), ['#1 checking', '#1 done', '#1 error: no driver']);
  });

  it('is empty when the step printed nothing, or nothing failed', () => {
    const quiet = new BuildOutputReader(() => undefined);
    quiet.push(aux(msg(vertex('q', '[2/2] RUN false', [bytes(5, TS), bytes(6, TS), bytes(7, 'exit code: 1')]))));
    quiet.push({ error: 'executor failed running [/bin/sh -c false]: exit code: 1' });
    assert.deepEqual(quiet.failedOutput(), []);
    const failure = describeStepFailure(quiet.failedStep, quiet.error ?? '', { output: quiet.failedOutput() });
    assert.equal(failure.output, undefined);
    assert.equal(failure.reason, 'RUN false failed (exit code 1)');
    const fine = new BuildOutputReader(() => undefined);
    fine.push(aux(msg(vertex('f', '[2/2] RUN echo hi', [bytes(5, TS)]), logEntry('f', 'hi\n'))));
    fine.push(aux(msg(vertex('f', '[2/2] RUN echo hi', [bytes(5, TS), bytes(6, TS)]))));
    assert.deepEqual(fine.failedOutput(), []);
  });

  it('keeps a bounded number of lines per step, however much it prints', () => {
    const reader = new BuildOutputReader(() => undefined);
    reader.push(aux(msg(vertex('x', '[2/2] RUN yes', [bytes(5, TS)]))));
    for (let i = 0; i < 200; i++) reader.push(aux(msg(logEntry('x', `line ${i} ${'y'.repeat(5000)}\n`))));
    reader.push(aux(msg(vertex('x', '[2/2] RUN yes', [bytes(5, TS), bytes(6, TS), bytes(7, 'exit code: 1')]))));
    const output = reader.failedOutput();
    assert.ok(output.length <= 6, String(output.length));
    assert.ok(output.every((l) => l.length <= 1024));
    assert.match(output.at(-1) ?? '', /^line 199 /);
  });
});
