/**
 * Around a build run: the engine check before any question, the cancellable progress
 * notification, and what the user sees after it (one toast, the failing lines marked, the
 * walkthrough told).
 */
import * as vscode from 'vscode';
import type { Platform } from '../../../core/src/platforms';
import type { BuildRequest } from '../../../core/src/imageBuild/types';
import type { Config } from '../config';
import { checkReadiness, engineProblems } from '../imageBuild/emulation';
import { buildSucceededOnEveryPlatform, emulationMayHaveChanged } from '../imageBuild/events';
import { markBuildFailures } from '../imageBuild/diagnostics';
import type { PlatformReadiness } from '../imageBuild/format';
import { runBuildSession, type SessionOutcome } from '../imageBuild/session';
import { openSetting } from '../workspace/settings';

const SHOW_LOG = 'Show Log';
const OPEN_SETTINGS = 'Open Settings';

/**
 * Pings the engines of `platforms` (and reads their emulation, for the platform picker) before
 * the user answers anything. With an engine down: logs and shows the error with [Open Settings]
 * and [Show Log], and returns it as the command's outcome.
 */
export async function checkEnginesFirst(
  output: vscode.LogOutputChannel,
  platforms: readonly Platform[],
  config: Config,
): Promise<{ readiness: readonly PlatformReadiness[]; failed?: SessionOutcome }> {
  const started = Date.now();
  const readiness = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Green Cloud: checking the Docker engine' },
    () => checkReadiness(platforms, config.engines),
  );
  const problems = engineProblems(readiness, config.engines);
  // The status item shows the configured targets, not this file's: let it re-check its own.
  if (problems.length > 0) emulationMayHaveChanged();
  if (problems.length === 0) return { readiness };
  const error = problems.map((p) => p.message).join('\n');
  output.error(error);
  const failed: SessionOutcome = { error, setting: problems[0]?.setting, results: [], durationMs: Date.now() - started };
  showBuildOutcome(output, failed);
  return { readiness, failed };
}

/** Runs the build with a cancellable notification; Cancel aborts every platform's build. */
export function runWithBuildProgress(output: vscode.LogOutputChannel, request: BuildRequest, config: Config): Thenable<SessionOutcome> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Green Cloud: building ${request.image}:${request.version}`,
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => {
        output.info('Cancel requested: stopping every running build.');
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

/**
 * After a run: one toast, the failing lines marked in `dockerfile` (as `text` was built), and the
 * walkthrough step on full success. `notifySuccess: false` (Build and Push) leaves a successful
 * build's toast to the caller, which reports build and push in one notification.
 */
export async function reportBuild(
  output: vscode.LogOutputChannel,
  dockerfile: vscode.Uri,
  text: string,
  outcome: SessionOutcome,
  options: { notifySuccess?: boolean } = {},
): Promise<void> {
  const ok = !outcome.error && outcome.summary?.ok === true;
  if (!ok || options.notifySuccess !== false) showBuildOutcome(output, outcome);
  markBuildFailures(dockerfile, text, outcome.results);
  if (ok) await buildSucceededOnEveryPlatform();
}

/** The end-of-build notification (not awaited: the command resolves while it is shown). */
export function showBuildOutcome(output: vscode.LogOutputChannel, outcome: SessionOutcome): void {
  const message = outcome.error ? `Green Cloud: ${outcome.error}` : `Green Cloud: ${outcome.summary?.notification ?? 'nothing was built.'}`;
  const show =
    outcome.error || !outcome.summary?.ok
      ? outcome.summary?.cancelled && !outcome.error
        ? vscode.window.showWarningMessage
        : vscode.window.showErrorMessage
      : vscode.window.showInformationMessage;
  const actions = outcome.setting ? [OPEN_SETTINGS, SHOW_LOG] : [SHOW_LOG];
  void show(message, ...actions).then((choice) => {
    if (choice === SHOW_LOG) output.show(true);
    else if (choice === OPEN_SETTINGS && outcome.setting) void openSetting(outcome.setting);
  });
}
