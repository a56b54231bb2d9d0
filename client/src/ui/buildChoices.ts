/**
 * Asks for what a build needs (platforms, image, version), skipping what the caller already
 * gave (the CodeLens gives the platforms; tests and keybindings may give everything), and
 * remembers the answers per Dockerfile in the workspace state.
 */
import * as vscode from 'vscode';
import { parsePlatform, platformsEqual, type Platform } from '../../../core/src/platforms';
import type { Config } from '../config';
import { BuildMemory } from '../imageBuild/memory';
import { platformDescription, type PlatformReadiness, type PlatformSource } from '../imageBuild/format';
import { defaultImageFor, dockerfileTargets, type BuildChoices } from '../imageBuild/request';
import { dockerfileText } from '../workspace/dockerfiles';
import { askImage, askVersion } from './imagePicker';
import { questionTitles, versionPrompt } from './buildSteps';
import { pickPlatforms } from './platformPicker';

/** Arguments a caller may pass to `greenCloud.buildAllPlatforms` after the Dockerfile URI. */
export interface BuildPreset {
  readonly platforms?: readonly Platform[];
  readonly image?: string;
  readonly version?: string;
  /** Absolute build context folder (default: the Dockerfile's folder). */
  readonly context?: string;
}

/** Reads the untrusted second command argument; throws with a clear message on a bad platform. */
export function readPreset(raw: unknown): BuildPreset {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const platforms = Array.isArray(r.platforms)
    ? r.platforms.filter((p): p is string => typeof p === 'string').map((p) => parsePlatform(p))
    : undefined;
  return {
    platforms: platforms && platforms.length > 0 ? platforms : undefined,
    image: text(r.image),
    version: text(r.version),
    context: text(r.context),
  };
}

/** The platforms a build of this Dockerfile starts from: offered (the file's directive or the settings) and ticked (the last pick for this file). */
export interface BuildTargets {
  /** Given by the caller: no platform question. */
  readonly fixed?: readonly Platform[];
  readonly offered: readonly Platform[];
  readonly source: 'directive' | 'settings';
  readonly selected: readonly Platform[];
}

export async function buildTargets(
  state: vscode.Memento,
  dockerfile: vscode.Uri,
  config: Config,
  preset: BuildPreset,
): Promise<BuildTargets> {
  const targets = dockerfileTargets(await dockerfileText(dockerfile), config.platforms);
  const remembered = new BuildMemory(state).platforms(dockerfile.fsPath);
  const selected = targets.source === 'directive' ? targets.platforms : (remembered ?? targets.platforms);
  return { fixed: preset.platforms, offered: targets.platforms, source: targets.source, selected };
}

/** Every platform the build may need an engine for (what to check before asking anything). */
export function candidatePlatforms(targets: BuildTargets): Platform[] {
  const out: Platform[] = [];
  for (const p of targets.fixed ?? [...targets.offered, ...targets.selected]) if (!out.some((q) => platformsEqual(p, q))) out.push(p);
  return out;
}

export async function askBuildChoices(
  state: vscode.Memento,
  dockerfile: vscode.Uri,
  config: Config,
  preset: BuildPreset,
  targets: BuildTargets,
  readiness: readonly PlatformReadiness[] = [],
): Promise<BuildChoices | undefined> {
  const memory = new BuildMemory(state);
  const key = dockerfile.fsPath;
  let platforms = targets.fixed ? [...targets.fixed] : undefined;
  // "(n/m)" over the questions this build asks: the platform pick is step 1 when asked.
  const titles = questionTitles([
    ...(platforms ? [] : (['platforms'] as const)),
    ...(preset.image ? [] : (['image'] as const)),
    ...(preset.version ? [] : (['version'] as const)),
  ]);
  if (!platforms) {
    const describe = (platform: Platform): string | undefined => {
      const source: PlatformSource | undefined = targets.offered.some((q) => platformsEqual(q, platform))
        ? targets.source
        : targets.selected.some((q) => platformsEqual(q, platform))
          ? 'remembered'
          : undefined;
      return platformDescription(source, readiness.find((r) => platformsEqual(r.platform, platform))?.report);
    };
    platforms = await pickPlatforms(targets.offered, targets.selected, describe, titles.platforms);
    if (!platforms) return undefined;
  }
  // Each Dockerfile has its own image and version; a new one starts from its folder's name.
  const image = preset.image ?? (await askImage(memory.image(key) ?? defaultImageFor(key), titles.image));
  if (!image) return undefined;
  const version =
    preset.version ??
    (await askVersion(
      memory.version(key) ?? 'latest',
      titles.version ?? 'Green Cloud: Version',
      versionPrompt(image, platforms, config.tagTemplate),
    ));
  if (!version) return undefined;
  await memory.remember(key, { platforms: targets.fixed ? undefined : platforms, image, version });
  return { dockerfile: dockerfile.fsPath, contextDir: preset.context, platforms, image, version, tagTemplate: config.tagTemplate };
}
