/**
 * A client for the OCI distribution API (the Docker Registry HTTP API v2) over Node's fetch.
 *
 * - Manifests are kept as the exact bytes the registry returned or we sent: a manifest's
 *   digest is the sha256 of those bytes, verified against the requested digest and against
 *   `Docker-Content-Digest`.
 * - Authentication: anonymous, Basic, and the Bearer token flow (challenge parsed from
 *   `WWW-Authenticate`, tokens requested for the scopes a request needs and cached by scope
 *   until shortly before expiry; a 401 on a request refreshes the token and retries once).
 * - Plain HTTP for loopback hosts and `insecureHosts`; HTTPS otherwise.
 * - Timeouts per request; retries with exponential backoff (and `Retry-After`) on 429, 5xx,
 *   timeouts and connection resets, for idempotent requests only.
 * - Secrets (passwords, tokens, Authorization headers) never appear in logs or errors.
 */
import { createHash } from 'node:crypto';
import { parseWwwAuthenticate, splitScopes, type AuthChallenge } from './wwwAuthenticate';
import { resolveCredentials, secretsOf, type CredentialOptions, type Credentials } from './credentials';
import { RegistryError, redact, registryErrorCodes } from './errors';
import { MANIFEST_ACCEPT } from './mediaTypes';

export interface RegistryClientOptions {
  /** Hosts (`host:port`) reached over plain HTTP besides loopback (`greenCloud.registry.insecureHosts`). */
  readonly insecureHosts?: readonly string[];
  /** Where credentials come from (default: Docker's config.json and credential helpers). */
  readonly credentials?: (registry: string) => Promise<Credentials | undefined>;
  readonly credentialOptions?: CredentialOptions;
  /** Per-request timeout in milliseconds (default 30 s). */
  readonly timeoutMs?: number;
  /** Retries of an idempotent request after a transient failure (default 3). */
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
}

interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** With `keepStream`: the unread body. */
  readonly stream?: ReadableStream<Uint8Array> | null;
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
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
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
  private readonly options: RegistryClientOptions;
  private credentialsPromise?: Promise<Credentials | undefined>;
  private scheme?: { kind: 'basic' } | { kind: 'bearer'; realm: string; service?: string };
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly secrets = new Set<string>();

  constructor(registry: string, options: RegistryClientOptions = {}) {
    this.registry = registry;
    this.options = options;
    this.baseUrl = `${isInsecureRegistry(registry, options.insecureHosts) ? 'http' : 'https'}://${registry === 'docker.io' ? 'registry-1.docker.io' : registry}`;
  }

  // ---------------------------------------------------------------- manifests

  /** GET a manifest by tag or digest, keeping its exact bytes. */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, {
      headers: { Accept: MANIFEST_ACCEPT },
      scopes: [`repository:${repository}:pull`],
      idempotent: true,
      what: `${repository}:${reference}`,
    });
    if (res.status === 404)
      throw new RegistryError(
        `${this.registry}/${repository}${refSuffix(reference)} does not exist (404 from ${this.registry}). Check the name and tag, or push it first.`,
        'not-found',
        404,
      );
    this.expectOk(res, 'GET', repository, reference);
    const digest = sha256Digest(res.body);
    if (reference.includes(':') && reference !== digest) {
      throw new RegistryError(
        `The manifest ${repository}@${reference} from ${this.registry} has digest ${digest}: the registry returned different bytes than requested.`,
        'digest-mismatch',
      );
    }
    const header = res.headers.get('docker-content-digest');
    if (header && header.startsWith('sha256:') && header !== digest) {
      throw new RegistryError(
        `The manifest ${repository}${refSuffix(reference)} from ${this.registry} hashes to ${digest} but the registry says ${header}.`,
        'digest-mismatch',
      );
    }
    return { bytes: res.body, digest, size: res.body.length, mediaType: manifestMediaType(res.headers.get('content-type'), res.body) };
  }

  /** HEAD a manifest: its descriptor, or undefined when it does not exist. */
  async headManifest(repository: string, reference: string): Promise<ManifestDescriptor | undefined> {
    const res = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, {
      headers: { Accept: MANIFEST_ACCEPT },
      scopes: [`repository:${repository}:pull`],
      idempotent: true,
      what: `${repository}:${reference}`,
    });
    if (res.status === 404) return undefined;
    this.expectOk(res, 'HEAD', repository, reference);
    const digest = res.headers.get('docker-content-digest');
    const size = Number(res.headers.get('content-length') ?? NaN);
    if (!digest || !Number.isFinite(size)) {
      // Registries that omit the headers on HEAD: fall back to GET.
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
      what: `${repository}:${reference}`,
    });
    this.expectOk(res, 'PUT', repository, reference);
    const header = res.headers.get('docker-content-digest');
    if (header && header.startsWith('sha256:') && header !== digest) {
      throw new RegistryError(
        `${this.registry} stored the manifest for ${repository}${refSuffix(reference)} as ${header}, not ${digest}.`,
        'digest-mismatch',
      );
    }
    return digest;
  }

  // ---------------------------------------------------------------- blobs

  /** The blob's size when it exists in the repository, else undefined. */
  async blobSize(repository: string, digest: string): Promise<number | undefined> {
    const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, {
      scopes: [`repository:${repository}:pull`],
      idempotent: true,
      what: `${repository}@${digest}`,
    });
    if (res.status === 404) return undefined;
    this.expectOk(res, 'HEAD', repository, digest);
    return Number(res.headers.get('content-length') ?? 0);
  }

  /** GET a blob (verified against its digest). */
  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, {
      scopes: [`repository:${repository}:pull`],
      idempotent: true,
      what: `${repository}@${digest}`,
    });
    if (res.status === 404) throw new RegistryError(`Blob ${digest} is missing from ${this.registry}/${repository}.`, 'not-found', 404);
    this.expectOk(res, 'GET', repository, digest);
    if (digest.startsWith('sha256:') && sha256Digest(res.body) !== digest) {
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
   * mount when the registry allows it, else a copy (GET from `from`, upload to `to`).
   */
  async ensureBlob(to: string, digest: string, from: string): Promise<'present' | 'mounted' | 'copied'> {
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
    // (never held in memory: layers can be gigabytes). The registry checks the digest.
    await this.finishUpload(to, res, () => this.openBlob(from, digest), digest);
    return 'copied';
  }

  /** GET a blob as a stream (for copying). */
  private async openBlob(repository: string, digest: string): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
    const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, {
      scopes: [`repository:${repository}:pull`],
      idempotent: true,
      keepStream: true,
      what: `${repository}@${digest}`,
    });
    if (res.status === 404) {
      await res.stream?.cancel();
      throw new RegistryError(`Blob ${digest} is missing from ${this.registry}/${repository}.`, 'not-found', 404);
    }
    const size = Number(res.headers.get('content-length') ?? NaN);
    if (res.status !== 200 || !res.stream || !Number.isFinite(size)) {
      await res.stream?.cancel();
      this.fail({ ...res, body: Buffer.alloc(0) }, 'GET', repository, `@${digest}`);
    }
    return { stream: res.stream, size };
  }

  private async finishUpload(repository: string, session: RawResponse, bytes: Buffer | BodySource, digest: string): Promise<void> {
    const location = session.headers.get('location');
    if (!location) throw new RegistryError(`${this.registry} opened a blob upload for ${repository} without a Location header.`, 'invalid');
    const url = new URL(location, this.baseUrl);
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
    this.options.log?.(this.redact(line));
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
    const credentials = await this.credentials();
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError(`${this.registry} named an invalid token server '${realm}'.`, 'invalid');
    }
    let init: { method: string; headers: Record<string, string>; body?: string };
    if (credentials?.kind === 'identityToken') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.token, client_id: 'green-cloud' });
      if (service) form.set('service', service);
      if (scopes.length) form.set('scope', scopes.join(' '));
      init = { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() };
    } else {
      if (service) url.searchParams.set('service', service);
      for (const s of scopes) url.searchParams.append('scope', s);
      const headers: Record<string, string> = {};
      if (credentials?.kind === 'basic') {
        url.searchParams.set('account', credentials.username);
        headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
      }
      init = { method: 'GET', headers };
    }
    const res = await this.send(
      url.toString(),
      init.method,
      init.headers,
      init.body === undefined ? undefined : Buffer.from(init.body),
      true,
      `token for ${scopes.join(' ')}`,
    );
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError(
        `The token server of ${this.registry} refused ${credentials ? 'the stored credentials' : 'anonymous access'} (${res.status}) for ${scopes.join(' ') || 'the registry'}: run \`docker login ${this.registry}\`.`,
        'unauthorized',
        res.status,
      );
    }
    if (res.status < 200 || res.status >= 300)
      throw new RegistryError(`The token server of ${this.registry} answered ${res.status} for ${scopes.join(' ')}.`, 'server', res.status);
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(res.body.toString('utf8')) as typeof parsed;
    } catch {
      throw new RegistryError(`The token server of ${this.registry} did not answer JSON.`, 'invalid');
    }
    const token =
      typeof parsed.token === 'string' && parsed.token ? parsed.token : typeof parsed.access_token === 'string' ? parsed.access_token : '';
    if (!token) throw new RegistryError(`The token server of ${this.registry} answered without a token.`, 'invalid');
    this.secrets.add(token);
    const expiresIn = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 60;
    // Renew a little before expiry (10 % early, at least 5 s) so a token never dies in flight.
    return { token, expiresAt: Date.now() + Math.max(0, expiresIn * 1000 - Math.max(5000, expiresIn * 100)) };
  }

  /** One registry request with auth (one retry on 401) and retries for transient failures. */
  private async request(method: string, pathOrUrl: string, options: RequestOptions): Promise<RawResponse> {
    const url = pathOrUrl.startsWith('/') ? `${this.baseUrl}${pathOrUrl}` : pathOrUrl;
    const scopes = [...options.scopes];
    let authRetried = false;
    let sentAuthorization: string | undefined;
    for (;;) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      sentAuthorization = await this.authorization(scopes);
      if (sentAuthorization) headers.Authorization = sentAuthorization;
      let body: Buffer | ReadableStream<Uint8Array> | undefined;
      let timeoutMs = this.options.timeoutMs ?? 30_000;
      if (typeof options.body === 'function') {
        const source = await options.body();
        body = source.stream;
        headers['Content-Length'] = String(source.size);
        // A streamed upload may take long: allow at least 100 KiB/s on top of the timeout.
        timeoutMs += Math.ceil(source.size / 100);
      } else body = options.body;
      const streamed = typeof options.body === 'function';
      const res = await this.send(url, method, headers, body, options.idempotent && !streamed, options.what, {
        keepStream: options.keepStream,
        timeoutMs,
      });
      if (streamed && body && !Buffer.isBuffer(body)) await body.cancel().catch(() => undefined);
      if (res.status !== 401) return res;
      await res.stream?.cancel();
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

  /** A single HTTP exchange, retried (idempotent only) on 429/5xx/timeouts/resets. */
  private async send(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | ReadableStream<Uint8Array> | undefined,
    idempotent: boolean,
    what: string,
    extra: { keepStream?: boolean; timeoutMs?: number } = {},
  ): Promise<RawResponse> {
    const streamedBody = body !== undefined && !Buffer.isBuffer(body);
    const retries = idempotent && !streamedBody ? (this.options.retries ?? 3) : 0;
    const base = this.options.retryBaseMs ?? 200;
    const timeoutMs = extra.timeoutMs ?? this.options.timeoutMs ?? 30_000;
    const shown = new URL(url);
    shown.username = '';
    shown.password = '';
    for (let attempt = 0; ; attempt++) {
      if (this.options.signal?.aborted) throw new RegistryError('Cancelled.', 'cancelled');
      // The timeout covers the whole exchange, except for a kept response stream: there it ends
      // with the headers (the reader of the stream has its own pace).
      const timer = new AbortController();
      const timeout = setTimeout(() => {
        const error = new Error(`timeout after ${timeoutMs} ms`);
        error.name = 'TimeoutError';
        timer.abort(error);
      }, timeoutMs);
      const signals = [timer.signal];
      if (this.options.signal) signals.push(this.options.signal);
      this.requestCount++;
      let res: RawResponse;
      try {
        const init: RequestInit & { duplex?: 'half' } = {
          method,
          headers: { 'User-Agent': 'green-cloud', ...headers },
          body,
          signal: AbortSignal.any(signals),
          redirect: 'follow',
        };
        if (streamedBody) init.duplex = 'half';
        const r = await fetch(url, init);
        if (extra.keepStream && r.status === 200) {
          clearTimeout(timeout);
          res = { status: r.status, headers: r.headers, body: Buffer.alloc(0), stream: r.body };
        } else {
          res = { status: r.status, headers: r.headers, body: method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(await r.arrayBuffer()) };
          clearTimeout(timeout);
        }
      } catch (error) {
        clearTimeout(timeout);
        if (this.options.signal?.aborted) throw new RegistryError('Cancelled.', 'cancelled');
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
        if (timedOut)
          throw new RegistryError(
            `${this.registry} did not answer within ${timeoutMs} ms (${method} for ${what}). Check that the registry is up, or raise the timeout.`,
            'timeout',
          );
        const hint =
          code === 'ECONNREFUSED'
            ? 'Nothing listens there: start the registry or fix the address.'
            : code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER'
              ? `If it speaks plain HTTP, add ${this.registry} to greenCloud.registry.insecureHosts (CLI: --insecure-host ${this.registry}).`
              : 'Check the network and the registry address.';
        const cause = (error as { cause?: { message?: unknown } }).cause?.message;
        const why = code ?? (typeof cause === 'string' && cause ? this.redact(cause) : 'network error');
        throw new RegistryError(`Cannot reach ${this.registry} at ${shown.origin} (${why}) for ${what}. ${hint}`, 'network');
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
    if (res.status === 403)
      throw new RegistryError(
        `403 from ${this.registry}: access to ${where} denied for ${method}${detail}. Check that your account may push to repository ${repository}.`,
        'denied',
        403,
      );
    if (res.status === 404) throw new RegistryError(`404 from ${this.registry}: ${where} not found${detail}.`, 'not-found', 404);
    if (res.status >= 500 || res.status === 429)
      throw new RegistryError(
        `${res.status} from ${this.registry} for ${method} ${where}${detail} (after retries). Try again later.`,
        'server',
        res.status,
      );
    throw new RegistryError(`${res.status} from ${this.registry} for ${method} ${where}${detail}.`, 'invalid', res.status);
  }
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
  try {
    const m = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown; manifests?: unknown; schemaVersion?: unknown };
    if (typeof m.mediaType === 'string' && m.mediaType) return m.mediaType;
    const ct = (contentType ?? '').split(';')[0].trim();
    if (ct && ct !== 'application/json' && ct !== 'text/plain') return ct;
    return Array.isArray(m.manifests) ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json';
  } catch {
    return (contentType ?? '').split(';')[0].trim();
  }
}
