/** GC201 — RUN in a cross-build stage with no `cross-build-start` before it. */
import {
  analyseReachedStages,
  binariesOf,
  END_MARKER,
  START_MARKER,
  whyCrossBuild,
  type StageCrossBuild,
} from '../../../core/src/dockerfile/crossBuild';
import { endsOpen, LineEdits } from '../../../core/src/dockerfile/lineEdits';
import type { Finding, Fix, Rule } from './types';

/**
 * One fix that leaves the stage with a single region around all its RUN steps: a start before
 * the first plain RUN and an end after the last one. Markers already in the right place are
 * kept; the others (including shell-form ones) are removed.
 */
function wrapStage(context: Parameters<Rule['check']>[0], analysis: StageCrossBuild): Fix | undefined {
  const { plainRuns, markers } = analysis;
  const first = plainRuns[0];
  const last = plainRuns[plainRuns.length - 1];
  const lastLine = last.getRange().start.line;
  const edits = new LineEdits(context.model);
  // Keep the last exec-form end that already follows the last plain RUN.
  const keptEnd = [...markers]
    .reverse()
    .find((m) => m.kind === 'end' && m.form === 'exec' && m.instruction.getRange().start.line > lastLine);
  for (const marker of markers) if (marker !== keptEnd) edits.deleteInstruction(marker.instruction);
  edits.insertBefore(first, START_MARKER);
  if (!keptEnd) {
    if (endsOpen(context.model, last)) return undefined; // the end marker would join the open last RUN
    edits.insertAfter(last, END_MARKER);
  }
  const title =
    markers.length === 0
      ? 'Wrap the RUN steps in cross-build-start … cross-build-end'
      : 'Move the cross-build markers around all RUN steps';
  return { title, edits: edits.toTextEdits(), isPreferred: true };
}

export const GC201: Rule = {
  code: 'GC201',
  title: 'RUN before cross-build-start',
  description:
    "A RUN in a cross-build stage (resin/balenalib base, or markers in use) runs before 'cross-build-start', so it is not emulated and fails on an x86 host without binfmt.",
  defaultSeverity: 'warning',
  check(context) {
    const findings: Finding[] = [];
    for (const analysis of analyseReachedStages(context.model, context.settings.crossBuildImages)) {
      const { beforeStart } = analysis;
      if (!analysis.isCrossBuild || beforeStart.length === 0) continue;
      const run = beforeStart[0];
      const more = beforeStart.length - 1;
      const subject = more === 0 ? 'This RUN runs' : `This RUN and ${more} more after it run`;
      findings.push({
        range: run.getInstructionRange(),
        message:
          // The point first, two sentences (the markers' syntax: the quick fix and the rule page).
          `${subject} before any 'cross-build-start' although ${whyCrossBuild(analysis)}, so the ${binariesOf(analysis)} are not emulated ('exec format error' on an x86 host without binfmt). ` +
          `Wrap the stage's RUN steps in the markers.`,
        instruction: run,
        fixes: [wrapStage(context, analysis)].filter((f): f is Fix => f !== undefined),
      });
    }
    return findings;
  },
};
