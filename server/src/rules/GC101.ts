/** GC101 — base image in an architecture namespace (`arm64v8/alpine`, legacy `aarch64/ubuntu`). */
import { runsOnTargets } from '../../../core/src/dockerfile/stageGraph';
import { ARCH_NAMESPACES, formatPlatform } from '../../../core/src/platforms';
import { baseImageRange, editBaseImage, fixOf, isDeliberatelyPerArch, listPlatforms, otherTargets } from './helpers';
import { registryConfirmation } from './registryFacts';
import type { Finding, Rule } from './types';

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export const GC101: Rule = {
  code: 'GC101',
  title: 'Architecture namespace in base image',
  description: "A base image from an architecture namespace (arm64v8/, arm32v7/, amd64/, aarch64/, armhf/ …) is pinned to one platform; use the multi-arch image.",
  defaultSeverity: 'warning',
  check(context) {
    const { model } = context;
    const findings: Finding[] = [];
    for (const stage of model.stages) {
      if (!runsOnTargets(model, stage)) continue;
      const { path, registry } = stage.base;
      if (!path || (registry && !DOCKER_HUB_HOSTS.has(registry.toLowerCase()))) continue;
      const parts = path.split('/');
      if (parts.length !== 2) continue;
      const namespace = parts[0];
      const pinned = ARCH_NAMESPACES[namespace];
      if (!pinned || isDeliberatelyPerArch(stage, pinned)) continue;
      const others = otherTargets(context, pinned);
      if (others.length === 0) continue;
      const image = stage.base.resolved ?? stage.base.written;
      const multiArch = image.replace(new RegExp(`^(?:(?:docker\\.io|index\\.docker\\.io|registry-1\\.docker\\.io)/)?${namespace}/`, 'i'), '');
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
