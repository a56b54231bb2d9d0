/**
 * One manifest list source as typed by a person (the CLI's arguments, the editor's input box):
 * `REF,platform=…,annotation.K=V`.
 */
import { parsePlatform, type Platform } from '../platforms';
import { ManifestListError } from './errors';
import type { ManifestSource } from './manifestList';
import type { PlatformOverride } from './platformEntries';

/**
 * One CLI source: `REF[,platform=os/arch[/variant]][,os=…][,arch=…][,variant=…][,os.version=…]
 * [,os.features=a;b][,annotation.KEY=VALUE]` (the `docker manifest annotate` flags, inline).
 */
export function parseSourceArgument(text: string): ManifestSource {
  const [reference, ...options] = text.split(',');
  if (!reference) throw new ManifestListError(`'${text}' names no image.`);
  let platform: { -readonly [K in keyof PlatformOverride]: PlatformOverride[K] } | undefined;
  const annotations: Record<string, string> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq <= 0)
      throw new ManifestListError(
        `'${option}' in '${text}' is not KEY=VALUE (e.g. platform=linux/arm/v7, annotation.org.opencontainers.image.title=web).`,
      );
    const key = option.slice(0, eq);
    const value = option.slice(eq + 1);
    platform ??= {};
    if (key === 'platform') {
      const p = parsePlatformOrThrow(value, text);
      Object.assign(platform, { os: p.os, architecture: p.architecture, variant: p.variant ?? '' });
    } else if (key === 'os') platform.os = value;
    else if (key === 'arch' || key === 'architecture') platform.architecture = value;
    else if (key === 'variant') platform.variant = value;
    else if (key === 'os.version' || key === 'osversion') platform.osVersion = value;
    else if (key === 'os.features' || key === 'features') platform.osFeatures = value.split(';').filter(Boolean);
    else if (key.startsWith('annotation.') && key.length > 'annotation.'.length) annotations[key.slice('annotation.'.length)] = value;
    else
      throw new ManifestListError(
        `Unknown source option '${key}' in '${text}' (known: platform, os, arch, variant, os.version, os.features, annotation.KEY).`,
      );
  }
  return {
    reference,
    platform: platform && Object.keys(platform).length ? platform : undefined,
    annotations: Object.keys(annotations).length ? annotations : undefined,
  };
}

export function parsePlatformOrThrow(text: string, where: string): Platform {
  try {
    return parsePlatform(text);
  } catch (error) {
    throw new ManifestListError(`${where}: ${(error as Error).message}`);
  }
}
