/**
 * From what the editor knows (a Dockerfile, settings, the user's answers, a task definition) to
 * the core's BuildRequest. Pure (no `vscode` import); unit-tested.
 */
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { formatPlatform, parsePlatform, platformsEqual, type Platform } from '../../../core/src/platforms';
import { validateImageName, validateVersion } from '../../../core/src/imageBuild/plan';
import type { BuildRequest } from '../../../core/src/imageBuild/types';
import { buildModel } from '../../../core/src/dockerfile/model';
import { findPlatformsDirective } from '../../../core/src/dockerfile/directives';

export interface DockerfileTargets {
  /** The platforms to build: the file's `# platforms=` directive, else the settings. */
  readonly platforms: readonly Platform[];
  readonly source: 'directive' | 'settings';
  /** The directive's error when it is present but invalid (the settings are used then). */
  readonly directiveError?: string;
  /** 0-based line of the first FROM, or undefined when the file has none. */
  readonly firstFromLine?: number;
}

/** What a Dockerfile's text says about its targets (never throws). */
export function dockerfileTargets(text: string, configured: readonly Platform[]): DockerfileTargets {
  const model = buildModel(text);
  const firstFromLine = model.stages[0]?.from.getRange().start.line;
  const directive = findPlatformsDirective(model);
  if (directive?.platforms && directive.platforms.length > 0) {
    return { platforms: directive.platforms, source: 'directive', firstFromLine };
  }
  return { platforms: configured, source: 'settings', directiveError: directive?.error?.message, firstFromLine };
}

/** A repository name derived from a folder name (`My App` → `my-app`), or `app` when nothing usable remains. */
export function defaultImageName(folderName: string): string {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '');
  return name === '' ? 'app' : name.slice(0, 128);
}

/**
 * The image name a Dockerfile starts with before the user named one: its folder's name, plus the
 * Dockerfile's own suffix when it has one (`api/Dockerfile` → `api`, `web/Dockerfile.dev` →
 * `web-dev`, `web/arm.Dockerfile` → `web-arm`). Each Dockerfile gets its own, so a second
 * Dockerfile never starts with the first one's image (and would overwrite its tags).
 */
export function defaultImageFor(dockerfile: string): string {
  const file = basename(dockerfile);
  const suffix = /^(?:Dockerfile|Containerfile)\.(.+)$/i.exec(file)?.[1] ?? /^(.+)\.(?:dockerfile|containerfile)$/i.exec(file)?.[1];
  const folder = basename(dirname(dockerfile));
  return defaultImageName(suffix ? `${folder}-${suffix}` : folder);
}

/** The InputBox validator for the image: undefined when valid, else the message. */
export function imageInputError(text: string): string | undefined {
  try {
    validateImageName(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The InputBox validator for the version. */
export function versionInputError(text: string): string | undefined {
  try {
    validateVersion(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export interface BuildChoices {
  /** Absolute Dockerfile path. */
  readonly dockerfile: string;
  /** Absolute context folder (default: the Dockerfile's folder). */
  readonly contextDir?: string;
  readonly platforms: readonly Platform[];
  readonly image: string;
  readonly version: string;
  readonly tagTemplate: string;
}

/** The core request for the user's choices; the Dockerfile is given relative to the context when it lies inside. */
export function buildRequest(choices: BuildChoices): BuildRequest {
  const contextDir = choices.contextDir ?? dirname(choices.dockerfile);
  const rel = relative(contextDir, choices.dockerfile);
  const dockerfile = rel.startsWith('..') || isAbsolute(rel) ? choices.dockerfile : rel;
  return {
    contextDir,
    dockerfile,
    platforms: choices.platforms,
    image: choices.image.trim(),
    version: choices.version.trim(),
    tagTemplate: choices.tagTemplate,
  };
}

/** A `green-cloud` task definition as written in tasks.json (untrusted shape). */
export interface GreenCloudTaskDefinition {
  readonly type: 'green-cloud';
  readonly dockerfile?: string;
  readonly context?: string;
  readonly platforms?: readonly string[];
  readonly image?: string;
  readonly version?: string;
  readonly push?: boolean;
}

export class TaskDefinitionError extends Error {
  override readonly name = 'TaskDefinitionError';
}

export interface TaskBuild {
  readonly request: BuildRequest;
  readonly push: boolean;
}

/**
 * Turns a task definition into a request. Paths are relative to `folder` (the task's workspace
 * folder); `dockerfile` defaults to `Dockerfile` in the context, `context` to the Dockerfile's
 * folder, `platforms` to the file's directive or the settings. Throws TaskDefinitionError naming
 * the property and the fix.
 */
export function taskBuild(
  definition: Readonly<Record<string, unknown>>,
  folder: string,
  settings: { platforms: readonly Platform[]; tagTemplate: string },
  readText: (path: string) => string | undefined,
): TaskBuild {
  const str = (key: string): string | undefined => {
    const v = definition[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new TaskDefinitionError(`Task property '${key}' must be a string (it is ${JSON.stringify(v)}).`);
    return v.trim() === '' ? undefined : v.trim();
  };
  const image = str('image');
  const version = str('version');
  if (!image) throw new TaskDefinitionError('Task property \'image\' is missing: give the repository, e.g. "image": "web".');
  if (!version) throw new TaskDefinitionError('Task property \'version\' is missing: give the version, e.g. "version": "1.2".');
  const contextRaw = str('context');
  const dockerfileRaw = str('dockerfile');
  const contextDir = contextRaw ? resolve(folder, contextRaw) : dockerfileRaw ? dirname(resolve(folder, dockerfileRaw)) : folder;
  const dockerfile = dockerfileRaw ? resolve(folder, dockerfileRaw) : resolve(contextDir, 'Dockerfile');
  let platforms: Platform[];
  const rawPlatforms = definition.platforms;
  if (rawPlatforms === undefined || rawPlatforms === null) {
    const text = readText(dockerfile);
    platforms = [...(text === undefined ? settings.platforms : dockerfileTargets(text, settings.platforms).platforms)];
  } else {
    if (!Array.isArray(rawPlatforms) || rawPlatforms.some((p) => typeof p !== 'string')) {
      throw new TaskDefinitionError(`Task property 'platforms' must be a list such as ["linux/amd64", "linux/arm64"].`);
    }
    platforms = [];
    for (const p of rawPlatforms as string[]) {
      let parsed: Platform;
      try {
        parsed = parsePlatform(p);
      } catch (error) {
        throw new TaskDefinitionError(`Task property 'platforms': ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!platforms.some((q) => platformsEqual(q, parsed))) platforms.push(parsed);
    }
    if (platforms.length === 0)
      throw new TaskDefinitionError(`Task property 'platforms' is empty: list at least one, e.g. ["linux/amd64"], or leave it out.`);
  }
  const push = definition.push;
  if (push !== undefined && typeof push !== 'boolean') throw new TaskDefinitionError(`Task property 'push' must be true or false.`);
  return {
    request: buildRequest({ dockerfile, contextDir, platforms, image, version, tagTemplate: settings.tagTemplate }),
    push: push === true,
  };
}

/** The label of a detected task: `build web (Dockerfile)`. */
export function taskLabel(folder: string, dockerfile: string): string {
  const rel = relative(folder, resolve(folder, dockerfile));
  return `build ${rel === '' || rel.startsWith('..') ? basename(dockerfile) : rel}`;
}

/** `linux/amd64, linux/arm64` */
export function platformList(platforms: readonly Platform[]): string {
  return platforms.map(formatPlatform).join(', ');
}
