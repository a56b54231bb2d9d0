import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildOutputReader, decodeTrace } from '../../../../core/src/imageBuild';

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
