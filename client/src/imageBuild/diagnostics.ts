/**
 * The failing build step, marked in its Dockerfile: an error on the RUN line ("fails on
 * linux/arm64: exit code 1 — <the step's last output line>", source green-cloud) in a
 * client-side collection, kept until the next build of that Dockerfile starts (the language
 * server's own diagnostics are separate).
 */
import * as vscode from 'vscode';
import type { PlatformResult } from '../../../core/src/imageBuild/types';
import { failureMarks } from './failures';

let collection: vscode.DiagnosticCollection | undefined;

function diagnostics(): vscode.DiagnosticCollection {
  collection ??= vscode.languages.createDiagnosticCollection('green-cloud-build');
  return collection;
}

/** A build of `dockerfile` starts: its old failure marks go. */
export function clearBuildFailures(dockerfile: vscode.Uri): void {
  collection?.delete(dockerfile);
}

/** Marks the lines where platforms failed (`text` is the Dockerfile as built). */
export function markBuildFailures(dockerfile: vscode.Uri, text: string, results: readonly PlatformResult[]): void {
  const marks = failureMarks(text, results);
  if (marks.length === 0) {
    collection?.delete(dockerfile);
    return;
  }
  diagnostics().set(
    dockerfile,
    marks.map((m) => {
      const d = new vscode.Diagnostic(
        new vscode.Range(m.range.line, m.range.startCharacter, m.range.line, m.range.endCharacter),
        m.message,
        vscode.DiagnosticSeverity.Error,
      );
      d.source = 'green-cloud';
      return d;
    }),
  );
}

/** Disposes the collection (extension deactivation). */
export function disposeBuildDiagnostics(): void {
  collection?.dispose();
  collection = undefined;
}
