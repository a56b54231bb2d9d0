import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStepFailure, exitCodeOf, parseStepName, sanitizeLine } from '../../../../core/src/imageBuild/failure';

describe('parseStepName', () => {
  it('reads BuildKit vertex names: stage, N/M (padded), instruction and arguments', () => {
    assert.deepEqual(parseStepName('[3/4] RUN ./configure'), {
      stage: undefined,
      index: 3,
      total: 4,
      instruction: 'RUN',
      args: './configure',
    });
    assert.deepEqual(parseStepName('[builder  2/12] RUN go build -o /out ./...'), {
      stage: 'builder',
      index: 2,
      total: 12,
      instruction: 'RUN',
      args: 'go build -o /out ./...',
    });
    assert.deepEqual(parseStepName('[ 2/12] COPY . .'), { stage: undefined, index: 2, total: 12, instruction: 'COPY', args: '. .' });
    assert.deepEqual(parseStepName('[linux/arm64 build 3/4] RUN make'), {
      stage: 'build',
      index: 3,
      total: 4,
      instruction: 'RUN',
      args: 'make',
    });
    assert.deepEqual(parseStepName('[linux/amd64->arm64 3/4] RUN make'), {
      stage: undefined,
      index: 3,
      total: 4,
      instruction: 'RUN',
      args: 'make',
    });
  });
  it("reads the classic builder's step lines", () => {
    assert.deepEqual(parseStepName('Step 2/3 : RUN make all'), { index: 2, total: 3, instruction: 'RUN', args: 'make all' });
  });
  it('ignores names that are not steps', () => {
    assert.equal(parseStepName('[internal] load build definition from Dockerfile'), undefined);
    assert.equal(parseStepName('exporting to image'), undefined);
    assert.equal(parseStepName(''), undefined);
  });
});

describe('exitCodeOf', () => {
  it('finds the exit code in the messages of BuildKit old and new, and of the classic builder', () => {
    assert.equal(exitCodeOf('executor failed running [/bin/sh -c ./configure]: exit code: 1'), 1);
    assert.equal(exitCodeOf('process "/bin/sh -c make" did not complete successfully: exit code: 2'), 2);
    assert.equal(exitCodeOf("The command '/bin/sh -c make' returned a non-zero code: 127"), 127);
    assert.equal(exitCodeOf('failed to compute cache key: "/x" not found'), undefined);
  });
});

describe('describeStepFailure', () => {
  it('says which step failed and why, in one line', () => {
    const f = describeStepFailure('[builder 3/4] RUN ./configure', 'executor failed running [/bin/sh -c ./configure]: exit code: 1');
    assert.deepEqual(f, {
      step: 'RUN ./configure',
      stage: 'builder',
      index: 3,
      instruction: 'RUN',
      exitCode: 1,
      error: 'executor failed running [/bin/sh -c ./configure]: exit code: 1',
      reason: 'RUN ./configure failed (exit code 1)',
    });
  });
  it("gives the engine's reason without its wrappers when there is no exit code", () => {
    const f = describeStepFailure('[2/3] COPY missing.txt /', 'failed to compute cache key: "/missing.txt" not found: not found');
    assert.equal(f.reason, 'COPY missing.txt / failed ("/missing.txt" not found: not found)');
  });
  it('without a step, the reason is the error', () => {
    const f = describeStepFailure(undefined, 'Cannot reach Docker at unix:///x (ENOENT: no such socket).');
    assert.equal(f.step, undefined);
    assert.equal(f.reason, 'Cannot reach Docker at unix:///x (ENOENT: no such socket).');
  });
  it('bounds and cleans what the engine sent', () => {
    const f = describeStepFailure(`[2/2] RUN ${'a'.repeat(500)}\u001b[31m`, `exit code: 1\u0007\n${'b'.repeat(5000)}`);
    assert.ok(f.reason.length <= 160, f.reason);
    assert.match(f.reason, /^RUN a+… failed \(exit code 1\)$/);
    assert.ok(f.error.length <= 2000);
    assert.ok(!/[\u0000-\u001f]/.test(`${f.reason}${f.error}${f.step}`));
    assert.equal(sanitizeLine('a\u001b[1;31mred\u001b[0m\r\n\tb'), 'ared b');
  });
});
