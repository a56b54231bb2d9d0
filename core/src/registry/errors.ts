/**
 * Registry errors and secret redaction. Every message a person sees names the registry, the
 * repository and the next step, and never carries a credential: error texts are built from
 * status codes and the registry's own error codes only, and pass through `redact` besides.
 */
import { displayText } from './sanitize';

export type RegistryErrorKind =
  | 'unauthorized'
  | 'denied'
  | 'not-found'
  | 'invalid'
  | 'network'
  | 'timeout'
  | 'server'
  | 'digest-mismatch'
  | 'unsupported'
  | 'credentials'
  | 'too-large'
  | 'cancelled';

/**
 * A next step only a front end can phrase, because it names a setting in the editor and a flag
 * in the terminal. The core's message ends before it; client and CLI append their own words.
 */
export type RegistryRemedy =
  /** The registry seems to speak plain HTTP: allow plain HTTP for `registry` (an insecure host). */
  | { readonly kind: 'insecure-host'; readonly registry: string }
  /** A list push has no sources: name sources some other way (the CLI's --platforms/--template or --spec). */
  | { readonly kind: 'no-sources' }
  /** Annotations were asked for a Docker manifest list: choose the OCI index format. */
  | { readonly kind: 'oci-format' }
  /** Amending something that is a single image: replace it instead of amending. */
  | { readonly kind: 'replace-not-amend' };

/** Why a host gave no answer, in categories a front end can phrase and group by. */
export type NetworkCause =
  /** The host name did not resolve (ENOTFOUND, EAI_AGAIN): no DNS, no network, or a typo. */
  | 'dns'
  /** Nothing listens at the address (ECONNREFUSED). */
  | 'refused'
  /** No answer in time: the per-attempt timeout, or a connect timeout (ETIMEDOUT). */
  | 'timeout'
  /** The connection was reset or closed mid-exchange (ECONNRESET, EPIPE). */
  | 'reset'
  /** No route to the host (EHOSTUNREACH, ENETUNREACH). */
  | 'unreachable'
  /** The TLS handshake failed: an untrusted certificate, or a host that speaks plain HTTP. */
  | 'tls'
  | 'other';

/** A request that got no answer at all: which host, and why. */
export interface NetworkFailure {
  /** The host that did not answer (`registry-1.docker.io`, `127.0.0.1:5000`, a token server). */
  readonly host: string;
  readonly cause: NetworkCause;
  /** The system's code (`ENOTFOUND`), when there was one. */
  readonly code?: string;
}

const CAUSE_WORDS: Record<NetworkCause, string> = {
  dns: 'host not found',
  refused: 'connection refused',
  timeout: 'timed out',
  reset: 'connection reset',
  unreachable: 'network unreachable',
  tls: 'TLS handshake failed',
  other: 'network error',
};

/** The cause in a few words ("host not found"), for every front end. */
export function describeNetworkCause(cause: NetworkCause): string {
  return CAUSE_WORDS[cause];
}

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    message: string,
    readonly kind: RegistryErrorKind,
    readonly status?: number,
    readonly remedy?: RegistryRemedy,
    /** For `network` and `timeout`: the host that gave no answer, and why. */
    readonly network?: NetworkFailure,
  ) {
    super(message);
  }
}

export class ManifestListError extends Error {
  override readonly name = 'ManifestListError';
  constructor(
    message: string,
    /** Set when the failure came after a write: the list's digest and the tags that already point to it. */
    readonly written?: { readonly digest: string; readonly tags: readonly string[] },
    readonly remedy?: RegistryRemedy,
  ) {
    super(message);
  }
}

/**
 * A registry error body: `{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"…","detail":…}]}`,
 * as display text (control characters escaped, at most 3 errors of 200 characters each).
 */
export function registryErrorCodes(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown } | null;
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.errors)) return '';
    const items = parsed.errors
      .filter((e): e is { code?: unknown; message?: unknown } => typeof e === 'object' && e !== null)
      .map((e) => [typeof e.code === 'string' ? e.code : '', typeof e.message === 'string' ? e.message : ''].filter(Boolean).join(': '))
      .filter(Boolean);
    const shown = items.slice(0, 3).map((t) => displayText(t));
    if (items.length > 3) shown.push(`and ${items.length - 3} more`);
    return shown.join('; ');
  } catch {
    return '';
  }
}

export { redact } from '../redact';
