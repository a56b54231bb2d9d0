import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlatform } from '../../../../core/src/platforms';
import { describeStepFailure } from '../../../../core/src/imageBuild/failure';
import type { PlatformResult } from '../../../../core/src/imageBuild/types';
import { failureMarks, locateFailure } from '../../../../client/src/imageBuild/failures';

const amd64 = parsePlatform('linux/amd64');
const arm64 = parsePlatform('linux/arm64');
const armv7 = parsePlatform('linux/arm/v7');

function failed(
  platform = arm64,
  step: string,
  error = 'executor failed running [/bin/sh -c x]: exit code: 1',
  output: readonly string[] = [],
): PlatformResult {
  return {
    platform,
    tag: 't',
    engine: { host: 'unix:///s', label: 'local' },
    status: 'failed',
    durationMs: 1,
    logTail: [],
    failure: describeStepFailure(step, error, { output }),
  };
}

const MULTI = [
  '# syntax=docker/dockerfile:1',
  'FROM base AS builder',
  'ENV PREFIX=/opt',
  'RUN ./configure \\',
  '      --prefix=$PREFIX',
  'RUN make',
  'FROM base',
  'COPY --from=builder /opt /opt',
  'RUN make',
  '  RUN ["/bin/sh", "-c", "echo hi"]',
].join('\n');

describe('locateFailure', () => {
  it('finds a step of a named stage, across line continuations and with a variable BuildKit expanded', () => {
    const f = describeStepFailure('[builder 3/4] RUN ./configure       --prefix=/opt', 'exit code: 1');
    assert.deepEqual(locateFailure(MULTI, f), { line: 3, startCharacter: 0, endCharacter: 17 });
  });
  it('tells the same step in two stages apart by the stage name, or by its position', () => {
    assert.equal(locateFailure(MULTI, describeStepFailure('[builder 3/3] RUN make', 'exit code: 2'))?.line, 5);
    assert.equal(locateFailure(MULTI, describeStepFailure('[3/4] RUN make', 'exit code: 2'))?.line, 8);
  });
  it('finds a step of a single named stage that BuildKit 0.8 names without its stage (ENV is no step)', () => {
    const text =
      'FROM base AS builder\nENV P=/opt\nRUN echo one && \\\n  test "$(uname -m)" != aarch64 || { echo "no aarch64 here $P" >&2; exit 3; }\n';
    const step = '[2/2] RUN echo one &&   test "$(uname -m)" != aarch64 || { echo "no aarch64 here /opt" >&2; exit 3; }';
    assert.equal(locateFailure(text, describeStepFailure(step, 'exit code: 3'))?.line, 2);
  });
  it('matches exec form and indented instructions', () => {
    assert.deepEqual(locateFailure(MULTI, describeStepFailure('[4/4] RUN ["/bin/sh" "-c" "echo hi"]', 'exit code: 1')), {
      line: 9,
      startCharacter: 2,
      endCharacter: 34,
    });
  });
  it('picks the occurrence BuildKit counted when the same step is written twice', () => {
    const text = 'FROM base\nRUN flaky\nENV A=1\nRUN true\nRUN flaky\n';
    assert.equal(locateFailure(text, describeStepFailure('[2/4] RUN flaky', 'exit code: 1'))?.line, 1);
    assert.equal(locateFailure(text, describeStepFailure('[4/4] RUN flaky', 'exit code: 1'))?.line, 4);
  });
  it('points at the FROM line the core named (a failed verification)', () => {
    const text = '# pinned\n\nFROM arm64v8/alpine\nRUN true\n';
    assert.deepEqual(locateFailure(text, { error: 'x', reason: 'the image contains aarch64 binaries', instruction: 'FROM', line: 3 }), {
      line: 2,
      startCharacter: 0,
      endCharacter: 19,
    });
  });
  it('finds nothing for a step that is not in the file, or no step at all', () => {
    assert.equal(locateFailure(MULTI, describeStepFailure('[2/2] RUN something else', 'exit code: 1')), undefined);
    assert.equal(locateFailure(MULTI, describeStepFailure(undefined, 'Cannot reach Docker')), undefined);
    assert.equal(locateFailure(MULTI, undefined), undefined);
    assert.equal(locateFailure('\u0000\u0001 junk', describeStepFailure('[2/2] RUN x', 'exit code: 1')), undefined);
  });
});

describe('failureMarks', () => {
  it('one diagnostic per failing line: platforms failing the same way share it', () => {
    const text = 'FROM base\nRUN ./configure\nRUN make\n';
    const marks = failureMarks(text, [
      failed(arm64, '[2/3] RUN ./configure'),
      failed(armv7, '[2/3] RUN ./configure'),
      failed(amd64, '[3/3] RUN make', 'executor failed running [/bin/sh -c make]: exit code: 2'),
      { ...failed(amd64, '[3/3] RUN make'), status: 'succeeded' },
    ]);
    assert.deepEqual(
      marks.map((m) => [m.range.line, m.message]),
      [
        [1, 'fails on linux/arm64, linux/arm/v7: exit code 1'],
        [2, 'fails on linux/amd64: exit code 2'],
      ],
    );
  });
  it("says why with the step's last output line; platforms that printed the same share the mark", () => {
    const text = 'FROM base\nRUN test "$(uname -m)" = x86_64 || { echo "no $(uname -m) support in this step" >&2; exit 3; }\n';
    const step = '[2/2] RUN test "$(uname -m)" = x86_64 || { echo "no $(uname -m) support in this step" >&2; exit 3; }';
    const error = 'executor failed running [/bin/sh -c x]: exit code: 3';
    const marks = failureMarks(text, [
      failed(arm64, step, error, ['no aarch64 support in this step']),
      failed(armv7, step, error, ['\u001b[31mno armv7l support in this step\u001b[0m']),
      { ...failed(parsePlatform('linux/arm/v6'), step, error, ['no armv7l support in this step']) },
    ]);
    assert.deepEqual(
      marks.map((m) => [m.range.line, m.message]),
      [
        [1, 'fails on linux/arm64: exit code 3 — no aarch64 support in this step'],
        [1, 'fails on linux/arm/v7, linux/arm/v6: exit code 3 — no armv7l support in this step'],
      ],
    );
    // Without an exit code the reason (which quotes the line) is the why.
    const copy = failureMarks('FROM base\nCOPY a /\n', [
      failed(arm64, '[2/2] COPY a /', 'failed to compute cache key: "/a" not found', ['x']),
    ]);
    assert.deepEqual(
      copy.map((m) => m.message),
      ['fails on linux/arm64: COPY a / failed ("/a" not found): "x"'],
    );
  });
});
