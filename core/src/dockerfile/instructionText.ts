/**
 * Reads an instruction's text the way the builder and the shell will see it: which variable
 * references really expand, which stretches are literal (single-quoted, or a heredoc that is
 * not expanded), and the text with comments, line continuations and heredoc delimiters blanked
 * out (same length and offsets as the document, so ranges map 1:1).
 *
 * Linear in the length of the instruction (one pass, no backtracking regexes); never throws.
 *
 * Modes:
 * - `RUN` (shell or exec form): shell rules — `'…'` is literal, `\` escapes one character,
 *   `#` at the start of a word comments out the rest of the logical line, `$$` is the PID.
 * - other instructions (ENV, COPY, ADD, WORKDIR, LABEL, ARG …): the builder's rules — the
 *   Dockerfile escape character (`# escape=`) escapes, `'…'` is literal, no comments.
 * - heredoc bodies (`RUN <<EOF`, `COPY <<EOF /file`): with an unquoted delimiter the builder
 *   expands `$NAME` everywhere (quotes are not special); with a quoted delimiter (`<<'EOF'`)
 *   a RUN body is a shell script (shell rules) and a COPY/ADD body is literal file content.
 */
import type { Instruction } from 'dockerfile-ast';
import { execFormStrings, type DockerfileModel } from './model';

export interface VariableReference {
  readonly name: string;
  /** Offsets relative to `ScannedInstruction.text` of the whole reference (`$NAME`, `${NAME:-x}`). */
  readonly start: number;
  readonly end: number;
  /** True when the reference does not expand (single-quoted, quoted COPY heredoc). */
  readonly literal: boolean;
}

export interface ScannedInstruction {
  readonly instruction: Instruction;
  /** Upper-case keyword (`RUN`). */
  readonly keyword: string;
  /** Document offset of `text[0]` (the first character of the instruction). */
  readonly offset: number;
  /**
   * The instruction's text with the keyword, comment lines, shell comments, line continuations
   * and heredoc delimiter lines replaced by spaces. Newlines are kept.
   */
  readonly text: string;
  /** Every `$NAME` / `${NAME…}` reference outside comments, in order. */
  readonly references: readonly VariableReference[];
  /** Sorted, disjoint [start, end) stretches of `text` that are not expanded (literal). */
  readonly literal: readonly (readonly [number, number])[];
  /** Sorted, disjoint [start, end) stretches of `text` that are heredoc bodies. */
  readonly heredocBodies: readonly (readonly [number, number])[];
  /** True for the exec (JSON array) form. */
  readonly execForm: boolean;
}

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
/** A `${NAME:-default}` reference longer than this is cut at the name (ranges stay tight). */
const MAX_BRACE_SCAN = 1024;

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}

interface Heredoc {
  readonly name: string;
  readonly stripTabs: boolean;
  readonly quoted: boolean;
}

/** Reads `<<-"EOF"` at `i` (the first `<`); undefined when it is not a heredoc opener. */
function readHeredoc(text: string, i: number, end: number): { heredoc: Heredoc; next: number } | undefined {
  if (text[i + 1] !== '<' || text[i + 2] === '<') return undefined;
  let j = i + 2;
  let stripTabs = false;
  if (text[j] === '-') {
    stripTabs = true;
    j++;
  }
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  let quote = '';
  if (text[j] === '"' || text[j] === "'") quote = text[j++];
  const nameStart = j;
  while (j < end && isNameChar(text.charCodeAt(j))) j++;
  if (j === nameStart) return undefined;
  const name = text.slice(nameStart, j);
  if (quote) {
    if (text[j] !== quote) return undefined;
    j++;
  }
  return { heredoc: { name, stripTabs, quoted: quote !== '' }, next: j };
}

const cache = new WeakMap<Instruction, ScannedInstruction>();

/** Scans one instruction (once per parsed instruction: GC106 and GC107 share the result). */
export function scanInstruction(model: DockerfileModel, instruction: Instruction): ScannedInstruction {
  let scanned = cache.get(instruction);
  // The offset is the document's: a cached scan is only reused while the instruction sits at the same offset.
  if (!scanned || scanned.offset !== model.document.offsetAt(instruction.getRange().start)) {
    scanned = scan(model, instruction);
    cache.set(instruction, scanned);
  }
  return scanned;
}

function scan(model: DockerfileModel, instruction: Instruction): ScannedInstruction {
  const range = instruction.getRange();
  const offset = model.document.offsetAt(range.start);
  const raw = model.document.getText(range);
  const keyword = instruction.getKeyword().toUpperCase();
  const keywordLength = model.document.offsetAt(instruction.getInstructionRange().end) - offset;
  const isRun = keyword === 'RUN';
  const escape = model.escapeCharacter || '\\';
  const execForm = execFormStrings(instruction) !== undefined;

  const blanks: [number, number][] = [[0, Math.max(0, keywordLength)]];
  const references: VariableReference[] = [];
  const literal: [number, number][] = [];
  const heredocBodies: [number, number][] = [];
  const pending: Heredoc[] = [];

  const addLiteral = (start: number, end: number): void => {
    if (end <= start) return;
    const last = literal[literal.length - 1];
    if (last && last[1] >= start) last[1] = Math.max(last[1], end);
    else literal.push([start, end]);
  };

  let closeAt = -1;
  /** Reads a `$` reference at `i`; returns the index to continue from. */
  const readReference = (i: number, lineEnd: number, isLiteral: boolean): number => {
    const next = raw.charCodeAt(i + 1);
    if (next === 36 /* $ */) return i + 2;
    if (next === 123 /* { */) {
      let j = i + 2;
      if (!isNameStart(raw.charCodeAt(j))) return i + 1;
      while (j < lineEnd && isNameChar(raw.charCodeAt(j))) j++;
      const name = raw.slice(i + 2, j);
      // The reference ends at the next `}` on the line (`${NAME}`, `${NAME:-word}`). The search
      // result is remembered, so a line of unclosed `${A${A…` stays linear.
      if (closeAt < j) {
        const found = raw.indexOf('}', j);
        closeAt = found < 0 ? raw.length : found;
      }
      const end = closeAt < lineEnd && closeAt - j <= MAX_BRACE_SCAN ? closeAt + 1 : j;
      references.push({ name, start: i, end, literal: isLiteral });
      return j;
    }
    if (!isNameStart(next)) return i + 1;
    let j = i + 1;
    while (j < lineEnd && isNameChar(raw.charCodeAt(j))) j++;
    references.push({ name: raw.slice(i + 1, j), start: i, end: j, literal: isLiteral });
    return j;
  };

  // Physical lines of the instruction.
  const lineStarts: number[] = [0];
  for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) lineStarts.push(i + 1);

  let quote = 0; // 0 none, 1 single, 2 double (instruction lines)
  let literalStart = -1;
  let comment = false; // shell comment until the end of the logical line
  let continued = false; // the previous instruction line ended with a line continuation
  let inHeredoc = false;
  let bodyQuote = 0;
  let bodyStart = -1;

  for (let l = 0; l < lineStarts.length; l++) {
    const lineStart = lineStarts[l];
    let lineEnd = l + 1 < lineStarts.length ? lineStarts[l + 1] - 1 : raw.length;
    if (raw[lineEnd - 1] === '\r') lineEnd--;

    if (inHeredoc) {
      const heredoc = pending[0];
      let content = raw.slice(lineStart, lineEnd);
      if (heredoc.stripTabs) content = content.replace(/^\t+/, '');
      if (content === heredoc.name) {
        if (bodyStart >= 0 && bodyStart < lineStart) heredocBodies.push([bodyStart, lineStart]);
        blanks.push([lineStart, lineEnd]);
        pending.shift();
        bodyQuote = 0;
        bodyStart = pending.length > 0 ? (l + 1 < lineStarts.length ? lineStarts[l + 1] : raw.length) : -1;
        inHeredoc = pending.length > 0;
        continue;
      }
      const expands = !heredoc.quoted;
      const shell = isRun && heredoc.quoted;
      if (!isRun && !expands) {
        addLiteral(lineStart, lineEnd);
        continue;
      }
      for (let i = lineStart; i < lineEnd;) {
        const c = raw[i];
        if (isRun && c === '#' && bodyQuote === 0 && (i === lineStart || isBlank(raw[i - 1]) || ';&|('.includes(raw[i - 1]))) {
          blanks.push([i, lineEnd]);
          break;
        }
        if (shell) {
          if (bodyQuote === 1) {
            if (c === "'") {
              bodyQuote = 0;
              addLiteral(literalStart, i + 1);
            } else if (c === '$') {
              i = readReference(i, lineEnd, true);
              continue;
            }
            i++;
            continue;
          }
          if (c === '\\') {
            i += 2;
            continue;
          }
          if (c === "'" && bodyQuote === 0) {
            bodyQuote = 1;
            literalStart = i;
            i++;
            continue;
          }
          if (c === '"') bodyQuote = bodyQuote === 2 ? 0 : 2;
        } else if (c === '\\') {
          i += 2;
          continue;
        }
        if (c === '$') {
          i = readReference(i, lineEnd, false);
          continue;
        }
        i++;
      }
      if (shell && bodyQuote === 1) addLiteral(literalStart, lineEnd);
      if (shell && bodyQuote === 1) literalStart = l + 1 < lineStarts.length ? lineStarts[l + 1] : raw.length;
      continue;
    }

    // An instruction line. Comment lines inside a continued instruction are dropped by Docker.
    let first = l === 0 ? keywordLength : lineStart;
    if (l > 0) {
      if (!continued) break; // past the instruction (defensive: ranges end here)
      while (first < lineEnd && isBlank(raw[first])) first++;
      if (first === lineEnd) continue; // an empty line inside a continuation is skipped
      if (raw[first] === '#') {
        blanks.push([lineStart, lineEnd]);
        continue;
      }
    }
    // Line continuation: the escape character, optionally followed by blanks, at the end.
    let contentEnd = lineEnd;
    let k = lineEnd;
    while (k > first && (raw[k - 1] === ' ' || raw[k - 1] === '\t')) k--;
    continued = k > first && raw[k - 1] === escape;
    if (continued) {
      contentEnd = k - 1;
      blanks.push([contentEnd, lineEnd]);
    }
    const shellEscape = isRun ? '\\' : escape;
    for (let i = first; i < contentEnd;) {
      const c = raw[i];
      if (comment) {
        blanks.push([i, contentEnd]);
        break;
      }
      if (quote === 1) {
        if (c === "'") {
          quote = 0;
          addLiteral(literalStart, i + 1);
        } else if (c === '$') {
          i = readReference(i, contentEnd, true);
          continue;
        }
        i++;
        continue;
      }
      if (c === shellEscape) {
        i += 2;
        continue;
      }
      if (quote === 0) {
        if (c === "'") {
          quote = 1;
          literalStart = i;
          i++;
          continue;
        }
        if (isRun && c === '#' && (i === first || isBlank(raw[i - 1]) || ';&|('.includes(raw[i - 1]))) {
          comment = true;
          continue;
        }
        if (c === '<' && HEREDOC_KEYWORDS.has(keyword) && !execForm) {
          const h = readHeredoc(raw, i, contentEnd);
          if (h) {
            pending.push(h.heredoc);
            i = h.next;
            continue;
          }
        }
      }
      if (c === '"') {
        quote = quote === 2 ? 0 : 2;
        i++;
        continue;
      }
      if (c === '$') {
        i = readReference(i, contentEnd, false);
        continue;
      }
      i++;
    }
    if (quote === 1) {
      addLiteral(literalStart, contentEnd);
      literalStart = l + 1 < lineStarts.length ? lineStarts[l + 1] : raw.length;
    }
    if (!continued) {
      comment = false;
      quote = 0;
      if (pending.length > 0) {
        inHeredoc = true;
        bodyStart = l + 1 < lineStarts.length ? lineStarts[l + 1] : raw.length;
      } else if (l + 1 < lineStarts.length) {
        break;
      }
    }
  }
  if (inHeredoc && bodyStart >= 0 && bodyStart < raw.length) heredocBodies.push([bodyStart, raw.length]);

  // References inside literal stretches do not expand.
  const refs = references.map((r) => (isInside(literal, r.start) ? { ...r, literal: true } : r));
  return { instruction, keyword, offset, text: blank(raw, blanks), references: refs, literal, heredocBodies, execForm };
}

function blank(text: string, intervals: readonly (readonly [number, number])[]): string {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let pos = 0;
  for (const [s, e] of sorted) {
    const start = Math.max(s, pos);
    if (e <= start) continue;
    parts.push(text.slice(pos, start), ' '.repeat(e - start));
    pos = e;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

/** True when `position` lies in one of the sorted, disjoint intervals. */
export function isInside(intervals: readonly (readonly [number, number])[], position: number): boolean {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = intervals[mid];
    if (position < s) hi = mid - 1;
    else if (position >= e) lo = mid + 1;
    else return true;
  }
  return false;
}
