/**
 * The lookup service: which platforms does an image reference really have? Built on core's
 * hardened registry client (anonymous tokens, `docker login` credentials, plain HTTP only to
 * loopback and insecureHosts, bounded answers, 429 `Retry-After`).
 *
 * A good citizen: a tag is resolved with HEAD (Docker Hub does not count HEAD against its pull
 * limit), manifests are then fetched by digest and cached for ever; tag→digest answers are
 * cached for `tagTtlMs`; identical lookups in flight share one request; at most `concurrency`
 * requests run at once; every request has a short timeout; a failed lookup is remembered for a
 * short while so that typing does not hammer a registry that is down.
 */
import { formatImageReference, parseImageReference, type ImageReference } from '../../../core/src/imageRef';
import { RegistryClient, type RegistryClientOptions } from '../../../core/src/registry/client';
import { readDockerConfig, serverAddress, type CredentialOptions } from '../../../core/src/registry/credentials';
import { RegistryError } from '../../../core/src/registry/errors';
import { isImageManifestMediaType, isIndexMediaType } from '../../../core/src/registry/mediaTypes';
import { isAttestation } from '../../../core/src/registry/platformEntries';
import { displayText } from '../../../core/src/registry/sanitize';
import { parseImageConfig, parseManifestDocument, type RawPlatform } from '../../../core/src/registry/schema';
import { TAG_CACHE_MINUTES } from '../../../core/src/settings';
import { LookupCache, type ManifestSummary, type StoredPlatform } from './cache';
import type { LookupFailure, LookupOptions, LookupPlatform, LookupResult, LookupStatus } from './types';

/** Default freshness of a tag→digest answer (the tag-cache minutes of the settings schema: 60). */
export const DEFAULT_TAG_TTL_MS = TAG_CACHE_MINUTES.default * 60_000;
/** Per-attempt timeout of a lookup request: short, lookups are advice. */
export const DEFAULT_LOOKUP_TIMEOUT_MS = 4000;
export const DEFAULT_LOOKUP_RETRIES = 1;
export const DEFAULT_LOOKUP_CONCURRENCY = 4;
/** How long a lookup that got no answer is not repeated. */
export const FAILED_LOOKUP_MEMORY_MS = 30_000;
/** How long a not-found / not-authorized answer is kept (in memory only). */
export const NEGATIVE_ANSWER_MEMORY_MS = 5 * 60_000;
/** How long a registry that kept answering 429 (after waiting its Retry-After) is left alone. */
export const RATE_LIMIT_PAUSE_MS = 60_000;
/** At most this many failed lookups are remembered (the oldest go first). */
const MAX_REMEMBERED_FAILURES = 1000;

export interface LookupServiceOptions {
  /** Directory of the disk cache; none: memory only. */
  readonly cacheDirectory?: string;
  readonly tagTtlMs?: number;
  readonly insecureHosts?: readonly string[];
  readonly credentialOptions?: CredentialOptions;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly retryBaseMs?: number;
  readonly concurrency?: number;
  /** One line per lookup and per HTTP exchange (never a secret). */
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

function stored(raw: RawPlatform | undefined): StoredPlatform | undefined {
  if (!raw || typeof raw.os !== 'string' || typeof raw.architecture !== 'string' || !raw.os || !raw.architecture) return undefined;
  return {
    os: raw.os,
    architecture: raw.architecture,
    ...(typeof raw.variant === 'string' && raw.variant ? { variant: raw.variant } : {}),
    ...(typeof raw['os.version'] === 'string' && raw['os.version'] ? { osVersion: raw['os.version'] } : {}),
  };
}

function shownPlatform(p: StoredPlatform, digest: string, compressedSize: number | undefined): LookupPlatform {
  const os = displayText(p.os, 40);
  const architecture = displayText(p.architecture, 40);
  const variant = p.variant ? displayText(p.variant, 40) : undefined;
  const osVersion = p.osVersion ? displayText(p.osVersion, 60) : undefined;
  return {
    platform: `${os}/${architecture}${variant ? `/${variant}` : ''}`,
    os,
    architecture,
    ...(variant ? { variant } : {}),
    ...(osVersion ? { osVersion } : {}),
    digest,
    ...(compressedSize !== undefined ? { compressedSize } : {}),
  };
}

/** Which credentials a lookup of `registry` tries, in words (no secret). */
export async function describeCredentialsSource(registry: string, options: CredentialOptions = {}): Promise<string> {
  try {
    const { path, config } = await readDockerConfig(options);
    const server = serverAddress(registry);
    const keys = new Set([
      registry,
      server,
      `https://${registry}`,
      `http://${registry}`,
      `https://${registry}/v1/`,
      `https://${registry}/v2/`,
    ]);
    if (registry === 'docker.io') for (const k of ['index.docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1']) keys.add(k);
    const helper = [...keys].map((k) => config.credHelpers?.[k]).find((h) => typeof h === 'string' && h);
    if (helper) return `the credential helper docker-credential-${displayText(helper, 60)} (credHelpers in ${path})`;
    if (typeof config.credsStore === 'string' && config.credsStore)
      return `the credential store docker-credential-${displayText(config.credsStore, 60)} (credsStore in ${path})`;
    if ([...keys].some((k) => config.auths?.[k])) return `the login for ${registry} in ${path}`;
    return `anonymous access (no login for ${registry} in ${path})`;
  } catch (error) {
    return `anonymous access (${error instanceof Error ? error.message : String(error)})`;
  }
}

export class LookupService {
  readonly cache: LookupCache;
  private readonly options: LookupServiceOptions;
  private readonly clients = new Map<string, RegistryClient>();
  private readonly inFlight = new Map<string, Promise<LookupResult>>();
  private readonly failures = new Map<string, { result: LookupResult; until: number }>();
  private readonly semaphore: Semaphore;
  /** Registries that kept answering 429: no request until then. */
  private readonly paused = new Map<string, number>();
  private readonly now: () => number;
  /** Lookups made and their outcomes (the CLI's `--verbose`). */
  readonly history: {
    reference: string;
    registry: string;
    status: LookupStatus;
    fromCache: boolean;
    ms: number;
    message?: string;
    failure?: LookupFailure;
  }[] = [];

  constructor(options: LookupServiceOptions = {}) {
    this.options = options;
    this.cache = new LookupCache(options.cacheDirectory, options.log);
    this.semaphore = new Semaphore(Math.max(1, options.concurrency ?? DEFAULT_LOOKUP_CONCURRENCY));
    this.now = options.now ?? Date.now;
  }

  /** Requests sent so far, over all registries. */
  get requestCount(): number {
    let n = 0;
    for (const c of this.clients.values()) n += c.requestCount;
    return n;
  }

  /** Looks a reference up. Never throws: failures are a status with a message. */
  lookup(reference: string, options: LookupOptions = {}): Promise<LookupResult> {
    let ref: ImageReference;
    try {
      ref = parseImageReference(reference.trim());
    } catch (error) {
      return Promise.resolve(
        this.bare(
          reference,
          undefined,
          'invalid',
          `'${displayText(reference, 120)}' is not an image reference: ${(error as Error).message}`,
        ),
      );
    }
    if (options.offline) return Promise.resolve(this.bare(reference, ref, 'offline', 'Registry lookups are off.'));
    const key = formatImageReference(ref);
    const remembered = this.failures.get(key);
    if (remembered && remembered.until > this.now() && !options.refresh) return Promise.resolve({ ...remembered.result, reference });
    const pausedUntil = this.paused.get(ref.registry);
    if (pausedUntil !== undefined && pausedUntil > this.now() && !this.inFlight.has(key))
      return Promise.resolve(
        this.bare(
          reference,
          ref,
          'unavailable',
          `${ref.registry} is rate-limiting lookups (429); Green Cloud asks it again after ${new Date(pausedUntil).toISOString()}.`,
          { cause: 'rate-limited', code: '429' },
        ),
      );
    let pending = this.inFlight.get(key);
    if (!pending) {
      const started = this.now();
      pending = this.resolve(ref, options)
        .catch((error: unknown) => this.failed(reference, ref, error))
        .then(async (result) => {
          if (result.status !== 'ok') {
            const memory = result.status === 'unavailable' ? FAILED_LOOKUP_MEMORY_MS : NEGATIVE_ANSWER_MEMORY_MS;
            if (this.failures.size >= MAX_REMEMBERED_FAILURES)
              for (const [k, v] of this.failures)
                if (v.until <= this.now() || this.failures.size >= MAX_REMEMBERED_FAILURES) this.failures.delete(k);
            this.failures.set(key, { result, until: this.now() + memory });
          } else this.failures.delete(key);
          this.history.push({
            reference: key,
            registry: ref.registry,
            status: result.status,
            fromCache: result.fromCache,
            ms: this.now() - started,
            message: result.message,
            ...(result.failure ? { failure: result.failure } : {}),
          });
          this.options.log?.(
            `lookup ${key}: ${result.status}${result.fromCache ? ' (cache)' : ''} in ${this.now() - started} ms${result.message ? `: ${result.message}` : ''}`,
          );
          return result.status === 'ok' ? result : { ...result, credentialsSource: await this.credentialsSource(ref.registry) };
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending.then((r) => ({ ...r, reference }));
  }

  /**
   * The answer already known, synchronously: a remembered failure, or a fresh tag whose
   * manifests are cached (the language server then publishes registry findings at once,
   * without waiting for the quiet time). Undefined when a request would be needed, or lookups
   * are off.
   */
  peek(reference: string): LookupResult | undefined {
    let ref: ImageReference;
    try {
      ref = parseImageReference(reference.trim());
    } catch {
      return undefined;
    }
    const key = formatImageReference(ref);
    const remembered = this.failures.get(key);
    if (remembered && remembered.until > this.now()) return { ...remembered.result, reference };
    const tag = ref.digest ? undefined : this.freshTag(ref);
    const digest = ref.digest ?? tag?.digest;
    const summary = digest ? this.cache.manifest(digest) : undefined;
    if (!digest || !summary || (summary.kind === 'image' && !summary.platform)) return undefined;
    let tagTarget: LookupResult['tagTarget'];
    if (ref.digest && ref.tag) {
      const named = this.freshTag(ref);
      const target = named ? this.cache.manifest(named.digest) : undefined;
      if (!named || !target) return undefined;
      tagTarget = {
        digest: named.digest,
        kind: target.kind,
        containsPinned: named.digest === ref.digest || (target.kind === 'list' && target.entries.some((e) => e.digest === ref.digest)),
      };
    }
    return { ...this.describe(ref, digest, summary, true, tag?.at ?? this.now(), tagTarget), reference };
  }

  flush(): Promise<void> {
    return this.cache.flush();
  }

  private credentialsSource(registry: string): Promise<string> {
    return describeCredentialsSource(registry, this.options.credentialOptions);
  }

  private bare(
    reference: string,
    ref: ImageReference | undefined,
    status: LookupStatus,
    message: string,
    failure?: LookupFailure,
  ): LookupResult {
    return {
      reference,
      canonical: ref ? formatImageReference(ref) : reference,
      registry: ref?.registry ?? '',
      repository: ref?.repository ?? '',
      ...(ref?.tag ? { tag: ref.tag } : {}),
      ...(ref?.digest ? { pinnedDigest: ref.digest } : {}),
      status,
      platforms: [],
      attestations: 0,
      lookedUpAt: this.now(),
      fromCache: false,
      credentialsSource: '',
      message,
      ...(failure ? { failure } : {}),
    };
  }

  private failed(reference: string, ref: ImageReference, error: unknown): LookupResult {
    const message = displayText(error instanceof Error ? error.message : String(error), 400);
    // Still 429 after the client waited as Retry-After said: leave the whole registry alone for a while.
    if (error instanceof RegistryError && error.status === 429) this.paused.set(ref.registry, this.now() + RATE_LIMIT_PAUSE_MS);
    if (error instanceof RegistryError) {
      if (error.kind === 'not-found') return this.bare(reference, ref, 'not-found', message);
      if (error.kind === 'unauthorized' || error.kind === 'denied') return this.bare(reference, ref, 'unauthorized', message);
    }
    return this.bare(reference, ref, 'unavailable', message, failureOf(error));
  }

  private client(registry: string): RegistryClient {
    let client = this.clients.get(registry);
    if (!client) {
      const options: RegistryClientOptions = {
        insecureHosts: this.options.insecureHosts,
        credentialOptions: this.options.credentialOptions,
        timeoutMs: this.options.timeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS,
        retries: this.options.retries ?? DEFAULT_LOOKUP_RETRIES,
        retryBaseMs: this.options.retryBaseMs,
        log: this.options.log,
      };
      client = new RegistryClient(registry, options);
      this.clients.set(registry, client);
    }
    return client;
  }

  private freshTag(ref: ImageReference): { digest: string; at: number } | undefined {
    const answer = this.cache.tag(tagKey(ref));
    const ttl = this.options.tagTtlMs ?? DEFAULT_TAG_TTL_MS;
    return answer && this.now() - answer.at < ttl ? answer : undefined;
  }

  /** The digest a tag names now: the cache while fresh, else one HEAD. */
  private async resolveTag(ref: ImageReference, options: LookupOptions): Promise<{ digest: string; at: number; fromCache: boolean }> {
    const fresh = options.refresh ? undefined : this.freshTag(ref);
    if (fresh) return { ...fresh, fromCache: true };
    const tag = ref.tag ?? 'latest';
    const head = await this.semaphore.run(() => this.client(ref.registry).headManifest(ref.repository, tag));
    if (!head)
      throw new RegistryError(`${ref.registry}/${ref.repository}:${tag} does not exist (404 from ${ref.registry}).`, 'not-found', 404);
    const at = this.now();
    this.cache.setTag(tagKey(ref), { digest: head.digest, at });
    return { digest: head.digest, at, fromCache: false };
  }

  /** A manifest's summary by digest: the cache, else one GET (and, for a lone image, its config for the platform). */
  private async summary(ref: ImageReference, digest: string, wantPlatform: boolean): Promise<ManifestSummary> {
    const known = this.cache.manifest(digest);
    if (known && (known.kind === 'list' || known.platform || !wantPlatform)) return known;
    const client = this.client(ref.registry);
    let summary: ManifestSummary;
    if (known?.kind === 'image') summary = known;
    else {
      const manifest = await this.semaphore.run(() => client.getManifest(ref.repository, digest));
      const where = `The manifest ${ref.repository}@${digest} from ${ref.registry}`;
      if (!isIndexMediaType(manifest.mediaType) && !isImageManifestMediaType(manifest.mediaType))
        throw new RegistryError(
          `${where} is a '${displayText(manifest.mediaType || 'unknown', 100)}' manifest, not an image or a list.`,
          'unsupported',
        );
      const doc = parseManifestDocument(manifest.bytes, manifest.mediaType, where);
      summary =
        doc.kind === 'index'
          ? {
              kind: 'list',
              mediaType: manifest.mediaType,
              entries: doc.manifests.map((m) => {
                const platform = stored(m.platform);
                return { digest: m.digest, attestation: isAttestation(m), ...(platform ? { platform } : {}) };
              }),
            }
          : {
              kind: 'image',
              mediaType: manifest.mediaType,
              compressedSize: doc.config.size + doc.layers.reduce((n, l) => n + l.size, 0),
              configDigest: doc.config.digest,
              configSize: doc.config.size,
            };
    }
    if (summary.kind === 'image' && wantPlatform && !summary.platform) {
      const image = summary;
      const config = await this.semaphore.run(() => client.getBlob(ref.repository, image.configDigest, image.configSize));
      const platform = stored(parseImageConfig(config, `The config ${image.configDigest} of ${ref.repository} (from ${ref.registry})`));
      summary = { ...image, ...(platform ? { platform } : {}) };
    }
    this.cache.setManifest(digest, summary);
    return summary;
  }

  private async resolve(ref: ImageReference, options: LookupOptions): Promise<LookupResult> {
    await this.cache.load();
    let digest = ref.digest;
    let at = this.now();
    let fromCache = true;
    if (!digest) {
      const tag = await this.resolveTag(ref, options);
      digest = tag.digest;
      at = tag.at;
      fromCache = tag.fromCache;
    }
    const known = this.cache.manifest(digest);
    const summary = await this.summary(ref, digest, true);
    if (!known) fromCache = false;
    let tagTarget: LookupResult['tagTarget'];
    if (ref.digest && ref.tag) {
      try {
        const tag = await this.resolveTag(ref, options);
        const target = await this.summary(ref, tag.digest, false);
        tagTarget = {
          digest: tag.digest,
          kind: target.kind,
          containsPinned: tag.digest === ref.digest || (target.kind === 'list' && target.entries.some((e) => e.digest === ref.digest)),
        };
      } catch {
        tagTarget = undefined; // the fix is only offered on a sure answer
      }
    }
    if (summary.kind === 'list')
      // Each platform's compressed size is in its own manifest (content-addressed: cached for ever).
      await Promise.all(
        summary.entries.filter((e) => !e.attestation && e.platform).map((e) => this.summary(ref, e.digest, false).catch(() => undefined)),
      );
    return this.describe(ref, digest, summary, fromCache, at, tagTarget);
  }

  /** The result from cached summaries (a child whose manifest is not cached has no size). */
  private describe(
    ref: ImageReference,
    digest: string,
    summary: ManifestSummary,
    fromCache: boolean,
    at: number,
    tagTarget: LookupResult['tagTarget'],
  ): LookupResult {
    const platforms: LookupPlatform[] = [];
    let attestations = 0;
    if (summary.kind === 'list') {
      const children = summary.entries.filter((e) => !e.attestation && e.platform);
      attestations = summary.entries.length - children.length;
      for (const e of children) {
        const child = this.cache.manifest(e.digest);
        platforms.push(shownPlatform(e.platform as StoredPlatform, e.digest, child?.kind === 'image' ? child.compressedSize : undefined));
      }
    } else if (summary.platform) platforms.push(shownPlatform(summary.platform, digest, summary.compressedSize));
    return {
      reference: formatImageReference(ref),
      canonical: formatImageReference(ref),
      registry: ref.registry,
      repository: ref.repository,
      ...(ref.tag ? { tag: ref.tag } : {}),
      ...(ref.digest ? { pinnedDigest: ref.digest } : {}),
      status: 'ok',
      kind: summary.kind,
      digest,
      mediaType: displayText(summary.mediaType, 100),
      platforms,
      attestations,
      ...(tagTarget ? { tagTarget } : {}),
      lookedUpAt: at,
      fromCache,
      credentialsSource: '',
    };
  }
}

function tagKey(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}:${ref.tag ?? 'latest'}`;
}

/** One-shot lookup with a private service (tests, scripts); long-lived callers keep a LookupService. */
export function lookupPlatforms(
  reference: string,
  options: LookupOptions & LookupServiceOptions & { service?: LookupService } = {},
): Promise<LookupResult> {
  return (options.service ?? new LookupService(options)).lookup(reference, options);
}

/** Why a lookup got no usable answer, for grouping and phrasing (`LookupFailure`). */
function failureOf(error: unknown): LookupFailure {
  if (!(error instanceof RegistryError)) return { cause: 'bad-answer' }; // its message says what broke
  if (error.network)
    return { cause: error.network.cause, host: error.network.host, ...(error.network.code ? { code: error.network.code } : {}) };
  if (error.status === 429) return { cause: 'rate-limited', code: '429' };
  if (error.kind === 'server' || (error.status !== undefined && error.status >= 500))
    return { cause: 'server-error', ...(error.status !== undefined ? { code: String(error.status) } : {}) };
  if (error.kind === 'timeout' || error.kind === 'network') return { cause: 'other' };
  return { cause: 'bad-answer' };
}
