/**
 * What a registry lookup answers, and which target platforms it covers: the types of the lookup
 * service (server/src/lookups), here in core so that the rules and the lookups share them.
 * Shared by the Dockerfile rules GC108/GC109, the hovers, the CLI and the YAML (Kubernetes,
 * Compose) image checks. Every string that came from a registry is already display-safe
 * (`displayText`), so front ends may show these fields as they are.
 */
import { normalizePlatform, type Platform } from '../platforms';
import type { NetworkCause } from './errors';

/** One platform of a list, or the platform of a single image. */
export interface LookupPlatform {
  /** `os/arch[/variant]`, as the registry wrote it (display-safe). */
  readonly platform: string;
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  /** `os.version` (Windows images), when set. */
  readonly osVersion?: string;
  /** Digest of this platform's image manifest. */
  readonly digest: string;
  /** Compressed size in bytes: the image's layers plus its config; undefined when its manifest could not be read. */
  readonly compressedSize?: number;
}

/**
 * - `ok`: the registry answered; `kind`, `digest` and `platforms` are set.
 * - `not-found`: the registry says the repository or tag does not exist (404).
 * - `unauthorized`: 401/403 even with the credentials in `credentialsSource`.
 * - `unavailable`: no answer (network, timeout, 429 after retries, a broken answer): says
 *   nothing about the image. Never a diagnostic.
 * - `offline`: lookups are turned off (the lookups setting, or the CLI's `--offline`). Never a diagnostic.
 * - `invalid`: the reference cannot be looked up (malformed). Never a diagnostic.
 */
/** Why an `unavailable` lookup got no usable answer: a network cause, or what the registry did. */
export type LookupFailureCause = NetworkCause | 'rate-limited' | 'server-error' | 'bad-answer';

/** For an `unavailable` lookup, in fields a front end phrases and groups by (one note per registry and cause). */
export interface LookupFailure {
  readonly cause: LookupFailureCause;
  /** The host that gave no answer, when it was a network failure (`registry-1.docker.io` for docker.io). */
  readonly host?: string;
  /** The system's code (`ENOTFOUND`) or the HTTP status (`503`). */
  readonly code?: string;
}

export type LookupStatus = 'ok' | 'not-found' | 'unauthorized' | 'unavailable' | 'offline' | 'invalid';

export interface LookupResult {
  /** The reference as asked (`alpine:3.20`). */
  readonly reference: string;
  /** Fully qualified (`docker.io/library/alpine:3.20`). */
  readonly canonical: string;
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  /** The digest pinned in the reference, if any. */
  readonly pinnedDigest?: string;
  readonly status: LookupStatus;
  /** `list` for a manifest list / OCI index, `image` for a single image manifest. */
  readonly kind?: 'list' | 'image';
  /** The digest the reference resolves to (the pinned one, or the one the tag names). */
  readonly digest?: string;
  readonly mediaType?: string;
  /** The platforms (attestation entries excluded). */
  readonly platforms: readonly LookupPlatform[];
  /** How many attestation entries (`unknown/unknown`, `vnd.docker.reference.type`) the list holds besides. */
  readonly attestations: number;
  /**
   * For a reference with both a tag and a digest (`image:1@sha256:…`): what the tag names
   * today, and whether that list contains the pinned digest (the GC109 fix).
   */
  readonly tagTarget?: { readonly digest: string; readonly kind: 'list' | 'image'; readonly containsPinned: boolean };
  /** When the registry was asked (ms since the epoch); for a cached answer, when it was cached. */
  readonly lookedUpAt: number;
  readonly fromCache: boolean;
  /** Which credentials were tried, in words: "anonymous (no entry for 127.0.0.1:5000 in /root/.docker/config.json)". */
  readonly credentialsSource: string;
  /** For a status other than `ok`: what happened and what to do, display-safe. */
  readonly message?: string;
  /** For `unavailable`: why, structured. */
  readonly failure?: LookupFailure;
}

export interface LookupOptions {
  /** No network at all: every answer is `offline`. */
  readonly offline?: boolean;
  /** Re-resolve the tag even when the cached tag→digest answer is fresh. */
  readonly refresh?: boolean;
  readonly signal?: AbortSignal;
}

/** Answers by reference as written in the file after ARG substitution (`stage.base.resolved`). */
export type RegistryAnswers = ReadonlyMap<string, LookupResult>;

function normalized(p: { os: string; architecture: string; variant?: string }): Platform | undefined {
  try {
    return normalizePlatform(p);
  } catch {
    return undefined;
  }
}

const ARM_VARIANTS = ['v5', 'v6', 'v7', 'v8'];

/**
 * True when an image of platform `have` runs for target `want`, as BuildKit's platform matcher
 * decides: same os and architecture, and the same variant, except that linux/arm/v7 also takes
 * v6 and v5 images, and arm64 takes v8 or no variant.
 */
export function platformCovers(have: { os: string; architecture: string; variant?: string }, want: Platform): boolean {
  const h = normalized(have);
  if (!h || h.os !== want.os || h.architecture !== want.architecture) return false;
  const hv = h.variant ?? '';
  const wv = want.variant ?? '';
  if (hv === wv) return true;
  if (want.architecture === 'arm') {
    const hi = ARM_VARIANTS.indexOf(hv);
    const wi = ARM_VARIANTS.indexOf(wv);
    return hi >= 0 && wi >= 0 && hi <= wi;
  }
  if (want.architecture === 'arm64') return (hv === '' || hv === 'v8') && (wv === '' || wv === 'v8');
  return false;
}

export interface Coverage {
  readonly covered: readonly Platform[];
  readonly missing: readonly Platform[];
}

/** Which of `targets` the looked-up image has. */
export function coverageOf(result: Pick<LookupResult, 'platforms'>, targets: readonly Platform[]): Coverage {
  const covered: Platform[] = [];
  const missing: Platform[] = [];
  for (const t of targets) (result.platforms.some((p) => platformCovers(p, t)) ? covered : missing).push(t);
  return { covered, missing };
}
