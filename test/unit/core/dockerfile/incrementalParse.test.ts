/**
 * The typing-path parser (core/src/dockerfile/incrementalParse.ts) reuses instructions of earlier
 * parses. Property: for random Dockerfiles and random edit sequences (typing, deleting, new
 * lines, continuations, comments inside continuations, heredocs, escape directives, CRLF), after
 * every edit
 * - the parse equals dockerfile-ast's own `DockerfileParser.parse` of the same text (directives,
 *   comments, every instruction's ranges, arguments, flags, properties, variables, heredocs,
 *   JSON strings, stages), and
 * - `lint()` gives exactly the diagnostics (fixes included) of a lint without reuse.
 * fast-check runs with a fixed seed so a failure reproduces; the counterexample is printed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DockerfileParser, type Dockerfile, type Instruction } from 'dockerfile-ast';
import { lastParse, parseDockerfile, setInstructionReuse } from '../../../../core/src/dockerfile/incrementalParse';
import { lint } from '../../../../server/src/linter';
import { sanitizeSettings } from '../../../../core/src/settings';

const SEED = Number(process.env.GREEN_CLOUD_FUZZ_SEED ?? 20261130);
const SETTINGS = sanitizeSettings({ platforms: ['linux/amd64', 'linux/arm64'] });

type Any = Record<string, unknown>;
const call = (o: unknown, name: string): unknown => {
  const f = (o as Any)[name];
  return typeof f === 'function' ? (f as () => unknown).call(o) : undefined;
};
const range = (o: unknown): unknown => {
  const r = call(o, 'getRange');
  return r ?? null;
};

function safely(f: () => unknown): unknown {
  try {
    return f();
  } catch (error) {
    return `throws ${error instanceof Error ? error.name : typeof error}`;
  }
}

function dumpInstruction(ins: Instruction): unknown {
  const args = ins.getArguments().map((a) => [a.getValue(), a.getRange()]);
  const flags = (call(ins, 'getFlags') as unknown[] | undefined)?.map((f) => [call(f, 'getName'), call(f, 'getValue'), range(f)]);
  const properties = (call(ins, 'getProperties') as unknown[] | undefined)?.map((p) => [
    call(p, 'getName'),
    call(p, 'getValue'),
    call(p, 'getValueRange'),
  ]);
  // dockerfile-ast itself overflows the stack on some inputs (`\tWORKDIR $X`): compared as an outcome.
  const variables = safely(() =>
    ins.getVariables().map((v) => [v.getName(), v.getRange(), v.isDefined(), v.isBuildVariable(), v.getSubstitutionParameter()]),
  );
  const heredocs = (call(ins, 'getHeredocs') as unknown[] | undefined)?.map((h) => [call(h, 'getName'), call(h, 'getContentRange')]);
  const json = (call(ins, 'getJSONStrings') as unknown[] | undefined)?.map((j) => [call(j, 'getValue'), range(j)]);
  return {
    keyword: ins.getKeyword(),
    instruction: ins.getInstruction(),
    range: ins.getRange(),
    instructionRange: ins.getInstructionRange(),
    text: ins.getTextContent(),
    args,
    expanded: safely(() => ins.getExpandedArguments().map((a) => a.getValue())),
    flags,
    properties,
    variables,
    heredocs,
    json,
    image: call(ins, 'getImage'),
    stage: call(ins, 'getBuildStage'),
    trigger: call(ins, 'getTriggerInstruction') ? dumpInstruction(call(ins, 'getTriggerInstruction') as Instruction) : undefined,
  };
}

function dump(dockerfile: Dockerfile): unknown {
  return {
    escape: dockerfile.getEscapeCharacter(),
    directives: dockerfile.getDirectives().map((d) => [d.getDirective(), d.getValue(), d.getRange()]),
    comments: dockerfile.getComments().map((c) => [c.getContent(), c.getRange()]),
    instructions: dockerfile.getInstructions().map(dumpInstruction),
    initialArgs: dockerfile.getInitialARGs().map((a) => a.getRange()),
    froms: dockerfile.getFROMs().map((f) => f.getRange()),
    // The comments filed under the initial ARGs and each stage (organizeComments).
    initialComments: (dockerfile as unknown as { initialInstructions: Dockerfile }).initialInstructions
      .getComments()
      .map((c) => c.getRange()),
    stageComments: (dockerfile as unknown as { buildStages: Dockerfile[] }).buildStages.map((s) =>
      s.getComments().map((c) => c.getRange()),
    ),
    range: dockerfile.getRange(),
  };
}

const LINES = [
  '# syntax=docker/dockerfile:1',
  '# escape=`',
  'ARG BASE=alpine:3.20',
  'ARG A=1 B',
  'FROM $BASE AS build',
  'FROM --platform=$BUILDPLATFORM golang:1.22 AS b',
  'RUN echo $TARGETARCH',
  'RUN apt-get install -y curl \\',
  '    && make \\',
  '# a comment inside the continuation',
  '',
  'RUN <<EOF',
  'echo inside a heredoc',
  'EOF',
  'COPY <<-"END" /x',
  '\tEND',
  'ENV X=1 Y="a b" \\',
  '  Z=${A:-2}',
  'CMD ["sh", "-c", "echo $X"]',
  'ONBUILD RUN make',
  'LABEL a=b',
  'WORKDIR /src/$X',
  'COPY --from=build /out /out',
  'USER nobody',
  'FROM scratch',
  '# green-cloud ignore=GC101',
  'RUN `',
  '  echo backtick',
];
const PIECES = [
  'a',
  ' ',
  '\n',
  '\r\n',
  '\\',
  '\\\n',
  '`',
  '`\n',
  '#',
  '# c\n',
  '<<EOF\n',
  '\nEOF\n',
  'EOF',
  'RUN ',
  'FROM alpine AS x\n',
  'ARG A=1\n',
  '$A',
  '${A}',
  '"',
  "'",
  '[',
  ']',
  '# escape=`\n',
  'ENV X=1 \\\n',
  '\t',
  '\n\n',
  '--platform=linux/arm64 ',
];

const dockerfileArb = fc.array(fc.constantFrom(...LINES), { minLength: 0, maxLength: 24 }).map((lines) => lines.join('\n'));
const editArb = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.integer({ min: 0, max: 4 }),
  insert: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })),
});

function apply(text: string, edit: { at: number; remove: number; insert: string }): string {
  const at = Math.min(text.length, Math.floor(edit.at * (text.length + 1)));
  return text.slice(0, at) + edit.insert + text.slice(at + edit.remove);
}

describe('incremental Dockerfile parse', () => {
  it('equals a full parse and a full lint after every edit of random edit sequences', () => {
    let reusedSomewhere = 0;
    fc.assert(
      fc.property(dockerfileArb, fc.array(editArb, { minLength: 1, maxLength: 12 }), (initial, edits) => {
        let text = initial;
        setInstructionReuse(true);
        parseDockerfile(text);
        for (const edit of edits) {
          text = apply(text, edit);
          setInstructionReuse(true);
          const incremental = dump(parseDockerfile(text));
          reusedSomewhere += lastParse.reused;
          assert.deepStrictEqual(incremental, dump(DockerfileParser.parse(text)), `parse of ${JSON.stringify(text)}`);
          const withReuse = lint(text, SETTINGS);
          setInstructionReuse(false);
          const without = lint(text, SETTINGS);
          assert.deepStrictEqual(withReuse, without, `lint of ${JSON.stringify(text)}`);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
    setInstructionReuse(true);
    assert.ok(reusedSomewhere > 1000, `instructions were reused ${reusedSomewhere} times: the property did not exercise reuse`);
  });

  it('reuses every instruction but the edited one when a character is typed', () => {
    setInstructionReuse(true);
    const lines = ['FROM alpine:3.20 AS a'];
    for (let i = 0; i < 50; i++) lines.push(`RUN echo ${i} \\`, `    && true`);
    const text = lines.join('\n');
    parseDockerfile(text);
    const edited = text.replace('echo 25 ', 'echo 25x ');
    const dockerfile = parseDockerfile(edited);
    assert.deepStrictEqual(lastParse, { reused: 50, built: 1 });
    assert.deepStrictEqual(dump(dockerfile), dump(DockerfileParser.parse(edited)));
  });

  it('is what lint() parses with: a lint after typing one character rebuilds one instruction', () => {
    setInstructionReuse(true);
    const text = 'FROM golang:1.22 AS build\nRUN go build ./...\nFROM alpine:3.20\nCOPY --from=build /out /out\n';
    lint(text, SETTINGS);
    const edited = text.replace('./...', './cmd/...');
    const diagnostics = lint(edited, SETTINGS);
    assert.deepStrictEqual(lastParse, { reused: 3, built: 1 });
    setInstructionReuse(false);
    assert.deepStrictEqual(diagnostics, lint(edited, SETTINGS));
    setInstructionReuse(true);
  });

  it('reuses nothing when the escape directive changes', () => {
    setInstructionReuse(true);
    const body = 'FROM alpine\nRUN echo a \\\n  b\nRUN echo `\n  c\n';
    parseDockerfile(`# escape=\\\n${body}`);
    const edited = `# escape=\`\n${body}`;
    parseDockerfile(edited);
    assert.equal(lastParse.reused, 0);
    assert.deepStrictEqual(dump(parseDockerfile(edited)), dump(DockerfileParser.parse(edited)));
  });
});
