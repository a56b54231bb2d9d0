/**
 * "Green Cloud: Push Manifest List": a list over per-platform images already in a registry.
 * Arguments (optional): target `IMAGE:VERSION`, then the source images (string array); without
 * them the user is asked, prefilled from the last build. Resolves to the pushed list, if any.
 */
import type { CommandFactory } from './index';
import { activeScope } from '../workspace/activeScope';
import { askListInputs, pushListWithProgress } from '../ui/manifestList';
import { currentConfig, reportConfigProblems } from '../workspace/settings';
import { requireTrust } from '../ui/trust';

export const pushManifestList: CommandFactory = (ctx) => async (target?: unknown, sources?: unknown) => {
  if (!requireTrust('Pushing images')) return undefined;
  const scope = activeScope();
  const config = currentConfig(scope);
  reportConfigProblems(ctx.output, config);
  const inputs = await askListInputs(ctx.extension.workspaceState, config, scope?.fsPath, { target, sources });
  if (!inputs) return undefined;
  return pushListWithProgress(ctx.output, config, inputs);
};
