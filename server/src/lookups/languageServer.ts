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
import { DEFAULT_LOOKUP_SETTINGS, sanitizeLookupSettings, type LintSettings, type LookupSettings } from '../../../core/src/settings';
import { baseReferences, hoverBase, lookupBases, sameDiagnostics, withRegistryFindings, type BaseHover } from './dockerfile';
import { defaultCacheDirectory } from './cache';
import { LookupNotes } from './notes';
import { LookupService } from './service';
import type { LookupResult } from './types';

/** Quiet time after the last edit before the registry findings of a document are computed. */
export const LOOKUP_DEBOUNCE_MS = 400;

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
  /** The output channel's notes: a failing registry once per cause, not per image or keystroke. */
  private readonly notes: LookupNotes;

  constructor(private readonly hooks: LanguageServerHooks) {
    this.notes = new LookupNotes(hooks.log, hooks.warn);
  }

  /** `initializationOptions.cacheDirectory` (the extension's global storage). */
  setCacheDirectory(directory: unknown): void {
    if (typeof directory === 'string' && directory.startsWith('/')) this.cacheDirectory = directory;
    else if (typeof directory === 'string' && /^[A-Za-z]:[\\/]/.test(directory)) this.cacheDirectory = directory;
  }

  /** Lookup settings per document, asked once (until the configuration changes). */
  private readonly settingsByUri = new Map<string, Promise<LookupSettings>>();
  private readonly knownSettings = new Map<string, LookupSettings>();
  /** Documents whose last publish carried registry findings. */
  private readonly showing = new Set<string>();

  private settings(uri: string): Promise<LookupSettings> {
    let settings = this.settingsByUri.get(uri);
    if (!settings) {
      settings = this.hooks.configuration(uri).then(
        (raw) => sanitizeLookupSettings(raw),
        () => DEFAULT_LOOKUP_SETTINGS,
      );
      void settings.then((s) => this.knownSettings.set(uri, s));
      this.settingsByUri.set(uri, settings);
    }
    return settings;
  }

  /** The configuration changed: ask again. */
  configurationChanged(): void {
    this.settingsByUri.clear();
    this.knownSettings.clear();
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

  /** Notes lookup outcomes in the output channel (failures once per registry and cause); also for the YAML findings. */
  note(results: Iterable<LookupResult>): void {
    this.notes.note(results);
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
    this.timers.delete(uri);
    if (this.publishKnown(uri, version, text, lintSettings, syntactic, docsBase)) return;
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.run(uri, version, text, lintSettings, syntactic, docsBase).catch((error: unknown) =>
        this.hooks.warn(`Registry findings for ${uri} failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, LOOKUP_DEBOUNCE_MS);
    this.timers.set(uri, timer);
  }

  /**
   * When every base of the file is already known (cache in memory, fresh tags), the findings
   * are published right after the syntactic ones, without the quiet time: a GC108 does not
   * blink while you type elsewhere in the file. True when handled.
   */
  private publishKnown(
    uri: string,
    version: number,
    text: string,
    lintSettings: LintSettings,
    syntactic: readonly GreenCloudDiagnostic[],
    docsBase: string | undefined,
  ): boolean {
    // Only for documents whose registry findings are on screen: elsewhere the quiet time costs nothing while typing.
    const settings = this.knownSettings.get(uri);
    if (!settings || !this.showing.has(uri)) return false;
    if (!settings.enabled) return true;
    const service = this.service(settings);
    const model = buildModel(text);
    const references = baseReferences(model);
    if (references.length === 0) return true;
    const answers = new Map<string, LookupResult>();
    for (const reference of references) {
      const known = service.peek(reference);
      if (!known) return false;
      answers.set(reference, known);
    }
    if (![...answers.values()].some((a) => a.status === 'ok')) {
      this.showing.delete(uri);
      return true;
    }
    const diagnostics = withRegistryFindings(text, syntactic, lintSettings, answers, { docsBase });
    if (sameDiagnostics(diagnostics, syntactic)) this.showing.delete(uri);
    else
      void this.hooks
        .publish(uri, version, diagnostics)
        .catch((error: unknown) => this.hooks.warn(`Publishing registry findings for ${uri} failed: ${String(error)}`));
    return true;
  }

  /** Forgets a closed document's pending work. */
  forget(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    this.settingsByUri.delete(uri);
    this.knownSettings.delete(uri);
    this.showing.delete(uri);
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
    const model = settings.enabled ? buildModel(text) : undefined;
    if (!model || baseReferences(model).length === 0) {
      this.showing.delete(uri);
      return;
    }
    const answers = await lookupBases(model, this.service(settings));
    this.note(answers.values());
    if (![...answers.values()].some((a) => a.status === 'ok')) {
      this.showing.delete(uri); // offline and failed answers never become diagnostics
      return;
    }
    if (!this.hooks.isCurrent(uri, version)) return; // the newer version's own run publishes
    const diagnostics = withRegistryFindings(text, syntactic, lintSettings, answers, { docsBase });
    if (sameDiagnostics(diagnostics, syntactic)) {
      this.showing.delete(uri);
      return;
    }
    this.showing.add(uri);
    await this.hooks.publish(uri, version, diagnostics);
  }

  /**
   * The shared lookup service for a document and whether lookups are on there, for other
   * features of the server (e.g. images in Kubernetes/Compose YAML): one cache, one set of
   * in-flight requests. Pass `{ offline: !enabled }` to `service.lookup`.
   */
  async lookupsFor(uri: string): Promise<{ service: LookupService; enabled: boolean }> {
    const settings = await this.settings(uri);
    return { service: this.service(settings), enabled: settings.enabled };
  }

  /** The hover on a FROM image, or undefined. */
  async hover(uri: string, text: string, position: Position, lintSettings: LintSettings): Promise<BaseHover | undefined> {
    const settings = await this.settings(uri);
    const service = this.service(settings);
    const hover = await hoverBase(text, position, lintSettings, service, { offline: !settings.enabled });
    return hover;
  }
}
