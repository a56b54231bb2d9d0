/** GC103 — a base-image repository name that names an architecture or a device (`resin/armv7hf-debian`, `balenalib/raspberrypi3-debian`). */
import { runsOnTargets } from '../../../core/src/dockerfile/stageGraph';
import { formatPlatform } from '../../../core/src/platforms';
import { findArchMention, flavourOf, isCrossToolchain } from './archNames';
import { baseImageRange, isDeliberatelyPerArch, listPlatforms, otherTargets } from './helpers';
import { registryConfirmation } from './registryFacts';
import type { Finding, Rule } from './types';

/** Name segments that have an official multi-arch image to suggest (raspbian → debian). */
const OFFICIAL: Readonly<Record<string, string>> = {
  debian: 'debian',
  raspbian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine',
  fedora: 'fedora',
  python: 'python',
  node: 'node',
  golang: 'golang',
  openjdk: 'eclipse-temurin',
  busybox: 'busybox',
};

function officialSuggestion(name: string, mentionStart: number, mentionEnd: number): string | undefined {
  const rest = `${name.slice(0, mentionStart)}-${name.slice(mentionEnd)}`.toLowerCase();
  let found: string | undefined;
  for (const segment of rest.split(/[-_.]/)) if (OFFICIAL[segment]) found = OFFICIAL[segment];
  return found;
}

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
      // Official images (`library/…`, no namespace) never name an architecture.
      if (!path || !path.includes('/') || path.startsWith('library/')) continue;
      const name = path.slice(path.lastIndexOf('/') + 1);
      const mention = findArchMention(name, { flavour: flavourOf(path, tag), devices: true, bareX86: false });
      if (!mention || isCrossToolchain(path, name, mention)) continue;
      const pinned = mention.platform;
      if (isDeliberatelyPerArch(stage, pinned) || (mention.device && stage.name?.includes(mention.token.toLowerCase()))) continue;
      const others = otherTargets(context, pinned);
      if (others.length === 0) continue;
      const image = stage.base.resolved ?? stage.base.written;
      const via = stage.base.viaVariable && stage.base.resolved !== undefined ? ` (from '${stage.base.written}')` : '';
      const alpineArmhf = !mention.device && mention.token.toLowerCase() === 'armhf' && flavourOf(path, tag) === 'alpine';
      const what = mention.device
        ? `the ${formatPlatform(pinned)} device '${mention.token}'`
        : `'${mention.token}'${alpineArmhf ? ", Alpine's name for ARMv6" : ''}`;
      const official = officialSuggestion(name, mention.start, mention.end);
      const advice = official
        ? `Use a multi-arch base image such as the official '${official}'.`
        : 'Use a multi-arch base image (one published as a manifest list).';
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
