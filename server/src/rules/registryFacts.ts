/**
 * What the registry said about a stage's base image, for GC108/GC109 and the registry's
 * confirmation in GC101–GC103. Only answers with `status: 'ok'` are used: an offline, failed
 * or refused lookup is never a diagnostic.
 */
import { parsePlatform, type Platform } from '../../../core/src/platforms';
import { hasVariableReference, type Stage } from '../../../core/src/dockerfile/model';
import { runsOnTargets } from '../../../core/src/dockerfile/stageGraph';
import { coverageOf } from '../lookups/format';
import type { LookupResult } from '../lookups/types';
import { listPlatforms } from './helpers';
import type { RuleContext } from './types';

/** The reference a stage's base is looked up by (ARG defaults substituted), or undefined: stage names, scratch, unresolved variables. */
export function lookupReferenceOf(stage: Stage): string | undefined {
  const base = stage.base;
  if (base.scratch || base.stageIndex !== undefined || base.tagUnresolved || !base.reference || !base.resolved) return undefined;
  if (hasVariableReference(base.resolved)) return undefined;
  return base.resolved;
}

/** The registry's `ok` answer for a stage's base, if any. */
export function answerFor(context: RuleContext, stage: Stage): LookupResult | undefined {
  if (!context.registry || context.registry.size === 0) return undefined;
  const reference = lookupReferenceOf(stage);
  const answer = reference === undefined ? undefined : context.registry.get(reference);
  return answer?.status === 'ok' ? answer : undefined;
}

/**
 * The platforms a stage's base must have: a constant `--platform`, the targets for a stage
 * built for them (no flag, or `$TARGETPLATFORM`); undefined for stages built on the build
 * platform (`$BUILDPLATFORM`, any other variable) or not built for the targets.
 */
export function requiredPlatforms(context: RuleContext, stage: Stage): { platforms: readonly Platform[]; constant: boolean } | undefined {
  const flag = stage.platformFlag;
  if (flag) {
    if (!flag.hasVariable) {
      try {
        return { platforms: [parsePlatform(flag.value.replace(/^(["'])(.*)\1$/, '$2'))], constant: true };
      } catch {
        return undefined;
      }
    }
    if (/^\$\{?TARGETPLATFORM\}?$/.test(flag.value.trim())) return { platforms: context.platforms, constant: false };
    return undefined;
  }
  if (!runsOnTargets(context.model, stage)) return undefined;
  return { platforms: context.platforms, constant: false };
}

/** `linux/amd64 and linux/arm64` from a lookup's platforms (deduplicated). */
export function publishedPlatforms(answer: LookupResult): string {
  const names = [...new Set(answer.platforms.map((p) => p.platform))];
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** What the registry adds to a GC101–GC103 message about the same image: '' when it has no sure answer or the image has every target. */
export function registryConfirmation(context: RuleContext, stage: Stage): string {
  const answer = answerFor(context, stage);
  if (!answer || answer.platforms.length === 0) return '';
  const { missing } = coverageOf(answer, context.platforms);
  if (missing.length === 0) return '';
  return ` The registry confirms: it is published for ${publishedPlatforms(answer)} only, with no ${listPlatforms(missing)}.`;
}

/** `amd64`, `arm64`, `armv7`: the architecture of a single image, as in "gets amd64 binaries". */
export function architectureWord(answer: LookupResult): string {
  const p = answer.platforms[0];
  if (!p) return 'other';
  return `${p.architecture}${p.architecture === 'arm' && p.variant ? p.variant : ''}`;
}
