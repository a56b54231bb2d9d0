/**
 * dockerfile-ast's parser, made cheaper on the typing path (the language server re-lints the
 * whole file on every keystroke):
 *
 * 1. dockerfile-ast builds every instruction twice (once to look for heredocs, once to keep);
 *    building one tokenises its arguments. Here the second build returns the first object.
 * 2. Instructions are reused from recent parses: an instruction that starts at the same line and
 *    column, with the same escape character, and whose text up to and including the character
 *    that ended it (newline, or the end of the file) is unchanged, parses to the same thing —
 *    dockerfile-ast's parser reads nothing outside that stretch for it (continuations, comment
 *    lines inside continuations and heredoc bodies are all inside it). Such an instruction is
 *    copied (a shallow clone pointing at the new Dockerfile, so variable lookups see the new
 *    file and earlier models stay intact) instead of being re-tokenised. Everything else (the
 *    directives, the comments between instructions, the Dockerfile's stages) is parsed as usual.
 *
 * The result is the same as `DockerfileParser.parse(text)` (test/unit/core/incrementalParse.test.ts
 * checks this on random edit sequences). A reused instruction keeps the TextDocument of the parse
 * that built it (its text is the same at its positions); to bound the memory this holds, an
 * instruction is rebuilt after at most 2 × MAX_AGE parses (staggered by line, so rebuilding is
 * spread over edits instead of happening all at once).
 */
import { Comment, type Dockerfile, type Instruction } from 'dockerfile-ast';
import { Dockerfile as DockerfileClass } from 'dockerfile-ast/lib/dockerfile';
import { Parser } from 'dockerfile-ast/lib/parser';
import type { Position, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** The parser's internals this module builds on (private in dockerfile-ast's typings). */
interface ParserInternals {
  document: TextDocument;
  buffer: string;
  escapeChar: string;
  parse(buffer: string): Dockerfile;
  processInstruction(dockerfile: Dockerfile, char: string, start: number): number;
  processComment(dockerfile: Dockerfile, start: number): number;
  createInstruction(dockerfile: Dockerfile, instruction: string, start: number, instructionEnd: number, end: number): Instruction;
}

interface Reusable {
  readonly character: number;
  /** The text from the instruction's first character to the one that ended it, inclusive. */
  readonly text: string;
  /** True when the instruction ran to the end of the text (nothing ended it). */
  readonly atEnd: boolean;
  readonly escape: string;
  /** The instruction as last reused (a copy: records are shared by the kept tables, only this changes). */
  instruction: Instruction;
  /** Comment lines inside the instruction's continuation lines (the parser adds them as it reads). */
  readonly comments: readonly Range[];
  /** The parse generation that built the instruction. */
  readonly born: number;
}

type Table = Map<number, Reusable>;

/** The Dockerfile's builder methods the parser calls (not in dockerfile-ast's typings). */
interface DockerfileBuilder {
  addComment(comment: Comment): void;
  addInstruction(instruction: Instruction): void;
}

const MAX_AGE = 16;
/**
 * Tables of the last parses (two open files edited in turn each find their own instructions).
 * Memory: the kept instructions, with what they cached, stay alive between edits (about 5 MB at
 * 1,000 instructions, 50 MB at 10,000).
 */
const TABLES_KEPT = 2;
let tables: Table[] = [];
let generation = 0;
let enabled = true;

/** Turns reuse on or off (tests compare both); while off, the kept instructions are left alone. */
export function setInstructionReuse(on: boolean): void {
  enabled = on;
}

/** Instructions reused and built by the last parse (tests and the bench check reuse happens). */
export const lastParse = { reused: 0, built: 0 };

const ParserBase = Parser as unknown as new () => ParserInternals;

/** A Dockerfile this module's parser built: its comments are sorted into stages in O(n log n). */
const OURS = Symbol('greenCloud.reusingParser');

interface Template {
  getRange(): Range;
  addComment(comment: Comment): void;
}
interface DockerfileInternals {
  [OURS]?: boolean;
  initialInstructions: Template;
  buildStages: Template[];
  getComments(): Comment[];
  organizeComments: (this: DockerfileInternals) => void;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** dockerfile-ast's Util.isInsideRange. */
function inside(p: Position, r: Range): boolean {
  if (r.start.line === r.end.line) return r.start.line === p.line && r.start.character <= p.character && p.character <= r.end.character;
  if (r.start.line === p.line) return r.start.character <= p.character;
  if (r.end.line === p.line) return p.character <= r.end.character;
  return r.start.line < p.line && p.line < r.end.line;
}

/**
 * `Dockerfile#organizeComments` (files comments under the initial ARGs or the stage that holds
 * them) without its quadratic cost: it recomputed every stage's range for every comment (20 % of
 * a 10,000-instruction parse). A stage's range depends only on its instructions, so the ranges are
 * computed once; stages are disjoint and in order, so the one that can hold a comment is found by
 * binary search.
 */
function organizeComments(this: DockerfileInternals): void {
  const initial = this.initialInstructions.getRange();
  const stages = this.buildStages;
  const ranges = stages.map((s) => s.getRange());
  for (const comment of this.getComments()) {
    const range = comment.getRange();
    if (inside(range.end, initial)) {
      this.initialInstructions.addComment(comment);
      continue;
    }
    let lo = 0;
    let hi = ranges.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (before(ranges[mid].start, range.start)) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found >= 0 && inside(range.start, ranges[found])) stages[found].addComment(comment);
  }
}

const proto = DockerfileClass.prototype as unknown as DockerfileInternals;
const originalOrganize = proto.organizeComments;
if (typeof originalOrganize === 'function') {
  proto.organizeComments = function organize(this: DockerfileInternals): void {
    if (this[OURS]) organizeComments.call(this);
    else originalOrganize.call(this);
  };
}

class ReusingParser extends ParserBase {
  private lastCreated: { instruction: string; start: number; instructionEnd: number; end: number; built: Instruction } | undefined;
  readonly table: Table = new Map();
  reused = 0;

  constructor(
    private readonly previous: readonly Table[],
    private readonly current: number,
  ) {
    super();
  }

  override createInstruction(dockerfile: Dockerfile, instruction: string, start: number, instructionEnd: number, end: number): Instruction {
    const last = this.lastCreated;
    if (last && last.start === start && last.end === end && last.instructionEnd === instructionEnd && last.instruction === instruction) {
      return last.built;
    }
    const built = super.createInstruction(dockerfile, instruction, start, instructionEnd, end);
    this.lastCreated = { instruction, start, instructionEnd, end, built };
    return built;
  }

  override processComment(dockerfile: Dockerfile, start: number): number {
    (dockerfile as unknown as DockerfileInternals)[OURS] = true;
    return super.processComment(dockerfile, start);
  }

  override processInstruction(dockerfile: Dockerfile, char: string, start: number): number {
    (dockerfile as unknown as DockerfileInternals)[OURS] = true;
    const { line, character } = this.document.positionAt(start);
    const buffer = this.buffer;
    for (const table of this.previous) {
      const old = table.get(line);
      if (
        !old ||
        old.character !== character ||
        old.escape !== this.escapeChar ||
        this.current - old.born >= MAX_AGE + (line % MAX_AGE) ||
        !buffer.startsWith(old.text, start) ||
        (old.atEnd && buffer.length !== start + old.text.length)
      ) {
        continue;
      }
      const builder = dockerfile as unknown as DockerfileBuilder;
      for (const range of old.comments) builder.addComment(new Comment(this.document, range));
      const copy = Object.assign(Object.create(Object.getPrototypeOf(old.instruction) as object) as Instruction, old.instruction, {
        dockerfile,
      });
      builder.addInstruction(copy);
      old.instruction = copy;
      this.table.set(line, old);
      this.reused++;
      return old.atEnd ? buffer.length : start + old.text.length - 1;
    }
    const commentsBefore = dockerfile.getComments().length;
    const end = super.processInstruction(dockerfile, char, start);
    const instructions = dockerfile.getInstructions();
    const comments = dockerfile.getComments();
    const atEnd = end >= buffer.length;
    this.table.set(line, {
      character,
      text: buffer.slice(start, atEnd ? buffer.length : end + 1),
      atEnd,
      escape: this.escapeChar,
      instruction: instructions[instructions.length - 1],
      comments: comments.slice(commentsBefore).map((c) => c.getRange()),
      born: this.current,
    });
    return end;
  }
}

/** Parses `text` as `DockerfileParser.parse` does, reusing unchanged instructions of recent parses. */
export function parseDockerfile(text: string): Dockerfile {
  generation++;
  const parser = new ReusingParser(enabled ? tables : [], generation);
  const dockerfile = parser.parse(text);
  if (enabled) tables = [parser.table, ...tables].slice(0, TABLES_KEPT);
  lastParse.reused = parser.reused;
  lastParse.built = dockerfile.getInstructions().length - parser.reused;
  return dockerfile;
}
