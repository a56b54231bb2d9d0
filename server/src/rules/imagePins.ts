/**
 * What an image reference's own name says about its platform: the knowledge behind GC101
 * (architecture namespace), GC102 (architecture in the tag) and GC103 (architecture or device in
 * the repository name), shared with GC302 (the same mistakes in Kubernetes and Compose files).
 * Pure functions of the reference text: no Dockerfile model.
 */
import { ARCH_NAMESPACES, formatPlatform, type Platform } from '../../../core/src/platforms';
import { findArchMention, flavourOf, isCrossToolchain, type ArchMention } from './archNames';

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

function onDockerHub(registry: string | undefined): boolean {
  return !registry || DOCKER_HUB_HOSTS.has(registry.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// GC101: architecture namespaces

export interface NamespacePin {
  /** `arm64v8` */
  readonly namespace: string;
  readonly pinned: Platform;
}

/** `arm64v8/alpine` on Docker Hub → arm64; undefined when the namespace pins nothing. */
export function namespacePinOf(path: string, registry: string | undefined): NamespacePin | undefined {
  if (!onDockerHub(registry)) return undefined;
  const parts = path.split('/');
  if (parts.length !== 2) return undefined;
  const namespace = parts[0];
  if (!Object.prototype.hasOwnProperty.call(ARCH_NAMESPACES, namespace)) return undefined;
  const pinned = ARCH_NAMESPACES[namespace];
  return pinned ? { namespace, pinned } : undefined;
}

/** `docker.io/arm64v8/alpine:3.19` without its namespace: `alpine:3.19`. */
export function withoutNamespace(image: string, namespace: string): string {
  return image.replace(new RegExp(`^(?:(?:docker\\.io|index\\.docker\\.io|registry-1\\.docker\\.io)/)?${namespace}/`, 'i'), '');
}

// ---------------------------------------------------------------------------------------------
// GC102: architecture in the tag

/**
 * Per-arch repositories whose multi-arch equivalent is known. The tag is `<arch>-<rest>`;
 * the function maps `<rest>` to the multi-arch image, or undefined when unknown.
 */
const KNOWN_EQUIVALENTS: Readonly<Record<string, (rest: string) => string | undefined>> = {
  'multiarch/alpine': (rest) => {
    if (rest === 'latest-stable' || rest === 'latest') return 'alpine:latest';
    if (rest === 'edge') return 'alpine:edge';
    const m = /^v?([0-9]+\.[0-9]+(?:\.[0-9]+)?)$/.exec(rest);
    return m ? `alpine:${m[1]}` : undefined;
  },
  'multiarch/debian-debootstrap': (rest) => (/^[a-z]+(?:-slim)?$/.test(rest) ? `debian:${rest}` : undefined),
  'multiarch/ubuntu-debootstrap': (rest) => (/^[a-z]+$/.test(rest) ? `ubuntu:${rest}` : undefined),
  'multiarch/ubuntu-core': (rest) => (/^[a-z]+$/.test(rest) ? `ubuntu:${rest}` : undefined),
};

function knownEquivalent(path: string, registry: string | undefined, tag: string, mention: ArchMention): string | undefined {
  if (!onDockerHub(registry)) return undefined;
  const map = Object.prototype.hasOwnProperty.call(KNOWN_EQUIVALENTS, path) ? KNOWN_EQUIVALENTS[path] : undefined;
  if (!map || mention.start !== 0 || tag[mention.end] !== '-') return undefined;
  return map(tag.slice(mention.end + 1));
}

/** `20-arm64` → `20`; `arm64-latest-stable` → `latest-stable`; undefined when nothing is left. */
function tagWithout(tag: string, mention: ArchMention): string | undefined {
  const before = tag.slice(0, mention.start).replace(/[-_.]$/, '');
  const after = tag.slice(mention.end).replace(/^[-_.]/, '');
  const rest = before && after ? `${before}${tag[mention.start - 1]}${after}` : before || after;
  return rest === '' ? undefined : rest;
}

export interface TagPin {
  readonly mention: ArchMention;
  readonly pinned: Platform;
  /** ` ('armhf' is Alpine's name for ARMv6)` or empty. */
  readonly alpineNote: string;
  /** The known multi-arch image (`alpine:3.7`), when there is one (never for a digest pin). */
  readonly equivalent?: string;
  /** What to do, as a sentence. */
  readonly advice: string;
}

/** The architecture a tag names as a whole segment (`armhf-v3.7`, `20-arm64`), with the advice. */
export function tagPinOf(path: string, registry: string | undefined, tag: string, digest: string | undefined): TagPin | undefined {
  const flavour = flavourOf(path, tag);
  const mention = findArchMention(tag, { flavour, devices: false, bareX86: true });
  if (!mention || isCrossToolchain(path, tag, mention)) return undefined;
  const alpineNote = flavour === 'alpine' && mention.token.toLowerCase() === 'armhf' ? " ('armhf' is Alpine's name for ARMv6)" : '';
  const equivalent = digest === undefined ? knownEquivalent(path, registry, tag, mention) : undefined;
  const shortName = path.startsWith('library/') ? path.slice('library/'.length) : path;
  const suggestion = tagWithout(tag, mention);
  const advice = equivalent
    ? `Use the multi-arch '${equivalent}'.`
    : suggestion
      ? `Use a multi-arch tag such as '${shortName}:${suggestion}' (the tag without '${mention.token}') if the image publishes one.`
      : `Use a multi-arch tag of '${shortName}' if the image publishes one.`;
  return { mention, pinned: mention.platform, alpineNote, equivalent, advice };
}

// ---------------------------------------------------------------------------------------------
// GC103: architecture or device in the repository name

/** Name segments that have an official multi-arch image to suggest (raspbian → debian). */
const OFFICIAL: Readonly<Record<string, string>> = {
  debian: 'debian',
  raspbian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine',
  fedora: 'fedora',
  python: 'python',
  node: 'node',
  golang: 'golang',
  openjdk: 'eclipse-temurin',
  busybox: 'busybox',
};

function officialSuggestion(name: string, mentionStart: number, mentionEnd: number): string | undefined {
  const rest = `${name.slice(0, mentionStart)}-${name.slice(mentionEnd)}`.toLowerCase();
  let found: string | undefined;
  for (const segment of rest.split(/[-_.]/)) if (Object.prototype.hasOwnProperty.call(OFFICIAL, segment)) found = OFFICIAL[segment];
  return found;
}

export interface NamePin {
  readonly mention: ArchMention;
  readonly pinned: Platform;
  /** `the linux/arm/v7 device 'raspberrypi3'` or `'armv7hf'`. */
  readonly what: string;
  readonly advice: string;
}

/** The architecture or device a repository name names (`resin/armv7hf-debian`); never for official images. */
export function namePinOf(path: string, tag: string | undefined): NamePin | undefined {
  // Official images (`library/…`, no namespace) never name an architecture.
  if (!path.includes('/') || path.startsWith('library/')) return undefined;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const flavour = flavourOf(path, tag);
  const mention = findArchMention(name, { flavour, devices: true, bareX86: false });
  if (!mention || isCrossToolchain(path, name, mention)) return undefined;
  const pinned = mention.platform;
  const alpineArmhf = !mention.device && mention.token.toLowerCase() === 'armhf' && flavour === 'alpine';
  const what = mention.device
    ? `the ${formatPlatform(pinned)} device '${mention.token}'`
    : `'${mention.token}'${alpineArmhf ? ", Alpine's name for ARMv6" : ''}`;
  const official = officialSuggestion(name, mention.start, mention.end);
  const advice = official
    ? `Use a multi-arch base image such as the official '${official}'.`
    : 'Use a multi-arch base image (one published as a manifest list).';
  return { mention, pinned, what, advice };
}

// ---------------------------------------------------------------------------------------------
// One reference, all three

/** A reference split as written: offsets are into the reference text. */
export interface SplitReference {
  readonly registry?: string;
  /** Lower-cased repository path without the registry (`arm64v8/alpine`). */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly pathStart: number;
  readonly tagStart?: number;
}

/** Splits `registry/path:tag@digest` as written (no `library/` added); undefined for an empty name. */
export function splitReference(reference: string): SplitReference | undefined {
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const first = rest.split('/')[0];
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(first.length + 1);
  }
  if (rest === '') return undefined;
  const pathStart = registry ? registry.length + 1 : 0;
  return {
    registry,
    path: rest.toLowerCase(),
    tag,
    digest,
    pathStart,
    tagStart: tag === undefined ? undefined : pathStart + rest.length + 1,
  };
}

export type ArchPinKind = 'namespace' | 'name' | 'tag';

/** Why an image reference is pinned to one platform, from its name alone. */
export interface ArchPin {
  readonly kind: ArchPinKind;
  readonly pinned: Platform;
  /** Offsets of the part that pins, in the reference text. */
  readonly start: number;
  readonly end: number;
  /** `its 'arm64v8/' namespace`, `its tag 'arm64-1.0'`, `its name (the linux/arm/v7 device 'rpi')`. */
  readonly reason: string;
  /** The multi-arch reference to use, when known. */
  readonly multiArch?: string;
  /** What to do, as a sentence. */
  readonly advice: string;
}

/**
 * The first pin an image reference's name shows, checked as GC101, GC103 then GC102 do:
 * namespace, then repository name, then tag. Undefined when the name pins nothing.
 */
export function archPinOf(reference: string): ArchPin | undefined {
  if (reference.length === 0 || reference.length > 1024) return undefined;
  const split = splitReference(reference);
  if (!split) return undefined;
  const { path, registry, tag, digest, pathStart, tagStart } = split;
  const ns = namespacePinOf(path, registry);
  if (ns) {
    const multiArch = withoutNamespace(reference, ns.namespace);
    return {
      kind: 'namespace',
      pinned: ns.pinned,
      start: pathStart,
      end: pathStart + path.length,
      reason: `its '${ns.namespace}/' namespace`,
      multiArch,
      advice: `Use the multi-arch '${multiArch}'.`,
    };
  }
  const name = namePinOf(path, tag);
  if (name) {
    return {
      kind: 'name',
      pinned: name.pinned,
      start: pathStart,
      end: pathStart + path.length,
      reason: `its name (${name.what})`,
      advice: name.advice.replace('base image', 'image'),
    };
  }
  if (tag !== undefined && tagStart !== undefined) {
    const t = tagPinOf(path, registry, tag, digest);
    if (t) {
      return {
        kind: 'tag',
        pinned: t.pinned,
        start: tagStart,
        end: tagStart + tag.length,
        reason: `its tag '${tag}'${t.alpineNote}`,
        multiArch: t.equivalent,
        advice: t.advice,
      };
    }
  }
  return undefined;
}
