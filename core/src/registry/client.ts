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
import { checkTokenRealm, checkUploadLocation } from './authPolicy';
import { resolveCredentials, secretsOf, type CredentialOptions, type Credentials } from './credentials';
import { checkDigest, digestOf, matchesDigest } from './digest';
import { RegistryError, redact, registryErrorCodes } from './errors';
import { meterUpload, readBounded, verifyingStream } from './streams';
import { readTokenAnswer, tokenRequest } from './tokenAuth';
import { MANIFEST_ACCEPT } from './mediaTypes';
import { displayText } from './sanitize';
import { parseWwwAuthenticate, splitScopes, type AuthChallenge } from './wwwAuthenticate';

/** The largest manifest or index read (the OCI distribution spec suggests registries accept at least 4 MiB). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** The largest image config read (to learn an image's platform). */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** The largest token-server answer read. */
export const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
/** At most this much of an error answer is read (for its error codes); the rest is dropped. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Per-attempt timeout of a request (`timeoutMs`, CLI `--timeout`). */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Retries of an idempotent request after a transient failure (`retries`). */
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_BASE_MS = 200;
/** A streamed blob copy slower than this over a whole timeout window is stopped. */
export const MIN_TRANSFER_BYTES_PER_SECOND = 16 * 1024;

/** How long a request to a registry that accepts connections but never answers takes to fail, with the defaults (≈30.6 s). */
export function unansweredRequestMs(
  timeoutMs = DEFAULT_TIMEOUT_MS,
  retries = DEFAULT_RETRIES,
  retryBaseMs = DEFAULT_RETRY_BASE_MS,
): number {
  let total = timeoutMs * (retries + 1);
  for (let attempt = 0; attempt < retries; attempt++) total += retryBaseMs * 2 ** attempt;
  return total;
}

export interface RegistryClientOptions {
  /** Hosts (`host:port`) reached over plain HTTP besides loopback (`greenCloud.registry.insecureHosts`). */
  readonly insecureHosts?: readonly string[];
  /** Where credentials come from (default: Docker's config.json and credential helpers). */
  readonly credentials?: (registry: string) => Promise<Credentials | undefined>;
  readonly credentialOptions?: CredentialOptions;
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

interface BodyLimit {
  readonly bytes: number;
  /** How the limit is named in the error (`MAX_MANIFEST_BYTES`). */
  readonly name: string;
}

interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** With `keepStream`: the unread body. */
  readonly stream?: ReadableStream<Uint8Array> | null;
  /** Who answered, for messages: the registry, or `the upload host … (named by …)`. */
  readonly peer: string;
}

interface SendOptions {
  readonly headers: Record<string, string>;
  readonly body?: Buffer | ReadableStream<Uint8Array>;
  readonly idempotent: boolean;
  readonly what: string;
  readonly peer: string;
  readonly keepStream?: boolean;
  readonly limit?: BodyLimit;
}

const LOOPBACK = /^(localhost|127(?:\.[0-9]{1,3}){3}|\[::1\]|::1)(?::[0-9]+)?$/i;
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'UND_ERR_SOCKET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
]);

export function sha256Digest(bytes: Uint8Array): string {
  return digestOf(bytes, 'sha256');
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
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

/** Merges scopes on the same resource: `repository:a:pull` + `repository:a:push` → `repository:a:pull,push`. */
export function mergeScopes(scopes: Iterable<string>): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes) {
    const last = scope.lastIndexOf(':');
    if (last < 0) continue;
    const resource = scope.slice(0, last);
    const actions = byResource.get(resource) ?? new Set<string>();
    for (const a of scope.slice(last + 1).split(',')) if (a) actions.add(a);
    byResource.set(resource, actions);
  }
  return [...byResource.entries()].map(([r, a]) => `${r}:${[...a].sort().join(',')}`).sort();
}

function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new RegistryError('Cancelled.', 'cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RegistryError('Cancelled.', 'cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class RegistryClient {
  readonly registry: string;
  readonly baseUrl: string;
  /** HTTP requests made so far (registry and token server). */
  requestCount = 0;
  private readonly origin: string;
  private readonly options: RegistryClientOptions;
  private credentialsPromise?: Promise<Credentials | undefined>;
  private scheme?: { kind: 'basic' } | { kind: 'bearer'; realm: string; service?: string };
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly secrets = new Set<string>();

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
    return { digest, size, mediaType: (res.headers.get('content-type') ?? '').split(';')[0].trim() };
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

  private async credentials(): Promise<Credentials | undefined> {
    this.credentialsPromise ??= (this.options.credentials ?? ((r: string) => resolveCredentials(r, this.options.credentialOptions)))(
      this.registry,
    ).then((c) => {
      for (const s of secretsOf(c)) this.secrets.add(s);
      return c;
    });
    return this.credentialsPromise;
  }

  /** Text with every secret this client has seen replaced by `***`. */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  private log(line: string): void {
    this.options.log?.(displayText(this.redact(line), 2000));
  }

  private async authorization(scopes: readonly string[]): Promise<string | undefined> {
    if (!this.scheme) return undefined;
    if (this.scheme.kind === 'basic') {
      const c = await this.credentials();
      if (c?.kind === 'basic') return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
      return undefined;
    }
    const key = mergeScopes(scopes).join(' ');
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
    const token = await this.fetchToken(this.scheme.realm, this.scheme.service, mergeScopes(scopes));
    this.tokens.set(key, token);
    return `Bearer ${token.token}`;
  }

  /** Learns the scheme from a 401 challenge; false when no supported challenge was offered. */
  private learnChallenge(challenges: AuthChallenge[], scopes: string[]): boolean {
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) {
      // Checked before any credential is looked up or sent (authPolicy.ts).
      checkTokenRealm(bearer.params.realm, this.baseUrl, this.registry);
      this.scheme = { kind: 'bearer', realm: bearer.params.realm, service: bearer.params.service };
      for (const s of splitScopes(bearer.params.scope)) scopes.push(s);
      return true;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      this.scheme = { kind: 'basic' };
      return true;
    }
    return false;
  }

  private async fetchToken(
    realm: string,
    service: string | undefined,
    scopes: readonly string[],
  ): Promise<{ token: string; expiresAt: number }> {
    const url = checkTokenRealm(realm, this.baseUrl, this.registry);
    const credentials = await this.credentials();
    const peer = `the token server ${url.host} (realm of ${this.registry})`;
    const request = tokenRequest(url, service, scopes, credentials);
    const res = await this.send(request.url, request.method, {
      headers: request.headers,
      body: request.body,
      idempotent: true,
      what: `a token for ${scopes.join(' ')}`,
      peer,
      limit: { bytes: MAX_TOKEN_RESPONSE_BYTES, name: 'MAX_TOKEN_RESPONSE_BYTES' },
    });
    const answer = readTokenAnswer(res.status, res.body, {
      peer,
      registry: this.registry,
      scopes,
      withCredentials: credentials !== undefined,
      redact: (t) => this.redact(t),
    });
    this.secrets.add(answer.token);
    return answer;
  }

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
      sentAuthorization = own ? await this.authorization(scopes) : undefined;
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
        res = await this.send(url, method, {
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
      const challenges = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
      const wasBearer = this.scheme?.kind === 'bearer';
      if (authRetried || !this.learnChallenge(challenges, scopes)) {
        const credentials = await this.credentials();
        const advice = credentials
          ? `the stored credentials were refused: run \`docker login ${this.registry}\` again`
          : `run \`docker login ${this.registry}\``;
        throw new RegistryError(`401 from ${this.registry} for repository ${options.what}: ${advice}.`, 'unauthorized', 401);
      }
      if (this.scheme?.kind === 'basic' && !(await this.credentials())) {
        throw new RegistryError(
          `401 from ${this.registry} for repository ${options.what}: the registry needs a login; run \`docker login ${this.registry}\`.`,
          'unauthorized',
          401,
        );
      }
      if (wasBearer || this.scheme?.kind === 'bearer') this.tokens.delete(mergeScopes(scopes).join(' '));
      if (sentAuthorization?.startsWith('Bearer ')) {
        // The token was rejected mid-way (expired or revoked): drop every cached token that carries it.
        const rejected = sentAuthorization.slice('Bearer '.length);
        for (const [k, v] of this.tokens) if (v.token === rejected) this.tokens.delete(k);
      }
      authRetried = true;
    }
  }

  /**
   * A single HTTP exchange, retried (idempotent only) on 429/5xx/timeouts/resets. The timeout
   * covers each attempt whole (headers and body), except: a kept response stream (its reader
   * sets the pace), and a streamed request body, which must move MIN_TRANSFER_BYTES_PER_SECOND
   * over every timeout window and then gets the timeout for the answer.
   */
  private async send(url: string, method: string, options: SendOptions): Promise<RawResponse> {
    const { body, peer, what } = options;
    const streamedBody = body !== undefined && !Buffer.isBuffer(body);
    const retries = options.idempotent && !streamedBody ? (this.options.retries ?? DEFAULT_RETRIES) : 0;
    const base = this.options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const shown = new URL(url);
    shown.username = '';
    shown.password = '';
    shown.search = '';
    for (let attempt = 0; ; attempt++) {
      if (this.options.signal?.aborted) throw new RegistryError('Cancelled.', 'cancelled');
      const timer = new AbortController();
      let timeout: ReturnType<typeof setTimeout> | undefined;
      const armTimeout = () => {
        clearTimeout(timeout);
        timeout = setTimeout(() => {
          const error = new Error(`timeout after ${timeoutMs} ms`);
          error.name = 'TimeoutError';
          timer.abort(error);
        }, timeoutMs);
      };
      let requestBody = body;
      let stopMeter = (): void => undefined;
      if (body !== undefined && !Buffer.isBuffer(body)) {
        const minBytes = Math.ceil((MIN_TRANSFER_BYTES_PER_SECOND * timeoutMs) / 1000);
        const metered = meterUpload(body, {
          windowMs: timeoutMs,
          minBytes,
          onStall: (n) =>
            timer.abort(
              new RegistryError(
                `The copy of ${what} into ${peer} stalled: ${n} bytes in ${timeoutMs} ms, below the minimum of ${formatBytes(MIN_TRANSFER_BYTES_PER_SECOND)}/s. Check the network, or raise the timeout.`,
                'timeout',
              ),
            ),
          onEnd: armTimeout,
          onError: (e) =>
            timer.abort(e instanceof RegistryError ? e : new RegistryError(`The copy of ${what} failed while reading it.`, 'network')),
        });
        requestBody = metered.stream;
        stopMeter = metered.stop;
      } else armTimeout();
      const signals = [timer.signal];
      if (this.options.signal) signals.push(this.options.signal);
      this.requestCount++;
      let res: RawResponse;
      try {
        const init: RequestInit & { duplex?: 'half' } = {
          method,
          headers: { 'User-Agent': 'green-cloud', ...options.headers },
          body: requestBody,
          signal: AbortSignal.any(signals),
          redirect: 'follow',
        };
        if (streamedBody) init.duplex = 'half';
        const r = await fetch(url, init);
        const ok = r.status >= 200 && r.status < 300;
        if (options.keepStream && r.status === 200) {
          clearTimeout(timeout);
          res = { status: r.status, headers: r.headers, body: Buffer.alloc(0), stream: r.body, peer };
        } else if (method === 'HEAD') {
          await r.body?.cancel().catch(() => undefined);
          res = { status: r.status, headers: r.headers, body: Buffer.alloc(0), peer };
        } else {
          const limit = ok && options.limit ? options.limit : undefined;
          const claimed = Number(r.headers.get('content-length') ?? NaN);
          if (limit && Number.isFinite(claimed) && claimed > limit.bytes) {
            await r.body?.cancel().catch(() => undefined);
            throw this.tooLarge(peer, what, limit, `announced ${claimed} bytes`);
          }
          const read = await readBounded(r.body, limit?.bytes ?? MAX_ERROR_BODY_BYTES);
          if (limit && read.truncated) throw this.tooLarge(peer, what, limit, 'sent more');
          res = { status: r.status, headers: r.headers, body: read.bytes, peer };
        }
        clearTimeout(timeout);
        stopMeter();
      } catch (error) {
        clearTimeout(timeout);
        stopMeter();
        if (error instanceof RegistryError) throw error;
        if (this.options.signal?.aborted) throw new RegistryError('Cancelled.', 'cancelled');
        if (timer.signal.reason instanceof RegistryError) throw timer.signal.reason;
        const code = errorCode(error);
        const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
        const transient = timedOut || (code !== undefined && TRANSIENT_CODES.has(code));
        this.log(
          `${method} ${shown.toString()} failed: ${timedOut ? `timeout after ${timeoutMs} ms` : (code ?? 'network error')}${transient && attempt < retries ? ' (retrying)' : ''}`,
        );
        if (transient && attempt < retries) {
          await delay(base * 2 ** attempt, this.options.signal);
          continue;
        }
        const attempts = attempt + 1;
        if (timedOut)
          throw new RegistryError(
            `${capitalize(peer)} did not answer within ${timeoutMs} ms (${method} for ${what})${attempts > 1 ? ` after ${attempts} attempts` : ''}. Check that it is up, or raise the timeout.`,
            'timeout',
          );
        const hint =
          code === 'ECONNREFUSED'
            ? 'Nothing listens there: start the registry or fix the address.'
            : code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER'
              ? `If it speaks plain HTTP, add ${this.registry} to greenCloud.registry.insecureHosts (CLI: --insecure-host ${this.registry}).`
              : 'Check the network and the registry address.';
        const cause = (error as { cause?: { message?: unknown } }).cause?.message;
        const why = code ?? (typeof cause === 'string' && cause ? displayText(this.redact(cause), 200) : 'network error');
        throw new RegistryError(`Cannot reach ${peer} at ${shown.origin} (${why}) for ${what}. ${hint}`, 'network');
      }
      this.log(`${method} ${shown.toString()} → ${res.status}`);
      if ((res.status === 429 || res.status >= 500) && attempt < retries) {
        const wait = retryAfterMs(res.headers.get('retry-after')) ?? base * 2 ** attempt;
        await delay(wait, this.options.signal);
        continue;
      }
      return res;
    }
  }

  private tooLarge(peer: string, what: string, limit: BodyLimit, how: string): RegistryError {
    return new RegistryError(
      `${capitalize(peer)} ${how} for ${what}: more than ${formatBytes(limit.bytes)} (${limit.name}). Refused without reading further.`,
      'too-large',
    );
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

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `Retry-After` in seconds or as an HTTP date, capped at 10 s; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const ms = /^[0-9]+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), 10_000);
}

function refSuffix(reference: string): string {
  return reference.includes(':') ? `@${reference}` : `:${reference}`;
}

function manifestMediaType(contentType: string | null, bytes: Buffer): string {
  const ct = (contentType ?? '').split(';')[0].trim();
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
