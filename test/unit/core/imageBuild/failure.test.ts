import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeStepFailure,
  exitCodeOf,
  outputTail,
  parseStepName,
  sanitizeLine,
  secretBuildArgs,
} from '../../../../core/src/imageBuild/failure';

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

describe("the failing step's output in the failure", () => {
  const error = 'executor failed running [/bin/sh -c x]: exit code: 3';
  it('quotes the last output line in the reason and keeps the last three', () => {
    const f = describeStepFailure(
      '[2/3] RUN test "$(uname -m)" != aarch64 || { echo "no arm64 support in this step" >&2; exit 3; }',
      error,
      {
        output: ['one', '', 'two', '   ', 'three', 'no arm64 support in this step', ''],
      },
    );
    assert.deepEqual(f.output, ['two', 'three', 'no arm64 support in this step']);
    assert.equal(
      f.reason,
      'RUN test "$(uname -m)" != aarch64 || { echo "no arm64 support i… failed (exit code 3): "no arm64 support in this step"',
    );
  });
  it('without output, the reason and the fields are as before', () => {
    const f = describeStepFailure('[2/3] RUN false', error, { output: ['', ' \u001b[0m '] });
    assert.equal(f.reason, 'RUN false failed (exit code 3)');
    assert.ok(!('output' in f));
  });
  it('bounds each line, and the quote in the reason', () => {
    const f = describeStepFailure('[2/3] RUN x', error, { output: [`${'a'.repeat(300)}`, 'b'.repeat(100_000)] });
    assert.deepEqual(
      f.output?.map((l) => l.length),
      [200, 200],
    );
    assert.ok(f.output?.every((l) => l.endsWith('…')));
    assert.match(f.reason, /^RUN x failed \(exit code 3\): "b{119}…"$/);
  });
  it('strips colours, terminal titles, carriage returns, bidirectional overrides and other control characters', () => {
    assert.deepEqual(outputTail(['\u001b]0;title\u0007\u001b[1;31mred\u001b[0m\r\tdone\u202e!\u0000']), ['red done !']);
  });
  it('hides the values of secret-looking build arguments, Bearer/Basic credentials and URL passwords', () => {
    const secrets = secretBuildArgs({
      API_TOKEN: 'tok-123456',
      NPM_AUTH: 'npm-abcdef',
      DB_PASSWORD: 'pw-secret',
      VERSION: '1.2.3',
      KEYBOARD: 'us',
    });
    assert.deepEqual(secrets, ['tok-123456', 'npm-abcdef', 'pw-secret']);
    const f = describeStepFailure('[2/2] RUN curl -H "Authorization: Bearer tok-123456" https://u:pw-secret@example.test/1.2.3', error, {
      output: [
        'using tok-123456 and npm-abc\u001b[0mdef',
        'Authorization: Basic dXNlcjpwYXNz',
        'GET https://user:hunter22@registry.test/v2/ version 1.2.3 failed',
      ],
      secrets,
    });
    assert.deepEqual(f.output, [
      'using *** and ***',
      'Authorization: Basic ***',
      'GET https://user:***@registry.test/v2/ version 1.2.3 failed',
    ]);
    assert.equal(f.step, 'RUN curl -H "Authorization: Bearer ***" https://u:***@example.test/1.2.3');
    for (const secret of ['tok-123456', 'npm-abcdef', 'pw-secret', 'hunter22', 'dXNlcjpwYXNz'])
      assert.ok(!JSON.stringify(f).includes(secret), secret);
  });
});
