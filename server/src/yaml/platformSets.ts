/** Platform-set helpers for the GC3xx rules. */
import { formatPlatform, normalizePlatform, platformsEqual, type Platform } from '../../../core/src/platforms';
import type { ImagePlatformsAnswer } from './imagePlatforms';
import type { ImageUse, Workload } from './model';

/** True when the image's platforms include `p` (arm64 == arm64/v8; an arm/v7 image does not run on arm/v6). */
export function covers(platforms: readonly Platform[], p: Platform): boolean {
  return platforms.some((q) => platformsEqual(q, p));
}

/** The platforms of a found answer, attestation entries (`unknown/unknown`) dropped. */
export function realPlatforms(answer: ImagePlatformsAnswer | undefined): Platform[] | undefined {
  if (answer?.kind !== 'found') return undefined;
  const out: Platform[] = [];
  for (const p of answer.platforms) {
    if (p.os === 'unknown' || p.architecture === 'unknown') continue;
    try {
      const n = normalizePlatform(p);
      if (!covers(out, n)) out.push(n);
    } catch {
      // not a platform
    }
  }
  return out;
}

/** `linux/amd64 and linux/arm/v7`. */
export function listPlatforms(platforms: readonly Platform[]): string {
  const names = platforms.map(formatPlatform);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The distinct architectures of a set (`arm/v6` and `arm/v7` are one Kubernetes `arm`). */
export function architecturesOf(platforms: readonly Platform[]): string[] {
  return [...new Set(platforms.map((p) => p.architecture))];
}

/** Where the workload's platform set comes from, for messages. */
export function platformSource(workload: Workload, fromDirective: boolean): string {
  if (workload.flavour === 'compose' && workload.platformValue && workload.platforms.length === 1)
    return `its 'platform: ${workload.platformValue.value}'`;
  const base = fromDirective ? "the file's '# platforms='" : 'the target platforms';
  if (workload.constraints.length === 0) return base;
  return `${base}, narrowed by ${workload.constraints.map((c) => c.description).join(' and ')}`;
}

/** `container 'db' of Deployment 'web'`, or `service 'db'` (a Compose service is its own workload). */
export function whereOf(use: ImageUse, workload: Workload): string {
  return use.where === workload.name ? use.where : `${use.where} of ${workload.name}`;
}
