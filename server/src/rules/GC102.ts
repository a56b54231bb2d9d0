/** GC102 — a base-image tag that names an architecture (`multiarch/alpine:armhf-v3.7`, `node:20-arm64`). */
import { runsOnTargets } from '../../../core/src/dockerfile/stageGraph';
import { formatPlatform } from '../../../core/src/platforms';
import { findArchMention, flavourOf, isCrossToolchain, type ArchMention } from './archNames';
import { baseImageRange, editBaseImage, fixOf, isDeliberatelyPerArch, listPlatforms, otherTargets } from './helpers';
import { registryConfirmation } from './registryFacts';
import type { Finding, Rule } from './types';

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * Per-arch repositories whose multi-arch equivalent is known. The tag is `<arch>-<rest>`;
 * the function maps `<rest>` to the multi-arch image, or undefined when unknown.
 */
const KNOWN_EQUIVALENTS: Readonly<Record<string, (rest: string) => string | undefined>> = {
  'multiarch/alpine': (rest) => {
    if (rest === 'latest-stable' || rest === 'latest') return 'alpine:latest';
    if (rest === 'edge') return 'alpine:edge';
    const m = /^v?([0-9]+\.[0-9]+(?:\.[0-9]+)?)$/.exec(rest);
    return m ? `alpine:${m[1]}` : undefined;
  },
  'multiarch/debian-debootstrap': (rest) => (/^[a-z]+(?:-slim)?$/.test(rest) ? `debian:${rest}` : undefined),
  'multiarch/ubuntu-debootstrap': (rest) => (/^[a-z]+$/.test(rest) ? `ubuntu:${rest}` : undefined),
  'multiarch/ubuntu-core': (rest) => (/^[a-z]+$/.test(rest) ? `ubuntu:${rest}` : undefined),
};

function knownEquivalent(path: string, registry: string | undefined, tag: string, mention: ArchMention): string | undefined {
  if (registry && !DOCKER_HUB_HOSTS.has(registry.toLowerCase())) return undefined;
  const map = KNOWN_EQUIVALENTS[path];
  if (!map || mention.start !== 0 || tag[mention.end] !== '-') return undefined;
  return map(tag.slice(mention.end + 1));
}

/** `20-arm64` → `20`; `arm64-latest-stable` → `latest-stable`; undefined when nothing is left. */
function tagWithout(tag: string, mention: ArchMention): string | undefined {
  const before = tag.slice(0, mention.start).replace(/[-_.]$/, '');
  const after = tag.slice(mention.end).replace(/^[-_.]/, '');
  const rest = before && after ? `${before}${tag[mention.start - 1]}${after}` : before || after;
  return rest === '' ? undefined : rest;
}

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
      const mention = findArchMention(tag, { flavour: flavourOf(path, tag), devices: false, bareX86: true });
      if (!mention || isCrossToolchain(path, tag, mention)) continue;
      const pinned = mention.platform;
      if (isDeliberatelyPerArch(stage, pinned)) continue;
      const others = otherTargets(context, pinned);
      if (others.length === 0) continue;
      const image = stage.base.resolved ?? stage.base.written;
      const via = stage.base.viaVariable && stage.base.resolved !== undefined ? ` (from '${stage.base.written}')` : '';
      const alpineNote =
        flavourOf(path, tag) === 'alpine' && mention.token.toLowerCase() === 'armhf' ? " ('armhf' is Alpine's name for ARMv6)" : '';
      const equivalent = stage.base.digest === undefined ? knownEquivalent(path, registry, tag, mention) : undefined;
      const shortName = path.startsWith('library/') ? path.slice('library/'.length) : path;
      const suggestion = tagWithout(tag, mention);
      const advice = equivalent
        ? `Use the multi-arch '${equivalent}'.`
        : suggestion
          ? `Use a multi-arch tag such as '${shortName}:${suggestion}' (the tag without '${mention.token}') if the image publishes one.`
          : `Use a multi-arch tag of '${shortName}' if the image publishes one.`;
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
