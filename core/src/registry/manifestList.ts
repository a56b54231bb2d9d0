/**
 * Manifest list (Docker) / image index (OCI) assembly and push.
 *
 * `pushManifestList(request)`:
 *   1. resolves every source (tag or digest, any repository of the target's registry): an
 *      image manifest gives one entry whose platform comes from the image's config blob unless
 *      given explicitly; a list/index source is flattened (attestation entries dropped; with an
 *      explicit platform only the matching entry is taken). Every manifest is validated
 *      (schema.ts) before any field is used;
 *   2. refuses two entries for one platform, naming both sources;
 *   3. with `amend`, merges into the list already at the target (same platform → replaced);
 *   4. makes every child present in the target repository (cross-repository blob mount, else
 *      a copy verified by digest and size; then the child manifest PUT by digest, byte for
 *      byte) and VERIFIES each by HEAD;
 *   5. PUTs the list BY DIGEST (no tag moves) and GETs it back by digest, comparing the bytes;
 *   6. only then moves the tags: the extra tags first, the target tag last.
 *   So on any failure the target tag still points to its previous list — except when the
 *   target tag's own PUT fails in a way that leaves its outcome unknown (the answer was lost),
 *   which the error says. A failure at an extra tag names the extra tags already moved, with
 *   the digest they now point to (ManifestListError.written).
 * Docker manifest list by default; an OCI index on request, or when a child is an OCI
 * manifest or annotations are given.
 */
import { familiarName, formatImageReference, parseImageReference, withTag, type ImageReference } from '../imageRef';
import { RegistryClient, sha256Digest, type FetchedManifest, type RegistryClientOptions } from './client';
import { ManifestListError, RegistryError } from './errors';
import { isImageManifestMediaType, isIndexMediaType, MediaType } from './mediaTypes';
import {
  applyOverride,
  describePlatform,
  entryPlatformOf,
  isAttestation,
  matchesOverride,
  platformKey,
  type EntryPlatform,
  type PlatformOverride,
} from './platformEntries';
import { displayText } from './sanitize';
import { parseImageConfig, parseManifestDocument, type ImageManifestDocument, type IndexDocument } from './schema';

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
    throw new ManifestListError('No source images: name at least one (e.g. team/web:arm64-1.2).', undefined, { kind: 'no-sources' });
  const client = options.client ?? new RegistryClient(target.registry, options);
  const startCount = client.requestCount;

  // 1. Resolve sources.
  const resolved: { entry: ManifestListEntry; fromRepository: string; manifest?: FetchedManifest }[] = [];
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
    if (!isIndexMediaType(manifest.mediaType) && !isImageManifestMediaType(manifest.mediaType)) {
      throw new ManifestListError(
        `Source ${source.reference} is a '${displayText(manifest.mediaType || 'unknown', 100)}' manifest; only Docker v2 schema 2 and OCI image manifests can be listed. Re-push it with a current Docker.`,
      );
    }
    const json = parseManifestDocument(manifest.bytes, manifest.mediaType, `Source ${source.reference} (from ${ref.registry})`);
    if (json.kind === 'index') {
      let children = json.manifests.filter((m) => !isAttestation(m));
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
    let configPlatform: Partial<EntryPlatform> = {};
    const needConfig = !(source.platform?.os && source.platform.architecture);
    if (needConfig) {
      const config = parseImageConfig(
        await client.getBlob(ref.repository, json.config.digest, json.config.size),
        `The config ${json.config.digest} of ${source.reference} (from ${ref.registry})`,
      );
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
      manifest,
    });
  }

  // 2. Duplicates.
  const seen = new Map<string, string>();
  for (const { entry } of resolved) {
    const key = platformKey(entry.platform);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ManifestListError(
        `Platform ${displayText(key, 120)} appears twice: in ${first} and in ${entry.source}. A list holds one image per platform: drop one source or give it another platform.`,
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
        throw new ManifestListError(`${request.target} is a single image, not a list: only a list can be amended.`, undefined, {
          kind: 'replace-not-amend',
        });
      existingMediaType = existing.mediaType;
      const json = parseManifestDocument(existing.bytes, existing.mediaType, `The list at ${request.target}`) as IndexDocument;
      existingAnnotations = json.annotations;
      const replaced = new Set<string>();
      const merged: ManifestListEntry[] = [];
      const keptDigests = new Set<string>();
      for (const m of json.manifests) {
        if (isAttestation(m)) continue;
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
      for (const m of json.manifests) {
        const subject = m.annotations?.['vnd.docker.reference.digest'];
        if (isAttestation(m) && subject && keptDigests.has(subject)) {
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
      throw new ManifestListError('Annotations need an OCI index: a Docker manifest list cannot carry annotations.', undefined, {
        kind: 'oci-format',
      });
    mediaType = MediaType.dockerList;
  } else mediaType = anyOci || anyAnnotations || existingMediaType === MediaType.ociIndex ? MediaType.ociIndex : MediaType.dockerList;
  const oci = mediaType === MediaType.ociIndex;

  // 5. Children into the target repository, then verify each.
  for (const r of resolved) {
    if (r.fromRepository === target.repository) continue;
    step(`Copying ${r.entry.source} into ${target.repository}`);
    await copyManifest(client, r.fromRepository, target.repository, r.entry.digest, r.manifest);
  }
  // Children fetched from the target repository in this run are proven present (the registry
  // served their exact bytes from it); every other child is checked with a HEAD by digest.
  const fetchedHere = new Set(resolved.filter((r) => r.manifest && r.fromRepository === target.repository).map((r) => r.entry.digest));
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

  // 6. The list document.
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
  const extraTags = (request.extraTags ?? []).filter((t) => t !== target.tag);
  const tags = [target.tag, ...extraTags];
  const targetName = formatImageReference(target);

  // 7. Stored by digest first (no tag moves), and read back: a failure here leaves every tag as it was.
  step(`Pushing the ${oci ? 'OCI index' : 'manifest list'} ${digest} to ${target.registry}/${target.repository}`);
  await client.putManifest(target.repository, digest, bytes, mediaType);
  const back = await client.getManifest(target.repository, digest).catch((error: unknown) => {
    throw new ManifestListError(
      `The ${oci ? 'index' : 'list'} ${digest} was stored in ${target.registry}/${target.repository} but reading it back failed (${error instanceof Error ? error.message : String(error)}). No tag was moved: ${targetName} was not changed.`,
    );
  });
  if (!back.bytes.equals(bytes))
    throw new ManifestListError(
      `${target.registry} returned different bytes for ${digest} than were pushed. No tag was moved: ${targetName} was not changed.`,
    );

  // 8. The tags: extra tags first, the target tag last, so that the target moves only when all else succeeded.
  const moved: string[] = [];
  for (const tag of [...extraTags, target.tag]) {
    const name = formatImageReference(withTag(target, tag));
    step(`Tagging ${name}`);
    try {
      await client.putManifest(target.repository, tag, bytes, mediaType);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      const already =
        moved.length === 0
          ? ''
          : moved.length === 1
            ? ` The tag ${moved[0]} already points to ${digest}.`
            : ` The tags ${moved.join(', ')} already point to ${digest}.`;
      const lost =
        error instanceof RegistryError && (error.kind === 'timeout' || error.kind === 'network')
          ? ` The registry's answer was lost: ${name} may point to ${digest} or to what it pointed to before; run \`green-cloud manifest inspect ${name}\` to see which.`
          : '';
      const targetState =
        tag === target.tag ? lost || ` ${targetName} was not changed.` : `${lost} ${targetName} was not changed (it is tagged last).`;
      throw new ManifestListError(`Tagging ${name} with ${digest} failed: ${why}${already}${targetState}`, { digest, tags: [...moved] });
    }
    moved.push(tag);
  }
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
async function copyManifest(
  client: RegistryClient,
  from: string,
  to: string,
  digest: string,
  known?: FetchedManifest,
  depth = 0,
): Promise<void> {
  if (await client.headManifest(to, digest)) return;
  const manifest = known ?? (await client.getManifest(from, digest));
  if (!isIndexMediaType(manifest.mediaType) && !isImageManifestMediaType(manifest.mediaType))
    throw new ManifestListError(
      `${from}@${digest} is a '${displayText(manifest.mediaType || 'unknown', 100)}' manifest, which cannot be copied.`,
    );
  const json: IndexDocument | ImageManifestDocument = parseManifestDocument(
    manifest.bytes,
    manifest.mediaType,
    `The manifest ${from}@${digest} from ${client.registry}`,
  );
  if (json.kind === 'index') {
    if (depth > 2) throw new ManifestListError(`${from}@${digest} nests lists too deeply.`);
    for (const m of json.manifests) await copyManifest(client, from, to, m.digest, undefined, depth + 1);
  } else {
    for (const blob of [json.config, ...json.layers.filter((l) => !l.urls?.length)])
      await client.ensureBlob(to, blob.digest, from, blob.size);
  }
  await client.putManifest(to, digest, manifest.bytes, manifest.mediaType);
}
