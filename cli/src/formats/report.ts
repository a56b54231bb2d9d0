/** What the lint formatters receive: one entry per input, with its diagnostics. */
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { GreenCloudDiagnostic } from '../../../server/src/linter';

/** A reported severity: the LSP severity by name (`info` is LSP's Information). */
export type ReportSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface LintedFile {
  /** The name shown to the user: the path as given on the command line, or `<stdin>`. */
  readonly name: string;
  /** Absolute path on disk; undefined for standard input without `--stdin-filename`. */
  readonly path: string | undefined;
  readonly text: string;
  readonly diagnostics: readonly GreenCloudDiagnostic[];
}

export function severityName(severity: DiagnosticSeverity | undefined): ReportSeverity {
  switch (severity) {
    case DiagnosticSeverity.Warning:
      return 'warning';
    case DiagnosticSeverity.Information:
      return 'info';
    case DiagnosticSeverity.Hint:
      return 'hint';
    default:
      return 'error';
  }
}

/** Most severe first: `error` = 0 … `hint` = 3. */
export const SEVERITY_RANK: Readonly<Record<ReportSeverity, number>> = { error: 0, warning: 1, info: 2, hint: 3 };

/** The message as plain text (LSP 3.18 allows MarkupContent; the engine writes strings). */
export function messageText(d: GreenCloudDiagnostic): string {
  return d.message;
}
