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
