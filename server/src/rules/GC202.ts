/** GC202 — `cross-build-start` with no `cross-build-end` later in the stage. */
import { analyseReachedStages, END_MARKER } from '../../../core/src/dockerfile/crossBuild';
import { endsOpen, LineEdits } from '../../../core/src/dockerfile/lineEdits';
import type { Finding, Rule } from './types';

export const GC202: Rule = {
  code: 'GC202',
  title: 'cross-build-start without cross-build-end',
  description:
    "A stage runs 'cross-build-start' and never 'cross-build-end': the image ships the QEMU shim as /bin/sh and breaks on the device.",
  defaultSeverity: 'error',
  check(context) {
    const findings: Finding[] = [];
    for (const analysis of analyseReachedStages(context.model, context.settings.crossBuildImages)) {
      const start = analysis.unclosed;
      if (!start) continue;
      const last = analysis.runs[analysis.runs.length - 1];
      findings.push({
        range: start.range,
        message:
          `'${start.command}' is never followed by 'cross-build-end' in this stage: the image ships the QEMU shim as /bin/sh, ` +
          `so every shell in the container breaks on the device. Add ${END_MARKER} after the stage's last RUN.`,
        instruction: start.instruction,
        // No fix when the last RUN ends the file open (continuation, unclosed heredoc): the marker would join it.
        fixes: endsOpen(context.model, last)
          ? []
          : [
              {
                title: `Insert ${END_MARKER} after the last RUN`,
                edits: new LineEdits(context.model).insertAfter(last, END_MARKER).toTextEdits(),
                isPreferred: true,
              },
            ],
      });
    }
    return findings;
  },
};
