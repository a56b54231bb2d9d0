/**
 * The lint engine: `lint(text, settings)` → LSP diagnostics, each carrying its quick fixes in
 * `data`. Pure: no connection, file system or network. Never throws on any input.
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticTag, type TextEdit } from 'vscode-languageserver-types';
import type { Instruction } from 'dockerfile-ast';
import { buildModel, type DockerfileModel } from '../../core/src/dockerfile/model';
import { findPlatformsDirective, isSuppressedBy, readSuppressions } from '../../core/src/dockerfile/directives';
import type { RegistryAnswers } from '../../core/src/registry/lookup';
import { RULES } from './rules';
import type { Finding, Fix, Rule, RuleContext } from './rules/types';
import { DEFAULT_SETTINGS, type LintSettings, type SeverityName } from '../../core/src/settings';

export const SOURCE = 'green-cloud';

/** Where `docs/rules/GCnnn.md` is published; the client passes the installed copy instead. */
export const DEFAULT_DOCS_BASE = 'https://github.com/green-cloud/green-cloud/blob/main/docs/rules/';

export interface DiagnosticData {
  readonly fixes: readonly Fix[];
}

export interface GreenCloudDiagnostic extends Diagnostic {
  readonly code: string;
  readonly source: typeof SOURCE;
  readonly message: string;
  readonly data: DiagnosticData;
}

export interface LintOptions {
  /** Base URI of the rule docs (ends with `/`); `GCnnn.md` is appended. */
  readonly docsBase?: string;
  /** Called when a rule throws (the other rules still run). */
  readonly onRuleError?: (code: string, error: unknown) => void;
  /** Registry answers for the base images (server/src/lookups): enables GC108/GC109. */
  readonly registry?: RegistryAnswers;
  /** Rules to run (tests); defaults to all. */
  readonly rules?: readonly Rule[];
}

const SEVERITY: Record<Exclude<SeverityName, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function docsHref(code: string, docsBase = DEFAULT_DOCS_BASE): string {
  return `${docsBase.endsWith('/') ? docsBase : `${docsBase}/`}${code}.md`;
}

const EOL = new WeakMap<DockerfileModel, string>();
const IGNORE_PRAGMA_ABOVE = new WeakMap<DockerfileModel, Map<number, DockerfileModel['comments'][number]>>();

/** The file's line end (computed once per lint: scanning the text per diagnostic was quadratic). */
function eolOf(model: DockerfileModel): string {
  let eol = EOL.get(model);
  if (eol === undefined) {
    eol = model.text.includes('\r\n') ? '\r\n' : '\n';
    EOL.set(model, eol);
  }
  return eol;
}

/** `# green-cloud ignore=` comments by line. */
function ignorePragmas(model: DockerfileModel): Map<number, DockerfileModel['comments'][number]> {
  let byLine = IGNORE_PRAGMA_ABOVE.get(model);
  if (!byLine) {
    byLine = new Map();
    for (const c of model.comments) if (/^green-cloud\s+ignore\s*=/i.test(c.content)) byLine.set(c.line, c);
    IGNORE_PRAGMA_ABOVE.set(model, byLine);
  }
  return byLine;
}

function indentationOf(model: DockerfileModel, line: number): string {
  const text = model.document.getText({ start: { line, character: 0 }, end: { line, character: 200 } });
  return /^[ \t]*/.exec(text)?.[0] ?? '';
}

/** "Ignore GCnnn for this instruction" (extends an existing pragma right above) and "… for this file". */
function ignoreFixes(model: DockerfileModel, code: string, instruction: Instruction | undefined): Fix[] {
  const eol = eolOf(model);
  const fixes: Fix[] = [];
  if (instruction) {
    const line = instruction.getRange().start.line;
    const above = ignorePragmas(model).get(line - 1);
    let edit: TextEdit;
    if (above) {
      edit = { range: { start: above.range.end, end: above.range.end }, newText: `,${code}` };
    } else {
      const at = { line, character: 0 };
      edit = { range: { start: at, end: at }, newText: `${indentationOf(model, line)}# green-cloud ignore=${code}${eol}` };
    }
    fixes.push({ title: `Ignore ${code} for this instruction`, edits: [edit] });
  }
  // After the parser directives (`# syntax=`, `# escape=`, `# check=`): a comment above them
  // would turn them into plain comments.
  let line = 0;
  const directiveLine = /^\s*#\s*[A-Za-z][A-Za-z0-9_-]*\s*=/;
  while (line < model.document.lineCount && line < model.firstInstructionLine) {
    const text = model.document.getText({ start: { line, character: 0 }, end: { line, character: 500 } });
    if (!directiveLine.test(text) || /^\s*#\s*green-cloud\b/i.test(text)) break;
    line++;
  }
  if (line >= model.document.lineCount) {
    // Only directives and no final newline: append a line rather than insert past the end
    // (which would glue the pragma onto the last directive).
    const end = model.document.positionAt(model.text.length);
    fixes.push({
      title: `Ignore ${code} for this file`,
      edits: [{ range: { start: end, end }, newText: `${eol}# green-cloud global ignore=${code}` }],
    });
    return fixes;
  }
  const at = { line, character: 0 };
  fixes.push({
    title: `Ignore ${code} for this file`,
    edits: [{ range: { start: at, end: at }, newText: `# green-cloud global ignore=${code}${eol}` }],
  });
  return fixes;
}

function toDiagnostic(
  model: DockerfileModel,
  rule: Rule,
  finding: Finding,
  severity: Exclude<SeverityName, 'off'>,
  docsBase: string | undefined,
): GreenCloudDiagnostic {
  const diagnostic: GreenCloudDiagnostic = {
    range: finding.range,
    severity: SEVERITY[severity],
    code: rule.code,
    codeDescription: { href: docsHref(rule.code, docsBase) },
    source: SOURCE,
    message: finding.message,
    data: { fixes: [...(finding.fixes ?? []), ...ignoreFixes(model, rule.code, finding.instruction)] },
  };
  if (rule.tags && rule.tags.length > 0) (diagnostic as Diagnostic).tags = [...rule.tags] as DiagnosticTag[];
  return diagnostic;
}

/** The target platforms and rule context for a parsed file. */
export function createContext(model: DockerfileModel, settings: LintSettings, registry?: RegistryAnswers): RuleContext {
  const directive = findPlatformsDirective(model);
  const platforms = directive?.platforms ?? settings.platforms;
  return registry ? { model, platforms, settings, registry } : { model, platforms, settings };
}

/** Lints Dockerfile text. Never throws: a failing rule is reported through `onRuleError`. */
export function lint(text: string, settings: LintSettings = DEFAULT_SETTINGS, options: LintOptions = {}): GreenCloudDiagnostic[] {
  let model: DockerfileModel;
  try {
    model = buildModel(text);
  } catch (error) {
    options.onRuleError?.('parser', error);
    return [];
  }
  const context = createContext(model, settings, options.registry);
  const suppressions = readSuppressions(model);
  const out: GreenCloudDiagnostic[] = [];
  for (const rule of options.rules ?? RULES) {
    const configured = settings.rules[rule.code];
    if (configured === 'off') continue;
    const peerCodes = rule.peerCodes ?? [];
    if (isSuppressedBy(suppressions.global, rule.code, peerCodes)) continue;
    let findings: Finding[];
    try {
      findings = rule.check(context);
    } catch (error) {
      options.onRuleError?.(rule.code, error);
      continue;
    }
    for (const finding of findings) {
      const line = finding.instruction?.getRange().start.line;
      if (line !== undefined && isSuppressedBy(suppressions.byLine.get(line), rule.code, peerCodes)) continue;
      const severity = configured ?? finding.severity ?? rule.defaultSeverity;
      out.push(toDiagnostic(model, rule, finding, severity, options.docsBase));
    }
  }
  out.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code),
  );
  return out;
}
