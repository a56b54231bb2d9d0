/**
 * "Ignore GCnnn for this line" and "Ignore GCnnn for this file" for Kubernetes and Compose
 * diagnostics, as the Dockerfile lint offers them: the line-level fix inserts
 * `# green-cloud ignore=GCnnn` on its own line above the diagnostic's line, at that line's
 * indentation (or adds the code to a pragma already there); the file-level fix adds
 * `# green-cloud global ignore=GCnnn` at the top (or the code to the file's first global pragma).
 *
 * A comment line is valid YAML anywhere except inside a scalar (a block scalar `|`/`>` or a
 * multi-line plain or quoted scalar, where it would become part of the value): the offsets the
 * scalars cover are read once from the `yaml` package's CST, and no line-level fix is offered
 * where the line starts inside one.
 */
import { CST, Parser } from 'yaml';
import type { OffsetEdit } from './edits';
import type { YamlFix } from './types';

/**
 * `# green-cloud ignore=…` / `# green-cloud global ignore=…` (as `readSuppressions` reads them): a
 * comment on a line of its own (a comment after a value is not a pragma); the codes end at the
 * first word that is not one (`ignore=GC301 until v2` ignores GC301).
 */
export const YAML_PRAGMA = /(?<=^\s*)#\s*green-cloud\s+(global\s+)?ignore\s*=\s*([A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)/i;

const SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar']);

/** What the ignore fixes need to know about a text, computed once per lint. */
export class YamlIgnoreFixes {
  private readonly eol: string;
  private readonly lineStarts: number[] = [0];
  /** `[start, end)` of every scalar token, sorted by start (a comment line must not start inside one). */
  private scalarSpans: [number, number][] | undefined;

  constructor(private readonly text: string) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** The fixes for a diagnostic of `code` that starts on `line` (0-based). */
  fixes(code: string, line: number): YamlFix[] {
    const out: YamlFix[] = [];
    const here = this.lineFix(code, line);
    if (here) out.push({ title: `Ignore ${code} for this line`, edits: [here] });
    const file = this.fileFix(code);
    if (file) out.push({ title: `Ignore ${code} for this file`, edits: [file] });
    return out;
  }

  private lineText(line: number): string {
    const start = this.lineStarts[line];
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$/, '');
  }

  private spans(): [number, number][] {
    if (this.scalarSpans) return this.scalarSpans;
    const spans: [number, number][] = [];
    try {
      for (const token of new Parser().parse(this.text)) {
        if (token.type !== 'document') continue;
        const add = (t: CST.Token | null | undefined): void => {
          if (t && SCALARS.has(t.type)) {
            const source = t.type === 'block-scalar' ? CST.stringify(t) : (t as CST.FlowScalar).source;
            spans.push([t.offset, t.offset + source.length]);
          }
        };
        add(token.value);
        CST.visit(token, (item) => {
          add(item.key);
          add(item.value);
        });
      }
    } catch {
      spans.push([0, this.text.length]); // not understood: no line-level fix anywhere
    }
    spans.sort((a, b) => a[0] - b[0]);
    this.scalarSpans = spans;
    return spans;
  }

  /** True when `offset` lies strictly inside a scalar (a line starting there continues the value). */
  private insideScalar(offset: number): boolean {
    // Scalars do not nest: the one starting last before `offset` is the only candidate.
    const spans = this.spans();
    let low = 0;
    let high = spans.length - 1;
    let candidate: readonly [number, number] | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const span = spans[mid];
      if (span === undefined) break;
      if (span[0] < offset) {
        candidate = span;
        low = mid + 1;
      } else high = mid - 1;
    }
    return candidate !== undefined && offset < candidate[1];
  }

  /** The pragma's codes end here, when `line` holds a pragma of that kind outside any scalar. */
  private pragmaEnd(line: number, global: boolean): number | undefined {
    if (line < 0 || line >= this.lineStarts.length) return undefined;
    const text = this.lineText(line);
    const m = YAML_PRAGMA.exec(text);
    if (!m || Boolean(m[1]) !== global) return undefined;
    const lineStart = this.lineStarts[line];
    if (lineStart === undefined) return undefined;
    const hash = lineStart + m.index;
    if (this.insideScalar(hash)) return undefined;
    return hash + m[0].trimEnd().length;
  }

  private lineFix(code: string, line: number): OffsetEdit | undefined {
    if (line < 0 || line >= this.lineStarts.length) return undefined;
    const above = this.pragmaEnd(line - 1, false);
    if (above !== undefined) return { start: above, end: above, newText: `,${code}` };
    const start = this.lineStarts[line];
    if (start === undefined || this.insideScalar(start)) return undefined;
    const indentation = /^[ \t]*/.exec(this.lineText(line))?.[0] ?? '';
    return { start, end: start, newText: `${indentation}# green-cloud ignore=${code}${this.eol}` };
  }

  /** Where the file's first global pragma's codes end (null: there is none). */
  private globalEnd: number | null | undefined;

  private fileFix(code: string): OffsetEdit {
    if (this.globalEnd === undefined) {
      this.globalEnd = null;
      for (let line = 0; line < this.lineStarts.length && this.globalEnd === null; line++) {
        if (this.lineText(line).includes('green-cloud')) this.globalEnd = this.pragmaEnd(line, true) ?? null;
      }
    }
    if (this.globalEnd !== null) return { start: this.globalEnd, end: this.globalEnd, newText: `,${code}` };
    const start = this.text.startsWith('\uFEFF') ? 1 : 0;
    return { start, end: start, newText: `# green-cloud global ignore=${code}${this.eol}` };
  }
}
