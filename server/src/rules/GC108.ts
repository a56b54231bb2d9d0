/** GC108 — the registry says the base image has no image for a target platform. */
import { coverageOf } from '../lookups/format';
import { GC101 } from './GC101';
import { GC102 } from './GC102';
import { GC103 } from './GC103';
import { pinsSingleImage } from './GC109';
import { baseImageRange, listPlatforms } from './helpers';
import { answerFor, architectureWord, publishedPlatforms, requiredPlatforms } from './registryFacts';
import type { Finding, Rule, RuleContext } from './types';

/** FROM lines GC101–GC103 already report: the registry's confirmation joins their message instead. */
function reportedByNameRules(context: RuleContext): Set<number> {
  const lines = new Set<number>();
  for (const rule of [GC101, GC102, GC103])
    for (const f of rule.check(context)) if (f.instruction) lines.add(f.instruction.getRange().start.line);
  return lines;
}

export const GC108: Rule = {
  code: 'GC108',
  title: 'Base image lacks a target platform',
  description:
    'The registry says the base image is not published for a target platform: that platform fails to build, or gets binaries of another architecture.',
  defaultSeverity: 'warning',
  check(context) {
    if (!context.registry || context.registry.size === 0) return [];
    const { model } = context;
    const findings: Finding[] = [];
    let named: Set<number> | undefined;
    for (const stage of model.stages) {
      const answer = answerFor(context, stage);
      if (!answer || answer.platforms.length === 0) continue;
      const required = requiredPlatforms(context, stage);
      if (!required || required.platforms.length === 0) continue;
      const { missing } = coverageOf(answer, required.platforms);
      if (missing.length === 0) continue;
      if (!required.constant && pinsSingleImage(context, stage, answer)) continue; // GC109 reports it
      named ??= reportedByNameRules(context);
      if (named.has(stage.from.getRange().start.line)) continue;
      const image = stage.base.resolved ?? stage.base.written;
      const via = stage.base.viaVariable ? ` (from '${stage.base.written}')` : '';
      const has = publishedPlatforms(answer);
      const single = answer.kind === 'image';
      const plural = missing.length > 1;
      const what = single ? `is a single ${has} image` : `is published for ${has} only`;
      const consequence = required.constant
        ? `this stage is built --platform=${listPlatforms(missing)}, so its build ${single ? `gets ${architectureWord(answer)} binaries` : 'fails (no match for platform in manifest)'}`
        : `the ${listPlatforms(missing)} build${plural ? 's' : ''} ${single ? `get${plural ? '' : 's'} ${architectureWord(answer)} binaries` : `fail${plural ? '' : 's'} ('no match for platform in manifest')`}`;
      findings.push({
        range: baseImageRange(stage),
        message: `Base image '${image}'${via} ${what}; ${consequence}. Use a base published for every target, or build those platforms FROM another image.`,
        instruction: stage.from,
      });
    }
    return findings;
  },
};
