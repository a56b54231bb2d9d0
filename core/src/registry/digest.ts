/**
 * Content digests (`algorithm:hex`) as the OCI image spec defines them. Green Cloud verifies
 * `sha256` and `sha512`; any other algorithm is refused rather than trusted unverified.
 */
import { createHash, type Hash } from 'node:crypto';

export const SUPPORTED_DIGEST_ALGORITHMS = ['sha256', 'sha512'] as const;
export type DigestAlgorithm = (typeof SUPPORTED_DIGEST_ALGORITHMS)[number];

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };
/** The OCI grammar: `algorithm ":" encoded`, algorithm components joined by `+._-`. */
const GRAMMAR = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

export type DigestCheck = { ok: true; algorithm: DigestAlgorithm; hex: string } | { ok: false; why: string };

/** Checks a digest string: well formed, a supported algorithm, the right length of lower-case hex. */
export function checkDigest(digest: string): DigestCheck {
  const [, algorithm, hex] = GRAMMAR.exec(digest) ?? [];
  if (algorithm === undefined || hex === undefined) return { ok: false, why: 'is not a digest (algorithm:hex, e.g. sha256:…)' };
  if (!(SUPPORTED_DIGEST_ALGORITHMS as readonly string[]).includes(algorithm))
    return {
      ok: false,
      why: `uses the digest algorithm '${algorithm}', which Green Cloud cannot verify (supported: ${SUPPORTED_DIGEST_ALGORITHMS.join(', ')})`,
    };
  const want = HEX_LENGTH[algorithm as DigestAlgorithm];
  if (hex.length !== want || !/^[0-9a-f]+$/.test(hex))
    return { ok: false, why: `is not a ${algorithm} digest (${want} lower-case hex digits)` };
  return { ok: true, algorithm: algorithm as DigestAlgorithm, hex };
}

export function isSupportedDigest(digest: string): boolean {
  return checkDigest(digest).ok;
}

/** The digest of `bytes` with the given algorithm. */
export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** An incremental digester for a stream. */
export function digester(algorithm: DigestAlgorithm): { update(chunk: Uint8Array): void; digest(): string } {
  const hash: Hash = createHash(algorithm);
  return {
    update: (chunk) => void hash.update(chunk),
    digest: () => `${algorithm}:${hash.digest('hex')}`,
  };
}

/** True when `bytes` hash to `digest` (which must be a supported digest). */
export function matchesDigest(bytes: Uint8Array, digest: string): boolean {
  const check = checkDigest(digest);
  return check.ok && digestOf(bytes, check.algorithm) === digest;
}
