/** Platforms of list entries: reading them from validated descriptors, overriding, comparing, describing. */
import { formatPlatform, normalizePlatform } from '../platforms';
import { ManifestListError } from './errors';
import { displayText } from './sanitize';
import type { RawPlatform } from './schema';

/** A platform as it appears in a list entry (`os.version`/`os.features` for Windows images). */
export interface EntryPlatform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly 'os.version'?: string;
  readonly 'os.features'?: readonly string[];
}

/** What the user may say about a source's platform; anything left out comes from the image config. */
export interface PlatformOverride {
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
  readonly osVersion?: string;
  readonly osFeatures?: readonly string[];
}

const ATTESTATION_TYPE = 'vnd.docker.reference.type';

/** A stable key for duplicate detection: normalised `os/arch[/variant]` plus `os.version` (raw: sanitize before display). */
export function platformKey(p: EntryPlatform): string {
  let base: string;
  try {
    base = formatPlatform(normalizePlatform(p));
  } catch {
    base = `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
  }
  return p['os.version'] ? `${base} (os.version ${p['os.version']})` : base;
}

/** `os/arch[/variant] [os.version]` as display text (registry strings sanitized). */
export function describePlatform(p: EntryPlatform): string {
  const base = `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
  return displayText(p['os.version'] ? `${base} ${p['os.version']}` : base, 120);
}

export function isAttestation(entry: { platform?: RawPlatform; annotations?: Readonly<Record<string, string>> }): boolean {
  if (entry.annotations?.[ATTESTATION_TYPE] === 'attestation-manifest') return true;
  return entry.platform?.os === 'unknown' || entry.platform?.architecture === 'unknown';
}

export function entryPlatformOf(raw: RawPlatform | undefined, what: string): EntryPlatform {
  if (!raw || typeof raw.architecture !== 'string' || typeof raw.os !== 'string' || !raw.architecture || !raw.os) {
    throw new ManifestListError(
      `${what} has no os/architecture. Give its platform explicitly (e.g. ${'`'}SOURCE,platform=linux/arm64${'`'}).`,
    );
  }
  const out: { -readonly [K in keyof EntryPlatform]: EntryPlatform[K] } = { os: raw.os, architecture: raw.architecture };
  if (typeof raw.variant === 'string' && raw.variant) out.variant = raw.variant;
  if (typeof raw['os.version'] === 'string' && raw['os.version']) out['os.version'] = raw['os.version'];
  if (Array.isArray(raw['os.features']) && raw['os.features'].length)
    out['os.features'] = raw['os.features'].filter((f): f is string => typeof f === 'string');
  return out;
}

export function applyOverride(base: Partial<EntryPlatform>, override: PlatformOverride | undefined, what: string): EntryPlatform {
  const merged: Record<string, unknown> = { ...base };
  if (override?.os) merged.os = override.os;
  if (override?.architecture) {
    merged.architecture = override.architecture;
    // A new architecture makes the config's variant meaningless unless given too.
    if (override.variant === undefined && override.architecture !== base.architecture) delete merged.variant;
  }
  if (override?.variant !== undefined) {
    if (override.variant === '') delete merged.variant;
    else merged.variant = override.variant;
  }
  if (override?.osVersion) merged['os.version'] = override.osVersion;
  if (override?.osFeatures?.length) merged['os.features'] = [...override.osFeatures];
  return entryPlatformOf(merged, what);
}

export function matchesOverride(p: EntryPlatform, o: PlatformOverride): boolean {
  if (!o.architecture) return true;
  const want = normalizePlatform({ os: o.os ?? 'linux', architecture: o.architecture, variant: o.variant });
  let have: ReturnType<typeof normalizePlatform>;
  try {
    have = normalizePlatform(p);
  } catch {
    return false;
  }
  return (
    want.os === have.os &&
    want.architecture === have.architecture &&
    (want.variant ?? '') === (have.variant ?? '') &&
    (!o.osVersion || o.osVersion === p['os.version'])
  );
}
