/**
 * GC304 — a Compose service with a constant `platform:` on a multi-arch image (registry
 * lookup): on every host of another architecture, Docker pulls the foreign image and runs it
 * under emulation instead of the native one. Reported when the image has every target platform
 * (removing `platform:` then never leaves a host without an image).
 */
import { formatPlatform, parsePlatform } from '../../../core/src/platforms';
import { removeEntryEdit } from '../yaml/edits';
import { covers, listPlatforms, realPlatforms } from '../yaml/platformSets';
import type { YamlFinding, YamlRule } from '../yaml/types';

export const GC304: YamlRule = {
  code: 'GC304',
  title: 'Compose platform: on a multi-arch image',
  description:
    "A Compose service with a constant 'platform:' on a multi-arch image forces emulation on hosts of other architectures; remove it.",
  defaultSeverity: 'warning',
  usesLookups: true,
  check({ model, images }) {
    if (!images) return [];
    const findings: YamlFinding[] = [];
    for (const workload of model.workloads) {
      const platform = workload.platformValue;
      if (workload.flavour !== 'compose' || workload.builds || !platform?.constant || workload.images.length !== 1) continue;
      let pinned;
      try {
        pinned = parsePlatform(platform.value);
      } catch {
        continue;
      }
      const use = workload.images[0];
      const answer = images.get(use.image);
      const found = realPlatforms(answer);
      if (answer?.kind !== 'found' || !answer.multiPlatform || !found || found.length < 2 || !covers(found, pinned)) continue;
      // Without `platform:` the service runs on every target: only then is removing it safe.
      if (!workload.targets.every((p) => covers(found, p))) continue;
      // An inherited `platform` (`<<: *defaults`) is shared: removing it there would change other services.
      const edit = platform.inherited ? undefined : removeEntryEdit(model.text, platform.keyOffset);
      findings.push({
        span: platform.span,
        message:
          `${workload.name[0].toUpperCase()}${workload.name.slice(1)} forces 'platform: ${platform.value}' on '${use.image}', which is published for ${listPlatforms(found)}; ` +
          `on hosts of another architecture Docker pulls the ${formatPlatform(pinned)} image and runs it under emulation (slow, or 'exec format error' without QEMU) instead of the native one. Remove 'platform:'.`,
        fixes: edit ? [{ title: "Remove 'platform:'", edits: [edit], isPreferred: true }] : [],
      });
    }
    return findings;
  },
};
