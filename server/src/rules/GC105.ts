/** GC105 — `FROM --platform=$TARGETPLATFORM` is redundant: every stage is built for the target platform by default. */
import { fixOf, listPlatforms } from './helpers';
import { isTargetPlatformValue, removePlatformFlagEdit } from '../../../core/src/dockerfile/platformArgs';
import type { Finding, Rule } from './types';

export const GC105: Rule = {
  code: 'GC105',
  title: 'Redundant --platform=$TARGETPLATFORM',
  description: 'FROM --platform=$TARGETPLATFORM is the default and can be removed.',
  defaultSeverity: 'hint',
  tags: [1],
  peerCodes: ['hadolint:DL3065', 'buildkit:RedundantTargetPlatform'],
  check({ model, platforms }) {
    const findings: Finding[] = [];
    for (const stage of model.stages) {
      const flag = stage.platformFlag;
      if (!flag || !isTargetPlatformValue(flag.value)) continue;
      findings.push({
        range: flag.range,
        message:
          `--platform=${flag.value.trim()} is redundant: a stage is built for the target platform by default ` +
          `(each of ${listPlatforms(platforms)} in turn), so the flag changes nothing. Remove it.`,
        instruction: stage.from,
        fixes: fixOf(`Remove --platform=${flag.value.trim()}`, removePlatformFlagEdit(model, stage)),
      });
    }
    return findings;
  },
};
