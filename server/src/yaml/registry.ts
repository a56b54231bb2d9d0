/** The registry lookups (server/src/lookups) as the image-platform answers the GC3xx rules read. */
import type { LookupService } from '../lookups/service';
import type { LookupResult } from '../lookups/types';
import type { ImagePlatformsAnswer, ImagePlatformsLookup } from './imagePlatforms';

/** Only an `ok` answer says anything about the image; every other status is `unknown`. */
export function answerOf(result: LookupResult | undefined): ImagePlatformsAnswer {
  if (result?.status !== 'ok') return { kind: 'unknown', reason: result?.status ?? 'not cached' };
  return {
    kind: 'found',
    platforms: result.platforms.map((p) =>
      p.variant ? { os: p.os, architecture: p.architecture, variant: p.variant } : { os: p.os, architecture: p.architecture },
    ),
    multiPlatform: result.kind === 'list',
  };
}

/** Looks images up through the service; `cacheOnly` reads the on-disk cache and never the network. */
export function serviceLookup(service: LookupService, options: { cacheOnly?: boolean } = {}): ImagePlatformsLookup {
  return async (image) => {
    if (!options.cacheOnly) return answerOf(await service.lookup(image));
    await service.cache.load();
    return answerOf(service.peek(image));
  };
}
