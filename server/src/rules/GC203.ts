/** GC203 — `cross-build-end` with no open start, or a second `cross-build-start` while one is open. */
import { analyseReachedStages } from '../../../core/src/dockerfile/crossBuild';
import { LineEdits, lineOf } from '../../../core/src/dockerfile/lineEdits';
import type { Finding, Rule } from './types';

export const GC203: Rule = {
  code: 'GC203',
  title: 'Stray cross-build marker',
  description: "A 'cross-build-end' with no open 'cross-build-start', or a second 'cross-build-start' while one is open.",
  defaultSeverity: 'error',
  check(context) {
    const findings: Finding[] = [];
    for (const analysis of analyseReachedStages(context.model, context.settings.crossBuildImages)) {
      for (const { marker, open, previousEnd } of analysis.stray) {
        let message: string;
        if (marker.kind === 'start') {
          message =
            `A second '${marker.command}' while the one on line ${lineOf(open?.instruction ?? marker.instruction)} is still open: it is redundant at best, ` +
            `and with marker implementations that save /bin/sh on start it saves the QEMU shim as the real shell, which 'cross-build-end' then puts back. Remove it.`;
        } else if (previousEnd) {
          message =
            `'${marker.command}' repeats the 'cross-build-end' on line ${lineOf(previousEnd.instruction)}: no region is open here, so it closes nothing ` +
            `and replaces /bin/sh once more for no reason. Remove it.`;
        } else {
          message =
            `'${marker.command}' has no 'cross-build-start' before it in this stage: it closes nothing, and the steps it was meant to end ` +
            `were never emulated. Remove it, or add RUN [ "cross-build-start" ] where emulation should begin.`;
        }
        findings.push({
          range: marker.range,
          message,
          instruction: marker.instruction,
          fixes: [
            {
              title: `Remove the stray '${marker.command}'`,
              edits: new LineEdits(context.model).deleteInstruction(marker.instruction).toTextEdits(),
              isPreferred: true,
            },
          ],
        });
      }
    }
    return findings;
  },
};
