/**
 * GC109 — the base is pinned by digest to a single-platform image in a multi-platform file.
 *
 * Two cases (docs/rules/GC109.md, with what BuildKit was measured to do):
 * - a stage built for the target platforms: every target's build gets the pinned architecture;
 * - a `--platform=$BUILDPLATFORM` stage that runs something: the digest wins over
 *   `$BUILDPLATFORM` too, so the stage runs the pinned architecture on every build machine —
 *   natively only on builders of that architecture, elsewhere under QEMU or not at all.
 */
import type { DockerfileModel, Stage } from '../../../core/src/dockerfile/model';
import { stageUse } from '../../../core/src/dockerfile/stageGraph';
import type { LookupResult } from '../../../core/src/registry/lookup';
import { baseImageRange, listPlatforms } from './helpers';
import { answerFor, architectureWord, publishedPlatforms, requiredPlatforms } from './registryFacts';
import type { Finding, Fix, Rule, RuleContext } from './types';

/** True when GC109 applies: a digest pin to a single image, in a stage built for several platforms. */
export function pinsSingleImage(context: RuleContext, stage: Stage, answer: LookupResult): boolean {
  if (!stage.base.digest || answer.kind !== 'image' || !answer.pinnedDigest) return false;
  const required = requiredPlatforms(context, stage);
  return required !== undefined && !required.constant && required.platforms.length > 1;
}

/** True for a stage built on the build machine: `FROM --platform=$BUILDPLATFORM` (or `${BUILDPLATFORM}`, quoted or not). */
export function onBuildPlatform(stage: Stage): boolean {
  const value = stage.platformFlag?.value.trim().replace(/^(["'])(.*)\1$/, '$2');
  return value !== undefined && /^\$(?:BUILDPLATFORM|\{BUILDPLATFORM\})$/.test(value);
}

/** True when the stage, or a stage built FROM it (transitively), has a RUN: something executes the base's binaries. */
function runsSomething(model: DockerfileModel, stage: Stage, seen = new Set<number>()): boolean {
  if (seen.has(stage.index)) return false;
  seen.add(stage.index);
  if (stage.instructions.some((i) => i.getKeyword().toUpperCase() === 'RUN')) return true;
  return model.stages.some((s) => s.base.stageIndex === stage.index && runsSomething(model, s, seen));
}

/**
 * True when GC109 applies to a `--platform=$BUILDPLATFORM` stage: a digest pin to a single
 * image, in a multi-platform file, in a stage the build reaches and that runs something.
 */
export function pinsSingleImageOnBuildPlatform(context: RuleContext, stage: Stage, answer: LookupResult): boolean {
  if (!stage.base.digest || answer.kind !== 'image' || !answer.pinnedDigest || !onBuildPlatform(stage)) return false;
  if (context.platforms.length <= 1) return false;
  const use = stageUse(context.model, stage);
  return use.reached && !use.windows && runsSomething(context.model, stage);
}

/** Replaces the pinned digest in the FROM (written literally only). */
function pinListFix(context: RuleContext, stage: Stage, listDigest: string): Fix[] {
  const { base } = stage;
  if (base.viaVariable || !base.digest) return [];
  const doc = context.model.document;
  const text = doc.getText(base.range);
  const at = text.lastIndexOf(`@${base.digest}`);
  if (at < 0) return [];
  const start = doc.offsetAt(base.range.start) + at + 1;
  return [
    {
      title: `Pin the multi-platform list ${listDigest.slice(0, 19)}… that '${base.tag ?? ''}' names`,
      edits: [{ range: { start: doc.positionAt(start), end: doc.positionAt(start + base.digest.length) }, newText: listDigest }],
      isPreferred: true,
    },
  ];
}

/** `…@sha256:0123456789abcdef…` → `…@sha256:0123456789ab…`: a digest in a message is for recognising, the fix writes it whole. */
function shortDigests(text: string): string {
  return text.replace(/(sha256:[0-9a-f]{12})[0-9a-f]{52}/g, '$1…');
}

export const GC109: Rule = {
  code: 'GC109',
  title: 'Base pinned to a single-platform digest',
  description:
    "The base image is pinned by digest to one platform's image rather than to its multi-platform list: every platform of a multi-platform build gets that one architecture, and a --platform=$BUILDPLATFORM stage runs it on every builder (emulated on builders of another architecture).",
  defaultSeverity: 'warning',
  check(context) {
    if (!context.registry || context.registry.size === 0) return [];
    const findings: Finding[] = [];
    for (const stage of context.model.stages) {
      const answer = answerFor(context, stage);
      if (!answer) continue;
      const image = stage.base.resolved ?? stage.base.written;
      const arch = architectureWord(answer);
      // Short: the point and the next step first (the Problems panel cuts the rest); the detail is on the rule page.
      const single = `Base image '${shortDigests(image)}' is pinned by digest to a single ${publishedPlatforms(answer) || 'platform'} image, not a multi-platform list`;
      let lead: string;
      if (pinsSingleImage(context, stage, answer)) {
        const required = requiredPlatforms(context, stage);
        const others = (required?.platforms ?? []).filter(
          (p) => !answer.platforms.some((q) => q.platform === `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`),
        );
        lead = `${single}: ${others.length > 0 ? `the ${listPlatforms(others)} build${others.length > 1 ? 's' : ''} get` : 'every platform gets'} ${arch} binaries.`;
      } else if (pinsSingleImageOnBuildPlatform(context, stage, answer)) {
        lead = `${single}: this --platform=$BUILDPLATFORM stage runs ${arch} binaries on every builder (emulated, or 'exec format error', on others).`;
      } else continue;
      const target = answer.tagTarget;
      const tag = stage.base.tag;
      if (tag && target && target.kind === 'list' && target.containsPinned) {
        findings.push({
          range: baseImageRange(stage),
          message: `${lead} Pin the list that '${tag}' names instead (the quick fix): ${shortDigests(target.digest)}.`,
          instruction: stage.from,
          fixes: pinListFix(context, stage, target.digest),
        });
        continue;
      }
      const name = `${answer.registry === 'docker.io' ? answer.repository.replace(/^library\//, '') : `${answer.registry}/${answer.repository}`}:${tag ?? 'TAG'}`;
      findings.push({
        range: baseImageRange(stage),
        message:
          `${lead} Pin the list digest instead: \`docker buildx imagetools inspect ${name}\` shows it` +
          `${tag && target && !target.containsPinned ? ` ('${tag}' now names ${shortDigests(target.digest)}, which does not hold this image)` : ''}.`,
        instruction: stage.from,
      });
    }
    return findings;
  },
};
