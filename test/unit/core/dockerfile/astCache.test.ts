import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { memoiseInstructionArguments } from '../../../../core/src/dockerfile/astCache';
import { buildModel } from '../../../../core/src/dockerfile/model';

const TEXT =
  'ARG TARGETARCH\nFROM --platform=$BUILDPLATFORM golang:1.22 AS build\nCOPY --from=build --chmod=755 /a /b\nRUN ["a", "b"]\nRUN echo \\\n  hello # not a comment\n';

const values = (i: Instruction) =>
  i.getArguments().map((a) => `${a.getValue()}@${a.getRange().start.line}:${a.getRange().start.character}`);

describe('memoised dockerfile-ast arguments', () => {
  it('is active once the model module is loaded', () => {
    buildModel('FROM alpine\n');
    assert.equal(memoiseInstructionArguments(), true);
  });

  it('returns equal arguments on every call, each time in a new array', () => {
    const instructions = DockerfileParser.parse(TEXT).getInstructions();
    for (const ins of instructions) {
      const first = ins.getArguments();
      const second = ins.getArguments();
      assert.notEqual(first, second, 'callers must get their own array');
      assert.deepEqual(values(ins), values(ins));
      first.length = 0; // a caller that empties its array must not affect later callers
      assert.deepEqual(
        ins.getArguments().map((a) => a.getValue()),
        second.map((a) => a.getValue()),
      );
    }
  });

  it('keeps flags out of getArguments() on repeated calls (dockerfile-ast shifts them off the array)', () => {
    const [, from, copy] = DockerfileParser.parse(TEXT).getInstructions();
    for (let k = 0; k < 3; k++) {
      assert.deepEqual(
        from.getArguments().map((a) => a.getValue()),
        ['golang:1.22', 'AS', 'build'],
      );
      assert.deepEqual(
        copy.getArguments().map((a) => a.getValue()),
        ['/a', '/b'],
      );
    }
  });

  it('handles continuation lines and JSON arguments', () => {
    const ins = DockerfileParser.parse(TEXT).getInstructions();
    assert.deepEqual(
      ins[3].getArguments().map((a) => a.getValue()),
      ['["a",', '"b"]'],
    );
    assert.deepEqual(
      ins[4].getArguments().map((a) => a.getValue()),
      ['echo', 'hello', '#', 'not', 'a', 'comment'],
    );
  });
});
