/** Small helpers shared by the rules. */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { ARCH_NAMESPACES, formatPlatform, parsePlatform, platformsEqual, type Platform } from '../../../core/src/platforms';
import { findArchMention, flavourOf, isCrossToolchain } from './archNames';
import type { DockerfileModel, Stage } from '../../../core/src/dockerfile/model';
import { isTargetPlatformValue } from '../../../core/src/dockerfile/platformArgs';
import type { Fix, RuleContext } from './types';

/** Target platforms other than `pinned`. */
export function otherTargets(context: RuleContext, pinned: Platform): Platform[] {
  return context.platforms.filter((p) => !platformsEqual(p, pinned));
}

/** `linux/amd64 and linux/arm/v7`. */
export function listPlatforms(platforms: readonly Platform[]): string {
  const names = platforms.map(formatPlatform);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Architecture spellings that, in a stage name, say the stage is deliberately for that arch. */
const ARCH_SPELLINGS: Record<string, readonly string[]> = {
  amd64: ['amd64', 'x86_64', 'x86-64', 'x64'],
  arm64: ['arm64', 'aarch64', 'armv8'],
  arm: ['arm', 'armhf', 'armel', 'armv5', 'armv6', 'armv7'],
  '386': ['386', 'i386', 'i686', 'x86'],
};

/** True when a stage name mentions the platform's architecture (`build-arm64`, `aarch64_tools`). */
export function stageNameMentionsArch(name: string | undefined, platform: Platform): boolean {
  if (!name) return false;
  const lower = name.toLowerCase();
  const spellings = ARCH_SPELLINGS[platform.architecture] ?? [platform.architecture];
  return spellings.some((s) => lower.includes(s));
}

/**
 * A stage that is deliberately per-arch (its name mentions the arch, or `--platform` comes
 * from a variable) may use a pinned base; such stages are not flagged. `--platform=$TARGETPLATFORM`
 * does not count: it is the default (GC105), so removing it must not change anything else.
 */
export function isDeliberatelyPerArch(stage: Stage, pinned: Platform): boolean {
  const flag = stage.platformFlag;
  return Boolean(flag?.hasVariable && !isTargetPlatformValue(flag.value)) || stageNameMentionsArch(stage.name, pinned);
}

/** True when the file only targets `pinned` (pinning is then not a mistake). */
export function targetsOnly(context: RuleContext, pinned: Platform): boolean {
  return otherTargets(context, pinned).length === 0;
}

/** The range a base-image diagnostic points at: the name when written literally, else the FROM's image. */
export function baseImageRange(stage: Stage): Range {
  return stage.base.nameRange ?? stage.base.range;
}

/**
 * An edit that replaces `search` with `replacement` in the base image of a stage: in the FROM
 * itself when written literally, else in the default value of the global ARG it comes from.
 * Undefined when the text cannot be located exactly.
 */
export function editBaseImage(model: DockerfileModel, stage: Stage, search: string, replacement: string): TextEdit | undefined {
  const doc = model.document;
  const tryRange = (range: Range | undefined): TextEdit | undefined => {
    if (!range) return undefined;
    const text = doc.getText(range);
    const at = text.indexOf(search);
    if (at < 0 || text.indexOf(search, at + 1) >= 0) return undefined;
    const start = doc.offsetAt(range.start) + at;
    return { range: { start: doc.positionAt(start), end: doc.positionAt(start + search.length) }, newText: replacement };
  };
  if (!stage.base.viaVariable) return tryRange(stage.base.range);
  // `arm32v6/alpine:$alpine_version`: the searched text may be written literally in the FROM.
  if (!search.includes('$')) {
    const inFrom = tryRange(stage.base.nameRange);
    if (inFrom) return inFrom;
  }
  const names = [...stage.base.written.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  for (const name of names) {
    const edit = tryRange(model.globalArgDeclarations.get(name)?.valueRange);
    if (edit) return edit;
  }
  return undefined;
}

/** A fix from one edit, or no fix when the edit could not be made. */
export function fixOf(title: string, edit: TextEdit | undefined, isPreferred = true): Fix[] {
  return edit ? [{ title, edits: [edit], isPreferred }] : [];
}

/**
 * The platform a stage's base is pinned to by its name (architecture namespace, architecture or
 * device in the repository name or tag) or by a constant `--platform`, following FROM through
 * parent stages; undefined when nothing pins it. GC107 uses it so a token naming that same
 * architecture inside the stage is not reported a second time (GC101–GC104 report the pin).
 */
export function basePinOf(model: DockerfileModel, stage: Stage): Platform | undefined {
  const seen = new Set<number>();
  let current: Stage | undefined = stage;
  while (current && !seen.has(current.index)) {
    seen.add(current.index);
    const flag = current.platformFlag;
    if (flag && !flag.hasVariable) {
      try {
        return parsePlatform(flag.value.trim().replace(/^(["'])(.*)\1$/, '$2'));
      } catch {
        // an unparsable value pins nothing we can name
      }
    }
    const base: Stage['base'] = current.base;
    if (base.stageIndex !== undefined && base.stageIndex < current.index) {
      current = model.stages[base.stageIndex];
      continue;
    }
    const { path, tag, registry } = base;
    if (!path) return undefined;
    const parts = path.split('/');
    if (
      parts.length === 2 &&
      (!registry || DOCKER_HUB.has(registry.toLowerCase())) &&
      Object.prototype.hasOwnProperty.call(ARCH_NAMESPACES, parts[0])
    ) {
      return ARCH_NAMESPACES[parts[0]];
    }
    const flavour = flavourOf(path, tag);
    if (parts.length > 1 && !path.startsWith('library/')) {
      const name = parts[parts.length - 1];
      const mention = findArchMention(name, { flavour, devices: true, bareX86: false });
      if (mention && !isCrossToolchain(path, name, mention)) return mention.platform;
    }
    if (tag !== undefined) {
      const mention = findArchMention(tag, { flavour, devices: false, bareX86: true });
      if (mention && !isCrossToolchain(path, tag, mention)) return mention.platform;
    }
    return undefined;
  }
  return undefined;
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
