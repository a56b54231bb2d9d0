/** GC204 — RUN after `cross-build-end` in a cross-build stage. */
import { analyseReachedStages, binariesOf } from '../../../core/src/dockerfile/crossBuild';
import { endsOpen, LineEdits, lineOf } from '../../../core/src/dockerfile/lineEdits';
import type { Finding, Rule } from './types';

export const GC204: Rule = {
  code: 'GC204',
  title: 'RUN after cross-build-end',
  description: "A RUN after 'cross-build-end' in a cross-build stage is not emulated and fails on an x86 host without binfmt.",
  defaultSeverity: 'warning',
  check(context) {
    const findings: Finding[] = [];
    for (const analysis of analyseReachedStages(context.model, context.settings.crossBuildImages)) {
      for (const { end, runs } of analysis.afterEnd) {
        const run = runs[0];
        const last = runs[runs.length - 1];
        const more = runs.length - 1;
        const subject = more === 0 ? 'This RUN runs' : `This RUN and ${more} more after it run`;
        const movable = !endsOpen(context.model, last);
        const edits = new LineEdits(context.model)
          .deleteInstruction(end.instruction)
          .insertAfter(
            last,
            end.form === 'exec' ? context.model.document.getText(end.instruction.getRange()).trimStart() : 'RUN [ "cross-build-end" ]',
          );
        findings.push({
          range: run.getInstructionRange(),
          message:
            `${subject} after the 'cross-build-end' on line ${lineOf(end.instruction)}: the ${binariesOf(analysis)} are no longer emulated, ` +
            `so the step fails with 'exec format error' on an x86 host without binfmt. Move the end marker after the stage's last RUN.`,
          instruction: run,
          fixes: movable ? [{ title: "Move 'cross-build-end' after the last RUN", edits: edits.toTextEdits(), isPreferred: true }] : [],
        });
      }
    }
    return findings;
  },
};
