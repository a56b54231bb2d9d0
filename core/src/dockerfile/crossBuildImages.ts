/**
 * What a base image's name says about the cross-build markers (resin/balena images ship
 * `cross-build-start`/`cross-build-end`; see crossBuild.ts) and about the platform it is pinned
 * to. Names only: no registry is asked.
 */
import { parseImageReference, type ImageReference } from '../imageRef';
import { ARCH_NAMESPACES, DEVICE_PLATFORMS, platformOfArchToken, type ArchFlavour, type Platform } from '../platforms';

/**
 * What is known about a base image and the markers:
 * - `ships`: resin/*, balenalib/*, project31/*-qemu on Docker Hub, or listed in greenCloud.crossBuild.images;
 * - `lacks`: Docker Hub official images (`library/*`, the docker-library architecture namespaces
 *   such as `arm64v8/`), the `multiarch/` images (QEMU but no markers), `scratch`;
 * - `unknown`: everything else (other namespaces, other registries, unresolved variables).
 * A stage built `FROM` an earlier stage inherits that stage's answer.
 */
export type MarkerSupport = 'ships' | 'lacks' | 'unknown';

const SHIPPING_NAMESPACES = new Set(['resin', 'balenalib']);

function normaliseRegistry(host: string): string {
  const lower = host.toLowerCase();
  return lower === 'index.docker.io' || lower === 'registry-1.docker.io' ? 'docker.io' : lower;
}

/**
 * True when an image matches an entry of greenCloud.crossBuild.images:
 * - `name` (no tag) matches every tag and digest of that repository;
 * - `name:tag` matches that tag only (no tag on the FROM means `latest`); `name@digest` that digest;
 * - `namespace/*` matches every repository under that namespace (`mycompany/*`, `registry.local:5000/armbase/*`).
 * Names are compared as Docker does: `alpine` = `library/alpine` = `docker.io/library/alpine`.
 */
export function matchesCrossBuildImage(image: ImageReference, entry: string): boolean {
  const text = entry.trim();
  if (text.endsWith('/*')) {
    const parts = text
      .slice(0, -2)
      .split('/')
      .filter((p) => p !== '');
    if (parts.length === 0) return false;
    let registry = 'docker.io';
    if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) registry = normaliseRegistry(parts.shift() as string);
    const prefix = `${parts.join('/').toLowerCase()}/`;
    return normaliseRegistry(image.registry) === registry && image.repository.startsWith(prefix);
  }
  let wanted: ImageReference;
  try {
    wanted = parseImageReference(text);
  } catch {
    return false;
  }
  if (normaliseRegistry(wanted.registry) !== normaliseRegistry(image.registry) || wanted.repository !== image.repository) return false;
  if (wanted.digest !== undefined) return wanted.digest === image.digest;
  if (wanted.tag !== undefined) return wanted.tag === (image.tag ?? (image.digest ? undefined : 'latest'));
  return true;
}

export function baseSupport(image: ImageReference, crossBuildImages: readonly string[]): MarkerSupport {
  if (crossBuildImages.some((entry) => matchesCrossBuildImage(image, entry))) return 'ships';
  if (normaliseRegistry(image.registry) !== 'docker.io') return 'unknown';
  const parts = image.repository.split('/');
  const namespace = parts[0];
  const name = parts[parts.length - 1];
  if (SHIPPING_NAMESPACES.has(namespace)) return 'ships';
  if (namespace === 'project31' && name.endsWith('-qemu')) return 'ships';
  if (namespace === 'library' || namespace === 'multiarch') return 'lacks';
  if (parts.length === 2 && ARCH_NAMESPACES[namespace]) return 'lacks';
  return 'unknown';
}

/** The arch flavour of a repository or tag name: Alpine's `armhf` is arm/v6, Debian's arm/v7. */
function flavourOf(text: string): ArchFlavour {
  if (/alpine/.test(text)) return 'alpine';
  if (/debian|raspbian|ubuntu|buildpack/.test(text)) return 'debian';
  return 'generic';
}

/** The platform named by `-`-separated tokens (device names may span tokens: `raspberrypi3-64`). */
function platformOfTokens(text: string, flavour: ArchFlavour): Platform | undefined {
  const tokens = text.toLowerCase().split('-').slice(0, 12);
  for (let i = 0; i < tokens.length; i++) {
    for (let j = Math.min(tokens.length, i + 4); j > i; j--) {
      const key = tokens.slice(i, j).join('-');
      const device = Object.prototype.hasOwnProperty.call(DEVICE_PLATFORMS, key) ? DEVICE_PLATFORMS[key] : undefined;
      if (device) return device;
      if (j === i + 1) {
        const arch = platformOfArchToken(key, flavour);
        if (arch) return arch;
      }
    }
  }
  return undefined;
}

/**
 * The platform a base image is pinned to, when its name says so unambiguously: a docker-library
 * architecture namespace (`arm64v8/debian`), a resin/balenalib/project31 repository name
 * (`resin/armv7hf-debian`, `balenalib/raspberrypi3-64-debian`) or a `multiarch/` tag
 * (`multiarch/alpine:armhf-v3.7`). Other names are not guessed at.
 */
export function platformOfImage(image: ImageReference): Platform | undefined {
  if (normaliseRegistry(image.registry) !== 'docker.io') return undefined;
  const parts = image.repository.split('/');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts;
  const pinned = Object.prototype.hasOwnProperty.call(ARCH_NAMESPACES, namespace) ? ARCH_NAMESPACES[namespace] : undefined;
  if (pinned) return pinned;
  if (namespace === 'resin' || namespace === 'balenalib' || namespace === 'project31') return platformOfTokens(name, flavourOf(name));
  if (namespace === 'multiarch' && image.tag) {
    const first = image.tag.split('-')[0];
    return platformOfArchToken(first, flavourOf(name));
  }
  return undefined;
}
