/** GC109 — the base is pinned by digest to a single-platform image in a multi-platform file. */
import type { Stage } from '../../../core/src/dockerfile/model';
import type { LookupResult } from '../lookups/types';
import { baseImageRange, listPlatforms } from './helpers';
import { answerFor, architectureWord, publishedPlatforms, requiredPlatforms } from './registryFacts';
import type { Finding, Fix, Rule, RuleContext } from './types';

/** True when GC109 applies: a digest pin to a single image, in a stage built for several platforms. */
export function pinsSingleImage(context: RuleContext, stage: Stage, answer: LookupResult): boolean {
  if (!stage.base.digest || answer.kind !== 'image' || !answer.pinnedDigest) return false;
  const required = requiredPlatforms(context, stage);
  return required !== undefined && !required.constant && required.platforms.length > 1;
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

export const GC109: Rule = {
  code: 'GC109',
  title: 'Base pinned to a single-platform digest',
  description:
    "The base image is pinned by digest to one platform's image rather than to its multi-platform list: every platform of a multi-platform build gets that one architecture.",
  defaultSeverity: 'warning',
  check(context) {
    if (!context.registry || context.registry.size === 0) return [];
    const findings: Finding[] = [];
    for (const stage of context.model.stages) {
      const answer = answerFor(context, stage);
      if (!answer || !pinsSingleImage(context, stage, answer)) continue;
      const required = requiredPlatforms(context, stage);
      const image = stage.base.resolved ?? stage.base.written;
      const arch = architectureWord(answer);
      const others = (required?.platforms ?? []).filter(
        (p) => !answer.platforms.some((q) => q.platform === `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`),
      );
      const lead =
        `Base image '${image}' is pinned by digest to a single ${publishedPlatforms(answer) || 'platform'} image, not to a multi-platform list: ` +
        `${others.length > 0 ? `the ${listPlatforms(others)} build${others.length > 1 ? 's' : ''} get` : 'every platform gets'} ${arch} binaries (BuildKit builds them without a warning).`;
      const target = answer.tagTarget;
      const tag = stage.base.tag;
      if (tag && target && target.kind === 'list' && target.containsPinned) {
        findings.push({
          range: baseImageRange(stage),
          message: `${lead} Pin the list that '${tag}' names instead: ${target.digest}.`,
          instruction: stage.from,
          fixes: pinListFix(context, stage, target.digest),
        });
        continue;
      }
      const name = `${answer.registry === 'docker.io' ? answer.repository.replace(/^library\//, '') : `${answer.registry}/${answer.repository}`}:${tag ?? 'TAG'}`;
      findings.push({
        range: baseImageRange(stage),
        message:
          `${lead} Pin the list digest instead: \`docker buildx imagetools inspect ${name}\` shows it on its 'Digest:' line` +
          `${tag && target && !target.containsPinned ? ` (note that '${tag}' now names ${target.digest}, which does not hold this image)` : ''}.`,
        instruction: stage.from,
      });
    }
    return findings;
  },
};
