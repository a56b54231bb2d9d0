/**
 * A client for the OCI distribution API (the Docker Registry HTTP API v2) over Node's fetch.
 *
 * - Manifests are kept as the exact bytes the registry returned or we sent: a manifest's
 *   digest is the sha256 of those bytes, verified against the requested digest (sha256 or
 *   sha512) and against `Docker-Content-Digest`.
 * - Authentication: anonymous, Basic, and the Bearer token flow (challenge parsed from
 *   `WWW-Authenticate`, tokens requested for the scopes a request needs and cached by scope
 *   until shortly before expiry; a 401 on a request refreshes the token and retries once).
 *   Credentials go only to the registry's own origin and to its token realm (see authPolicy.ts).
 * - Plain HTTP for loopback hosts and `insecureHosts`; HTTPS otherwise.
 * - Every wait ends: each attempt has a timeout (default 10 s); idempotent requests are retried
 *   with exponential backoff (and `Retry-After`) on 429, 5xx, timeouts and connection resets
 *   (default 2 retries: an unanswering registry fails after ≈31 s). A streamed blob copy has no
 *   overall deadline (layers can be gigabytes) but must move at least
 *   MIN_TRANSFER_BYTES_PER_SECOND in every timeout window — never a deadline derived from a
 *   size the remote claims.
 * - Every response is bounded: manifests (MAX_MANIFEST_BYTES), image configs, token answers and
 *   error bodies; streamed blobs are verified by digest and size while they flow.
 * - Secrets (passwords, tokens, Authorization headers) never appear in logs or errors, and
 *   registry text in messages is sanitized (sanitize.ts).
 */
import { checkUploadLocation } from './authPolicy';
import { RegistryAuth, type AuthOptions } from './auth';
import { checkDigest, digestOf, matchesDigest } from './digest';
import { RegistryError, registryErrorCodes } from './errors';
import { verifyingStream } from './streams';
import { MANIFEST_ACCEPT } from './mediaTypes';
import { displayText } from './sanitize';
import {
  formatBytes,
  MAX_CONFIG_BYTES,
  MAX_MANIFEST_BYTES,
  Transport,
  type BodyLimit,
  type RawResponse,
  type TransportOptions,
} from './transport';

export {
  DEFAULT_RETRIES,
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_TIMEOUT_MS,
  formatBytes,
  MAX_CONFIG_BYTES,
  MAX_ERROR_BODY_BYTES,
  MAX_MANIFEST_BYTES,
  MAX_TOKEN_RESPONSE_BYTES,
  MIN_TRANSFER_BYTES_PER_SECOND,
  retryAfterMs,
  unansweredRequestMs,
} from './transport';
export { mergeScopes } from './auth';

export interface RegistryClientOptions extends TransportOptions, AuthOptions {
  /** Hosts (`host:port`) reached over plain HTTP besides loopback (`greenCloud.registry.insecureHosts`). */
  readonly insecureHosts?: readonly string[];
  /** Per-attempt timeout in milliseconds (default DEFAULT_TIMEOUT_MS, 10 s); for a streamed copy, the window of the minimum rate. */
  readonly timeoutMs?: number;
  /** Retries of an idempotent request after a transient failure (default DEFAULT_RETRIES, 2). */
  readonly retries?: number;
  /** First backoff delay in milliseconds, doubled on every retry (default 200). */
  readonly retryBaseMs?: number;
  /** Cancels every request of this client. */
  readonly signal?: AbortSignal;
  /** Receives one line per HTTP exchange (method, URL, status): never a secret. */
  readonly log?: (line: string) => void;
}

export interface ManifestDescriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

export interface FetchedManifest extends ManifestDescriptor {
  /** The exact bytes: their sha256 is `digest`. */
  readonly bytes: Buffer;
}

/** A request body read from a stream (opened anew for each attempt), e.g. a blob being copied. */
type BodySource = () => Promise<{ stream: ReadableStream<Uint8Array>; size: number }>;

interface RequestOptions {
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | BodySource;
  /** Keep the response body as a stream (`RawResponse.stream`) instead of reading it. */
  readonly keepStream?: boolean;
  /** Token scopes this request needs (`repository:team/web:pull,push`). */
  readonly scopes: readonly string[];
  readonly idempotent: boolean;
  /** What the request is about, for error messages (`repository team/web`). */
  readonly what: string;
  /** A successful answer larger than this is refused (default: read at most MAX_ERROR_BODY_BYTES and drop the rest). */
  readonly limit?: BodyLimit;
}

const LOOPBACK = /^(localhost|127(?:\.[0-9]{1,3}){3}|\[::1\]|::1)(?::[0-9]+)?$/i;

export function sha256Digest(bytes: Uint8Array): string {
  return digestOf(bytes, 'sha256');
}

/** True when the registry is reached over plain HTTP. */
export function isInsecureRegistry(registry: string, insecureHosts: readonly string[] = []): boolean {
  if (LOOPBACK.test(registry)) return true;
  const lower = registry.toLowerCase();
  return insecureHosts.some((h) => {
    const x = h
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '');
    return x === lower || (!x.includes(':') && lower.split(':')[0] === x);
  });
}

export class RegistryClient {
  readonly registry: string;
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly options: RegistryClientOptions;
  private readonly auth: RegistryAuth;
  private readonly transport: Transport;

  constructor(registry: string, options: RegistryClientOptions = {}) {
    this.registry = registry;
    this.options = options;
    const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
    const port = /:([0-9]+)$/.exec(host)?.[1];
    let url: URL | undefined;
    try {
      url = new URL(`${isInsecureRegistry(registry, options.insecureHosts) ? 'http' : 'https'}://${host}`);
    } catch {
      url = undefined;
    }
    if (!url || url.pathname !== '/' || url.search || url.hash || url.username || url.password || (port && Number(port) > 65535)) {
      const why = port && Number(port) > 65535 ? `port ${port} is out of range (1-65535)` : 'it is not HOST[:PORT]';
      throw new RegistryError(`'${displayText(registry, 100)}' is not a valid registry address: ${why}.`, 'invalid');
    }
    this.baseUrl = url.origin;
    this.origin = url.origin;
    this.auth = new RegistryAuth(registry, this.baseUrl, options, (target, method, sent) => this.transport.send(target, method, sent));
    this.transport = new Transport(
      registry,
      options,
      (line) => this.log(line),
      (text) => this.redact(text),
    );
  }

  /** HTTP requests made so far (registry and token server). */
  get requestCount(): number {
    return this.transport.requestCount;
  }

  /** Text with every secret this client has seen replaced by `***`. */
  redact(text: string): string {
    return this.auth.redact(text);
  }

  private log(line: string): void {
    this.options.log?.(displayText(this.redact(line), 2000));
  }

  // ---------------------------------------------------------------- manifests

  /** GET a manifest by tag or digest (at most MAX_MANIFEST_BYTES), keeping its exact bytes. */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    if (reference.includes(':')) this.requireDigest(reference, `${repository}@${reference}`);
    const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, {
      headers: { Accept: MANIFEST_ACCEPT },
      scopes: [`repository:${repository}:pull`],
      idempotent: true,
      what: `${repository}${refSuffix(reference)}`,
      limit: { bytes: MAX_MANIFEST_BYTES, name: 'MAX_MANIFEST_BYTES, the size the OCI distribution spec suggests' },
    });
    if (res.status === 404)
      throw new RegistryError(
        `${this.registry}/${repository}${refSuffix(reference)} does not exist (404 from ${this.registry}). Check the name and tag, or push it first.`,
        'not-found',
        404,
      );
    this.expectOk(res, 'GET', repository, reference);
    const digest = sha256Digest(res.body);
    if (reference.includes(':') && !matchesDigest(res.body, reference)) {
      throw new RegistryError(
        `The manifest ${repository}@${reference} from ${this.registry} has digest ${digest}: the registry returned different bytes than requested.`,
        'digest-mismatch',
      );
    }
    const header = res.headers.get('docker-content-digest');
    if (header && checkDigest(header).ok && !matchesDigest(res.body, header)) {
      throw new RegistryError(
        `The manifest ${repository}${refSuffix(reference)} from ${this.registry} hashes to ${digest} but the registry says ${displayText(header, 140)}.`,
        'digest-mismatch',
      );
    }
    return { bytes: res.body, digest, size: res.body.length, mediaType: manifestMediaType(res.headers.get('content-type'), res.body) };
  }

  /** HEAD a manifest: its descriptor, or undefined when it does not exist. */
  async headManifest(repository: string, reference: string): Promise<ManifestDescriptor | undefined> {
    if (reference.includes(':')) this.requireDigest(reference, `${repository}@${reference}`);
    const res = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, {
      headers: { Accept: MANIFEST_ACCEPT },
      scopes: [`repository:${repository}:pull`],
      idempotent: true,
      what: `${repository}${refSuffix(reference)}`,
    });
    if (res.status === 404) return undefined;
    this.expectOk(res, 'HEAD', repository, reference);
    const digest = res.headers.get('docker-content-digest');
    const size = Number(res.headers.get('content-length') ?? NaN);
    if (!digest || !checkDigest(digest).ok || !Number.isSafeInteger(size) || size < 0) {
      // Registries that omit the headers on HEAD (or send junk): fall back to GET.
      const m = await this.getManifest(repository, reference);
      return { digest: m.digest, size: m.size, mediaType: m.mediaType };
    }
    return { digest, size, mediaType: mediaTypeOf(res.headers.get('content-type')) };
  }

  /** PUT a manifest by tag or digest (idempotent: retried on transient failures). Returns its digest. */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const digest = sha256Digest(bytes);
    const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
      headers: { 'Content-Type': mediaType },
      body: bytes,
      scopes: [`repository:${repository}:pull,push`],
      idempotent: true,
      what: `${repository}${refSuffix(reference)}`,
    });
    this.expectOk(res, 'PUT', repository, reference);
    const header = res.headers.get('docker-content-digest');
    if (header && header.startsWith('sha256:') && header !== digest) {
      throw new RegistryError(
        `${this.registry} stored the manifest for ${repository}${refSuffix(reference)} as ${displayText(header, 140)}, not ${digest}.`,
        'digest-mismatch',
      );
    }
    return digest;
  }

  // ---------------------------------------------------------------- blobs

  /** The blob's size when it exists in the repository, else undefined. */
  async blobSize(repository: string, digest: string): Promise<number | undefined> {
    this.requireDigest(digest, `blob ${digest}`);
    const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, {
      scopes: [`repository:${repository}:pull`],
      idempotent: true,
      what: `${repository}@${digest}`,
    });
    if (res.status === 404) return undefined;
    this.expectOk(res, 'HEAD', repository, digest);
    return Number(res.headers.get('content-length') ?? 0);
  }

  /**
   * GET a small blob (an image config: at most MAX_CONFIG_BYTES), verified against its digest
   * (sha256 or sha512) and, when given, its size.
   */
  async getBlob(repository: string, digest: string, expectedSize?: number): Promise<Buffer> {
    this.requireDigest(digest, `blob ${digest}`);
    if (expectedSize !== undefined && expectedSize > MAX_CONFIG_BYTES)
      throw new RegistryError(
        `Blob ${digest} of ${this.registry}/${repository} is ${expectedSize} bytes: more than MAX_CONFIG_BYTES (${formatBytes(MAX_CONFIG_BYTES)}) for an image config.`,
        'too-large',
      );
    const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, {
      scopes: [`repository:${repository}:pull`],
      idempotent: true,
      what: `${repository}@${digest}`,
      limit: { bytes: MAX_CONFIG_BYTES, name: 'MAX_CONFIG_BYTES, the limit for an image config' },
    });
    if (res.status === 404) throw new RegistryError(`Blob ${digest} is missing from ${this.registry}/${repository}.`, 'not-found', 404);
    this.expectOk(res, 'GET', repository, digest);
    if (expectedSize !== undefined && res.body.length !== expectedSize)
      throw new RegistryError(
        `Blob ${digest} from ${this.registry}/${repository} is ${res.body.length} bytes, not the ${expectedSize} its descriptor says.`,
        'digest-mismatch',
      );
    if (!matchesDigest(res.body, digest)) {
      throw new RegistryError(`Blob ${digest} from ${this.registry}/${repository} does not match its digest.`, 'digest-mismatch');
    }
    return res.body;
  }

  /** Uploads a blob (monolithic: POST then PUT); a blob already present is not sent again. */
  async pushBlob(repository: string, bytes: Buffer): Promise<string> {
    const digest = sha256Digest(bytes);
    if ((await this.blobSize(repository, digest)) !== undefined) return digest;
    const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, {
      scopes: [`repository:${repository}:pull,push`],
      idempotent: true,
      what: repository,
    });
    this.expectStatus(start, [202], 'POST', repository, 'blob upload');
    await this.finishUpload(repository, start, bytes, digest);
    return digest;
  }

  /**
   * Makes a blob of `from` present in `to`: nothing when it is there, a cross-repository
   * mount when the registry allows it, else a copy (GET from `from`, upload to `to`) verified
   * against `digest` and `size` (the descriptor's: never the size the source claims).
   */
  async ensureBlob(to: string, digest: string, from: string, size?: number): Promise<'present' | 'mounted' | 'copied'> {
    this.requireDigest(digest, `blob ${digest}`);
    if ((await this.blobSize(to, digest)) !== undefined) return 'present';
    if (to === from) throw new RegistryError(`Blob ${digest} is missing from ${this.registry}/${to}.`, 'not-found', 404);
    const query = new URLSearchParams({ mount: digest, from });
    const res = await this.request('POST', `/v2/${to}/blobs/uploads/?${query.toString()}`, {
      scopes: [`repository:${to}:pull,push`, `repository:${from}:pull`],
      idempotent: true,
      what: `${to} (mount from ${from})`,
    });
    if (res.status === 201) return 'mounted';
    this.expectStatus(res, [202], 'POST', to, `blob mount from ${from}`);
    // Mount refused: the registry opened an upload session instead; stream a copy into it
    // (never held in memory: layers can be gigabytes), verified while it flows.
    await this.finishUpload(to, res, () => this.openBlob(from, digest, size), digest);
    return 'copied';
  }

  /** GET a blob as a stream (for copying), verified by digest and size as it is read. */
  private async openBlob(
    repository: string,
    digest: string,
    expectedSize: number | undefined,
  ): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
    const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, {
      scopes: [`repository:${repository}:pull`],
      idempotent: true,
      keepStream: true,
      what: `${repository}@${digest}`,
    });
    if (res.status === 404) throw new RegistryError(`Blob ${digest} is missing from ${this.registry}/${repository}.`, 'not-found', 404);
    if (res.status !== 200 || !res.stream) this.fail(res, 'GET', repository, `@${digest}`);
    const header = res.headers.get('content-length');
    const claimed = header === null ? undefined : Number(header);
    const size = expectedSize ?? claimed;
    if (size === undefined || !Number.isSafeInteger(size) || size < 0) {
      await res.stream.cancel().catch(() => undefined);
      throw new RegistryError(`${this.registry} sent blob ${digest} of ${repository} without a usable size: cannot copy it.`, 'invalid');
    }
    if (claimed !== undefined && claimed !== size) {
      await res.stream.cancel().catch(() => undefined);
      throw new RegistryError(
        `${this.registry} announced ${displayText(header, 30)} bytes for blob ${digest} of ${repository}, but its descriptor says ${size}: not copied.`,
        'digest-mismatch',
      );
    }
    return { stream: verifyingStream(res.stream, digest, size, `Blob ${digest} from ${this.registry}/${repository}`), size };
  }

  private async finishUpload(repository: string, session: RawResponse, bytes: Buffer | BodySource, digest: string): Promise<void> {
    const location = session.headers.get('location');
    if (!location) throw new RegistryError(`${this.registry} opened a blob upload for ${repository} without a Location header.`, 'invalid');
    const { url } = checkUploadLocation(location, this.baseUrl, this.registry);
    url.searchParams.set('digest', digest);
    const res = await this.request('PUT', url.toString(), {
      headers: { 'Content-Type': 'application/octet-stream' },
      body: bytes,
      scopes: [`repository:${repository}:pull,push`],
      idempotent: false,
      what: `${repository}@${digest}`,
    });
    this.expectStatus(res, [201, 204], 'PUT', repository, `blob ${digest}`);
  }

  private requireDigest(digest: string, what: string): void {
    const check = checkDigest(digest);
    if (!check.ok) throw new RegistryError(`${displayText(what, 200)}: the digest ${check.why}.`, 'unsupported');
  }

  // ---------------------------------------------------------------- transport

  /** One registry request with auth (one retry on 401) and retries for transient failures. */
  private async request(method: string, pathOrUrl: string, options: RequestOptions): Promise<RawResponse> {
    const url = pathOrUrl.startsWith('/') ? `${this.baseUrl}${pathOrUrl}` : pathOrUrl;
    const target = new URL(url);
    // Credentials only for the registry's own origin: an upload Location elsewhere (a
    // pre-signed URL) carries its own authorization.
    const own = target.origin === this.origin;
    const peer = own ? this.registry : `the upload host ${target.host} (named by ${this.registry})`;
    const scopes = [...options.scopes];
    let authRetried = false;
    let sentAuthorization: string | undefined;
    for (;;) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      sentAuthorization = own ? await this.auth.authorization(scopes) : undefined;
      if (sentAuthorization) headers.Authorization = sentAuthorization;
      let body: Buffer | ReadableStream<Uint8Array> | undefined;
      if (typeof options.body === 'function') {
        const source = await options.body();
        body = source.stream;
        headers['Content-Length'] = String(source.size);
      } else body = options.body;
      const streamed = typeof options.body === 'function';
      let res: RawResponse;
      try {
        res = await this.transport.send(url, method, {
          headers,
          body,
          idempotent: options.idempotent && !streamed,
          what: options.what,
          peer,
          keepStream: options.keepStream,
          limit: options.limit,
        });
      } finally {
        if (streamed && body && !Buffer.isBuffer(body)) await body.cancel().catch(() => undefined);
      }
      if (res.status !== 401) return res;
      await res.stream?.cancel().catch(() => undefined);
      if (!own)
        throw new RegistryError(
          `401 from ${peer} for ${options.what}: Green Cloud sends ${this.registry}'s credentials to no other origin, and this upload location carries no authorization of its own.`,
          'unauthorized',
          401,
        );
      await this.auth.prepareRetry(res, scopes, options.what, sentAuthorization, authRetried);
      authRetried = true;
    }
  }

  private expectOk(res: RawResponse, method: string, repository: string, reference: string): void {
    if (res.status >= 200 && res.status < 300) return;
    this.fail(res, method, repository, refSuffix(reference));
  }

  private expectStatus(res: RawResponse, statuses: number[], method: string, repository: string, what: string): void {
    if (statuses.includes(res.status)) return;
    this.fail(res, method, repository, ` (${what})`);
  }

  private fail(res: RawResponse, method: string, repository: string, suffix: string): never {
    const codes = this.redact(registryErrorCodes(res.body.toString('utf8')));
    const detail = codes ? `: ${codes}` : '';
    const where = `${this.registry}/${repository}${suffix}`;
    const from = res.peer;
    if (res.status === 403)
      throw new RegistryError(
        `403 from ${from}: access to ${where} denied for ${method}${detail}. Check that your account may push to repository ${repository}.`,
        'denied',
        403,
      );
    if (res.status === 404) throw new RegistryError(`404 from ${from}: ${where} not found${detail}.`, 'not-found', 404);
    if (res.status >= 500 || res.status === 429)
      throw new RegistryError(
        `${res.status} from ${from} for ${method} ${where}${detail} (after retries). Try again later.`,
        'server',
        res.status,
      );
    throw new RegistryError(`${res.status} from ${from} for ${method} ${where}${detail}.`, 'invalid', res.status);
  }
}

function refSuffix(reference: string): string {
  return reference.includes(':') ? `@${reference}` : `:${reference}`;
}

/** The media type of a Content-Type header: `application/json; charset=utf-8` → `application/json`. */
function mediaTypeOf(contentType: string | null): string {
  const [type = ''] = (contentType ?? '').split(';');
  return type.trim();
}

function manifestMediaType(contentType: string | null, bytes: Buffer): string {
  const ct = mediaTypeOf(contentType);
  try {
    const m = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown; manifests?: unknown; schemaVersion?: unknown } | null;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return ct;
    if (typeof m.mediaType === 'string' && m.mediaType) return m.mediaType;
    if (ct && ct !== 'application/json' && ct !== 'text/plain') return ct;
    return Array.isArray(m.manifests) ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json';
  } catch {
    return ct;
  }
}
