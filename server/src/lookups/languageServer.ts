/**
 * The language server's side of registry lookups, behind a few callbacks so that server.ts
 * stays glue: after each syntactic publish, the bases are looked up (debounced per document,
 * never blocking it) and, when the answers change anything, the diagnostics are published a
 * second time; the hover on a FROM waits for its lookup. A registry that never answers
 * changes nothing but a line in the output.
 */
import type { Position } from 'vscode-languageserver-types';
import type { GreenCloudDiagnostic } from '../linter';
import { buildModel } from '../../../core/src/dockerfile/model';
import type { LintSettings } from '../../../core/src/settings';
import { baseReferences, hoverBase, lookupBases, sameDiagnostics, withRegistryFindings, type BaseHover } from './dockerfile';
import { LookupService } from './service';
import { DEFAULT_LOOKUP_SETTINGS, defaultCacheDirectory, sanitizeLookupSettings, type LookupSettings } from './settings';
import type { LookupResult } from './types';
import type { ImagePlatformsLookup } from '../yaml/imagePlatforms';
import { serviceLookup } from '../yaml/registry';

/** Quiet time after the last edit before the registry findings of a document are computed. */
export const LOOKUP_DEBOUNCE_MS = 150;

export interface LanguageServerHooks {
  /** The output channel (connection.console). */
  readonly log: (line: string) => void;
  readonly warn: (line: string) => void;
  /** The `greenCloud` section for a document (untrusted; sanitised here). */
  readonly configuration: (uri: string) => Promise<unknown>;
  /** True while `version` is the document's latest. */
  readonly isCurrent: (uri: string, version: number) => boolean;
  /** Publishes diagnostics of `version` (the second publish). */
  readonly publish: (uri: string, version: number, diagnostics: GreenCloudDiagnostic[]) => Promise<void>;
}

export class DockerfileLookups {
  private cacheDirectory = defaultCacheDirectory();
  private readonly services = new Map<string, LookupService>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The last outcome logged per reference, so a failing registry is noted once, not per keystroke. */
  private readonly logged = new Map<string, string>();

  constructor(private readonly hooks: LanguageServerHooks) {}

  /** `initializationOptions.cacheDirectory` (the extension's global storage). */
  setCacheDirectory(directory: unknown): void {
    if (typeof directory === 'string' && directory.startsWith('/')) this.cacheDirectory = directory;
    else if (typeof directory === 'string' && /^[A-Za-z]:[\\/]/.test(directory)) this.cacheDirectory = directory;
  }

  private async settings(uri: string): Promise<LookupSettings> {
    try {
      return sanitizeLookupSettings(await this.hooks.configuration(uri));
    } catch {
      return DEFAULT_LOOKUP_SETTINGS;
    }
  }

  private service(settings: LookupSettings): LookupService {
    const key = JSON.stringify([settings.tagCacheMinutes, settings.insecureHosts]);
    let service = this.services.get(key);
    if (!service) {
      service = new LookupService({
        cacheDirectory: this.cacheDirectory,
        tagTtlMs: settings.tagCacheMinutes * 60_000,
        insecureHosts: settings.insecureHosts,
      });
      this.services.set(key, service);
    }
    return service;
  }

  private note(results: Iterable<LookupResult>): void {
    for (const r of results) {
      const outcome = r.status === 'ok' ? 'ok' : `${r.status}: ${r.message ?? ''}`;
      if (this.logged.get(r.canonical) === outcome) continue;
      this.logged.set(r.canonical, outcome);
      if (r.status === 'unavailable')
        this.hooks.warn(`Registry lookup of ${r.canonical} got no answer; its platforms are not checked (GC108/GC109). ${r.message ?? ''}`);
      else if (r.status === 'not-found' || r.status === 'unauthorized')
        this.hooks.log(`Registry lookup of ${r.canonical}: ${r.status} (credentials tried: ${r.credentialsSource}). ${r.message ?? ''}`);
      else if (r.status === 'ok')
        this.hooks.log(`Registry lookup of ${r.canonical}: ${r.kind ?? ''} ${r.platforms.map((p) => p.platform).join(', ')}`);
    }
  }

  /** Called right after the syntactic publish of `version`; never throws, never blocks it. */
  afterPublish(
    uri: string,
    version: number,
    text: string,
    lintSettings: LintSettings,
    syntactic: readonly GreenCloudDiagnostic[],
    docsBase?: string,
  ): void {
    const previous = this.timers.get(uri);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.run(uri, version, text, lintSettings, syntactic, docsBase).catch((error: unknown) =>
        this.hooks.warn(`Registry findings for ${uri} failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, LOOKUP_DEBOUNCE_MS);
    this.timers.set(uri, timer);
  }

  /** Forgets a closed document's pending work. */
  forget(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }

  private async run(
    uri: string,
    version: number,
    text: string,
    lintSettings: LintSettings,
    syntactic: readonly GreenCloudDiagnostic[],
    docsBase: string | undefined,
  ): Promise<void> {
    if (!this.hooks.isCurrent(uri, version)) return;
    const settings = await this.settings(uri);
    if (!settings.enabled) return;
    const model = buildModel(text);
    if (baseReferences(model).length === 0) return;
    const answers = await lookupBases(model, this.service(settings));
    this.note(answers.values());
    if (![...answers.values()].some((a) => a.status === 'ok')) return; // offline answers never become diagnostics
    if (!this.hooks.isCurrent(uri, version)) return; // the newer version's own run publishes
    const diagnostics = withRegistryFindings(text, syntactic, lintSettings, answers, { docsBase });
    if (sameDiagnostics(diagnostics, syntactic)) return;
    await this.hooks.publish(uri, version, diagnostics);
  }

  /** The image lookup for Kubernetes/Compose documents (GC301/GC303/GC304), or undefined when lookups are off. */
  async imageLookup(uri: string): Promise<ImagePlatformsLookup | undefined> {
    const settings = await this.settings(uri);
    return settings.enabled ? serviceLookup(this.service(settings)) : undefined;
  }

  /** One image looked up for a hover in a Kubernetes/Compose document (`offline` when lookups are off). */
  async lookupImage(uri: string, reference: string): Promise<LookupResult> {
    const settings = await this.settings(uri);
    return this.service(settings).lookup(reference, { offline: !settings.enabled });
  }

  /** The hover on a FROM image, or undefined. */
  async hover(uri: string, text: string, position: Position, lintSettings: LintSettings): Promise<BaseHover | undefined> {
    const settings = await this.settings(uri);
    const service = this.service(settings);
    const hover = await hoverBase(text, position, lintSettings, service, { offline: !settings.enabled });
    return hover;
  }
}
