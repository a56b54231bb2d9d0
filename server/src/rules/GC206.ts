/** GC206 — cross-build markers in a stage whose base is known not to ship them. */
import { analyseReachedStages } from '../../../core/src/dockerfile/crossBuild';
import { LineEdits } from '../../../core/src/dockerfile/lineEdits';
import type { Finding, Rule } from './types';

export const GC206: Rule = {
  code: 'GC206',
  title: 'Cross-build markers on a base without them',
  description:
    'Cross-build markers in a stage whose base image does not ship them (official images, multiarch/*, scratch): the step fails.',
  defaultSeverity: 'warning',
  check(context) {
    const findings: Finding[] = [];
    for (const analysis of analyseReachedStages(context.model, context.settings.crossBuildImages)) {
      if (analysis.support !== 'lacks' || analysis.markers.length === 0) continue;
      const base = analysis.stage.base;
      const path = base.reference?.repository ?? '';
      const why = base.scratch
        ? "'scratch' has no files at all"
        : path.startsWith('multiarch/')
          ? 'multiarch images carry QEMU but not the markers'
          : 'official images carry neither QEMU nor the markers';
      const edits = new LineEdits(context.model);
      for (const marker of analysis.markers) edits.deleteInstruction(marker.instruction);
      const fix = { title: 'Remove the cross-build markers from this stage', edits: edits.toTextEdits(), isPreferred: true };
      for (const marker of analysis.markers) {
        findings.push({
          range: marker.range,
          message:
            `'${marker.command}' does not exist in the base ${analysis.baseName} (${why}): this step fails. ` +
            // Shared by the editor and the CLI: names both front ends' build, and Docker's own.
            `Remove the markers and build with QEMU emulation (Build for All Platforms, green-cloud build or docker buildx), or use a balenalib/* base.`,
          instruction: marker.instruction,
          fixes: [fix],
        });
      }
    }
    return findings;
  },
};
