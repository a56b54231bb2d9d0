/**
 * GC303 — a Kubernetes workload pinned to one architecture by `nodeSelector` or required node
 * affinity although every image it runs (registry lookup) is published for more of the targets.
 */
import { formatPlatform } from '../../../core/src/platforms';
import { removeEntryEdit } from '../yaml/edits';
import { architecturesOf, covers, listPlatforms, realPlatforms } from '../yaml/platformSets';
import type { YamlFinding, YamlFix, YamlRule } from '../yaml/types';

export const GC303: YamlRule = {
  code: 'GC303',
  title: 'Workload pinned to one architecture although its images have more',
  description:
    'A Kubernetes workload restricted to one architecture by nodeSelector or node affinity although every image it runs is published for more of the target platforms; it could also run on the other nodes.',
  defaultSeverity: 'info',
  usesLookups: true,
  check({ model, images }) {
    if (!images) return [];
    const findings: YamlFinding[] = [];
    for (const workload of model.workloads) {
      if (workload.flavour !== 'kubernetes' || workload.uncertain || workload.images.length === 0) continue;
      const archConstraints = workload.constraints.filter((c) => c.label === 'arch');
      if (archConstraints.length === 0) continue;
      const pinnedArchs = architecturesOf(workload.platforms);
      if (pinnedArchs.length !== 1 || architecturesOf(workload.targets).length < 2) continue;
      let common = [...workload.targets];
      let allKnown = true;
      for (const use of workload.images) {
        const found = realPlatforms(images.get(use.image));
        if (!found || found.length === 0) {
          allKnown = false;
          break;
        }
        common = common.filter((p) => covers(found, p));
      }
      if (!allKnown) continue;
      const extra = common.filter((p) => p.architecture !== pinnedArchs[0]);
      if (extra.length === 0) continue;
      const everywhere = workload.targets.every((p) => covers(common, p));
      const constraint = archConstraints[0];
      const fixes: YamlFix[] = [];
      if (everywhere && archConstraints.length === 1 && constraint.nodeSelectorKeyOffset !== undefined) {
        const removeWhole = workload.nodeSelectorSize === 1 && workload.nodeSelectorKeyOffset !== undefined;
        const edit = removeWhole
          ? removeEntryEdit(model.text, workload.nodeSelectorKeyOffset)
          : removeEntryEdit(model.text, constraint.nodeSelectorKeyOffset);
        if (edit) fixes.push({ title: `Remove the ${constraint.description} pin`, edits: [edit], isPreferred: true });
      }
      findings.push({
        span: constraint.span,
        message:
          `${workload.name} is pinned to ${pinnedArchs[0]} nodes by ${archConstraints.map((c) => c.description).join(' and ')}, ` +
          `although every image it runs is also published for ${listPlatforms(extra)}; it could also run on those nodes. ` +
          (everywhere
            ? 'Remove the pin to let the scheduler use them.'
            : `Widen the pin to ${extra.map(formatPlatform).concat(workload.platforms.map(formatPlatform)).join(', ')} nodes.`),
        fixes,
      });
    }
    return findings;
  },
};
