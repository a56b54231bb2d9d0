/**
 * After a multi-platform build: push each built per-arch image from the engine that built it,
 * then the manifest list `IMAGE:VERSION` over them (platforms from the build plan, which the
 * build verified against the binaries). Shared by `green-cloud build --push` and the editor.
 */
import { connectEngine } from '../docker/connection';
import type { PlatformResult } from '../imageBuild/types';
import { formatPlatform } from '../platforms';
import { ManifestListError } from './errors';
import { pushManifestList, type ManifestListOptions, type ManifestListResult } from './manifestList';
import { pushImages, type PushEvents, type PushOptions, type PushResult } from './push';

export interface PublishOptions extends PushOptions {
  /** Options for the list push (insecure hosts, timeouts, progress lines). */
  readonly list?: ManifestListOptions;
  readonly format?: 'docker' | 'oci';
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface PublishResult {
  readonly pushes: readonly PushResult[];
  /** Undefined when an image push failed (the list is then not written). */
  readonly list?: ManifestListResult;
}

/** Pushes the succeeded platforms' images, then the list; throws ManifestListError when a platform did not build. */
export async function publishBuild(
  results: readonly PlatformResult[],
  target: string,
  events: PushEvents = {},
  options: PublishOptions = {},
): Promise<PublishResult> {
  const unbuilt = results.filter((r) => r.status !== 'succeeded');
  if (unbuilt.length > 0) {
    throw new ManifestListError(
      `Not pushing: ${unbuilt.map((r) => `${formatPlatform(r.platform)} ${r.status}`).join(', ')}. A list must cover every platform; fix the build first.`,
    );
  }
  const pushes: PushResult[] = [];
  const byEngine = new Map<string, PlatformResult[]>();
  for (const r of results) byEngine.set(r.engine.host, [...(byEngine.get(r.engine.host) ?? []), r]);
  for (const [host, group] of byEngine) {
    const engine = connectEngine(host, options.env);
    pushes.push(
      ...(await pushImages(
        engine,
        group.map((r) => r.tag),
        events,
        options,
      )),
    );
  }
  if (pushes.some((p) => p.status !== 'pushed')) return { pushes };
  const list = await pushManifestList(
    {
      target,
      format: options.format,
      sources: results.map((r) => ({
        reference: r.tag,
        platform: { os: r.platform.os, architecture: r.platform.architecture, variant: r.platform.variant ?? '' },
      })),
    },
    { signal: options.signal, ...options.list },
  );
  return { pushes, list };
}
