/**
 * What a registry lookup answers: the public types of the lookup service (server/src/lookups).
 * Shared by the Dockerfile rules GC108/GC109, the hovers, the CLI and the YAML (Kubernetes,
 * Compose) image checks. Every string that came from a registry is already display-safe
 * (`displayText`), so front ends may show these fields as they are.
 */

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
 * - `offline`: lookups are turned off (`greenCloud.registry.lookups`, `--offline`). Never a diagnostic.
 * - `invalid`: the reference cannot be looked up (malformed). Never a diagnostic.
 */
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
