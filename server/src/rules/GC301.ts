/**
 * GC301 — an image (registry lookup) lacks a platform its workload can land on: the
 * Kubernetes targets narrowed by `nodeSelector` / required node affinity on
 * `kubernetes.io/arch` and `kubernetes.io/os`, or a Compose service's `platform`. The quick fix
 * keeps a Kubernetes workload on the architectures its images have (nodeSelector or required
 * node affinity).
 */
import { platformsEqual } from '../../../core/src/platforms';
import { addArchAffinityEdit, addArchSelectorEdit } from '../yaml/edits';
import { architecturesOf, covers, listPlatforms, platformSource, realPlatforms, whereOf } from '../yaml/platformSets';
import type { YamlFinding, YamlFix, YamlRule } from '../yaml/types';
import type { Workload } from '../yaml/model';
import type { ImagePlatformsTable } from '../yaml/imagePlatforms';
import { archPinOf } from './imagePins';

/**
 * The architectures to keep the workload on: those of its platforms where every image (with a
 * registry answer) has every platform of that architecture (`arm` counts only when the images
 * have each of the workload's arm variants), so restricting `kubernetes.io/arch` to them leaves
 * no platform an image lacks.
 */
function archsToKeep(workload: Workload, images: ImagePlatformsTable): string[] {
  let common = [...workload.platforms];
  for (const use of workload.images) {
    const found = realPlatforms(images.get(use.image));
    if (found) common = common.filter((p) => covers(found, p));
  }
  return architecturesOf(workload.platforms).filter((arch) =>
    workload.platforms.filter((p) => p.architecture === arch).every((p) => covers(common, p)),
  );
}

/**
 * Keeps the workload on the architectures its images have: with one, a `kubernetes.io/arch`
 * nodeSelector; with several (or a flow-style nodeSelector), a required node affinity
 * `kubernetes.io/arch In (…)`, merged into every existing nodeSelectorTerm.
 */
function selectorFix(text: string, workload: Workload, images: ImagePlatformsTable): YamlFix[] {
  if (workload.flavour !== 'kubernetes' || workload.hasArchSelector || !workload.podSpecBlock || workload.podSpecOffset === undefined)
    return [];
  const archs = archsToKeep(workload, images);
  if (archs.length === 0) return [];
  const flowSelector = workload.nodeSelectorKeyOffset !== undefined && workload.nodeSelectorOffset === undefined;
  if (archs.length === 1 && !flowSelector) {
    const edit = addArchSelectorEdit(text, workload.podSpecOffset, workload.nodeSelectorOffset, archs[0]);
    return edit
      ? [
          {
            title: `Run ${workload.name} on ${archs[0]} nodes only (nodeSelector kubernetes.io/arch: ${archs[0]})`,
            edits: [edit],
            isPreferred: false,
          },
        ]
      : [];
  }
  const edit = addArchAffinityEdit(text, workload.podSpecOffset, archs);
  const names = archs.length === 1 ? archs[0] : `${archs.slice(0, -1).join(', ')} and ${archs[archs.length - 1]}`;
  return edit
    ? [
        {
          title: `Run ${workload.name} on ${names} nodes only (required node affinity kubernetes.io/arch In [${archs.join(', ')}])`,
          edits: [edit],
          isPreferred: false,
        },
      ]
    : [];
}

export const GC301: YamlRule = {
  code: 'GC301',
  title: 'Image lacks a platform the workload can land on',
  description:
    'A Kubernetes or Compose image that the registry does not publish for a platform the workload can land on (the targets, narrowed by nodeSelector, node affinity or platform:).',
  defaultSeverity: 'warning',
  usesLookups: true,
  check({ model, images }) {
    if (!images) return [];
    const findings: YamlFinding[] = [];
    for (const workload of model.workloads) {
      if (workload.uncertain || workload.builds || workload.platforms.length === 0) continue;
      for (const use of workload.images) {
        const answer = images.get(use.image);
        const found = realPlatforms(answer);
        if (!found || found.length === 0 || answer?.kind !== 'found') continue;
        // GC302 already reports an image whose name pins it (one problem, one diagnostic).
        const pin = archPinOf(use.image);
        if (pin && workload.platforms.some((p) => !platformsEqual(p, pin.pinned))) continue;
        const missing = workload.platforms.filter((p) => !covers(found, p));
        if (missing.length === 0) continue;
        const consequence = answer.multiPlatform
          ? `pulling it there fails ('no matching manifest')`
          : `containers there fail with 'exec format error'`;
        const has = workload.platforms.filter((p) => covers(found, p));
        const advice =
          has.length > 0 && workload.flavour === 'kubernetes'
            ? `Use an image published for ${listPlatforms(missing)}, or keep ${workload.name} on ${listPlatforms(has)} nodes with ${
                architecturesOf(has).length > 1 ? 'a required node affinity on kubernetes.io/arch' : 'a kubernetes.io/arch nodeSelector'
              }.`
            : `Use an image published for ${listPlatforms(missing)}${workload.flavour === 'compose' ? ", or set the service's 'platform' to one it has" : ''}.`;
        findings.push({
          span: use.span,
          message:
            // The point first, two sentences (how the platforms were narrowed: in the parentheses and on the rule page).
            `Image '${use.image}' (${whereOf(use, workload)}) is published for ${listPlatforms(found)} only, but the workload can land on ` +
            `${listPlatforms(missing)} (per ${platformSource(workload, model.directivePlatforms !== undefined)}): ${consequence}. ${advice}`,
          fixes: has.length > 0 ? selectorFix(model.text, workload, images) : [],
        });
      }
    }
    return findings;
  },
};
