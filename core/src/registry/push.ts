/**
 * Pushing per-architecture images from a Docker engine to their registry through dockerode
 * (`POST /images/{name}/push` with `X-Registry-Auth` from the same credential resolution as
 * the registry client), one image at a time, with progress events per image. Text from the
 * engine's stream (which relays the registry's errors) is sanitized before it is passed on.
 */
import type Docker from 'dockerode';
import { formatImageReference, parseImageReference } from '../imageRef';
import { engineAuthConfig, resolveCredentials, secretsOf, type CredentialOptions, type Credentials } from './credentials';
import { redact } from './errors';
import { displayText } from './sanitize';

export type PushStatus = 'queued' | 'pushing' | 'pushed' | 'failed' | 'cancelled';

export interface PushEvents {
  onStatus?(image: string, status: PushStatus, detail?: string): void;
  /** Layer progress: bytes sent of the layers seen so far. */
  onProgress?(image: string, progress: { current: number; total: number; layers: number; done: number }): void;
  onLog?(image: string, line: string): void;
}

export interface PushResult {
  readonly image: string;
  readonly status: 'pushed' | 'failed' | 'cancelled';
  /** Digest of the pushed manifest (from the engine's `aux` message). */
  readonly digest?: string;
  readonly size?: number;
  readonly error?: string;
}

export interface PushOptions extends CredentialOptions {
  readonly signal?: AbortSignal;
  /** Credentials per registry host (default: Docker's config.json and helpers). */
  readonly credentials?: (registry: string) => Promise<Credentials | undefined>;
}

interface PushMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: { Tag?: string; Digest?: string; Size?: number };
  error?: string;
  errorDetail?: { message?: string };
}

/** Pushes each tag in turn; never rejects for a failed image (see each result), stops on cancel. */
export async function pushImages(
  engine: Docker,
  images: readonly string[],
  events: PushEvents = {},
  options: PushOptions = {},
): Promise<PushResult[]> {
  const results: PushResult[] = [];
  for (const image of images) events.onStatus?.(image, 'queued');
  const credentialCache = new Map<string, Promise<Credentials | undefined>>();
  for (const image of images) {
    if (options.signal?.aborted) {
      events.onStatus?.(image, 'cancelled');
      results.push({ image, status: 'cancelled' });
      continue;
    }
    results.push(await pushOne(engine, image, events, options, credentialCache));
  }
  return results;
}

async function pushOne(
  engine: Docker,
  image: string,
  events: PushEvents,
  options: PushOptions,
  cache: Map<string, Promise<Credentials | undefined>>,
): Promise<PushResult> {
  let secrets: string[] = [];
  const fail = (message: string): PushResult => {
    // Engine and registry text is untrusted: escaped and capped, and never a secret.
    const error = displayText(redact(message, secrets), 1000);
    events.onStatus?.(image, 'failed', error);
    return { image, status: 'failed', error };
  };
  let ref;
  try {
    ref = parseImageReference(image);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (!ref.tag || ref.digest) return fail(`${image}: push needs a tag and no digest.`);
  const name = formatImageReference({ ...ref, tag: undefined, digest: undefined }, { familiar: false });
  let credentials: Credentials | undefined;
  try {
    const resolver = options.credentials ?? ((r: string) => resolveCredentials(r, options));
    let pending = cache.get(ref.registry);
    if (!pending) {
      pending = resolver(ref.registry);
      cache.set(ref.registry, pending);
    }
    credentials = await pending;
  } catch (error) {
    return fail((error as Error).message);
  }
  secrets = secretsOf(credentials);
  events.onStatus?.(image, 'pushing');
  const layers = new Map<string, { current: number; total: number; done: boolean }>();
  let digest: string | undefined;
  let size: number | undefined;
  let streamError: string | undefined;
  try {
    const stream = await engine.getImage(name).push({
      tag: ref.tag,
      authconfig: engineAuthConfig(ref.registry, credentials),
      abortSignal: options.signal,
    });
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        reject(new Error('cancelled'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      engine.modem.followProgress(
        stream,
        (error: Error | null) => {
          options.signal?.removeEventListener('abort', onAbort);
          if (error) reject(error);
          else resolve();
        },
        (message: PushMessage) => {
          if (message.error || message.errorDetail?.message) {
            streamError = message.errorDetail?.message ?? message.error;
            return;
          }
          if (typeof message.aux?.Digest === 'string') {
            digest = displayText(message.aux.Digest, 140);
            size = message.aux.Size;
          }
          if (message.id && message.status) {
            const layer = layers.get(message.id) ?? { current: 0, total: 0, done: false };
            if (message.progressDetail?.total) {
              layer.current = message.progressDetail.current ?? layer.current;
              layer.total = message.progressDetail.total;
            }
            if (/^(Pushed|Layer already exists|Mounted from)/.test(message.status)) {
              layer.done = true;
              if (layer.total) layer.current = layer.total;
            }
            layers.set(message.id, layer);
            let current = 0;
            let total = 0;
            let done = 0;
            for (const l of layers.values()) {
              current += l.current;
              total += l.total;
              if (l.done) done++;
            }
            events.onProgress?.(image, { current, total, layers: layers.size, done });
          }
          if (message.status && !message.progressDetail?.total) {
            events.onLog?.(image, displayText(redact(message.id ? `${message.id}: ${message.status}` : message.status, secrets), 500));
          }
        },
      );
    });
  } catch (error) {
    if (options.signal?.aborted) {
      events.onStatus?.(image, 'cancelled');
      return { image, status: 'cancelled' };
    }
    const e = error as Error & { statusCode?: number; json?: { message?: string } };
    const why = e.statusCode === 404 ? `no image ${image} in the engine (build it first)` : (e.json?.message ?? e.message);
    return fail(`Pushing ${image} failed: ${why}`);
  }
  if (streamError) {
    const advice = /unauthorized|authentication required|auth credentials|denied/i.test(streamError)
      ? ` Run \`docker login ${ref.registry}\`.`
      : '';
    return fail(`Pushing ${image} failed: ${streamError}.${advice}`);
  }
  events.onStatus?.(image, 'pushed', digest);
  return { image, status: 'pushed', digest, size };
}
