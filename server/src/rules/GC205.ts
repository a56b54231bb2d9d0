/** GC205 — a cross-build marker in shell form (`RUN cross-build-start`). */
import { analyseReachedStages } from '../../../core/src/dockerfile/crossBuild';
import type { Finding, Rule } from './types';

export const GC205: Rule = {
  code: 'GC205',
  title: 'Cross-build marker in shell form',
  description:
    "A cross-build marker written in shell form (or as JSON Docker cannot parse, typographic quotes included) runs through the image's /bin/sh instead of starting or ending emulation; write it in exec form.",
  defaultSeverity: 'error',
  check(context) {
    const { model } = context;
    const findings: Finding[] = [];
    for (const analysis of analyseReachedStages(context.model, context.settings.crossBuildImages)) {
      if (!analysis.isCrossBuild) continue;
      for (const marker of analysis.markers) {
        if (marker.form !== 'shell') continue;
        const exec = `[ "${marker.command}" ]`;
        const invalidJson = marker.instruction.getArguments()[0]?.getValue().startsWith('[') ?? false;
        if (marker.typographicQuotes) {
          const written = model.document.getText(marker.range);
          findings.push({
            range: marker.range,
            message:
              // The point first, two sentences; the shell's '[' test in detail on the rule page.
              `'${written}' has typographic quotes, so Docker runs it in shell form, as a '[' test that does nothing: ` +
              (marker.kind === 'start'
                ? "emulation never starts ('exec format error' on an x86 host without binfmt)."
                : 'the real /bin/sh is never put back (the image ships the QEMU shim as its shell).') +
              ` Use straight quotes: RUN ${exec}.`,
            instruction: marker.instruction,
            fixes: marker.rewriteRange
              ? [{ title: `Use straight quotes: RUN ${exec}`, edits: [{ range: marker.rewriteRange, newText: exec }], isPreferred: true }]
              : [],
          });
          continue;
        }
        const how = invalidJson
          ? 'is not valid JSON, so Docker runs it in shell form through /bin/sh'
          : 'is in shell form, so Docker runs it through /bin/sh';
        const why =
          marker.kind === 'start'
            ? "the image's foreign shell before emulation is on ('exec format error' on an x86 host without binfmt)"
            : 'the QEMU shim the step is about to remove (outside a region, the foreign shell)';
        findings.push({
          range: marker.range,
          message: `'${marker.command}' ${how}, ${why}. Write it in exec form: RUN ${exec}.`,
          instruction: marker.instruction,
          fixes: marker.rewriteRange
            ? [{ title: `Rewrite as RUN ${exec}`, edits: [{ range: marker.rewriteRange, newText: exec }], isPreferred: true }]
            : [],
        });
      }
    }
    return findings;
  },
};
