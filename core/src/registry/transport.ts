/**
 * One HTTP exchange with a registry or its token server, over Node's fetch: every wait ends
 * (a per-attempt timeout; a streamed upload must keep a minimum rate), idempotent requests are
 * retried with exponential backoff (and `Retry-After`) on 429, 5xx, timeouts and connection
 * resets, and every answer is read within a bound. Authentication is not done here (auth.ts);
 * the registry API is client.ts.
 */
import { describeNetworkCause, RegistryError, type NetworkCause } from './errors';
import { meterUpload, readBounded } from './streams';
import { displayText } from './sanitize';

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

/** The transport's knobs (a subset of RegistryClientOptions). */
export interface TransportOptions {
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly retryBaseMs?: number;
  readonly signal?: AbortSignal;
  /** The HTTP exchange (default: Node's fetch); unit tests pass a fake to drive retries, timeouts and auth. */
  readonly fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export interface BodyLimit {
  readonly bytes: number;
  /** How the limit is named in the error (`MAX_MANIFEST_BYTES`). */
  readonly name: string;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** With `keepStream`: the unread body. */
  readonly stream?: ReadableStream<Uint8Array> | null;
  /** Who answered, for messages: the registry, or `the upload host … (named by …)`. */
  readonly peer: string;
}

export interface SendOptions {
  readonly headers: Record<string, string>;
  readonly body?: Buffer | ReadableStream<Uint8Array>;
  readonly idempotent: boolean;
  readonly what: string;
  readonly peer: string;
  readonly keepStream?: boolean;
  readonly limit?: BodyLimit;
}

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

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
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

/** Sends requests for one registry and counts them. */
export class Transport {
  /** HTTP requests made so far (registry and token server). */
  requestCount = 0;

  constructor(
    private readonly registry: string,
    private readonly options: TransportOptions,
    private readonly log: (line: string) => void,
    private readonly redact: (text: string) => string,
  ) {}

  /**
   * A single HTTP exchange, retried (idempotent only) on 429/5xx/timeouts/resets. The timeout
   * covers each attempt whole (headers and body), except: a kept response stream (its reader
   * sets the pace), and a streamed request body, which must move MIN_TRANSFER_BYTES_PER_SECOND
   * over every timeout window and then gets the timeout for the answer.
   */
  async send(url: string, method: string, options: SendOptions): Promise<RawResponse> {
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
        const r = await (this.options.fetch ?? fetch)(url, init);
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
            undefined,
            undefined,
            { host: shown.host, cause: 'timeout' },
          );
        throw this.unreachable(error, code, peer, shown.host, what);
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

  /**
   * "Cannot reach 127.0.0.1:5000 for team/web:1: connection refused (ECONNREFUSED). Nothing
   * listens there: …": the peer once, the cause in words with its code, the next step. The API
   * host is named only where it is not the peer and matters (a name that did not resolve:
   * `registry-1.docker.io` for docker.io).
   */
  private unreachable(error: unknown, anyCode: string | undefined, peer: string, host: string, what: string): RegistryError {
    const code = anyCode !== undefined && /^[A-Z][A-Z0-9_]{0,63}$/.test(anyCode) ? anyCode : undefined; // a system code, nothing else
    const cause = networkCause(code);
    const plainHttp = code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER';
    const hint =
      cause === 'refused'
        ? 'Nothing listens there: start the registry or fix the address.'
        : plainHttp
          ? 'It may speak plain HTTP.'
          : cause === 'tls'
            ? 'Check its certificate, or that it speaks HTTPS.'
            : cause === 'dns'
              ? 'Check the network connection and the registry name.'
              : 'Check the network and the registry address.';
    const reason = (error as { cause?: { message?: unknown } }).cause?.message;
    const details: string[] = [];
    if (cause === 'dns' && peer === this.registry && host !== this.registry) details.push(host);
    if (code) details.push(code);
    else if (typeof reason === 'string' && reason) details.push(displayText(this.redact(reason), 200));
    const words = describeNetworkCause(cause);
    return new RegistryError(
      `Cannot reach ${peer} for ${what}: ${words}${details.length > 0 ? ` (${details.join(', ')})` : ''}. ${hint}`,
      'network',
      undefined,
      plainHttp ? { kind: 'insecure-host', registry: this.registry } : undefined,
      { host, cause, ...(code ? { code } : {}) },
    );
  }

  private tooLarge(peer: string, what: string, limit: BodyLimit, how: string): RegistryError {
    return new RegistryError(
      `${capitalize(peer)} ${how} for ${what}: more than ${formatBytes(limit.bytes)} (${limit.name}). Refused without reading further.`,
      'too-large',
    );
  }
}

const TLS_CODE = /^(EPROTO|ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$)/;

/** A system or undici error code in the categories front ends phrase. */
export function networkCause(code: string | undefined): NetworkCause {
  if (code === undefined) return 'other';
  if (code === 'ENOTFOUND' || code.startsWith('EAI_')) return 'dns';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT' || (code.startsWith('UND_ERR_') && code.endsWith('_TIMEOUT'))) return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED')
    return 'reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENETDOWN' || code === 'EHOSTDOWN') return 'unreachable';
  if (TLS_CODE.test(code)) return 'tls';
  return 'other';
}

/** "The token server …" at the start of a sentence; a host name stays as written (`reg.example`). */
function capitalize(text: string): string {
  return text.startsWith('the ') ? `T${text.slice(1)}` : text;
}

/** `Retry-After` in seconds or as an HTTP date, capped at 10 s; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const ms = /^[0-9]+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), 10_000);
}
