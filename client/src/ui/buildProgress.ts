/** The cancellable progress notification around a build run, and the summary notification after it. */
import * as vscode from 'vscode';
import type { BuildRequest } from '../../../core/src/imageBuild/types';
import type { Config } from '../config';
import { runBuildSession, type SessionOutcome } from '../build/session';

/** Runs the build with a cancellable notification; Cancel aborts every platform's build. */
export function runWithBuildProgress(output: vscode.LogOutputChannel, request: BuildRequest, config: Config): Thenable<SessionOutcome> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Green Cloud: building ${request.image}:${request.version}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => {
        output.warn('Cancel requested: stopping every running build.');
        abort.abort();
      });
      try {
        return await runBuildSession(request, {
          plan: { builders: config.builders, defaultHost: config.dockerHost },
          parallel: config.parallel,
          signal: abort.signal,
          log: output,
          onProgress: (message, increment) => progress.report({ message, increment }),
        });
      } finally {
        cancel.dispose();
      }
    },
  );
}

/** The end-of-build notification (not awaited: the command resolves while it is shown). */
export function showBuildOutcome(output: vscode.LogOutputChannel, outcome: SessionOutcome): void {
  const showLog = 'Show Log';
  const message = outcome.error ? `Green Cloud: ${outcome.error}` : `Green Cloud: ${outcome.summary?.notification ?? 'nothing was built.'}`;
  const show =
    outcome.error || !outcome.summary?.ok
      ? outcome.summary?.cancelled && !outcome.error
        ? vscode.window.showWarningMessage
        : vscode.window.showErrorMessage
      : vscode.window.showInformationMessage;
  void show(message, showLog).then((choice) => {
    if (choice === showLog) output.show(true);
  });
}
