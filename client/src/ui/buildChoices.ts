/**
 * Asks for what a build needs (platforms, image, version), skipping what the caller already
 * gave (the CodeLens gives the platforms; tests and keybindings may give everything), and
 * remembers the answers in the workspace state.
 */
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { parsePlatform, type Platform } from '../../../core/src/platforms';
import type { Config } from '../config';
import { BuildMemory } from '../build/memory';
import { defaultImageName, dockerfileTargets, type BuildChoices } from '../build/request';
import { dockerfileText } from './dockerfilePicker';
import { askImage, askVersion } from './imagePicker';
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
  const platforms = Array.isArray(r.platforms) ? r.platforms.filter((p): p is string => typeof p === 'string').map((p) => parsePlatform(p)) : undefined;
  return { platforms: platforms && platforms.length > 0 ? platforms : undefined, image: text(r.image), version: text(r.version), context: text(r.context) };
}

export async function askBuildChoices(state: vscode.Memento, dockerfile: vscode.Uri, config: Config, preset: BuildPreset): Promise<BuildChoices | undefined> {
  const memory = new BuildMemory(state);
  const key = dockerfile.fsPath;
  let platforms = preset.platforms;
  if (!platforms) {
    const targets = dockerfileTargets(await dockerfileText(dockerfile), config.platforms);
    const selected = targets.source === 'directive' ? targets.platforms : (memory.platforms() ?? targets.platforms);
    platforms = await pickPlatforms(targets.platforms, selected, targets.source === 'directive' ? '# platforms= in this file' : 'greenCloud.platforms');
    if (!platforms) return undefined;
  }
  const folder = vscode.workspace.getWorkspaceFolder(dockerfile);
  const image = preset.image ?? (await askImage(memory.image(key) ?? defaultImageName(basename(folder?.uri.fsPath ?? dirname(dockerfile.fsPath)))));
  if (!image) return undefined;
  const version = preset.version ?? (await askVersion(memory.version(key) ?? 'latest'));
  if (!version) return undefined;
  await memory.remember(key, { platforms: preset.platforms ? undefined : platforms, image, version });
  return { dockerfile: dockerfile.fsPath, contextDir: preset.context, platforms, image, version, tagTemplate: config.tagTemplate };
}

