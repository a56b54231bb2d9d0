/**
 * GC302 — a Kubernetes or Compose image reference pinned to one architecture by its name:
 * the knowledge of GC101 (namespace), GC103 (repository name) and GC102 (tag), applied to
 * `image:` values (`arm64v8/postgres`, `multiarch/alpine:armhf-v3.7`, `foo:arm64-1.0`).
 */
import { formatPlatform, platformsEqual } from '../../../core/src/platforms';
import { replaceScalarEdit } from '../yaml/edits';
import { listPlatforms, realPlatforms, whereOf } from '../yaml/platformSets';
import type { YamlFinding, YamlRule } from '../yaml/types';
import { archPinOf } from './imagePins';

export const GC302: YamlRule = {
  code: 'GC302',
  title: 'Architecture-pinned image in a Kubernetes or Compose file',
  description:
    'An image whose name pins one architecture (arm64v8/postgres, multiarch/alpine:armhf-v3.7, foo:arm64-1.0) in a workload that can land on other platforms; use the multi-arch image.',
  defaultSeverity: 'warning',
  usesLookups: false,
  check({ model, images }) {
    const findings: YamlFinding[] = [];
    for (const workload of model.workloads) {
      if (workload.uncertain || workload.builds) continue;
      for (const use of workload.images) {
        const pin = archPinOf(use.image);
        if (!pin) continue;
        const others = workload.platforms.filter((p) => !platformsEqual(p, pin.pinned));
        if (others.length === 0) continue;
        const found = realPlatforms(images?.get(use.image));
        const confirmed = found && found.length > 0 ? ` The registry confirms: it is published for ${listPlatforms(found)}.` : '';
        const span = use.literal ? { start: use.span.start + pin.start, end: use.span.start + pin.end } : use.span;
        const fixes =
          pin.multiArch !== undefined && use.literal
            ? (() => {
                const edit = replaceScalarEdit(model.text, use.tokenOffset, pin.multiArch);
                return edit ? [{ title: `Use the multi-arch image '${pin.multiArch}'`, edits: [edit], isPreferred: true }] : [];
              })()
            : [];
        findings.push({
          span,
          message:
            `Image '${use.image}' (${whereOf(use, workload)}) is pinned to ${formatPlatform(pin.pinned)} by ${pin.reason}; ` +
            `the workload can land on ${listPlatforms(others)}, where it runs ${pin.pinned.architecture}${pin.pinned.variant ?? ''} binaries ('exec format error'). ${pin.advice}${confirmed}`,
          fixes,
        });
      }
    }
    return findings;
  },
};
