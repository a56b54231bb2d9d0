/**
 * "Green Cloud: Build for All Platforms": builds a Dockerfile once per target platform.
 * Arguments (all optional): the Dockerfile URI, then a BuildPreset ({platforms, image, version,
 * context}) that skips the matching questions, then `{ notifySuccess: false }` (Build and Push:
 * no notification for a successful build). The engines are checked before any question.
 * Resolves to the run's SessionOutcome.
 */
import * as vscode from 'vscode';
import type { CommandFactory } from './index';
import { clearBuildFailures } from '../imageBuild/diagnostics';
import { emulationMayHaveChanged, userAskedToBuild } from '../imageBuild/events';
import { buildRequest } from '../imageBuild/request';
import { askBuildChoices, buildTargets, candidatePlatforms, readPreset } from '../ui/buildChoices';
import { checkEnginesFirst, reportBuild, runWithBuildProgress } from '../ui/buildProgress';
import { dockerfileText, resolveDockerfile } from '../workspace/dockerfiles';
import { currentConfig, reportConfigProblems } from '../workspace/settings';
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
  userAskedToBuild();
  const state = ctx.extension.workspaceState;
  const targets = await buildTargets(state, dockerfile, config, preset);
  const engines = await checkEnginesFirst(ctx.output, candidatePlatforms(targets), config);
  if (engines.failed) return engines.failed;
  const choices = await askBuildChoices(state, dockerfile, config, preset, targets, engines.readiness);
  if (!choices) return undefined;
  clearBuildFailures(dockerfile);
  const text = await dockerfileText(dockerfile);
  const outcome = await runWithBuildProgress(ctx.output, buildRequest(choices), config);
  // Build and Push passes {notifySuccess: false}: it reports a successful build with its push, in one notification.
  const notifySuccess = (options as { notifySuccess?: unknown } | undefined)?.notifySuccess !== false;
  await reportBuild(ctx.output, dockerfile, text, outcome, { notifySuccess });
  emulationMayHaveChanged();
  return outcome;
};
