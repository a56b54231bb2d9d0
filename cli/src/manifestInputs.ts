/**
 * The CLI's manifest list inputs besides source arguments (core/src/registry/sourceArgument.ts):
 * manifest-tool's `from-args` (`--platforms` + `--template`) and its YAML spec. Only the CLI
 * parses YAML, so `yaml` stays out of the extension.
 */
import { parse as parseYaml } from 'yaml';
import { parsePlatformList, type Platform } from '../../core/src/platforms';
import { parsePlatformOrThrow } from '../../core/src/registry/sourceArgument';
import { ManifestListError } from '../../core/src/registry/errors';
import type { ListFormat, ManifestListRequest, ManifestSource } from '../../core/src/registry/manifestList';
import type { PlatformOverride } from '../../core/src/registry/platformEntries';

/** manifest-tool `from-args`: `--platforms linux/amd64,linux/arm/v7 --template reg/web:ARCH-1.2 --target reg/web:1.2`. */
export function requestFromArgs(args: {
  platforms: string;
  template: string;
  target: string;
  format?: ListFormat;
  amend?: boolean;
}): ManifestListRequest {
  let platforms: Platform[];
  try {
    platforms = parsePlatformList(args.platforms);
  } catch (error) {
    throw new ManifestListError(`--platforms: ${(error as Error).message}`);
  }
  if (platforms.length === 0) throw new ManifestListError('--platforms names no platform (e.g. linux/amd64,linux/arm64).');
  if (platforms.length > 1 && !/OS|ARCH|VARIANT/.test(args.template)) {
    throw new ManifestListError(
      `--template '${args.template}' has no OS/ARCH/VARIANT placeholder, so every platform would use the same image (e.g. team/web:ARCH-1.2).`,
    );
  }
  const sources = platforms.map((p) => {
    const reference = args.template
      .replaceAll('OS', p.os)
      .replaceAll('ARCH', p.architecture)
      .replaceAll('VARIANT', p.variant ?? '');
    return { reference, platform: { os: p.os, architecture: p.architecture, variant: p.variant ?? '' } };
  });
  return { target: args.target, sources, format: args.format, amend: args.amend };
}

/** manifest-tool's YAML spec: `image`, `tags`, `manifests: [{image, platform: {architecture, os, variant}}]`. */
export function requestFromSpec(text: string, where = 'the spec'): ManifestListRequest {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new ManifestListError(`${where} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new ManifestListError(`${where} must be a mapping with 'image' and 'manifests'.`);
  const spec = doc as Record<string, unknown>;
  if (typeof spec.image !== 'string' || !spec.image)
    throw new ManifestListError(`${where}: 'image' (the target, e.g. team/web:1.2) is missing.`);
  const tags = spec.tags === undefined ? [] : spec.tags;
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' && typeof t !== 'number'))
    throw new ManifestListError(`${where}: 'tags' must be a list of tags.`);
  if (!Array.isArray(spec.manifests) || spec.manifests.length === 0)
    throw new ManifestListError(`${where}: 'manifests' must list at least one {image, platform}.`);
  const sources = spec.manifests.map((m: unknown, i: number): ManifestSource => {
    const at = `${where}: manifests[${i}]`;
    if (typeof m !== 'object' || m === null) throw new ManifestListError(`${at} must be a mapping with 'image'.`);
    const entry = m as Record<string, unknown>;
    if (typeof entry.image !== 'string' || !entry.image) throw new ManifestListError(`${at}.image is missing.`);
    let platform: PlatformOverride | undefined;
    if (entry.platform !== undefined) {
      if (typeof entry.platform !== 'object' || entry.platform === null)
        throw new ManifestListError(`${at}.platform must be a mapping (architecture, os, variant).`);
      const p = entry.platform as Record<string, unknown>;
      const str = (v: unknown, name: string): string | undefined => {
        if (v === undefined || v === null) return undefined;
        if (typeof v !== 'string' && typeof v !== 'number') throw new ManifestListError(`${at}.platform.${name} must be text.`);
        return String(v);
      };
      const features = p.features ?? p['os.features'];
      if (features !== undefined && !Array.isArray(features)) throw new ManifestListError(`${at}.platform.features must be a list.`);
      platform = {
        architecture: str(p.architecture, 'architecture'),
        os: str(p.os, 'os'),
        variant: str(p.variant, 'variant') ?? (p.architecture !== undefined ? '' : undefined),
        osVersion: str(p.osversion ?? p['os.version'], 'osversion'),
        osFeatures: (features as unknown[] | undefined)?.map(String),
      };
      if (platform.architecture)
        parsePlatformOrThrow(
          `${platform.os ?? 'linux'}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`,
          `${at}.platform`,
        );
    }
    let annotations: Record<string, string> | undefined;
    if (entry.annotations !== undefined) {
      if (typeof entry.annotations !== 'object' || entry.annotations === null)
        throw new ManifestListError(`${at}.annotations must be a mapping.`);
      annotations = Object.fromEntries(Object.entries(entry.annotations as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    }
    return { reference: entry.image, platform, annotations };
  });
  return { target: spec.image, extraTags: tags.map(String), sources };
}
