/**
 * The words of the build questions (no `vscode` import; unit-tested): the step counter VS Code's
 * multi-step pattern shows in each title, "Green Cloud: Image (2/3)", counted over the questions
 * this build actually asks (like "Push Manifest List (1/2)"), and the version prompt's example
 * made from the image just entered and the platforms chosen.
 */
import { renderTag } from '../../../core/src/imageBuild/plan';
import type { Platform } from '../../../core/src/platforms';

export type BuildQuestion = 'platforms' | 'image' | 'version';

const TITLES: Record<BuildQuestion, string> = {
  platforms: 'Green Cloud: Build for Platforms',
  image: 'Green Cloud: Image',
  version: 'Green Cloud: Version',
};

/** Each asked question's title, with "(n/m)" when more than one is asked (the order is platforms, image, version). */
export function questionTitles(asked: readonly BuildQuestion[]): Partial<Record<BuildQuestion, string>> {
  const order = (['platforms', 'image', 'version'] as const).filter((q) => asked.includes(q));
  const titles: Partial<Record<BuildQuestion, string>> = {};
  order.forEach((q, i) => {
    titles[q] = order.length > 1 ? `${TITLES[q]} (${i + 1}/${order.length})` : TITLES[q];
  });
  return titles;
}

/** `127.0.0.1:5000/team/web` → `web`: the example stays short. */
function lastSegment(image: string): string {
  return image.slice(image.lastIndexOf('/') + 1) || image;
}

/**
 * "Version used in each tag, e.g. 1.2 gives api:amd64-1.2, api:arm64-1.2": the tags of the image
 * just entered for (up to three of) the chosen platforms, by the tag template in force.
 */
export function versionPrompt(image: string, platforms: readonly Platform[], tagTemplate: string): string {
  const name = lastSegment(image.trim()) || 'web';
  let tags: string[];
  try {
    tags = platforms.slice(0, 3).map((p) => lastSegment(renderTag(tagTemplate, name, p, '1.2')));
  } catch {
    tags = []; // an invalid template is reported by the build itself
  }
  const more = platforms.length > 3 ? ', …' : '';
  return tags.length > 0 ? `Version used in each tag, e.g. 1.2 gives ${tags.join(', ')}${more}` : 'Version used in each tag, e.g. 1.2';
}
