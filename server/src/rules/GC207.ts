/**
 * GC207 — exec-form `RUN ["/usr/bin/qemu-X-static", …]`. Error (per step) when X does not match
 * the base's architecture, with a fix that renames the binary. Info (once per stage, on the first
 * such step's RUN keyword) that the stage emulates explicitly and could use the markers or binfmt;
 * being per stage, it stays put when an error is fixed, so the fix leaves no new diagnostic.
 */
import { formatPlatform, qemuMatchesPlatform, qemuName } from '../../../core/src/platforms';
import { analyseReachedStages } from '../../../core/src/dockerfile/crossBuild';
import type { Finding, Rule } from './types';

export const GC207: Rule = {
  code: 'GC207',
  title: 'Explicit QEMU emulator in RUN',
  description:
    "An exec-form RUN through '/usr/bin/qemu-X-static': an error when X does not match the base image's architecture, otherwise a hint to use the markers or binfmt.",
  defaultSeverity: 'error',
  check(context) {
    const findings: Finding[] = [];
    for (const analysis of analyseReachedStages(context.model, context.settings.crossBuildImages)) {
      const { platform, qemuSteps } = analysis;
      if (qemuSteps.length === 0) continue;
      for (const step of qemuSteps) {
        const binary = step.binary;
        if (!platform || qemuMatchesPlatform(binary, platform)) continue;
        const name = binary.split('/').pop() ?? binary;
        const wanted = qemuName(platform);
        const right = wanted ? `${binary.slice(0, binary.length - name.length)}${wanted}-static` : undefined;
        findings.push({
          range: step.range,
          message:
            `'${binary}' does not emulate the base ${analysis.baseName}, which is ${formatPlatform(platform)}: the image has no such emulator, ` +
            `or it cannot run the image's binaries, so the step fails. ` +
            (right ? `Use '${right}'.` : 'Use the QEMU emulator for that architecture.'),
          instruction: step.instruction,
          severity: 'error',
          fixes:
            right && step.nameRange
              ? [{ title: `Use '${right}'`, edits: [{ range: step.nameRange, newText: `${wanted}-static` }], isPreferred: true }]
              : [],
        });
      }
      const first = qemuSteps[0];
      const count = qemuSteps.length === 1 ? 'This step runs' : `This step and ${qemuSteps.length - 1} more in the stage run`;
      const checked = platform ? `checked against the base's ${formatPlatform(platform)}` : 'not checked: the base platform is unknown';
      findings.push({
        range: first.instruction.getInstructionRange(),
        // The point first, two sentences; the binfmt command and the markers' syntax are on the rule page.
        message:
          `${count} through an explicit QEMU emulator ('${first.binary}'; ${checked}), so it builds only where the image carries that emulator. ` +
          `Drop the emulator and use the cross-build markers on a base that ships them, or QEMU (binfmt) registered on the build host.`,
        instruction: first.instruction,
        severity: 'info',
      });
    }
    return findings;
  },
};
