/**
 * "Green Cloud: Build and Push All Platforms": runs "Build for All Platforms" (same arguments),
 * then, when every platform built and verified, pushes the per-arch images and the list
 * IMAGE:VERSION. One notification per outcome: a failed build shows the build's summary; a
 * successful build is reported together with its push ("built and pushed …"), never as two
 * stacked notifications. Resolves to the pushed list, if any.
 */
import * as vscode from 'vscode';
import type { CommandFactory } from './index';
import type { SessionOutcome } from '../imageBuild/session';
import { publishWithProgress } from '../ui/manifestList';
import { currentConfig } from '../workspace/settings';
import { requireTrust } from '../ui/trust';

export const buildAndPushAllPlatforms: CommandFactory = (ctx) => async (target?: unknown, preset?: unknown) => {
  if (!requireTrust('Building and pushing images')) return undefined;
  const outcome = await vscode.commands.executeCommand<SessionOutcome | undefined>('greenCloud.buildAllPlatforms', target, preset, {
    notifySuccess: false,
  });
  if (!outcome?.plan || outcome.error || !outcome.summary?.ok) return undefined;
  return publishWithProgress(ctx.output, currentConfig(vscode.Uri.file(outcome.plan.request.dockerfile)), outcome);
};
