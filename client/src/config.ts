/**
 * Typed, sanitised view of the `greenCloud.*` settings (rust-analyzer's `Config` with getters,
 * vscode-eslint's "default on anything unknown"). It reads from any `SettingsSource`
 * (`vscode.workspace.getConfiguration('greenCloud', scope)` in the extension, a plain object in
 * unit tests), so this module does not import `vscode`.
 *
 * Every getter returns a usable value; settings that were present but malformed are listed by
 * `problems()` with a message that names the setting and says what to write instead.
 */
import { DEFAULT_TARGET_PLATFORMS, formatPlatform, parsePlatform, platformsEqual, type Platform } from '../../core/src/platforms';
import { parseImageReference } from '../../core/src/imageRef';
import { DEFAULT_TAG_TEMPLATE } from '../../core/src/imageBuild/plan';
import { normalizeInsecureHost, PARALLEL, parseRegistryLookups, parseTagCacheMinutes, type ParsedSetting } from '../../core/src/settings';

/** What `vscode.WorkspaceConfiguration` offers (only `get` is needed). */
export interface SettingsSource {
  get<T>(section: string): T | undefined;
}

export type SeverityName = 'off' | 'hint' | 'info' | 'warning' | 'error';
export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface SettingProblem {
  /** Full setting id, e.g. `greenCloud.build.parallel`. */
  readonly setting: string;
  readonly message: string;
}

export const SECTION = 'greenCloud';
export const DEFAULT_PARALLEL = PARALLEL.default;
export const MAX_PARALLEL = PARALLEL.max;
export const DEFAULT_SETUP_IMAGE = 'tonistiigi/binfmt';
const SEVERITIES: readonly SeverityName[] = ['off', 'hint', 'info', 'warning', 'error'];
const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

/** Settings that change what the build features show (CodeLens titles, status bar). */
export const BUILD_SETTINGS = ['platforms', 'docker.host', 'builders', 'build', 'emulation'].map((s) => `${SECTION}.${s}`);

export class Config {
  private readonly issues: SettingProblem[] = [];

  constructor(private readonly source: SettingsSource) {}

  /** `greenCloud.platforms`: target platforms, normalised and without duplicates (default linux/amd64, linux/arm64, linux/arm/v7). */
  get platforms(): Platform[] {
    const raw = this.source.get<unknown>('platforms');
    if (raw === undefined || raw === null) return [...DEFAULT_TARGET_PLATFORMS];
    if (!Array.isArray(raw)) {
      this.problem('platforms', 'must be a list of platforms such as ["linux/amd64", "linux/arm64"]; using the default.');
      return [...DEFAULT_TARGET_PLATFORMS];
    }
    const out: Platform[] = [];
    for (const entry of raw) {
      if (typeof entry !== 'string') {
        this.problem('platforms', `ignores ${JSON.stringify(entry)}: each entry is a string such as "linux/arm64".`);
        continue;
      }
      try {
        const p = parsePlatform(entry);
        if (!out.some((q) => platformsEqual(p, q))) out.push(p);
      } catch (error) {
        this.problem('platforms', `ignores '${entry}': ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (out.length === 0) {
      if (raw.length > 0)
        this.problem('platforms', `has no valid platform; using ${DEFAULT_TARGET_PLATFORMS.map(formatPlatform).join(', ')}.`);
      return [...DEFAULT_TARGET_PLATFORMS];
    }
    return out;
  }

  /** `greenCloud.rules`: GCnnn → severity (upper-case codes; unknown severities dropped). */
  get rules(): Record<string, SeverityName> {
    const raw = this.source.get<unknown>('rules');
    const out: Record<string, SeverityName> = {};
    if (raw === undefined || raw === null) return out;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      this.problem('rules', 'must be an object such as {"GC101": "off"}.');
      return out;
    }
    for (const [code, value] of Object.entries(raw as Record<string, unknown>)) {
      const severity = typeof value === 'string' ? value.toLowerCase() : value;
      if (!/^GC[0-9]{3}$/i.test(code)) {
        this.problem('rules', `ignores '${code}': rule codes look like GC101.`);
      } else if (!SEVERITIES.includes(severity as SeverityName)) {
        this.problem('rules', `ignores ${code}: ${JSON.stringify(value)} is not one of ${SEVERITIES.join(', ')}.`);
      } else {
        out[code.toUpperCase()] = severity as SeverityName;
      }
    }
    return out;
  }

  /** `greenCloud.crossBuild.images`: extra base images known to ship the cross-build markers. */
  get crossBuildImages(): string[] {
    return this.stringList('crossBuild.images', (s) => s.toLowerCase());
  }

  /** `greenCloud.build.parallel`: platforms built at once, an integer from 1 to 16 (default 2). */
  get parallel(): number {
    const raw = this.source.get<unknown>('build.parallel');
    if (raw === undefined || raw === null) return DEFAULT_PARALLEL;
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      this.problem('build.parallel', `must be a number from 1 to ${MAX_PARALLEL}; using ${DEFAULT_PARALLEL}.`);
      return DEFAULT_PARALLEL;
    }
    const n = Math.floor(raw);
    if (n < 1 || n > MAX_PARALLEL)
      this.problem(
        'build.parallel',
        `is ${raw}; it must be from 1 to ${MAX_PARALLEL}, so ${Math.min(MAX_PARALLEL, Math.max(1, n))} is used.`,
      );
    return Math.min(MAX_PARALLEL, Math.max(1, n));
  }

  /** `greenCloud.build.tagTemplate` (default `{image}:{arch}{variant}-{version}`); the planner validates placeholders. */
  get tagTemplate(): string {
    const raw = this.source.get<unknown>('build.tagTemplate');
    if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
    if (raw !== undefined && raw !== null && raw !== '')
      this.problem('build.tagTemplate', `must be a string such as '${DEFAULT_TAG_TEMPLATE}'; using the default.`);
    return DEFAULT_TAG_TEMPLATE;
  }

  /** `greenCloud.docker.host` (machine-scoped); undefined means DOCKER_HOST, else the default socket. */
  get dockerHost(): string | undefined {
    const raw = this.source.get<unknown>('docker.host');
    if (typeof raw === 'string') return raw.trim() || undefined;
    if (raw !== undefined && raw !== null)
      this.problem('docker.host', 'must be a string such as unix:///var/run/docker.sock or tcp://192.168.1.20:2375.');
    return undefined;
  }

  /** `greenCloud.builders` (machine-scoped): platform → engine host. Keys and hosts are checked by the build planner. */
  get builders(): Record<string, string> {
    const raw = this.source.get<unknown>('builders');
    const out: Record<string, string> = {};
    if (raw === undefined || raw === null) return out;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      this.problem('builders', 'must be an object such as {"linux/arm64": "ssh://builder@arm64-server"}.');
      return out;
    }
    for (const [platform, host] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof host === 'string' && host.trim() !== '') out[platform.trim()] = host.trim();
      else this.problem('builders', `ignores '${platform}': the value must be an engine address such as tcp://arm64-server:2375.`);
    }
    return out;
  }

  /** `greenCloud.emulation.setupImage` (machine-scoped; default `tonistiigi/binfmt`). */
  get emulationSetupImage(): string {
    const raw = this.source.get<unknown>('emulation.setupImage');
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return DEFAULT_SETUP_IMAGE;
    if (typeof raw === 'string') {
      try {
        parseImageReference(raw.trim());
        return raw.trim();
      } catch (error) {
        this.problem(
          'emulation.setupImage',
          `'${raw}' is not an image reference (${error instanceof Error ? error.message : String(error)}); using ${DEFAULT_SETUP_IMAGE}.`,
        );
        return DEFAULT_SETUP_IMAGE;
      }
    }
    this.problem('emulation.setupImage', `must be an image reference such as ${DEFAULT_SETUP_IMAGE}.`);
    return DEFAULT_SETUP_IMAGE;
  }

  /** `greenCloud.registry.insecureHosts`: registries reached over plain HTTP (`host[:port]`, lower-case). */
  get insecureRegistryHosts(): string[] {
    const hosts = this.stringList('registry.insecureHosts', (s) => s).flatMap((entry) => {
      const host = normalizeInsecureHost(entry);
      if (host !== undefined) return [host];
      this.problem('registry.insecureHosts', `ignores '${entry}': write a registry host such as 127.0.0.1:5000 or registry.local.`);
      return [];
    });
    return [...new Set(hosts)];
  }

  /**
   * `greenCloud.registry.lookups` (default true). The language server reads it itself (through
   * the same schema, core/src/settings.ts); read here so that a malformed value is reported.
   */
  get registryLookups(): boolean {
    return this.parsed('registry.lookups', parseRegistryLookups);
  }

  /** `greenCloud.registry.tagCacheMinutes`: 0 to 10080 (default 60); read by the language server like `registryLookups`. */
  get tagCacheMinutes(): number {
    return this.parsed('registry.tagCacheMinutes', parseTagCacheMinutes);
  }

  /** The engines builds and emulation checks use: `greenCloud.builders` over `greenCloud.docker.host`. */
  get engines(): { builders: Record<string, string>; defaultHost: string | undefined } {
    return { builders: this.builders, defaultHost: this.dockerHost };
  }

  /** `greenCloud.trace.server` (read by vscode-languageclient itself; exposed for completeness). */
  get traceServer(): TraceLevel {
    const raw = this.source.get<unknown>('trace.server');
    return TRACE_LEVELS.includes(raw as TraceLevel) ? (raw as TraceLevel) : 'off';
  }

  /** Problems found by the getters read so far (read `all()` first to check every setting). */
  problems(): readonly SettingProblem[] {
    const seen = new Set<string>();
    return this.issues.filter((p) => {
      const key = `${p.setting}\n${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** Reads every setting (so that `problems()` is complete) and returns a plain snapshot. */
  all(): ConfigSnapshot {
    return {
      platforms: this.platforms.map(formatPlatform),
      rules: this.rules,
      crossBuildImages: this.crossBuildImages,
      parallel: this.parallel,
      tagTemplate: this.tagTemplate,
      dockerHost: this.dockerHost,
      builders: this.builders,
      emulationSetupImage: this.emulationSetupImage,
      insecureRegistryHosts: this.insecureRegistryHosts,
      registryLookups: this.registryLookups,
      tagCacheMinutes: this.tagCacheMinutes,
      traceServer: this.traceServer,
    };
  }

  /** A setting parsed by the shared schema (core/src/settings.ts), its problem reported under the setting's name. */
  private parsed<T>(key: string, parse: (raw: unknown) => ParsedSetting<T>): T {
    const { value, problem } = parse(this.source.get<unknown>(key));
    if (problem) this.problem(key, problem);
    return value;
  }

  private stringList(key: string, normalise: (s: string) => string): string[] {
    const raw = this.source.get<unknown>(key);
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      this.problem(key, 'must be a list of strings.');
      return [];
    }
    const out: string[] = [];
    for (const entry of raw) {
      if (typeof entry !== 'string' || entry.trim() === '') {
        this.problem(key, `ignores ${JSON.stringify(entry)}: each entry is a non-empty string.`);
        continue;
      }
      const value = normalise(entry.trim());
      if (!out.includes(value)) out.push(value);
    }
    return out;
  }

  private problem(key: string, message: string): void {
    this.issues.push({ setting: `${SECTION}.${key}`, message: `${SECTION}.${key} ${message}` });
  }
}

export interface ConfigSnapshot {
  readonly platforms: readonly string[];
  readonly rules: Readonly<Record<string, SeverityName>>;
  readonly crossBuildImages: readonly string[];
  readonly parallel: number;
  readonly tagTemplate: string;
  readonly dockerHost: string | undefined;
  readonly builders: Readonly<Record<string, string>>;
  readonly emulationSetupImage: string;
  readonly insecureRegistryHosts: readonly string[];
  readonly registryLookups: boolean;
  readonly tagCacheMinutes: number;
  readonly traceServer: TraceLevel;
}
