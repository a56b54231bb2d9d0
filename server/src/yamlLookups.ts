/**
 * The registry lookups (server/src/lookups) for Kubernetes and Compose files: the answers the
 * GC3xx rules read, and the hover on an image value — the same platform table as on a
 * Dockerfile's FROM (`formatLookupMarkdown`), checked against where the workload can land.
 */
import type { LintSettings } from '../../core/src/settings';
import type { GreenCloudDiagnostic } from './linter';
import { sameDiagnostics } from './lookups/dockerfile';
import { formatLookupMarkdown } from './lookups/format';
import { LOOKUP_DEBOUNCE_MS } from './lookups/languageServer';
import type { LookupService } from './lookups/service';
import type { LookupResult } from './lookups/types';
import { lookUpAll, type ImagePlatformsAnswer, type ImagePlatformsLookup } from './yaml/imagePlatforms';
import { lintYaml, yamlImagesToLookUp, type YamlLintOptions } from './yamlLinter';
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

export interface YamlFindingsHooks {
  /** The shared lookup service for a document and whether lookups are on there. */
  readonly lookupsFor: (uri: string) => Promise<{ service: LookupService; enabled: boolean }>;
  /** True while `version` is the document's latest. */
  readonly isCurrent: (uri: string, version: number) => boolean;
  /** Publishes diagnostics of `version` (the second publish). */
  readonly publish: (uri: string, version: number, diagnostics: GreenCloudDiagnostic[]) => Promise<void>;
  readonly warn: (line: string) => void;
  /** The output channel's notes on the lookups' outcomes (`DockerfileLookups.note`: a failing registry once per cause). */
  readonly note?: (results: readonly LookupResult[]) => void;
}

/**
 * The language server's registry findings (GC301, GC303, GC304) for Kubernetes and Compose
 * files, as for Dockerfiles (`DockerfileLookups`): after each syntactic publish the images are
 * looked up once the document has been quiet for `LOOKUP_DEBOUNCE_MS` (a burst of edits makes one
 * lookup batch, for its last version), and the diagnostics are published a second time when the
 * answers change anything. While registry findings are on screen and every image's answer is
 * known (memory cache), they are published right away, so they do not blink while you type.
 */
export class YamlRegistryFindings {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents whose last publish carried registry findings. */
  private readonly showing = new Set<string>();

  constructor(
    private readonly hooks: YamlFindingsHooks,
    private readonly debounceMs = LOOKUP_DEBOUNCE_MS,
  ) {}

  /** Called right after the syntactic publish of `version`; never throws, never blocks it. */
  afterPublish(
    uri: string,
    version: number,
    text: string,
    settings: LintSettings,
    options: YamlLintOptions,
    syntactic: readonly GreenCloudDiagnostic[],
  ): void {
    this.cancel(uri);
    void this.start(uri, version, text, settings, options, syntactic).catch((error: unknown) =>
      this.hooks.warn(`Registry findings for ${uri} failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** Forgets a closed document's pending work. */
  forget(uri: string): void {
    this.cancel(uri);
    this.showing.delete(uri);
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }

  private async start(
    uri: string,
    version: number,
    text: string,
    settings: LintSettings,
    options: YamlLintOptions,
    syntactic: readonly GreenCloudDiagnostic[],
  ): Promise<void> {
    const lookups = await this.hooks.lookupsFor(uri);
    if (!this.hooks.isCurrent(uri, version)) return; // the newer version's own call decides
    const images = lookups.enabled ? yamlImagesToLookUp(text, settings, options) : [];
    if (images.length === 0) {
      this.showing.delete(uri); // lookups off or nothing to look up: GC301, GC303 and GC304 stay silent
      return;
    }
    if (this.showing.has(uri)) {
      const known = new Map<string, ImagePlatformsAnswer>();
      for (const image of images) {
        const answer = lookups.service.peek(image);
        if (!answer) break;
        known.set(image, answerOf(answer));
      }
      if (known.size === images.length) {
        await this.finish(uri, version, text, settings, options, syntactic, known);
        return;
      }
    }
    this.cancel(uri);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.run(uri, version, text, settings, options, syntactic, lookups.service, images).catch((error: unknown) =>
        this.hooks.warn(`Registry findings for ${uri} failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, this.debounceMs);
    this.timers.set(uri, timer);
  }

  private async run(
    uri: string,
    version: number,
    text: string,
    settings: LintSettings,
    options: YamlLintOptions,
    syntactic: readonly GreenCloudDiagnostic[],
    service: LookupService,
    images: readonly string[],
  ): Promise<void> {
    if (!this.hooks.isCurrent(uri, version)) return;
    const results: LookupResult[] = [];
    const table = await lookUpAll(images, async (image) => {
      const result = await service.lookup(image);
      results.push(result);
      return answerOf(result);
    });
    this.hooks.note?.(results);
    if (!this.hooks.isCurrent(uri, version)) return; // the newer version's own run publishes
    await this.finish(uri, version, text, settings, options, syntactic, table);
  }

  private async finish(
    uri: string,
    version: number,
    text: string,
    settings: LintSettings,
    options: YamlLintOptions,
    syntactic: readonly GreenCloudDiagnostic[],
    table: ReadonlyMap<string, ImagePlatformsAnswer>,
  ): Promise<void> {
    // Offline and failed answers never become diagnostics.
    const full = [...table.values()].some((a) => a.kind === 'found') ? lintYaml(text, settings, { ...options, images: table }) : undefined;
    if (!full || sameDiagnostics(full, syntactic)) {
      this.showing.delete(uri);
      return;
    }
    this.showing.add(uri);
    await this.hooks.publish(uri, version, full);
  }
}
