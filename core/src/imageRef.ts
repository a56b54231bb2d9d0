/**
 * Image references, following the distribution reference grammar
 * (github.com/distribution/reference):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [domain "/"] path-component ["/" path-component]*
 *   domain     := host [":" port]       (a first component with "." or ":" or equal to "localhost")
 *   path-comp. := [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)*
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex     (hex: 32+ hex digits; sha256: exactly 64, lower case)
 *   the name (domain and path) is at most 255 characters
 *
 * Familiar names are normalised as Docker does: `alpine` → `docker.io/library/alpine`.
 */

export class ImageReferenceError extends Error {
  override readonly name = 'ImageReferenceError';
}

export interface ImageReference {
  /** Registry host as written or implied (`docker.io` for Docker Hub), with port if any. */
  readonly registry: string;
  /** Repository path within the registry (`library/alpine`, `team/web`). */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** True when the registry was written explicitly in the reference. */
  readonly explicitRegistry: boolean;
}

export const DOCKER_HUB = 'docker.io';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
/** `algorithm:hex` per the grammar (algorithm components start with a letter; hex, at least 32). */
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** Registered algorithms must have exactly their length of lower-case hex (opencontainers/go-digest). */
const DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
/** The whole name (domain and path, as written) may not exceed this (distribution/reference). */
const NAME_TOTAL_LENGTH_MAX = 255;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;

function looksLikeDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component !== component.toLowerCase();
}

function validateDomain(domain: string, raw: string): void {
  let host = domain;
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const end = domain.indexOf(']');
    if (end < 0) throw new ImageReferenceError(`Invalid registry host '${domain}' in '${raw}'.`);
    host = domain.slice(1, end);
    const rest = domain.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new ImageReferenceError(`Invalid registry host '${domain}' in '${raw}'.`);
      port = rest.slice(1);
    }
    if (!/^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/.test(host)) throw new ImageReferenceError(`Invalid IPv6 registry host '${domain}' in '${raw}'.`);
  } else {
    const colon = domain.lastIndexOf(':');
    if (colon >= 0) {
      host = domain.slice(0, colon);
      port = domain.slice(colon + 1);
    }
    if (host === '' || !host.split('.').every((c) => DOMAIN_COMPONENT.test(c))) {
      throw new ImageReferenceError(`Invalid registry host '${domain}' in '${raw}'.`);
    }
  }
  if (port !== undefined && !/^[0-9]{1,5}$/.test(port)) {
    throw new ImageReferenceError(`Invalid port '${port}' in registry host '${domain}' of '${raw}'.`);
  }
}

/** Throws ImageReferenceError when `digest` is not `algorithm:hex` (sha256 needs 64 lower-case hex digits). */
function validateDigest(digest: string, raw?: string): void {
  const where = raw !== undefined ? ` in '${raw}'` : '';
  if (!DIGEST.test(digest)) throw new ImageReferenceError(`Invalid digest '${digest}'${where} (expected sha256:<64 hex digits>).`);
  const algorithm = digest.slice(0, digest.indexOf(':'));
  const length = Object.hasOwn(DIGEST_LENGTHS, algorithm) ? DIGEST_LENGTHS[algorithm] : undefined;
  if (length !== undefined && !new RegExp(`^${algorithm}:[a-f0-9]{${length}}$`).test(digest)) {
    throw new ImageReferenceError(`Invalid ${algorithm} digest '${digest}'${where} (expected ${length} lower-case hex digits).`);
  }
}

/**
 * Parses an image reference. Throws ImageReferenceError naming the faulty part.
 * @param defaultRegistry registry for names without a domain (Docker Hub by default)
 */
export function parseImageReference(text: string, defaultRegistry: string = DOCKER_HUB): ImageReference {
  const raw = text.trim();
  if (raw === '') throw new ImageReferenceError('An image reference cannot be empty (expected e.g. team/web:1.2).');
  if (raw.length > 4096)
    throw new ImageReferenceError(
      `The image reference '${raw.slice(0, 40)}…' is ${raw.length} characters long; an image reference is at most a 255-character name, a 128-character tag and a digest.`,
    );
  if (/\s/.test(raw)) throw new ImageReferenceError(`Image reference '${raw}' contains white space.`);

  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    validateDigest(digest, raw);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag))
      throw new ImageReferenceError(
        `Invalid tag '${tag}' in '${raw}' (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-').`,
      );
  }
  if (rest === '') throw new ImageReferenceError(`Image reference '${raw}' has no repository name.`);
  const components = rest.split('/');
  let registry = defaultRegistry;
  let explicitRegistry = false;
  const [first] = components;
  if (components.length > 1 && first !== undefined && looksLikeDomain(first)) {
    components.shift();
    registry = first;
    explicitRegistry = true;
    validateDomain(registry, raw);
  }
  for (const c of components) {
    if (!PATH_COMPONENT.test(c)) {
      const hint = c !== c.toLowerCase() ? ' (repository names must be lower case)' : '';
      throw new ImageReferenceError(`Invalid repository name component '${c}' in '${raw}'${hint}.`);
    }
  }
  if (rest.length > NAME_TOTAL_LENGTH_MAX) {
    throw new ImageReferenceError(
      `The name in '${raw.slice(0, 40)}…' is ${rest.length} characters long; at most ${NAME_TOTAL_LENGTH_MAX} are allowed (registry and repository together).`,
    );
  }
  let repository = components.join('/');
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, tag, digest, explicitRegistry };
}

/** True when the text parses as an image reference. */
export function isValidImageReference(text: string): boolean {
  try {
    parseImageReference(text);
    return true;
  } catch {
    return false;
  }
}

/** The shortest form a person writes: `alpine:3.7`, `team/web:1.2`, `127.0.0.1:5000/web@sha256:…`. */
export function formatImageReference(ref: ImageReference, options: { familiar?: boolean } = {}): string {
  const familiar = options.familiar ?? true;
  let name: string;
  if (ref.registry === DOCKER_HUB && familiar) {
    name = ref.repository.startsWith('library/') ? ref.repository.slice('library/'.length) : ref.repository;
  } else {
    name = `${ref.registry}/${ref.repository}`;
  }
  if (ref.tag) name += `:${ref.tag}`;
  if (ref.digest) name += `@${ref.digest}`;
  return name;
}

/** The repository name a person writes (`alpine`, `team/web`, `127.0.0.1:5000/team/web`). */
export function familiarName(ref: ImageReference): string {
  return formatImageReference({ ...ref, tag: undefined, digest: undefined });
}

/** A copy of the reference with another tag (and no digest). */
export function withTag(ref: ImageReference, tag: string): ImageReference {
  if (!TAG.test(tag)) throw new ImageReferenceError(`Invalid tag '${tag}'.`);
  return { ...ref, tag, digest: undefined };
}

/** A copy of the reference pinned to a digest (tag dropped). */
export function withDigest(ref: ImageReference, digest: string): ImageReference {
  validateDigest(digest);
  return { ...ref, tag: undefined, digest };
}

/** True when the tag is valid per the grammar. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}
