import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildModel } from '../../../../core/src/dockerfile/model';
import { isInside, scanInstruction } from '../../../../core/src/dockerfile/instructionText';
import { applyEdits, lintStrict } from '../../../support/lint';

function scanned(text: string, index: number) {
  const model = buildModel(text);
  return scanInstruction(model, model.instructions[index]);
}

const refs = (s: ReturnType<typeof scanned>) =>
  s.references.map((r) => `${r.name}${r.literal ? '(literal)' : ''}=${s.text.slice(r.start, r.end)}`);

describe('instruction scanner', () => {
  it('finds expanding references with their full range, and marks single-quoted ones literal', () => {
    const s = scanned('FROM x\nRUN echo $A "${B:-x}" \'$C\' \\$D $$E ${F}\n', 1);
    assert.deepEqual(refs(s), ['A=$A', 'B=${B:-x}', 'C(literal)=$C', 'F=${F}']);
    assert.equal(s.execForm, false);
    assert.ok(isInside(s.literal, s.text.indexOf("'$C'") + 1));
  });

  it('blanks the keyword, continuations, comment lines and shell comments, keeping offsets', () => {
    const text = 'FROM x\nRUN a \\\n# note $A amd64\n  && b # tail $B\n';
    const s = scanned(text, 1);
    const raw = text.slice(text.indexOf('RUN'));
    assert.equal(s.text.length, raw.trimEnd().length);
    assert.equal(s.text, `    a  \n${' '.repeat(15)}\n  && b ${' '.repeat(9)}`);
    assert.deepEqual(refs(s), []);
  });

  it('reads heredoc bodies by their delimiter quoting', () => {
    const text =
      "FROM x\nRUN <<EOF\necho '$A' # $B\nEOF\nRUN <<'EOF'\necho '$C' \"$D\"\nEOF\nCOPY <<'EOF' /f\n$E\nEOF\nCOPY <<-EOF /g\n\t$F\n\tEOF\n";
    assert.deepEqual(refs(scanned(text, 1)), ['A=$A']);
    assert.deepEqual(refs(scanned(text, 2)), ['C(literal)=$C', 'D=$D']);
    const copy = scanned(text, 3);
    assert.deepEqual(refs(copy), []);
    assert.ok(isInside(copy.literal, copy.text.indexOf('$E')));
    assert.deepEqual(refs(scanned(text, 4)), ['F=$F']);
    assert.equal(scanned(text, 1).heredocBodies.length, 1);
  });

  it('uses the Dockerfile escape character outside RUN', () => {
    const text = '# escape=`\nFROM x\nENV A=`$B C=\\$D\n';
    assert.deepEqual(refs(scanned(text, 1)), ['D=$D']);
  });

  it('recognises the exec form', () => {
    assert.equal(scanned('FROM x\nRUN ["sh", "-c", "echo $A"]\n', 1).execForm, true);
    assert.deepEqual(refs(scanned('FROM x\nRUN ["sh", "-c", "echo $A"]\n', 1)), ['A=$A']);
  });

  it('never throws, keeps the text length, and every quick fix applies cleanly (property)', () => {
    const pieces = [
      'FROM ',
      'RUN ',
      'COPY ',
      'ENV ',
      'ARG ',
      'ADD ',
      'CMD ',
      '--platform=',
      '$TARGETARCH',
      '${TARGETARCH',
      '}',
      '$',
      '$$',
      '\\',
      '\n',
      '\r\n',
      '\t',
      ' ',
      "'",
      '"',
      '<<EOF',
      "<<-'X'",
      'EOF',
      'X',
      '# ',
      '#',
      'amd64',
      'x86_64',
      'arm64',
      'aarch64',
      'alpine',
      'multiarch/alpine:armhf-v3.7',
      'resin/rpi-raspbian',
      'node:20-arm64',
      ':',
      '/',
      '-',
      'case ',
      'esac',
      'uname -m',
      '[',
      ']',
      ',',
      '`',
      '# escape=`\n',
      'AS ',
      'build-arm64',
      'linux/arm64',
      '$TARGETPLATFORM',
      '=',
      '\u0000',
      '\uffff',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const model = buildModel(text);
        for (const instruction of model.instructions) {
          const s = scanInstruction(model, instruction);
          assert.equal(s.text.length, model.document.getText(instruction.getRange()).length);
        }
        for (const d of lintStrict(text)) {
          if (!/^GC10[2-7]$/.test(d.code)) continue;
          for (const fix of d.data.fixes) {
            const after = lintStrict(applyEdits(text, fix.edits));
            const count = (list: { code: string }[]) => list.filter((x) => x.code === d.code).length;
            assert.ok(count(after) < count(lintStrict(text)), `${fix.title} did not remove ${d.code} in ${JSON.stringify(text)}`);
          }
        }
      }),
      { numRuns: 1500, seed: 20261124 },
    );
  });
});
