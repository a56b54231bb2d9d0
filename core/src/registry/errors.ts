/**
 * Registry errors and secret redaction. Every message a person sees names the registry, the
 * repository and the next step, and never carries a credential: error texts are built from
 * status codes and the registry's own error codes only, and pass through `redact` besides.
 */

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
  | 'cancelled';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    message: string,
    readonly kind: RegistryErrorKind,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class ManifestListError extends Error {
  override readonly name = 'ManifestListError';
}

/** A registry error body: `{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"…","detail":…}]}`. */
export function registryErrorCodes(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    if (!Array.isArray(parsed.errors)) return '';
    return parsed.errors
      .map((e) => [typeof e.code === 'string' ? e.code : '', typeof e.message === 'string' ? e.message : ''].filter(Boolean).join(': '))
      .filter(Boolean)
      .join('; ');
  } catch {
    return '';
  }
}

/** Replaces every known secret (and anything after `Bearer `/`Basic `) with `***`. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join('***');
  }
  return out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***');
}
