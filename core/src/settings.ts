/**
 * The settings schema shared by the language server, the client and the CLI. Lint settings, sanitised in one place: anything unknown or malformed falls back to the
 * default, so a bad `settings.json` never breaks linting.
 */
import { DEFAULT_TARGET_PLATFORMS, parsePlatform, platformsEqual, type Platform } from './platforms';

export type SeverityName = 'off' | 'hint' | 'info' | 'warning' | 'error';
export const SEVERITY_NAMES: readonly SeverityName[] = ['off', 'hint', 'info', 'warning', 'error'];

export interface LintSettings {
  /** Target platforms (`greenCloud.platforms`). */
  readonly platforms: readonly Platform[];
  /** Per-rule severity overrides (`greenCloud.rules`). */
  readonly rules: Readonly<Record<string, SeverityName>>;
  /** Extra base images known to ship the cross-build markers (`greenCloud.crossBuild.images`). */
  readonly crossBuildImages: readonly string[];
}

export const DEFAULT_SETTINGS: LintSettings = {
  platforms: DEFAULT_TARGET_PLATFORMS,
  rules: {},
  crossBuildImages: [],
};

export function isSeverityName(value: unknown): value is SeverityName {
  return typeof value === 'string' && (SEVERITY_NAMES as readonly string[]).includes(value);
}

/** Builds LintSettings from untrusted input (the `greenCloud` configuration section). */
export function sanitizeSettings(raw: unknown): LintSettings {
  const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  let platforms: Platform[] = [];
  if (Array.isArray(input.platforms)) {
    for (const p of input.platforms) {
      if (typeof p !== 'string') continue;
      try {
        const parsed = parsePlatform(p);
        if (!platforms.some((q) => platformsEqual(q, parsed))) platforms.push(parsed);
      } catch {
        // ignore invalid entries; the client validates and reports them
      }
    }
  }
  if (platforms.length === 0) platforms = [...DEFAULT_TARGET_PLATFORMS];
  const rules: Record<string, SeverityName> = {};
  if (input.rules && typeof input.rules === 'object' && !Array.isArray(input.rules)) {
    for (const [code, severity] of Object.entries(input.rules as Record<string, unknown>)) {
      const normalised = typeof severity === 'string' ? severity.toLowerCase() : severity;
      if (/^GC[0-9]{3}$/i.test(code) && isSeverityName(normalised)) rules[code.toUpperCase()] = normalised;
    }
  }
  const crossBuild = input.crossBuild && typeof input.crossBuild === 'object' ? (input.crossBuild as Record<string, unknown>) : {};
  const crossBuildImages = Array.isArray(crossBuild.images)
    ? crossBuild.images.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim().toLowerCase())
    : [];
  return { platforms, rules, crossBuildImages };
}

/**
 * Platforms built at once (the editor's build.parallel setting, the CLI's --parallel): one
 * default and one range for every front end (package.json declares the same; test/meta checks).
 */
export const PARALLEL = { default: 2, min: 1, max: 16 } as const;

/** A parallelism from untrusted input, or undefined when it is not a whole number in PARALLEL's range. */
export function parseParallel(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= PARALLEL.min && n <= PARALLEL.max ? n : undefined;
}

/** A value read from untrusted input, and what was wrong with it (no setting name: each front end names it its own way). */
export interface ParsedSetting<T> {
  readonly value: T;
  /** Set when the input was present but not usable as is, e.g. "is 20000; the most is 10080 (one week), so 10080 is used." */
  readonly problem?: string;
}

/** Registry lookups (the editor's registry.lookups setting; the CLI's --offline turns them off): on by default. */
export const REGISTRY_LOOKUPS = { default: true } as const;

/**
 * How long the digest a tag names is reused, in minutes (the editor's registry.tagCacheMinutes;
 * the CLI uses the default): 0 asks every time, at most one week. package.json declares the same.
 */
export const TAG_CACHE_MINUTES = { default: 60, min: 0, max: 10080 } as const;

/** Whether registry lookups are on, from untrusted input: a boolean, anything else is the default. */
export function parseRegistryLookups(raw: unknown): ParsedSetting<boolean> {
  if (raw === undefined || raw === null || typeof raw === 'boolean') return { value: raw ?? REGISTRY_LOOKUPS.default };
  return {
    value: REGISTRY_LOOKUPS.default,
    problem: `must be true or false, not ${JSON.stringify(raw)}; using ${String(REGISTRY_LOOKUPS.default)}.`,
  };
}

/**
 * Tag-cache minutes from untrusted input: a number from 0 up (fractions allowed); above the
 * maximum it is clamped to it; negative, not a number or not finite, the default is used.
 */
export function parseTagCacheMinutes(raw: unknown): ParsedSetting<number> {
  const { default: fallback, min, max } = TAG_CACHE_MINUTES;
  if (raw === undefined || raw === null) return { value: fallback };
  if (typeof raw !== 'number' || !Number.isFinite(raw))
    return {
      value: fallback,
      problem: `must be a number of minutes from ${min} to ${max}, not ${JSON.stringify(raw)}; using ${fallback}.`,
    };
  if (raw < min)
    return {
      value: fallback,
      problem: `is ${raw}; it must be from ${min} to ${max} minutes (${min} asks every time), so ${fallback} is used.`,
    };
  if (raw > max) return { value: max, problem: `is ${raw}; the most is ${max} (one week), so ${max} is used.` };
  return { value: raw };
}

/** The registry lookup settings (the `registry` part of the `greenCloud` section), sanitised. */
export interface LookupSettings {
  /** Lookups on (registry.lookups, default true): false means no network at all. */
  readonly enabled: boolean;
  /** Tag-cache minutes (registry.tagCacheMinutes, default 60). */
  readonly tagCacheMinutes: number;
  /** Registries reached over plain HTTP besides loopback (registry.insecureHosts). */
  readonly insecureHosts: readonly string[];
}

export const DEFAULT_LOOKUP_SETTINGS: LookupSettings = {
  enabled: REGISTRY_LOOKUPS.default,
  tagCacheMinutes: TAG_CACHE_MINUTES.default,
  insecureHosts: [],
};

/** The characters package.json allows in a registry.insecureHosts entry (its `pattern`; test/meta checks they agree). */
export const INSECURE_HOST_PATTERN = /^[A-Za-z0-9.\-\[\]:]+$/;

/** A registry host as used in `insecureHosts`: `name[:port]` or `[v6]:port` (lower-case). */
const INSECURE_HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

/**
 * One registry.insecureHosts entry as every front end reads it: trimmed, lower-case, without a
 * leading `http://`/`https://` or trailing slashes; undefined when it is not a registry host.
 */
export function normalizeInsecureHost(entry: string): string | undefined {
  const host = entry
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  return INSECURE_HOST_RE.test(host) ? host : undefined;
}

/** True when the environment turns lookups off for the whole process: `GREEN_CLOUD_OFFLINE=1` or `true` (CI without network, test harnesses). */
export function offlineByEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.GREEN_CLOUD_OFFLINE === '1' || env.GREEN_CLOUD_OFFLINE === 'true';
}

/**
 * Whether lookups run: the setting (or, in the CLI, `!--offline`), unless the environment turns
 * them off for the whole process.
 */
export function lookupsEnabled(setting: unknown, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return !offlineByEnvironment(env) && parseRegistryLookups(setting).value;
}

/** LookupSettings from untrusted input (the `greenCloud` configuration section); `GREEN_CLOUD_OFFLINE=1` wins over the setting. */
export function sanitizeLookupSettings(raw: unknown, env: Readonly<Record<string, string | undefined>> = process.env): LookupSettings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const registry = (section.registry && typeof section.registry === 'object' ? section.registry : {}) as Record<string, unknown>;
  return {
    enabled: lookupsEnabled(registry.lookups, env),
    tagCacheMinutes: parseTagCacheMinutes(registry.tagCacheMinutes).value,
    insecureHosts: Array.isArray(registry.insecureHosts)
      ? registry.insecureHosts.flatMap((h) => (typeof h === 'string' ? (normalizeInsecureHost(h) ?? []) : []))
      : [],
  };
}
