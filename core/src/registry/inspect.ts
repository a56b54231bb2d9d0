/** Reading a list (or a single image) back: its platforms, digests, sizes and annotations. */
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
  readonly size: number;
  readonly mediaType: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly attestation: boolean;
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
    return {
      reference: canonical,
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      size: manifest.size,
      isList: true,
      entries,
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
        mediaType: manifest.mediaType,
        annotations: doc.annotations,
        attestation: false,
      },
    ],
  };
}
