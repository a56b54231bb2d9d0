/**
 * Comment directives and pragmas: the per-file `# platforms=` override, our own
 * `# green-cloud ignore=` / `# green-cloud global ignore=`, and the peers' equivalents
 * (`# hadolint ignore=`, `# hadolint global ignore=`, BuildKit's `# check=skip=`).
 */
import type { Range } from 'vscode-languageserver-types';
import { parsePlatform, platformsEqual, type Platform } from '../platforms';
import type { CommentLine, DockerfileModel } from './model';

export interface PlatformsDirective {
  readonly comment: CommentLine;
  readonly platforms?: readonly Platform[];
  /** Set when the value does not parse; the range covers the value. */
  /**
   * Why the directive is unusable. `invalidEntry`: an entry is not a platform (the front end then
   * says which platforms it uses instead, in its own words: a setting, a flag).
   */
  readonly error?: { readonly message: string; readonly range: Range; readonly invalidEntry?: boolean };
}

const PLATFORMS_RE = /^platforms\s*=\s*(.*)$/i;

/** The `# platforms=…` directive before the first instruction, if present (the first one wins). */
export function findPlatformsDirective(model: DockerfileModel): PlatformsDirective | undefined {
  for (const comment of model.comments) {
    if (comment.line >= model.firstInstructionLine) break;
    const m = PLATFORMS_RE.exec(comment.content);
    if (!m) continue;
    const value = m[1].trim();
    const lineText = model.document.getText({
      start: { line: comment.line, character: 0 },
      end: { line: comment.line, character: comment.range.end.character },
    });
    const valueStart = value === '' ? comment.range.end.character : lineText.lastIndexOf(value);
    const range = {
      start: { line: comment.line, character: valueStart },
      end: { line: comment.line, character: valueStart + value.length },
    };
    if (value === '') {
      return {
        comment,
        error: {
          message: "The '# platforms=' directive lists no platform. Write e.g. '# platforms=linux/amd64,linux/arm64'.",
          range: comment.range,
        },
      };
    }
    // Entry by entry (as parsePlatformList) so that the range points at the faulty entry.
    const platforms: Platform[] = [];
    let offset = valueStart;
    for (const piece of value.split(',')) {
      const entry = piece.trim();
      const entryStart = offset + piece.length - piece.trimStart().length;
      offset += piece.length + 1;
      if (entry === '') continue;
      try {
        const p = parsePlatform(entry);
        if (!platforms.some((q) => platformsEqual(p, q))) platforms.push(p);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const hint = /[;\s]/.test(entry) ? ' Separate platforms with commas.' : '';
        const entryRange = {
          start: { line: comment.line, character: entryStart },
          end: { line: comment.line, character: entryStart + entry.length },
        };
        return { comment, error: { message: `Invalid '# platforms=' directive: ${reason}${hint}`, range: entryRange, invalidEntry: true } };
      }
    }
    if (platforms.length === 0) {
      return {
        comment,
        error: { message: "The '# platforms=' directive lists no platform. Write e.g. '# platforms=linux/amd64,linux/arm64'.", range },
      };
    }
    return { comment, platforms };
  }
  return undefined;
}

export interface Suppressions {
  /** Codes ignored for the whole file (our codes and peer codes, upper-case for ours). */
  readonly global: ReadonlySet<string>;
  /** Instruction start line → codes ignored for that instruction. */
  readonly byLine: ReadonlyMap<number, ReadonlySet<string>>;
}

function splitCodes(list: string): string[] {
  return list
    .split(/[,\s]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

const OURS_RE = /^green-cloud\s+(global\s+)?ignore\s*=\s*(.+)$/i;
const HADOLINT_RE = /^hadolint\s+(global\s+)?ignore\s*=\s*(.+)$/i;
const CHECK_RE = /^check\s*=\s*(.+)$/i;

/**
 * The first line after the parser-directive header: the run of `# key=value` lines at the top of
 * the file (BuildKit stops looking for directives at the first other line).
 */
export function parserDirectiveHeaderEnd(model: DockerfileModel): number {
  const directive = /^\s*#\s*[A-Za-z][A-Za-z0-9_-]*\s*=/;
  let line = 0;
  for (const comment of model.comments) {
    if (comment.line !== line || comment.line >= model.firstInstructionLine) break;
    if (!directive.test(model.document.getText(comment.range))) break;
    line++;
  }
  return line;
}

/**
 * Reads the suppression pragmas. Peer codes are returned as `hadolint:DL3029` and
 * `buildkit:RedundantTargetPlatform`; ours as `GC101`. `all` suppresses every rule.
 */
export function readSuppressions(model: DockerfileModel): Suppressions {
  const headerEnd = parserDirectiveHeaderEnd(model);
  const global = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  const instructionStarts = new Set(model.instructions.map((i) => i.getRange().start.line));
  // The instruction that each comment stands directly above (through other comments), found in
  // one backward pass: walking down from every comment was quadratic on long comment blocks.
  const below = new Map<number, number | undefined>();
  for (let k = model.comments.length - 1; k >= 0; k--) {
    const l = model.comments[k].line + 1;
    below.set(model.comments[k].line, below.has(l) ? below.get(l) : instructionStarts.has(l) ? l : undefined);
  }
  /** The instruction that a comment at `line` stands directly above (through other comments). */
  const instructionBelow = (line: number): number | undefined => below.get(line);
  for (const comment of model.comments) {
    let m = OURS_RE.exec(comment.content);
    let codes: string[] = [];
    let isGlobal = false;
    if (m) {
      isGlobal = Boolean(m[1]);
      codes = splitCodes(m[2]).map((c) => c.toUpperCase());
    } else if ((m = HADOLINT_RE.exec(comment.content))) {
      isGlobal = Boolean(m[1]);
      codes = splitCodes(m[2]).map((c) => `hadolint:${c.toUpperCase()}`);
    } else if (comment.line < headerEnd && (m = CHECK_RE.exec(comment.content))) {
      // BuildKit: `# check=skip=A,B;error=true` (or `skip=all`) applies to the whole file. It is
      // a parser directive, so only the header counts: later `# check=…` lines are plain comments.
      isGlobal = true;
      for (const part of m[1].split(';')) {
        const kv = /^\s*skip\s*=\s*(.+)$/i.exec(part);
        if (kv) codes.push(...splitCodes(kv[1]).map((c) => (c.toLowerCase() === 'all' ? 'buildkit:ALL' : `buildkit:${c}`)));
      }
    } else {
      continue;
    }
    if (isGlobal) {
      codes.forEach((c) => global.add(c));
    } else {
      const target = instructionBelow(comment.line);
      if (target === undefined) continue;
      const set = byLine.get(target) ?? new Set<string>();
      codes.forEach((c) => set.add(c));
      byLine.set(target, set);
    }
  }
  return { global, byLine };
}

/** True when `code` (with its peer equivalents) is suppressed in `codes`. */
export function isSuppressedBy(codes: ReadonlySet<string> | undefined, code: string, peerCodes: readonly string[]): boolean {
  if (!codes || codes.size === 0) return false;
  if (codes.has(code) || codes.has('ALL')) return true;
  if (peerCodes.some((p) => p.startsWith('buildkit:')) && codes.has('buildkit:ALL')) return true;
  return peerCodes.some((p) => codes.has(p));
}
