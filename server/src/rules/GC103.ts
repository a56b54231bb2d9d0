/** GC103 — a base-image repository name that names an architecture or a device (`resin/armv7hf-debian`, `balenalib/raspberrypi3-debian`). */
import { runsOnTargets } from '../../../core/src/dockerfile/stageGraph';
import { formatPlatform } from '../../../core/src/platforms';
import { baseImageRange, isDeliberatelyPerArch, listPlatforms, otherTargets } from './helpers';
import { namePinOf } from './imagePins';
import { registryConfirmation } from './registryFacts';
import type { Finding, Rule } from './types';

export const GC103: Rule = {
  code: 'GC103',
  title: 'Architecture or device in base image name',
  description:
    'A base-image repository whose name names an architecture or a device (resin/armv7hf-debian, balenalib/raspberrypi3-debian) is built for one platform only.',
  defaultSeverity: 'warning',
  check(context) {
    const { model } = context;
    const findings: Finding[] = [];
    for (const stage of model.stages) {
      if (!runsOnTargets(model, stage)) continue;
      const { path, tag } = stage.base;
      if (!path) continue;
      const pin = namePinOf(path, tag);
      if (!pin) continue;
      const { mention, pinned, what, advice } = pin;
      if (isDeliberatelyPerArch(stage, pinned) || (mention.device && stage.name?.includes(mention.token.toLowerCase()))) continue;
      const others = otherTargets(context, pinned);
      if (others.length === 0) continue;
      const image = stage.base.resolved ?? stage.base.written;
      const via = stage.base.viaVariable && stage.base.resolved !== undefined ? ` (from '${stage.base.written}')` : '';
      findings.push({
        range: stage.base.nameRange ?? baseImageRange(stage),
        message:
          `Base image '${image}'${via} is built for ${formatPlatform(pinned)} only (its name says ${what}); ` +
          `on ${listPlatforms(others)} it runs ${pinned.architecture}${pinned.variant ?? ''} binaries. ${advice}${registryConfirmation(context, stage)}`,
        instruction: stage.from,
      });
    }
    return findings;
  },
};
