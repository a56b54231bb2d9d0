/**
 * Manifest list (Docker) / image index (OCI) assembly and push.
 *
 * `pushManifestList(request)`:
 *   1. resolves every source (tag or digest, any repository of the target's registry): an
 *      image manifest gives one entry whose platform comes from the image's config blob unless
 *      given explicitly; a list/index source is flattened (attestation entries dropped; with an
 *      explicit platform only the matching entry is taken);
 *   2. refuses two entries for one platform, naming both sources;
 *   3. with `amend`, merges into the list already at the target (same platform → replaced);
 *   4. makes every child present in the target repository (cross-repository blob mount, else
 *      copy; then the child manifest PUT by digest, byte for byte) and VERIFIES each by HEAD;
 *   5. only then PUTs the list by tag, GETs it back by digest and compares the bytes.
 *   A failure before step 5 leaves the previous target untouched.
 * Docker manifest list by default; an OCI index on request, or when a child is an OCI
 * manifest or annotations are given.
 */
import { parse as parseYaml } from 'yaml';
import { familiarName, formatImageReference, parseImageReference, withTag, type ImageReference } from '../imageRef';
import { formatPlatform, normalizePlatform, parsePlatform, parsePlatformList, type Platform } from '../platforms';
import { RegistryClient, sha256Digest, type FetchedManifest, type RegistryClientOptions } from './client';
import { ManifestListError, RegistryError } from './errors';
import { isImageManifestMediaType, isIndexMediaType, MediaType } from './mediaTypes';

/** A platform as it appears in a list entry (`os.version`/`os.features` for Windows images). */
export interface EntryPlatform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly 'os.version'?: string;
  readonly 'os.features'?: readonly string[];
}

/** What the user may say about a source's platform; anything left out comes from the image config. */
export interface PlatformOverride {
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
  readonly osVersion?: string;
  readonly osFeatures?: readonly string[];
}

export interface ManifestSource {
  /** `127.0.0.1:5000/team/web:arm64-1.2` or `…@sha256:…`; same registry as the target. */
  readonly reference: string;
  readonly platform?: PlatformOverride;
  /** Entry annotations (OCI index only). */
  readonly annotations?: Readonly<Record<string, string>>;
}

export type ListFormat = 'docker' | 'oci';

export interface ManifestListRequest {
  /** `IMAGE:TAG` the list is pushed to. */
  readonly target: string;
  /** More tags of the same repository that receive the same list. */
  readonly extraTags?: readonly string[];
  readonly sources: readonly ManifestSource[];
  /** Default: Docker list, unless a child is OCI or annotations are given. */
  readonly format?: ListFormat;
  /** Merge into the list already at the target, replacing entries of the same platform. */
  readonly amend?: boolean;
  /** Index-level annotations (OCI only). */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ManifestListEntry {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform: EntryPlatform;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Where it came from: a source reference, or `existing list` for amended entries. */
  readonly source: string;
}

export interface ManifestListResult {
  /** `127.0.0.1:5000/team/web:1.2@sha256:…` */
  readonly reference: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly bytes: Buffer;
  readonly entries: readonly ManifestListEntry[];
  readonly tags: readonly string[];
  /** HTTP requests made (registry and token server). */
  readonly requests: number;
}

export interface ManifestListOptions extends RegistryClientOptions {
  /** Progress lines ("Resolving …", "Mounting …"). */
  readonly onStep?: (message: string) => void;
  /** An existing client for the target registry (shares its token cache and request count). */
  readonly client?: RegistryClient;
}

interface ManifestJson {
  schemaVersion?: number;
  mediaType?: string;
  config?: { mediaType?: string; digest?: string; size?: number };
  layers?: { mediaType?: string; digest?: string; size?: number; urls?: string[] }[];
  manifests?: {
    mediaType?: string;
    digest?: string;
    size?: number;
    platform?: Record<string, unknown>;
    annotations?: Record<string, string>;
  }[];
  annotations?: Record<string, string>;
}

const ATTESTATION_TYPE = 'vnd.docker.reference.type';

function parseJson(bytes: Buffer, what: string): ManifestJson {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return parsed as ManifestJson;
  } catch {
    throw new ManifestListError(`${what} is not a JSON manifest.`);
  }
}

/** A stable key for duplicate detection: normalised `os/arch[/variant]` plus `os.version`. */
export function platformKey(p: EntryPlatform): string {
  let base: string;
  try {
    base = formatPlatform(normalizePlatform(p));
  } catch {
    base = `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
  }
  return p['os.version'] ? `${base} (os.version ${p['os.version']})` : base;
}

export function describePlatform(p: EntryPlatform): string {
  const base = `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
  return p['os.version'] ? `${base} ${p['os.version']}` : base;
}

function isAttestation(entry: { platform?: Record<string, unknown>; annotations?: Record<string, string> }): boolean {
  if (entry.annotations?.[ATTESTATION_TYPE] === 'attestation-manifest') return true;
  return entry.platform?.os === 'unknown' || entry.platform?.architecture === 'unknown';
}

function entryPlatformOf(raw: Record<string, unknown> | undefined, what: string): EntryPlatform {
  if (!raw || typeof raw.architecture !== 'string' || typeof raw.os !== 'string' || !raw.architecture || !raw.os) {
    throw new ManifestListError(
      `${what} has no os/architecture. Give its platform explicitly (e.g. ${'`'}SOURCE,platform=linux/arm64${'`'}).`,
    );
  }
  const out: { -readonly [K in keyof EntryPlatform]: EntryPlatform[K] } = { os: raw.os, architecture: raw.architecture };
  if (typeof raw.variant === 'string' && raw.variant) out.variant = raw.variant;
  if (typeof raw['os.version'] === 'string' && raw['os.version']) out['os.version'] = raw['os.version'];
  if (Array.isArray(raw['os.features']) && raw['os.features'].length)
    out['os.features'] = raw['os.features'].filter((f): f is string => typeof f === 'string');
  return out;
}

function applyOverride(base: Partial<EntryPlatform>, override: PlatformOverride | undefined, what: string): EntryPlatform {
  const merged: Record<string, unknown> = { ...base };
  if (override?.os) merged.os = override.os;
  if (override?.architecture) {
    merged.architecture = override.architecture;
    // A new architecture makes the config's variant meaningless unless given too.
    if (override.variant === undefined && override.architecture !== base.architecture) delete merged.variant;
  }
  if (override?.variant !== undefined) {
    if (override.variant === '') delete merged.variant;
    else merged.variant = override.variant;
  }
  if (override?.osVersion) merged['os.version'] = override.osVersion;
  if (override?.osFeatures?.length) merged['os.features'] = [...override.osFeatures];
  return entryPlatformOf(merged, what);
}

function matchesOverride(p: EntryPlatform, o: PlatformOverride): boolean {
  if (!o.architecture) return true;
  const want = normalizePlatform({ os: o.os ?? 'linux', architecture: o.architecture, variant: o.variant });
  const have = normalizePlatform(p);
  return (
    want.os === have.os &&
    want.architecture === have.architecture &&
    (want.variant ?? '') === (have.variant ?? '') &&
    (!o.osVersion || o.osVersion === p['os.version'])
  );
}

/** Assembles and pushes a list; see the module comment for the steps and the safety rules. */
export async function pushManifestList(request: ManifestListRequest, options: ManifestListOptions = {}): Promise<ManifestListResult> {
  const step = options.onStep ?? (() => undefined);
  let target: ImageReference;
  try {
    target = parseImageReference(request.target);
  } catch (error) {
    throw new ManifestListError(`Target '${request.target}': ${(error as Error).message}`);
  }
  if (target.digest || !target.tag)
    throw new ManifestListError(`Target '${request.target}' needs a tag and no digest (e.g. ${familiarName(target)}:1.2).`);
  for (const t of request.extraTags ?? []) {
    try {
      withTag(target, t);
    } catch {
      throw new ManifestListError(`'${t}' is not a valid tag for ${familiarName(target)}.`);
    }
  }
  if (request.sources.length === 0 && !request.amend)
    throw new ManifestListError(
      'No source images: name at least one (e.g. team/web:arm64-1.2), or use --platforms with --template, or --spec.',
    );
  const client = options.client ?? new RegistryClient(target.registry, options);
  const startCount = client.requestCount;

  // 1. Resolve sources.
  const resolved: { entry: ManifestListEntry; fromRepository: string; bytes?: Buffer }[] = [];
  for (const source of request.sources) {
    let ref: ImageReference;
    try {
      ref = parseImageReference(source.reference);
    } catch (error) {
      throw new ManifestListError(`Source '${source.reference}': ${(error as Error).message}`);
    }
    if (ref.registry !== target.registry) {
      throw new ManifestListError(
        `Source '${source.reference}' is on ${ref.registry} but the target is on ${target.registry}: a list can only reference images of its own registry. Push the image to ${target.registry} first.`,
      );
    }
    const reference = ref.digest ?? ref.tag ?? 'latest';
    step(`Resolving ${source.reference}`);
    let manifest: FetchedManifest;
    try {
      manifest = await client.getManifest(ref.repository, reference);
    } catch (error) {
      if (error instanceof RegistryError && error.kind === 'not-found') {
        throw new ManifestListError(
          `Source image ${source.reference} does not exist in ${ref.registry}: push it first (or fix the name). Nothing was written to ${request.target}.`,
        );
      }
      throw error;
    }
    const json = parseJson(manifest.bytes, `Source ${source.reference}`);
    if (isIndexMediaType(manifest.mediaType)) {
      let children = (json.manifests ?? []).filter((m) => !isAttestation(m));
      if (source.platform?.architecture) {
        const override = source.platform;
        children = children.filter((m) => matchesOverride(entryPlatformOf(m.platform, `An entry of ${source.reference}`), override));
        if (children.length === 0)
          throw new ManifestListError(
            `Source ${source.reference} is a list without an entry for ${describePlatform(applyOverride({}, override, source.reference))}.`,
          );
        children = children.slice(0, 1);
      }
      if (children.length === 0)
        throw new ManifestListError(`Source ${source.reference} is a list with no platform entries (only attestations).`);
      for (const child of children) {
        if (typeof child.digest !== 'string' || typeof child.size !== 'number' || typeof child.mediaType !== 'string') {
          throw new ManifestListError(`Source ${source.reference} has an entry without digest/size/mediaType.`);
        }
        if (isIndexMediaType(child.mediaType))
          throw new ManifestListError(`Source ${source.reference} nests a list inside a list (${child.digest}); flatten it first.`);
        const platform = applyOverride(
          entryPlatformOf(child.platform, `Entry ${child.digest} of ${source.reference}`),
          source.platform?.architecture ? { ...source.platform, architecture: undefined, os: undefined, variant: undefined } : undefined,
          source.reference,
        );
        const annotations = { ...(child.annotations ?? {}), ...(source.annotations ?? {}) };
        resolved.push({
          entry: {
            mediaType: child.mediaType,
            digest: child.digest,
            size: child.size,
            platform,
            annotations: Object.keys(annotations).length ? annotations : undefined,
            source: `${source.reference} (${describePlatform(platform)})`,
          },
          fromRepository: ref.repository,
        });
      }
      continue;
    }
    if (!isImageManifestMediaType(manifest.mediaType)) {
      throw new ManifestListError(
        `Source ${source.reference} is a ${manifest.mediaType} manifest; only Docker v2 schema 2 and OCI image manifests can be listed. Re-push it with a current Docker.`,
      );
    }
    let configPlatform: Partial<EntryPlatform> = {};
    const needConfig = !(source.platform?.os && source.platform.architecture);
    if (needConfig) {
      const configDigest = json.config?.digest;
      if (typeof configDigest !== 'string')
        throw new ManifestListError(`Source ${source.reference} has no config blob to read its platform from; give it explicitly.`);
      const config = parseJson(await client.getBlob(ref.repository, configDigest), `The config of ${source.reference}`) as Record<
        string,
        unknown
      >;
      configPlatform = entryPlatformOf(config, `The config of ${source.reference}`);
    }
    const platform = applyOverride(configPlatform, source.platform, source.reference);
    resolved.push({
      entry: {
        mediaType: manifest.mediaType,
        digest: manifest.digest,
        size: manifest.size,
        platform,
        annotations: source.annotations && Object.keys(source.annotations).length ? { ...source.annotations } : undefined,
        source: source.reference,
      },
      fromRepository: ref.repository,
      bytes: manifest.bytes,
    });
  }

  // 2. Duplicates.
  const seen = new Map<string, string>();
  for (const { entry } of resolved) {
    const key = platformKey(entry.platform);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ManifestListError(
        `Platform ${key} appears twice: in ${first} and in ${entry.source}. A list holds one image per platform: drop one source or give it another platform.`,
      );
    }
    seen.set(key, entry.source);
  }

  // 3. Amend.
  let entries: ManifestListEntry[] = resolved.map((r) => r.entry);
  let existingAnnotations: Record<string, string> | undefined;
  let existingMediaType: string | undefined;
  if (request.amend) {
    step(`Reading the list at ${request.target}`);
    const existing = await client.getManifest(target.repository, target.tag).catch((error: unknown) => {
      if (error instanceof RegistryError && error.kind === 'not-found') return undefined;
      throw error;
    });
    if (existing) {
      if (!isIndexMediaType(existing.mediaType))
        throw new ManifestListError(
          `${request.target} is a single image, not a list: --amend can only merge into a list. Drop --amend to replace it.`,
        );
      existingMediaType = existing.mediaType;
      const json = parseJson(existing.bytes, request.target);
      existingAnnotations = json.annotations;
      const replaced = new Set<string>();
      const merged: ManifestListEntry[] = [];
      const keptDigests = new Set<string>();
      for (const m of json.manifests ?? []) {
        if (isAttestation(m) || typeof m.digest !== 'string' || typeof m.size !== 'number' || typeof m.mediaType !== 'string') continue;
        const platform = entryPlatformOf(m.platform, `Entry ${m.digest} of ${request.target}`);
        const key = platformKey(platform);
        const replacement = entries.find((e) => platformKey(e.platform) === key);
        if (replacement) {
          merged.push(replacement);
          replaced.add(key);
        } else {
          merged.push({
            mediaType: m.mediaType,
            digest: m.digest,
            size: m.size,
            platform,
            annotations: m.annotations,
            source: 'existing list',
          });
          keptDigests.add(m.digest);
        }
      }
      // Attestations stay with a subject that stays.
      for (const m of json.manifests ?? []) {
        const subject = m.annotations?.['vnd.docker.reference.digest'];
        if (
          isAttestation(m) &&
          subject &&
          keptDigests.has(subject) &&
          typeof m.digest === 'string' &&
          typeof m.size === 'number' &&
          typeof m.mediaType === 'string'
        ) {
          merged.push({
            mediaType: m.mediaType,
            digest: m.digest,
            size: m.size,
            platform: { os: 'unknown', architecture: 'unknown' },
            annotations: m.annotations,
            source: 'existing list (attestation)',
          });
        }
      }
      for (const e of entries) if (!replaced.has(platformKey(e.platform))) merged.push(e);
      entries = merged;
    }
  }
  if (entries.length === 0) throw new ManifestListError(`Nothing to push to ${request.target}: no source images.`);

  // 4. Format.
  const anyOci = entries.some((e) => e.mediaType === MediaType.ociManifest);
  const anyAnnotations =
    entries.some((e) => e.annotations && Object.keys(e.annotations).length > 0 && e.source !== 'existing list (attestation)') ||
    (request.annotations && Object.keys(request.annotations).length > 0);
  let mediaType: string;
  if (request.format === 'oci') mediaType = MediaType.ociIndex;
  else if (request.format === 'docker') {
    if (anyAnnotations)
      throw new ManifestListError('Annotations need an OCI index: use --format oci (a Docker manifest list cannot carry annotations).');
    mediaType = MediaType.dockerList;
  } else mediaType = anyOci || anyAnnotations || existingMediaType === MediaType.ociIndex ? MediaType.ociIndex : MediaType.dockerList;
  const oci = mediaType === MediaType.ociIndex;

  // 5. Children into the target repository, then verify each.
  for (const r of resolved) {
    if (r.fromRepository === target.repository) continue;
    step(`Copying ${r.entry.source} into ${target.repository}`);
    await copyManifest(client, r.fromRepository, target.repository, r.entry.digest, r.bytes);
  }
  // Children fetched from the target repository in this run are proven present (the registry
  // served their exact bytes from it); every other child is checked with a HEAD by digest.
  const fetchedHere = new Set(resolved.filter((r) => r.bytes && r.fromRepository === target.repository).map((r) => r.entry.digest));
  for (const e of entries) {
    if (fetchedHere.has(e.digest)) continue;
    const head = await client.headManifest(target.repository, e.digest);
    if (!head)
      throw new ManifestListError(
        `${e.source} (${e.digest}) is not present in ${target.registry}/${target.repository}; nothing was written to ${request.target}. Push the image again and retry.`,
      );
    if (head.size !== e.size)
      throw new ManifestListError(
        `${e.source} (${e.digest}) has size ${head.size} in ${target.repository}, not ${e.size}; nothing was written to ${request.target}.`,
      );
  }

  // 6. The list itself.
  const document: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType,
    manifests: entries.map((e) => {
      const m: Record<string, unknown> = { mediaType: e.mediaType, size: e.size, digest: e.digest, platform: e.platform };
      if (oci && e.annotations && Object.keys(e.annotations).length) m.annotations = e.annotations;
      return m;
    }),
  };
  const indexAnnotations = { ...(existingAnnotations ?? {}), ...(request.annotations ?? {}) };
  if (oci && Object.keys(indexAnnotations).length) document.annotations = indexAnnotations;
  const bytes = Buffer.from(JSON.stringify(document, null, 3));
  const digest = sha256Digest(bytes);
  const tags = [target.tag, ...(request.extraTags ?? []).filter((t) => t !== target.tag)];
  for (const tag of tags) {
    step(`Pushing the ${oci ? 'OCI index' : 'manifest list'} to ${formatImageReference(withTag(target, tag))}`);
    await client.putManifest(target.repository, tag, bytes, mediaType);
  }
  const back = await client.getManifest(target.repository, digest);
  if (!back.bytes.equals(bytes)) throw new ManifestListError(`${target.registry} returned different bytes for ${digest} than were pushed.`);
  return {
    reference: formatImageReference({ ...target, digest }),
    digest,
    mediaType,
    size: bytes.length,
    bytes,
    entries,
    tags,
    requests: client.requestCount - startCount,
  };
}

/** Makes an image manifest (and its blobs) or a whole index present in another repository. */
async function copyManifest(client: RegistryClient, from: string, to: string, digest: string, known?: Buffer, depth = 0): Promise<void> {
  if (await client.headManifest(to, digest)) return;
  const manifest = known ? { bytes: known, mediaType: '' } : await client.getManifest(from, digest);
  const json = parseJson(manifest.bytes, `${from}@${digest}`);
  const mediaType = json.mediaType ?? (manifest.mediaType || (json.manifests ? MediaType.ociIndex : MediaType.ociManifest));
  if (isIndexMediaType(mediaType)) {
    if (depth > 2) throw new ManifestListError(`${from}@${digest} nests lists too deeply.`);
    for (const m of json.manifests ?? [])
      if (typeof m.digest === 'string') await copyManifest(client, from, to, m.digest, undefined, depth + 1);
  } else {
    const blobs = [json.config?.digest, ...(json.layers ?? []).filter((l) => !l.urls?.length).map((l) => l.digest)].filter(
      (d): d is string => typeof d === 'string',
    );
    for (const blob of blobs) await client.ensureBlob(to, blob, from);
  }
  await client.putManifest(to, digest, manifest.bytes, mediaType);
}

// ------------------------------------------------------------------ inspect

export interface InspectedEntry {
  readonly platform: EntryPlatform;
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly attestation: boolean;
}

export interface InspectResult {
  readonly reference: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** True for a list/index; false for a single image (one entry, platform from its config). */
  readonly isList: boolean;
  readonly entries: readonly InspectedEntry[];
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Reads a list (or a single image) and describes its platforms, digests and sizes. */
export async function inspectManifest(
  reference: string,
  options: RegistryClientOptions & { client?: RegistryClient } = {},
): Promise<InspectResult> {
  let ref: ImageReference;
  try {
    ref = parseImageReference(reference);
  } catch (error) {
    throw new ManifestListError(`'${reference}': ${(error as Error).message}`);
  }
  const client = options.client ?? new RegistryClient(ref.registry, options);
  const manifest = await client.getManifest(ref.repository, ref.digest ?? ref.tag ?? 'latest');
  const json = parseJson(manifest.bytes, reference);
  const canonical = formatImageReference(ref.digest ? ref : { ...ref, digest: manifest.digest });
  if (isIndexMediaType(manifest.mediaType)) {
    const entries = (json.manifests ?? []).map((m): InspectedEntry => {
      const attestation = isAttestation(m);
      const platform = attestation
        ? { os: 'unknown', architecture: 'unknown' }
        : entryPlatformOf(m.platform, `Entry ${String(m.digest)} of ${reference}`);
      return {
        platform,
        digest: String(m.digest),
        size: Number(m.size),
        mediaType: String(m.mediaType),
        annotations: m.annotations,
        attestation,
      };
    });
    return {
      reference: canonical,
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      size: manifest.size,
      isList: true,
      entries,
      annotations: json.annotations,
    };
  }
  if (!isImageManifestMediaType(manifest.mediaType))
    throw new ManifestListError(`${reference} is a ${manifest.mediaType} manifest, which Green Cloud cannot read.`);
  const configDigest = json.config?.digest;
  const config =
    typeof configDigest === 'string'
      ? (parseJson(await client.getBlob(ref.repository, configDigest), `The config of ${reference}`) as Record<string, unknown>)
      : {};
  const platform = entryPlatformOf(config, `The config of ${reference}`);
  return {
    reference: canonical,
    digest: manifest.digest,
    mediaType: manifest.mediaType,
    size: manifest.size,
    isList: false,
    entries: [
      {
        platform,
        digest: manifest.digest,
        size: manifest.size,
        mediaType: manifest.mediaType,
        annotations: json.annotations,
        attestation: false,
      },
    ],
  };
}

// ------------------------------------------------------------------ inputs

/**
 * One CLI source: `REF[,platform=os/arch[/variant]][,os=…][,arch=…][,variant=…][,os.version=…]
 * [,os.features=a;b][,annotation.KEY=VALUE]` (the `docker manifest annotate` flags, inline).
 */
export function parseSourceArgument(text: string): ManifestSource {
  const [reference, ...options] = text.split(',');
  if (!reference) throw new ManifestListError(`'${text}' names no image.`);
  let platform: { -readonly [K in keyof PlatformOverride]: PlatformOverride[K] } | undefined;
  const annotations: Record<string, string> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq <= 0)
      throw new ManifestListError(
        `'${option}' in '${text}' is not KEY=VALUE (e.g. platform=linux/arm/v7, annotation.org.opencontainers.image.title=web).`,
      );
    const key = option.slice(0, eq);
    const value = option.slice(eq + 1);
    platform ??= {};
    if (key === 'platform') {
      const p = parsePlatformOrThrow(value, text);
      Object.assign(platform, { os: p.os, architecture: p.architecture, variant: p.variant ?? '' });
    } else if (key === 'os') platform.os = value;
    else if (key === 'arch' || key === 'architecture') platform.architecture = value;
    else if (key === 'variant') platform.variant = value;
    else if (key === 'os.version' || key === 'osversion') platform.osVersion = value;
    else if (key === 'os.features' || key === 'features') platform.osFeatures = value.split(';').filter(Boolean);
    else if (key.startsWith('annotation.') && key.length > 'annotation.'.length) annotations[key.slice('annotation.'.length)] = value;
    else
      throw new ManifestListError(
        `Unknown source option '${key}' in '${text}' (known: platform, os, arch, variant, os.version, os.features, annotation.KEY).`,
      );
  }
  return {
    reference,
    platform: platform && Object.keys(platform).length ? platform : undefined,
    annotations: Object.keys(annotations).length ? annotations : undefined,
  };
}

function parsePlatformOrThrow(text: string, where: string): Platform {
  try {
    return parsePlatform(text);
  } catch (error) {
    throw new ManifestListError(`${where}: ${(error as Error).message}`);
  }
}

/** manifest-tool `from-args`: `--platforms linux/amd64,linux/arm/v7 --template reg/web:ARCH-1.2 --target reg/web:1.2`. */
export function requestFromArgs(args: {
  platforms: string;
  template: string;
  target: string;
  format?: ListFormat;
  amend?: boolean;
}): ManifestListRequest {
  let platforms: Platform[];
  try {
    platforms = parsePlatformList(args.platforms);
  } catch (error) {
    throw new ManifestListError(`--platforms: ${(error as Error).message}`);
  }
  if (platforms.length === 0) throw new ManifestListError('--platforms names no platform (e.g. linux/amd64,linux/arm64).');
  if (platforms.length > 1 && !/OS|ARCH|VARIANT/.test(args.template)) {
    throw new ManifestListError(
      `--template '${args.template}' has no OS/ARCH/VARIANT placeholder, so every platform would use the same image (e.g. team/web:ARCH-1.2).`,
    );
  }
  const sources = platforms.map((p) => {
    const reference = args.template
      .replaceAll('OS', p.os)
      .replaceAll('ARCH', p.architecture)
      .replaceAll('VARIANT', p.variant ?? '');
    return { reference, platform: { os: p.os, architecture: p.architecture, variant: p.variant ?? '' } };
  });
  return { target: args.target, sources, format: args.format, amend: args.amend };
}

/** manifest-tool's YAML spec: `image`, `tags`, `manifests: [{image, platform: {architecture, os, variant}}]`. */
export function requestFromSpec(text: string, where = 'the spec'): ManifestListRequest {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new ManifestListError(`${where} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new ManifestListError(`${where} must be a mapping with 'image' and 'manifests'.`);
  const spec = doc as Record<string, unknown>;
  if (typeof spec.image !== 'string' || !spec.image)
    throw new ManifestListError(`${where}: 'image' (the target, e.g. team/web:1.2) is missing.`);
  const tags = spec.tags === undefined ? [] : spec.tags;
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' && typeof t !== 'number'))
    throw new ManifestListError(`${where}: 'tags' must be a list of tags.`);
  if (!Array.isArray(spec.manifests) || spec.manifests.length === 0)
    throw new ManifestListError(`${where}: 'manifests' must list at least one {image, platform}.`);
  const sources = spec.manifests.map((m: unknown, i: number): ManifestSource => {
    const at = `${where}: manifests[${i}]`;
    if (typeof m !== 'object' || m === null) throw new ManifestListError(`${at} must be a mapping with 'image'.`);
    const entry = m as Record<string, unknown>;
    if (typeof entry.image !== 'string' || !entry.image) throw new ManifestListError(`${at}.image is missing.`);
    let platform: PlatformOverride | undefined;
    if (entry.platform !== undefined) {
      if (typeof entry.platform !== 'object' || entry.platform === null)
        throw new ManifestListError(`${at}.platform must be a mapping (architecture, os, variant).`);
      const p = entry.platform as Record<string, unknown>;
      const str = (v: unknown, name: string): string | undefined => {
        if (v === undefined || v === null) return undefined;
        if (typeof v !== 'string' && typeof v !== 'number') throw new ManifestListError(`${at}.platform.${name} must be text.`);
        return String(v);
      };
      const features = p.features ?? p['os.features'];
      if (features !== undefined && !Array.isArray(features)) throw new ManifestListError(`${at}.platform.features must be a list.`);
      platform = {
        architecture: str(p.architecture, 'architecture'),
        os: str(p.os, 'os'),
        variant: str(p.variant, 'variant') ?? (p.architecture !== undefined ? '' : undefined),
        osVersion: str(p.osversion ?? p['os.version'], 'osversion'),
        osFeatures: (features as unknown[] | undefined)?.map(String),
      };
      if (platform.architecture)
        parsePlatformOrThrow(
          `${platform.os ?? 'linux'}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`,
          `${at}.platform`,
        );
    }
    let annotations: Record<string, string> | undefined;
    if (entry.annotations !== undefined) {
      if (typeof entry.annotations !== 'object' || entry.annotations === null)
        throw new ManifestListError(`${at}.annotations must be a mapping.`);
      annotations = Object.fromEntries(Object.entries(entry.annotations as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    }
    return { reference: entry.image, platform, annotations };
  });
  return { target: spec.image, extraTags: tags.map(String), sources };
}
