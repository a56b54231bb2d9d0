/**
 * What the GC3xx rules need from the registry: the platforms each image is published for.
 * The rules read a table filled beforehand (the language server and the CLI look the images up
 * through the registry lookups, then lint again); an image missing from the table, or answered
 * `unknown` (offline, not found, not authorised, timed out), yields no registry finding —
 * offline answers never turn into diagnostics.
 */
import type { Platform } from '../../../core/src/platforms';

export type ImagePlatformsAnswer =
  | {
      readonly kind: 'found';
      /** The image's platforms, attestation entries excluded. */
      readonly platforms: readonly Platform[];
      /** True for a manifest list / OCI index, false for a single-platform manifest. */
      readonly multiPlatform: boolean;
    }
  | { readonly kind: 'unknown'; readonly reason?: string };

/** Answers by image reference, exactly as `ImageUse.image` spells it. */
export type ImagePlatformsTable = ReadonlyMap<string, ImagePlatformsAnswer>;

/** Looks an image up; never rejects (a failure is an `unknown` answer). */
export type ImagePlatformsLookup = (image: string) => Promise<ImagePlatformsAnswer>;

/** Looks every image up once, concurrently (the lookup bounds its own concurrency). */
export async function lookUpAll(images: readonly string[], lookup: ImagePlatformsLookup): Promise<Map<string, ImagePlatformsAnswer>> {
  const unique = [...new Set(images)];
  const answers = await Promise.all(
    unique.map(async (image) => {
      const answer = await lookup(image).catch((): ImagePlatformsAnswer => ({ kind: 'unknown', reason: 'lookup failed' }));
      return [image, answer] as const;
    }),
  );
  return new Map(answers);
}
