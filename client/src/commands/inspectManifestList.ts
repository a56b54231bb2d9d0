/**
 * "Green Cloud: Inspect Manifest List": platforms, digests and sizes of any list or image, in a
 * read-only text view. Argument (optional): the reference. Resolves to the inspection result.
 */
import type { CommandFactory } from './index';
import { activeScope } from '../workspace/activeScope';
import { inspectWithProgress } from '../ui/manifestList';
import { currentConfig } from '../workspace/settings';

export const inspectManifestList: CommandFactory = (ctx) => async (reference?: unknown) => {
  const config = currentConfig(activeScope());
  return inspectWithProgress(ctx.extension.workspaceState, ctx.output, config, reference);
};
