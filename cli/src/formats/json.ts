/** `--format json`: an array of `{file, code, severity, message, range}` (0-based LSP ranges). */
import type { Range } from 'vscode-languageserver-types';
import { messageText, severityName, type LintedFile, type ReportSeverity } from './report';

export interface JsonFinding {
  readonly file: string;
  readonly code: string;
  readonly severity: ReportSeverity;
  readonly message: string;
  /** 0-based line and UTF-16 character offsets, end exclusive (as LSP). */
  readonly range: Range;
}

export function formatJson(files: readonly LintedFile[]): string {
  const findings: JsonFinding[] = files.flatMap((f) =>
    f.diagnostics.map((d) => ({ file: f.name, code: d.code, severity: severityName(d.severity), message: messageText(d), range: d.range })),
  );
  return `${JSON.stringify(findings, null, 2)}\n`;
}
