/**
 * The registry lookups (server/src/lookups) for Kubernetes and Compose files: the answers the
 * GC3xx rules read, and the hover on an image value — the same platform table as on a
 * Dockerfile's FROM (`formatLookupMarkdown`), checked against where the workload can land.
 */
import type { LintSettings } from '../../core/src/settings';
import { formatLookupMarkdown } from './lookups/format';
import type { LookupService } from './lookups/service';
import type { LookupResult } from './lookups/types';
import type { ImagePlatformsAnswer, ImagePlatformsLookup } from './yaml/imagePlatforms';
import { buildYamlModel, type Span } from './yaml/model';
import { platformSource } from './yaml/platformSets';

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

export interface YamlHover {
  readonly image: string;
  readonly span: Span;
  /** The Markdown for the lookup's answer. */
  markdown(result: LookupResult): string;
}

/** The image value under `offset`, or undefined (templated values are never looked up). */
export function yamlHover(
  text: string,
  offset: number,
  settings: LintSettings,
  options: { fileName?: string; languageId?: string },
): YamlHover | undefined {
  const model = buildYamlModel(text, { ...options, platforms: settings.platforms });
  for (const workload of model.workloads) {
    for (const use of workload.images) {
      if (offset < use.span.start || offset > use.span.end) continue;
      return {
        image: use.image,
        span: use.span,
        markdown: (result) =>
          formatLookupMarkdown(result, {
            targets: workload.uncertain ? undefined : workload.platforms,
            targetsSource: `where ${workload.name} can land: ${platformSource(workload, model.directivePlatforms !== undefined)}`,
          }),
      };
    }
  }
  return undefined;
}
