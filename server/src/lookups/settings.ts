/** The lookup settings (`greenCloud.registry.*`), sanitised: anything malformed falls back to the default. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface LookupSettings {
  /** `greenCloud.registry.lookups` (default true): false means no network at all. */
  readonly enabled: boolean;
  /** `greenCloud.registry.tagCacheMinutes` (default 60). */
  readonly tagCacheMinutes: number;
  /** `greenCloud.registry.insecureHosts`: plain HTTP besides loopback. */
  readonly insecureHosts: readonly string[];
}

export const DEFAULT_LOOKUP_SETTINGS: LookupSettings = { enabled: true, tagCacheMinutes: 60, insecureHosts: [] };

/** True when the environment turns lookups off for the whole process: `GREEN_CLOUD_OFFLINE=1` (CI without network, test harnesses). */
export function offlineByEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.GREEN_CLOUD_OFFLINE === '1' || env.GREEN_CLOUD_OFFLINE === 'true';
}

/** From the `greenCloud` configuration section (untrusted input); `GREEN_CLOUD_OFFLINE=1` wins. */
export function sanitizeLookupSettings(raw: unknown, env: Readonly<Record<string, string | undefined>> = process.env): LookupSettings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const registry = (section.registry && typeof section.registry === 'object' ? section.registry : {}) as Record<string, unknown>;
  const minutes = registry.tagCacheMinutes;
  return {
    enabled: !offlineByEnvironment(env) && (typeof registry.lookups === 'boolean' ? registry.lookups : true),
    tagCacheMinutes: typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0 ? Math.min(minutes, 10080) : 60,
    insecureHosts: Array.isArray(registry.insecureHosts)
      ? registry.insecureHosts
          .filter((h): h is string => typeof h === 'string' && /^[A-Za-z0-9.\-[\]:]+$/.test(h.trim()))
          .map((h) => h.trim().toLowerCase())
      : [],
  };
}

/** The CLI's cache directory, and the server's when the client names none: `$XDG_CACHE_HOME/green-cloud` (default `~/.cache/green-cloud`). */
export function defaultCacheDirectory(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(env.HOME ?? homedir(), '.cache');
  return join(base, 'green-cloud');
}
