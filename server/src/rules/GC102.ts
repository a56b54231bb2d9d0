/** GC102 — a base-image tag that names an architecture (`multiarch/alpine:armhf-v3.7`, `node:20-arm64`). */
import { runsOnTargets } from '../../../core/src/dockerfile/stageGraph';
import { formatPlatform } from '../../../core/src/platforms';
import { baseImageRange, editBaseImage, fixOf, isDeliberatelyPerArch, listPlatforms, otherTargets } from './helpers';
import { tagPinOf } from './imagePins';
import { registryConfirmation } from './registryFacts';
import type { Finding, Rule } from './types';

export const GC102: Rule = {
  code: 'GC102',
  title: 'Architecture in base image tag',
  description: 'A base-image tag that names an architecture (armhf-v3.7, 20-arm64) pins the stage to one platform; use a multi-arch tag.',
  defaultSeverity: 'warning',
  check(context) {
    const { model } = context;
    const findings: Finding[] = [];
    for (const stage of model.stages) {
      if (!runsOnTargets(model, stage)) continue;
      const { path, tag, registry } = stage.base;
      if (!path || tag === undefined) continue;
      const pin = tagPinOf(path, registry, tag, stage.base.digest);
      if (!pin) continue;
      const { pinned, alpineNote, equivalent, advice } = pin;
      if (isDeliberatelyPerArch(stage, pinned)) continue;
      const others = otherTargets(context, pinned);
      if (others.length === 0) continue;
      const image = stage.base.resolved ?? stage.base.written;
      const via = stage.base.viaVariable && stage.base.resolved !== undefined ? ` (from '${stage.base.written}')` : '';
      const range = stage.base.tagRange ?? baseImageRange(stage);
      const written = stage.base.viaVariable ? image : stage.base.written;
      findings.push({
        range,
        message:
          `Tag '${tag}' of base image '${image}'${via} pins ${formatPlatform(pinned)}${alpineNote}; ` +
          `on ${listPlatforms(others)} it runs ${pinned.architecture}${pinned.variant ?? ''} binaries. ${advice}${registryConfirmation(context, stage)}`,
        instruction: stage.from,
        fixes: equivalent ? fixOf(`Use the multi-arch image '${equivalent}'`, editBaseImage(model, stage, written, equivalent)) : [],
      });
    }
    return findings;
  },
};
