/**
 * "Green Cloud: Build for All Platforms": builds a Dockerfile once per target platform.
 * Arguments (all optional): the Dockerfile URI, then a BuildPreset ({platforms, image, version,
 * context}) that skips the matching questions, then `{ notifySuccess: false }` (Build and Push:
 * no notification for a successful build). Resolves to the run's SessionOutcome.
 */
import * as vscode from 'vscode';
import type { CommandFactory } from './index';
import { buildRequest } from '../build/request';
import { emulationMayHaveChanged } from '../build/events';
import { askBuildChoices, readPreset } from '../ui/buildChoices';
import { runWithBuildProgress, showBuildOutcome } from '../ui/buildProgress';
import { resolveDockerfile } from '../ui/dockerfilePicker';
import { currentConfig, reportConfigProblems } from '../ui/settings';
import { requireTrust } from '../ui/trust';

export const buildAllPlatforms: CommandFactory = (ctx) => async (target?: unknown, presetArg?: unknown, options?: unknown) => {
  if (!requireTrust('Building images')) return undefined;
  let preset;
  try {
    preset = readPreset(presetArg);
  } catch (error) {
    void vscode.window.showErrorMessage(`Green Cloud: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const dockerfile = await resolveDockerfile(target);
  if (!dockerfile) return undefined;
  await vscode.workspace.textDocuments.find((d) => d.uri.toString() === dockerfile.toString() && d.isDirty)?.save();
  const config = currentConfig(dockerfile);
  reportConfigProblems(ctx.output, config);
  const choices = await askBuildChoices(ctx.extension.workspaceState, dockerfile, config, preset);
  if (!choices) return undefined;
  const outcome = await runWithBuildProgress(ctx.output, buildRequest(choices), config);
  // Build and Push passes {notifySuccess: false}: it reports a successful build with its push, in one notification.
  const quietSuccess = (options as { notifySuccess?: unknown } | undefined)?.notifySuccess === false && !outcome.error && outcome.summary?.ok;
  if (!quietSuccess) showBuildOutcome(ctx.output, outcome);
  emulationMayHaveChanged();
  return outcome;
};
