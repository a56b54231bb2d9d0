/**
 * Reading a list (or a single image) back: its platforms, digests, sizes and annotations.
 * Each platform's image size (compressed: config + layers, what a pull downloads) is in its own
 * manifest: a list's children are read by digest, at most MAX_SIZED_ENTRIES of them and
 * SIZE_CONCURRENCY at a time, each bounded like every request of the client (timeout,
 * MAX_MANIFEST_BYTES, digest verified). A child that cannot be read leaves its size unknown.
 */
import { formatImageReference, parseImageReference, type ImageReference } from '../imageRef';
import { RegistryClient, type RegistryClientOptions } from './client';
import { ManifestListError } from './errors';
import { isImageManifestMediaType, isIndexMediaType } from './mediaTypes';
import { entryPlatformOf, isAttestation, type EntryPlatform } from './platformEntries';
import { displayText } from './sanitize';
import { parseImageConfig, parseManifestDocument } from './schema';

export interface InspectedEntry {
  readonly platform: EntryPlatform;
  readonly digest: string;
  /** Size of the entry's manifest in bytes (the descriptor's size). */
  readonly size: number;
  /** The image's compressed size in bytes (config + layers, as pulled); undefined when not read. */
  readonly imageSize?: number;
  readonly mediaType: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly attestation: boolean;
}

/** At most this many children of a list are read for their image sizes (the rest show none). */
export const MAX_SIZED_ENTRIES = 32;
/** Children read at the same time. */
export const SIZE_CONCURRENCY = 4;

/** An image manifest's compressed size: its config plus its layers. */
export function compressedSizeOf(doc: { config: { size: number }; layers: readonly { size: number }[] }): number {
  return doc.config.size + doc.layers.reduce((n, l) => n + l.size, 0);
}

/**
 * What a list holds, validated (digests, sizes and media types are well formed) but not
 * sanitized: platform strings and annotations are the registry's own text. Show them through
 * `formatInspect` or `displayText`.
 */
export interface InspectResult {
  readonly reference: string;
  readonly digest: string;
  readonly mediaType: string;
  /** Size of the manifest (list) itself in bytes. */
  readonly size: number;
  /** True for a list/index; false for a single image (one entry, platform from its config). */
  readonly isList: boolean;
  readonly entries: readonly InspectedEntry[];
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Reads a list (or a single image) and describes its platforms, digests and sizes. */
export async function inspectManifest(
  reference: string,
  options: RegistryClientOptions & { client?: RegistryClient; imageSizes?: boolean } = {},
): Promise<InspectResult> {
  let ref: ImageReference;
  try {
    ref = parseImageReference(reference);
  } catch (error) {
    throw new ManifestListError(`'${reference}': ${(error as Error).message}`);
  }
  const client = options.client ?? new RegistryClient(ref.registry, options);
  const manifest = await client.getManifest(ref.repository, ref.digest ?? ref.tag ?? 'latest');
  const where = `The manifest ${reference} from ${ref.registry}`;
  const canonical = formatImageReference(ref.digest ? ref : { ...ref, digest: manifest.digest });
  if (!isIndexMediaType(manifest.mediaType) && !isImageManifestMediaType(manifest.mediaType))
    throw new ManifestListError(
      `${reference} is a '${displayText(manifest.mediaType || 'unknown', 100)}' manifest (from ${ref.registry}), which Green Cloud cannot read.`,
    );
  const doc = parseManifestDocument(manifest.bytes, manifest.mediaType, where);
  if (doc.kind === 'index') {
    const entries = doc.manifests.map((m): InspectedEntry => {
      const attestation = isAttestation(m);
      // An OCI index entry may lack a platform (an artifact): shown as unknown, not refused.
      const platform =
        attestation || !m.platform?.os || !m.platform.architecture
          ? { os: 'unknown', architecture: 'unknown' }
          : entryPlatformOf(m.platform, `Entry ${m.digest} of ${reference}`);
      return { platform, digest: m.digest, size: m.size, mediaType: m.mediaType, annotations: m.annotations, attestation };
    });
    const sized = options.imageSizes === false ? entries : await withImageSizes(client, ref.repository, entries, reference);
    return {
      reference: canonical,
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      size: manifest.size,
      isList: true,
      entries: sized,
      annotations: doc.annotations,
    };
  }
  const config = parseImageConfig(
    await client.getBlob(ref.repository, doc.config.digest, doc.config.size),
    `The config ${doc.config.digest} of ${reference} (from ${ref.registry})`,
  );
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
        imageSize: compressedSizeOf(doc),
        mediaType: manifest.mediaType,
        annotations: doc.annotations,
        attestation: false,
      },
    ],
  };
}

/** Each image entry with its compressed size, read from its own manifest (bounded, see the top). */
async function withImageSizes(
  client: RegistryClient,
  repository: string,
  entries: readonly InspectedEntry[],
  reference: string,
): Promise<InspectedEntry[]> {
  const wanted = entries
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => !e.attestation && isImageManifestMediaType(e.mediaType))
    .slice(0, MAX_SIZED_ENTRIES);
  const sizes = new Map<number, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < wanted.length) {
      const item = wanted[next++];
      if (!item) return;
      try {
        const child = await client.getManifest(repository, item.e.digest);
        const doc = parseManifestDocument(child.bytes, child.mediaType, `Entry ${item.e.digest} of ${reference}`);
        if (doc.kind === 'image') sizes.set(item.i, compressedSizeOf(doc));
      } catch {
        // Unknown size: the table shows "?" for it; the list itself was read.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SIZE_CONCURRENCY, wanted.length) }, worker));
  return entries.map((e, i) => {
    const imageSize = sizes.get(i);
    return imageSize === undefined ? e : { ...e, imageSize };
  });
}
