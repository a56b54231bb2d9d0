/** GC101 — base image in an architecture namespace (`arm64v8/alpine`, legacy `aarch64/ubuntu`). */
import { runsOnTargets } from '../../../core/src/dockerfile/stageGraph';
import { formatPlatform } from '../../../core/src/platforms';
import { baseImageRange, editBaseImage, fixOf, isDeliberatelyPerArch, listPlatforms, otherTargets } from './helpers';
import { namespacePinOf, withoutNamespace } from './imagePins';
import { registryConfirmation } from './registryFacts';
import type { Finding, Rule } from './types';

export const GC101: Rule = {
  code: 'GC101',
  title: 'Architecture namespace in base image',
  description:
    'A base image from an architecture namespace (arm64v8/, arm32v7/, amd64/, aarch64/, armhf/ …) is pinned to one platform; use the multi-arch image.',
  defaultSeverity: 'warning',
  check(context) {
    const { model } = context;
    const findings: Finding[] = [];
    for (const stage of model.stages) {
      if (!runsOnTargets(model, stage)) continue;
      const { path, registry } = stage.base;
      if (!path) continue;
      const pin = namespacePinOf(path, registry);
      if (!pin || isDeliberatelyPerArch(stage, pin.pinned)) continue;
      const { namespace, pinned } = pin;
      const others = otherTargets(context, pinned);
      if (others.length === 0) continue;
      const image = stage.base.resolved ?? stage.base.written;
      const multiArch = withoutNamespace(image, namespace);
      const via = stage.base.viaVariable && stage.base.resolved !== undefined ? ` (from '${stage.base.written}')` : '';
      findings.push({
        range: baseImageRange(stage),
        message:
          `Base image '${image}'${via} is pinned to ${formatPlatform(pinned)} by its '${namespace}/' namespace; ` +
          `on ${listPlatforms(others)} it runs ${pinned.architecture}${pinned.variant ?? ''} binaries. Use the multi-arch '${multiArch}'.${registryConfirmation(context, stage)}`,
        instruction: stage.from,
        fixes: fixOf(`Use the multi-arch image '${multiArch}'`, editBaseImage(model, stage, `${namespace}/`, '')),
      });
    }
    return findings;
  },
};
