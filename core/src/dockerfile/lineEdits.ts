/**
 * Whole-line text edits on a Dockerfile for quick fixes: deleting an instruction's lines,
 * inserting a step before or after one with its indentation and the file's line breaks.
 */
import { Run, type Instruction } from 'dockerfile-ast';
import type { TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel } from './model';

/**
 * True when nothing can be inserted after the instruction as a separate step: it ends the file
 * with a line continuation, or with a heredoc that is never closed — an inserted line would
 * become part of it.
 */
export function endsOpen(model: DockerfileModel, instruction: Instruction): boolean {
  const range = instruction.getRange();
  const rest = model.document.getText({ start: range.end, end: model.document.positionAt(model.text.length) });
  if (rest.trim() === '') {
    const text = model.document.getText(range).trimEnd();
    if (text.endsWith(model.escapeCharacter)) return true;
  }
  return instruction instanceof Run && instruction.getHeredocs().some((h) => h.getDelimiterRange() === null);
}

/** The 1-based line of an instruction, for messages. */
export function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

function eolOf(model: DockerfileModel): string {
  return model.text.includes('\r\n') ? '\r\n' : '\n';
}

function lineStart(model: DockerfileModel, line: number): number {
  return model.document.offsetAt({ line, character: 0 });
}

function indentationOf(model: DockerfileModel, line: number): string {
  const start = lineStart(model, line);
  return /^[ \t]*/.exec(model.text.slice(start, start + 200))?.[0] ?? '';
}

/**
 * Collects whole-line deletions and line insertions for one fix and turns them into
 * non-overlapping TextEdits (an insertion where a deleted line starts becomes a replacement).
 */
export class LineEdits {
  private readonly deletions = new Map<number, number>();
  private readonly insertions = new Map<number, string>();

  constructor(private readonly model: DockerfileModel) {}

  /** Deletes the lines of an instruction, line break included. */
  deleteInstruction(instruction: Instruction): this {
    const range = instruction.getRange();
    const start = lineStart(this.model, range.start.line);
    const end = range.end.line + 1 < this.model.document.lineCount ? lineStart(this.model, range.end.line + 1) : this.model.text.length;
    this.deletions.set(start, end);
    return this;
  }

  /**
   * Inserts a line before an instruction, above the comment lines (pragmas) that belong to it,
   * with the instruction's indentation.
   */
  insertBefore(instruction: Instruction, text: string): this {
    const first = instruction.getRange().start.line;
    const comments = new Set(this.model.comments.map((c) => c.line));
    let line = first;
    while (line > 0 && comments.has(line - 1)) line--;
    const at = lineStart(this.model, line);
    return this.insert(at, `${indentationOf(this.model, first)}${text}${eolOf(this.model)}`);
  }

  /** Inserts a line after an instruction, with its indentation. */
  insertAfter(instruction: Instruction, text: string): this {
    const range = instruction.getRange();
    const indentation = indentationOf(this.model, range.start.line);
    const eol = eolOf(this.model);
    if (range.end.line + 1 < this.model.document.lineCount) {
      return this.insert(lineStart(this.model, range.end.line + 1), `${indentation}${text}${eol}`);
    }
    // The instruction ends the file without a line break.
    return this.insert(this.model.text.length, `${eol}${indentation}${text}`);
  }

  private insert(offset: number, text: string): this {
    this.insertions.set(offset, (this.insertions.get(offset) ?? '') + text);
    return this;
  }

  toTextEdits(): TextEdit[] {
    const doc = this.model.document;
    const edits: { start: number; end: number; text: string }[] = [];
    const pending = new Map(this.insertions);
    for (const [start, end] of this.deletions) {
      const text = pending.get(start) ?? '';
      pending.delete(start);
      edits.push({ start, end, text });
    }
    for (const [at, text] of pending) edits.push({ start: at, end: at, text });
    edits.sort((a, b) => a.start - b.start);
    return edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.text }));
  }
}
