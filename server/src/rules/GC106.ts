/**
 * GC106 — a platform build argument (`$TARGETARCH`, `$BUILDPLATFORM` …) used inside a stage
 * that does not declare it with `ARG NAME` first, neither in the stage nor in a stage it is
 * built FROM (BuildKit copies a parent stage's ARGs to its children): it expands to an empty
 * string there. Stages the build never reaches (see dockerfile/stageGraph.ts) are not checked.
 *
 * One diagnostic per use (its range is the reference itself; at most 20 per instruction); each carries a fix that inserts
 * `ARG NAME` right after the stage's FROM, which clears every use of that name in the stage.
 * FROM lines are global scope (fine). CMD, ENTRYPOINT and HEALTHCHECK run in the container,
 * where build arguments never exist; ONBUILD runs in another build: none of them is checked.
 */
import { stageUse } from '../../../core/src/dockerfile/stageGraph';
import { listPlatforms } from './helpers';
import { scanInstruction } from '../../../core/src/dockerfile/instructionText';
import { insertArgAfterFrom, isPlatformArg, stageScope, type StageScope } from '../../../core/src/dockerfile/platformArgs';
import type { Finding, Rule } from './types';

/** Instructions whose variables are not expanded at build time in this stage. */
const NOT_BUILD_TIME = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'ONBUILD', 'SHELL', 'MAINTAINER', 'FROM']);

const MENTIONS_PLATFORM_ARG = /\$\{?(?:TARGET|BUILD)(?:PLATFORM|OS|ARCH|VARIANT)\b/;

/** At most this many diagnostics per instruction (the fix clears them all anyway). */
const MAX_PER_INSTRUCTION = 20;

const MEANING: Readonly<Record<string, string>> = {
  TARGETPLATFORM: 'the platform being built',
  TARGETOS: "the target's OS",
  TARGETARCH: "the target's architecture",
  TARGETVARIANT: "the target's variant",
  BUILDPLATFORM: 'the build machine',
  BUILDOS: "the build machine's OS",
  BUILDARCH: "the build machine's architecture",
  BUILDVARIANT: "the build machine's variant",
};

export const GC106: Rule = {
  code: 'GC106',
  title: 'Platform ARG used without declaration in the stage',
  description:
    'Automatic platform ARGs (TARGETARCH, BUILDPLATFORM …) exist only in the global scope; a stage must declare them with ARG NAME (itself or in a stage it is built FROM) before using them.',
  defaultSeverity: 'warning',
  check({ model, platforms }) {
    const findings: Finding[] = [];
    for (const stage of model.stages) {
      if (!stageUse(model, stage).reached) continue;
      let scope: StageScope | undefined;
      for (const instruction of stage.instructions) {
        const keyword = instruction.getKeyword().toUpperCase();
        if (NOT_BUILD_TIME.has(keyword)) continue;
        // Cheap pre-check: most instructions mention no platform argument at all.
        if (!MENTIONS_PLATFORM_ARG.test(model.document.getText(instruction.getRange()))) continue;
        const scanned = scanInstruction(model, instruction);
        let count = 0;
        for (const ref of scanned.references) {
          if (ref.literal || !isPlatformArg(ref.name)) continue;
          scope ??= stageScope(model, stage);
          if (scope.definedBefore(ref.name, instruction)) continue;
          if (++count > MAX_PER_INSTRUCTION) break;
          const doc = model.document;
          const written = scanned.text.slice(ref.start, ref.end);
          const effect = ref.name.startsWith('TARGET')
            ? `so the ${listPlatforms(platforms)} builds all get the same empty value`
            : 'so builds on amd64 and on arm64 machines get the same empty value';
          findings.push({
            range: { start: doc.positionAt(scanned.offset + ref.start), end: doc.positionAt(scanned.offset + ref.end) },
            message:
              // The point first, two sentences (why a stage must declare it: docs/rules/GC106.md).
              `'${written}' is empty in this ${keyword}, ${effect}: ${ref.name} (${MEANING[ref.name]}) is predefined only in the global scope. ` +
              `Add 'ARG ${ref.name}' after the stage's FROM.`,
            instruction,
            fixes: [
              { title: `Declare ARG ${ref.name} in this stage`, edits: [insertArgAfterFrom(model, stage, ref.name)], isPreferred: true },
            ],
          });
        }
      }
    }
    return findings;
  },
};
