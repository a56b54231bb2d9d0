/** Platform coverage of a lookup and its hover text (Markdown). Pure. */
import { formatPlatform, normalizePlatform, type Platform } from '../../../core/src/platforms';
import type { LookupPlatform, LookupResult } from './types';

function normalized(p: { os: string; architecture: string; variant?: string }): Platform | undefined {
  try {
    return normalizePlatform(p);
  } catch {
    return undefined;
  }
}

const ARM_VARIANTS = ['v5', 'v6', 'v7', 'v8'];

/**
 * True when an image of platform `have` runs for target `want`, as BuildKit's platform matcher
 * decides: same os and architecture, and the same variant, except that linux/arm/v7 also takes
 * v6 and v5 images, and arm64 takes v8 or no variant.
 */
export function platformCovers(have: { os: string; architecture: string; variant?: string }, want: Platform): boolean {
  const h = normalized(have);
  if (!h || h.os !== want.os || h.architecture !== want.architecture) return false;
  const hv = h.variant ?? '';
  const wv = want.variant ?? '';
  if (hv === wv) return true;
  if (want.architecture === 'arm') {
    const hi = ARM_VARIANTS.indexOf(hv);
    const wi = ARM_VARIANTS.indexOf(wv);
    return hi >= 0 && wi >= 0 && hi <= wi;
  }
  if (want.architecture === 'arm64') return (hv === '' || hv === 'v8') && (wv === '' || wv === 'v8');
  return false;
}

export interface Coverage {
  readonly covered: readonly Platform[];
  readonly missing: readonly Platform[];
}

/** Which of `targets` the looked-up image has. */
export function coverageOf(result: Pick<LookupResult, 'platforms'>, targets: readonly Platform[]): Coverage {
  const covered: Platform[] = [];
  const missing: Platform[] = [];
  for (const t of targets) (result.platforms.some((p) => platformCovers(p, t)) ? covered : missing).push(t);
  return { covered, missing };
}

export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}

/** `linux/amd64 (os.version 10.0.17763.1)` */
export function describeLookupPlatform(p: LookupPlatform): string {
  return p.osVersion ? `${p.platform} (os.version ${p.osVersion})` : p.platform;
}

/** Markdown's inline syntax escaped (emphasis, code, links, tables, HTML); registry text is already free of control characters and never starts a line. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]|<>~#]/g, (c) => `\\${c}`);
}

function shortDigest(digest: string): string {
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}

function when(ms: number, now: number): string {
  const age = Math.max(0, Math.round((now - ms) / 1000));
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (age < 60) return `${iso} (just now)`;
  if (age < 3600) return `${iso} (${Math.round(age / 60)} min ago)`;
  return `${iso} (${Math.round(age / 3600)} h ago)`;
}

export interface HoverFormatOptions {
  /** The platforms this image is checked against (targets, or a stage's `--platform`). */
  readonly targets?: readonly Platform[];
  /** Why these targets (`greenCloud.platforms`, `# platforms=`, `--platform=linux/arm64`). */
  readonly targetsSource?: string;
  readonly now?: number;
}

/** The hover for a looked-up image: what it resolves to, its platforms with sizes, target coverage, when. */
export function formatLookupMarkdown(result: LookupResult, options: HoverFormatOptions = {}): string {
  const now = options.now ?? Date.now();
  const name = `\`${result.reference.replace(/`/g, "'")}\``;
  const lines: string[] = [];
  switch (result.status) {
    case 'ok': {
      const what =
        result.kind === 'list'
          ? `a multi-platform list (${result.platforms.length} platform${result.platforms.length === 1 ? '' : 's'})`
          : `a single-platform image`;
      lines.push(`**${name}** is ${what}`, '');
      lines.push(`Digest: \`${result.digest ?? ''}\``, '');
      if (result.platforms.length > 0) {
        lines.push('| Platform | Compressed size | Digest |', '|---|---:|---|');
        for (const p of result.platforms)
          lines.push(`| ${escapeMarkdown(describeLookupPlatform(p))} | ${formatSize(p.compressedSize)} | \`${shortDigest(p.digest)}\` |`);
        lines.push('');
      } else lines.push('No platform entries (only attestations or artifacts).', '');
      if (result.attestations > 0)
        lines.push(`Plus ${result.attestations} attestation entr${result.attestations === 1 ? 'y' : 'ies'} (not platforms).`, '');
      if (options.targets && options.targets.length > 0) {
        const { covered, missing } = coverageOf(result, options.targets);
        const source = options.targetsSource ? ` (${escapeMarkdown(options.targetsSource)})` : '';
        if (missing.length === 0) lines.push(`Covers every target${source}: ${covered.map(formatPlatform).join(', ')} ✓`, '');
        else
          lines.push(
            `Targets${source}: ${covered.length > 0 ? `covered ${covered.map(formatPlatform).join(', ')}; ` : ''}**missing ${missing.map(formatPlatform).join(', ')}**`,
            '',
          );
      }
      if (result.tagTarget && result.pinnedDigest && result.kind === 'image') {
        lines.push(
          result.tagTarget.containsPinned
            ? `The tag \`${result.tag ?? ''}\` names the list \`${result.tagTarget.digest}\`, which contains this image.`
            : `The tag \`${result.tag ?? ''}\` names \`${result.tagTarget.digest}\`, which does not contain this image.`,
          '',
        );
      }
      lines.push(`Looked up ${when(result.lookedUpAt, now)}${result.fromCache ? ', from the cache' : ''}.`);
      break;
    }
    case 'not-found':
      lines.push(
        `**${name}: not found.** ${escapeMarkdown(result.message ?? '')}`,
        '',
        `Credentials tried: ${escapeMarkdown(result.credentialsSource)}.`,
      );
      break;
    case 'unauthorized':
      lines.push(
        `**${name}: not authorized.** ${escapeMarkdown(result.message ?? '')}`,
        '',
        `Credentials tried: ${escapeMarkdown(result.credentialsSource)}. Run \`docker login ${result.registry}\` with an account that may pull it.`,
      );
      break;
    case 'offline':
      lines.push(`${name}: registry lookups are off (\`greenCloud.registry.lookups\`).`);
      break;
    case 'unavailable':
      lines.push(`${name}: the registry gave no answer. ${escapeMarkdown(result.message ?? '')}`);
      break;
    case 'invalid':
      lines.push(`${name}: ${escapeMarkdown(result.message ?? 'not an image reference')}`);
      break;
  }
  return lines.join('\n');
}
