/** Test helpers for the lint engine: compact ranges, applying fixes, re-linting. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { lint, type GreenCloudDiagnostic } from '../../server/src/linter';
import { DEFAULT_SETTINGS, sanitizeSettings, type LintSettings } from '../../core/src/settings';

/** `1:5-1:12` (0-based line:character, as LSP). */
export function rangeString(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

export const SEVERITY_NAME: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

/** A diagnostic as compared in tests: `GC101 warning 1:5-1:19`. */
export function summary(d: GreenCloudDiagnostic): string {
  return `${d.code} ${SEVERITY_NAME[d.severity ?? 1]} ${rangeString(d.range)}`;
}

export function settings(raw?: unknown): LintSettings {
  return raw === undefined ? DEFAULT_SETTINGS : sanitizeSettings(raw);
}

/** Lints and throws if any rule failed (a crash is a bug, not a silence). */
export function lintStrict(text: string, s: LintSettings = DEFAULT_SETTINGS): GreenCloudDiagnostic[] {
  const errors: string[] = [];
  const out = lint(text, s, { onRuleError: (code, e) => errors.push(`${code}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`) });
  if (errors.length > 0) throw new Error(`rules failed:\n${errors.join('\n')}`);
  return out;
}

export function lintSummary(text: string, s?: LintSettings): string[] {
  return lintStrict(text, s).map(summary);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text), [...edits]);
}

/** Applies a diagnostic's fix by title prefix (or its first non-ignore fix). */
export function applyFix(text: string, diagnostic: GreenCloudDiagnostic, titlePrefix?: string): string {
  const fix = diagnostic.data.fixes.find((f) => (titlePrefix ? f.title.startsWith(titlePrefix) : !f.title.startsWith('Ignore ')));
  if (!fix) throw new Error(`no fix${titlePrefix ? ` '${titlePrefix}'` : ''} on ${summary(diagnostic)}: ${diagnostic.data.fixes.map((f) => f.title).join(' | ')}`);
  return applyEdits(text, fix.edits);
}
