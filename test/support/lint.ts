/** Test helpers for the lint engine: compact ranges, applying fixes, re-linting. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { lint, type GreenCloudDiagnostic } from '../../server/src/linter';
import type { LookupResult, RegistryAnswers } from '../../server/src/lookups/types';
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
export function lintStrict(text: string, s: LintSettings = DEFAULT_SETTINGS, registry?: RegistryAnswers): GreenCloudDiagnostic[] {
  const errors: string[] = [];
  const out = lint(text, s, {
    registry,
    onRuleError: (code, e) => errors.push(`${code}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  });
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
  if (!fix)
    throw new Error(
      `no fix${titlePrefix ? ` '${titlePrefix}'` : ''} on ${summary(diagnostic)}: ${diagnostic.data.fixes.map((f) => f.title).join(' | ')}`,
    );
  return applyEdits(text, fix.edits);
}

/**
 * Registry answers for a fixture (`bad-x.registry.json`): what a registry said about each base
 * reference, written compactly: `{ "team/tool:1": { "kind": "image", "platforms": ["linux/amd64"] } }`
 * (optional `digest`, `pinnedDigest`, `tagTarget`, `status`). The lookup service itself is
 * tested against real registries (test/e2e/registry/lookups.test.ts); the rules are pure
 * functions of these answers.
 */
export function registryAnswers(json: Record<string, Record<string, unknown>>): RegistryAnswers {
  const answers = new Map<string, LookupResult>();
  for (const [reference, a] of Object.entries(json)) {
    const platforms = ((a.platforms as string[] | undefined) ?? []).map((text, i) => {
      const [os, architecture, variant] = text.split('/');
      return { platform: text, os, architecture, ...(variant ? { variant } : {}), digest: `sha256:${String(i).padStart(64, '0')}` };
    });
    const at = reference.lastIndexOf('@');
    answers.set(reference, {
      reference,
      canonical: reference,
      registry: (a.registry as string | undefined) ?? 'docker.io',
      repository: (a.repository as string | undefined) ?? reference.replace(/[:@].*$/, ''),
      status: (a.status as LookupResult['status'] | undefined) ?? 'ok',
      kind: (a.kind as 'list' | 'image' | undefined) ?? 'list',
      digest: (a.digest as string | undefined) ?? `sha256:${'f'.repeat(64)}`,
      ...(at > 0 ? { pinnedDigest: reference.slice(at + 1) } : {}),
      ...(a.tagTarget ? { tagTarget: a.tagTarget as LookupResult['tagTarget'] } : {}),
      platforms,
      attestations: 0,
      lookedUpAt: 0,
      fromCache: false,
      credentialsSource: 'anonymous access',
    });
  }
  return answers;
}
