/**
 * GC104 — a constant `FROM --platform=linux/arm64`: the stage is built for that platform
 * whatever platform is requested. BuildKit's exemptions apply (a variable in the value, a stage
 * name that contains the platform's OS or architecture, an unparsable value).
 */
import { runsOnTargets } from '../../../core/src/dockerfile/stageGraph';
import { formatPlatform, parsePlatform, type Platform } from '../../../core/src/platforms';
import type { Stage } from '../../../core/src/dockerfile/model';
import { listPlatforms, otherTargets, stageNameMentionsArch } from './helpers';
import { removePlatformFlagEdit } from '../../../core/src/dockerfile/platformArgs';
import type { Fix, Finding, Rule } from './types';

function parse(value: string): Platform | undefined {
  try {
    return parsePlatform(value);
  } catch {
    return undefined;
  }
}

/** BuildKit: no warning when the (lower-case) stage name contains the platform's OS or architecture. */
function stageNameExempts(stage: Stage, platform: Platform): boolean {
  const name = stage.name;
  if (!name) return false;
  return name.includes(platform.os) || name.includes(platform.architecture) || stageNameMentionsArch(name, platform);
}

export const GC104: Rule = {
  code: 'GC104',
  title: 'Constant --platform on FROM',
  description:
    'A constant FROM --platform value builds the stage for one platform whatever platform is requested; remove it or use $BUILDPLATFORM.',
  defaultSeverity: 'warning',
  peerCodes: ['hadolint:DL3029', 'buildkit:FromPlatformFlagConstDisallowed'],
  check(context) {
    const { model } = context;
    const findings: Finding[] = [];
    const lastStage = model.stages.length - 1;
    for (const stage of model.stages) {
      if (!runsOnTargets(model, stage)) continue;
      const flag = stage.platformFlag;
      if (!flag || flag.hasVariable) continue;
      let value = flag.value.trim();
      if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) value = value.slice(1, -1);
      if (value === '') continue;
      // An unparsable value fails the build anyway (BuildKit skips it too).
      const pinned = parse(value);
      if (!pinned || stageNameExempts(stage, pinned)) continue;
      const others = otherTargets(context, pinned);
      if (others.length === 0) continue;
      const fixes: Fix[] = [];
      const remove = removePlatformFlagEdit(model, stage);
      if (remove) fixes.push({ title: `Remove --platform=${value}`, edits: [remove], isPreferred: true });
      if (stage.index !== lastStage) {
        fixes.push({
          title: 'Use --platform=$BUILDPLATFORM (a build stage that runs on the build machine)',
          edits: [{ range: flag.valueRange, newText: '$BUILDPLATFORM' }],
          isPreferred: false,
        });
      }
      findings.push({
        range: flag.valueRange,
        message:
          `FROM --platform=${value} pins this stage to ${formatPlatform(pinned)}: built for ${listPlatforms(others)} it still ` +
          `contains ${pinned.architecture}${pinned.variant ?? ''} binaries. Remove the flag (the build's --platform decides), ` +
          `or use $BUILDPLATFORM in a stage that cross-compiles.`,
        instruction: stage.from,
        fixes,
      });
    }
    return findings;
  },
};
