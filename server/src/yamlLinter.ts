/**
 * The YAML lint: `lintYaml(text, settings, options)` → the GC3xx diagnostics of a Kubernetes
 * manifest or Compose file, in the same shape as `lint()`'s (fixes in `data`). Pure and never
 * throws. Registry findings (GC301, GC303, GC304) need `options.images`: the caller looks up
 * `yamlImagesToLookUp(…)` first (the server in the background, the CLI before it reports).
 */
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isValidImageReference } from '../../core/src/imageRef';
import { docsHref, SOURCE, type GreenCloudDiagnostic } from './linter';
import { YAML_RULES } from './rules';
import { DEFAULT_SETTINGS, type LintSettings, type SeverityName } from '../../core/src/settings';
import { YAML_PRAGMA, YamlIgnoreFixes } from './yaml/ignore';
import type { ImagePlatformsTable } from './yaml/imagePlatforms';
import { buildYamlModel, flavourByName, type YamlModel } from './yaml/model';
import type { YamlFinding, YamlRule } from './yaml/types';

export interface YamlLintOptions {
  /** File name or URI (Compose files are recognised by name). */
  readonly fileName?: string;
  /** `yaml`, `dockercompose` … */
  readonly languageId?: string;
  /** Registry answers; without them GC301, GC303 and GC304 report nothing. */
  readonly images?: ImagePlatformsTable;
  readonly docsBase?: string;
  readonly onRuleError?: (code: string, error: unknown) => void;
  /** Rules to run (tests); defaults to all YAML rules. */
  readonly rules?: readonly YamlRule[];
}

const SEVERITY: Record<Exclude<SeverityName, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Language ids and file names the YAML lint may handle (the content decides the rest). */
export function isYamlDocument(fileName: string | undefined, languageId: string | undefined): boolean {
  if (languageId === 'yaml' || languageId === 'dockercompose') return true;
  if (languageId !== undefined && languageId !== 'plaintext') return false;
  return fileName !== undefined && (/\.ya?ml$/i.test(fileName.replace(/[?#].*$/, '')) || flavourByName(fileName, languageId) !== undefined);
}

function modelOf(text: string, settings: LintSettings, options: YamlLintOptions): YamlModel {
  return buildYamlModel(text, { fileName: options.fileName, languageId: options.languageId, platforms: settings.platforms });
}

/** The images whose platforms the registry rules need (valid references only, each once). */
export function yamlImagesToLookUp(text: string, settings: LintSettings = DEFAULT_SETTINGS, options: YamlLintOptions = {}): string[] {
  const rules = (options.rules ?? YAML_RULES).filter((r) => r.usesLookups && settings.rules[r.code] !== 'off');
  if (rules.length === 0) return [];
  let model: YamlModel;
  try {
    model = modelOf(text, settings, options);
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const w of model.workloads) {
    if (w.uncertain || w.builds) continue;
    for (const use of w.images) if (isValidImageReference(use.image)) out.add(use.image);
  }
  return [...out];
}

/** `# green-cloud ignore=GC301,GC302` on the line above a finding, `# green-cloud global ignore=…` anywhere. */
function readSuppressions(text: string): { global: Set<string>; byLine: Map<number, Set<string>> } {
  const global = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (!line.includes('green-cloud')) continue;
    const [, globalWord, list] = YAML_PRAGMA.exec(line) ?? [];
    if (list === undefined) continue;
    const codes = list
      .split(/[\s,]+/)
      .filter((c) => c !== '')
      .map((c) => c.toUpperCase());
    if (globalWord) for (const c of codes) global.add(c);
    else byLine.set(i + 1, new Set(codes));
  }
  return { global, byLine };
}

/** Lints a YAML document. Never throws: a failing rule is reported through `onRuleError`. */
export function lintYaml(text: string, settings: LintSettings = DEFAULT_SETTINGS, options: YamlLintOptions = {}): GreenCloudDiagnostic[] {
  let model: YamlModel;
  try {
    model = modelOf(text, settings, options);
  } catch (error) {
    options.onRuleError?.('yaml', error);
    return [];
  }
  if (model.workloads.length === 0) return [];
  const document = TextDocument.create('untitled:yaml', 'yaml', 0, text);
  const suppressions = readSuppressions(text);
  const ignore = new YamlIgnoreFixes(text);
  const out: GreenCloudDiagnostic[] = [];
  const seen = new Set<string>();
  for (const rule of options.rules ?? YAML_RULES) {
    const configured = settings.rules[rule.code];
    if (configured === 'off' || suppressions.global.has(rule.code)) continue;
    let findings: YamlFinding[];
    try {
      findings = rule.check({ model, settings, images: options.images });
    } catch (error) {
      options.onRuleError?.(rule.code, error);
      continue;
    }
    for (const finding of findings) {
      const range = { start: document.positionAt(finding.span.start), end: document.positionAt(finding.span.end) };
      if (suppressions.byLine.get(range.start.line)?.has(rule.code)) continue;
      // An image shared through an anchor is reported once, at the anchor.
      const key = `${rule.code}:${finding.span.start}:${finding.span.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const severity = configured ?? finding.severity ?? rule.defaultSeverity;
      out.push({
        range,
        severity: SEVERITY[severity],
        code: rule.code,
        codeDescription: { href: docsHref(rule.code, options.docsBase) },
        source: SOURCE,
        message: finding.message,
        data: {
          fixes: [...(finding.fixes ?? []), ...ignore.fixes(rule.code, range.start.line)].map((fix) => ({
            title: fix.title,
            isPreferred: fix.isPreferred,
            edits: fix.edits.map((e) => ({
              range: { start: document.positionAt(e.start), end: document.positionAt(e.end) },
              newText: e.newText,
            })),
          })),
        },
      });
    }
  }
  out.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code),
  );
  return out;
}
