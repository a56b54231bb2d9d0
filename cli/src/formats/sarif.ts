/**
 * `--format sarif`: a SARIF 2.1.0 log that GitHub code scanning accepts. Every rule is listed
 * with its metadata and `helpUri` (its docs page); each finding is a result whose region is
 * 1-based, columns in UTF-16 code units (SARIF's default, which is what LSP ranges count).
 * Files under the working directory are given relative to `%SRCROOT%` (the working directory),
 * so the log can be uploaded from a checkout's root.
 */
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Log, ReportingDescriptor, Result } from 'sarif';
import { docsHref } from '../../../server/src/linter';
import type { RuleInfo } from '../../../server/src/rules';
import { messageText, severityName, type LintedFile, type ReportSeverity } from './report';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<ReportSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export interface SarifOptions {
  readonly rules: readonly RuleInfo[];
  readonly version: string;
  readonly informationUri: string;
  readonly docsBase: string;
  /** The directory `%SRCROOT%` stands for (the working directory). */
  readonly cwd: string;
}

/** `Architecture namespace in base image` → `ArchitectureNamespaceInBaseImage`. */
export function ruleName(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function ruleTags(rule: RuleInfo): string[] {
  if (rule.code.startsWith('GC3')) return ['kubernetes', 'compose', 'multi-arch'];
  const family = rule.code.startsWith('GC1') ? 'architecture-pinning' : rule.code.startsWith('GC2') ? 'cross-build' : 'configuration';
  return ['dockerfile', 'multi-arch', family];
}

function descriptor(rule: RuleInfo, docsBase: string): ReportingDescriptor {
  const helpUri = docsHref(rule.code, docsBase);
  return {
    id: rule.code,
    name: ruleName(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: `${rule.description} See ${helpUri}`, markdown: `${rule.description}\n\n[${rule.code} documentation](${helpUri})` },
    helpUri,
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    properties: { tags: ruleTags(rule) },
  };
}

/** `docker/app/Dockerfile` relative to `%SRCROOT%` when under cwd, else an absolute file URI. */
export function artifactLocation(file: LintedFile, cwd: string): ArtifactLocation {
  if (file.path === undefined) return { uri: 'stdin' };
  const rel = relative(cwd, file.path);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) {
    return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(file.path).href };
}

export function formatSarif(files: readonly LintedFile[], options: SarifOptions): string {
  const index = new Map(options.rules.map((r, i) => [r.code as string, i]));
  const results: Result[] = [];
  for (const file of files) {
    const location = artifactLocation(file, options.cwd);
    for (const d of file.diagnostics) {
      const result: Result = {
        ruleId: d.code,
        level: LEVEL[severityName(d.severity)],
        message: { text: messageText(d) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: location,
              region: {
                startLine: d.range.start.line + 1,
                startColumn: d.range.start.character + 1,
                endLine: d.range.end.line + 1,
                endColumn: d.range.end.character + 1,
              },
            },
          },
        ],
      };
      const ruleIndex = index.get(d.code);
      if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
      results.push(result);
    }
  }
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'green-cloud',
            version: options.version,
            semanticVersion: options.version,
            informationUri: options.informationUri,
            rules: options.rules.map((r) => descriptor(r, options.docsBase)),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(options.cwd).href.replace(/\/$/, '')}/` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
