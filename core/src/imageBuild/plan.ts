/**
 * The build planner: validates a BuildRequest and turns it into one job per platform (tag and
 * engine). See ./types.ts for the contract.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { formatPlatform, parsePlatform, platformsEqual, PlatformError, type Platform } from '../platforms';
import { ImageReferenceError, isValidTag, parseImageReference } from '../imageRef';
import { resolveEngineHost, validateEngineHost } from '../docker/connection';
import { BuildRequestError, type BuildJob, type BuildPlan, type BuildRequest, type PlanOptions } from './types';

export const DEFAULT_TAG_TEMPLATE = '{image}:{arch}{variant}-{version}';
const PLACEHOLDERS = new Set(['image', 'os', 'arch', 'variant', 'version']);

/** Renders a tag template for one platform. Throws BuildRequestError on unknown placeholders. */
export function renderTag(template: string, image: string, platform: Platform, version: string): string {
  return template.replace(/\{([^{}]*)\}/g, (_whole, name: string) => {
    switch (name) {
      case 'image':
        return image;
      case 'os':
        return platform.os;
      case 'arch':
        return platform.architecture;
      case 'variant':
        return platform.variant ?? '';
      case 'version':
        return version;
      default:
        throw new BuildRequestError(
          `Unknown placeholder '{${name}}' in tag template '${template}' (use ${[...PLACEHOLDERS].map((p) => `{${p}}`).join(' ')}).`,
        );
    }
  });
}

/** Checks the repository name (no tag, no digest). Returns it trimmed. */
export function validateImageName(image: string): string {
  const name = image.trim();
  let ref;
  try {
    ref = parseImageReference(name);
  } catch (error) {
    const why = error instanceof ImageReferenceError ? error.message : String(error);
    throw new BuildRequestError(
      `Image name '${image}' is not valid: ${why} Expected a repository such as 'web' or '127.0.0.1:5000/team/web'.`,
    );
  }
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new BuildRequestError(
      `Image name '${image}' must not carry a ${ref.digest ? 'digest' : 'tag'}: give the repository (e.g. '${(name.split('@')[0] ?? name).replace(/:[^:/]*$/, '')}') and put the version in the version field.`,
    );
  }
  return name;
}

/** Checks a version: it becomes part of a tag, so the tag grammar applies. */
export function validateVersion(version: string): string {
  const v = version.trim();
  if (v === '') throw new BuildRequestError('The version is empty: give one such as 1.2 or latest.');
  if (!isValidTag(v) || v.length > 100) {
    throw new BuildRequestError(
      `Version '${version}' cannot be part of an image tag: use letters, digits, '_', '.' and '-', not starting with '.' or '-' (e.g. 1.2.0).`,
    );
  }
  return v;
}

/** Splits `IMAGE:VERSION` (as given to `--tag`) into repository and version. */
export function splitImageTag(text: string): { image: string; version: string } {
  let ref;
  try {
    ref = parseImageReference(text.trim());
  } catch (error) {
    throw new BuildRequestError(`'${text}' is not an image reference: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (ref.digest) throw new BuildRequestError(`'${text}' has a digest; give IMAGE:VERSION (e.g. web:1.2).`);
  if (!ref.tag) throw new BuildRequestError(`'${text}' has no version: give IMAGE:VERSION (e.g. web:1.2).`);
  const image = text.trim().slice(0, text.trim().length - ref.tag.length - 1);
  return { image, version: ref.tag };
}

function parseBuilders(builders: Readonly<Record<string, string>>): { platform: Platform; host: string }[] {
  const out: { platform: Platform; host: string }[] = [];
  for (const [key, host] of Object.entries(builders)) {
    let platform: Platform;
    try {
      platform = parsePlatform(key);
    } catch (error) {
      const why = error instanceof PlatformError ? error.message : String(error);
      throw new BuildRequestError(why, 'builders', key);
    }
    try {
      validateEngineHost(host);
    } catch (error) {
      throw new BuildRequestError(error instanceof Error ? error.message : String(error), 'builders', key);
    }
    out.push({ platform, host: host.trim() });
  }
  return out;
}

/** Validates the request and plans one job per platform. Throws BuildRequestError. */
export function planBuild(request: BuildRequest, options: PlanOptions = {}): BuildPlan {
  if (!isAbsolute(request.contextDir)) {
    throw new BuildRequestError(`The build context '${request.contextDir}' must be an absolute path.`);
  }
  if (!existsSync(request.contextDir) || !statSync(request.contextDir).isDirectory()) {
    throw new BuildRequestError(
      `The build context '${request.contextDir}' is not a folder. Choose the folder that holds the files the Dockerfile copies.`,
    );
  }
  const dockerfile = resolve(request.contextDir, request.dockerfile);
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    throw new BuildRequestError(`Dockerfile '${request.dockerfile}' not found (looked at ${dockerfile}).`);
  }
  if (request.platforms.length === 0) {
    throw new BuildRequestError('No target platforms: choose at least one (e.g. linux/amd64, linux/arm64).');
  }
  const platforms: Platform[] = [];
  for (const p of request.platforms) {
    if (!platforms.some((q) => platformsEqual(p, q))) platforms.push(p);
  }
  const image = validateImageName(request.image);
  const version = validateVersion(request.version);
  const template = request.tagTemplate?.trim() || DEFAULT_TAG_TEMPLATE;
  for (const [key] of Object.entries(request.buildArgs ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new BuildRequestError(`Build argument name '${key}' is not valid (letters, digits and '_').`);
  }
  const builders = parseBuilders(options.builders ?? {});
  const defaultHost = resolveEngineHost(options.defaultHost, options.env ?? process.env);
  const jobs: BuildJob[] = platforms.map((platform) => {
    const tag = renderTag(template, image, platform, version);
    let ref;
    try {
      ref = parseImageReference(tag);
    } catch (error) {
      throw new BuildRequestError(
        `Tag template '${template}' gives '${tag}' for ${formatPlatform(platform)}, which is not a valid image reference: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!ref.tag || ref.digest) {
      throw new BuildRequestError(
        `Tag template '${template}' gives '${tag}' for ${formatPlatform(platform)}, which has no tag. Put ':' and the tag in the template.`,
      );
    }
    const mapped = builders.find((b) => platformsEqual(b.platform, platform));
    const host = mapped?.host ?? defaultHost.host;
    return { platform, tag, engine: { host, label: mapped ? host : defaultHost.label } };
  });
  const seen = new Map<string, Platform>();
  for (const job of jobs) {
    const other = seen.get(job.tag);
    if (other) {
      throw new BuildRequestError(
        `Tag template '${template}' gives the same tag '${job.tag}' for ${formatPlatform(other)} and ${formatPlatform(job.platform)}: include {arch} and {variant}.`,
      );
    }
    seen.set(job.tag, job.platform);
  }
  return { request: { ...request, image, version, tagTemplate: template, platforms }, jobs };
}
