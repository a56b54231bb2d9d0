/** Platform coverage of a lookup and its hover text (Markdown). Pure. */
import { formatPlatform, type Platform } from '../../../core/src/platforms';
import { coverageOf } from '../../../core/src/registry/lookup';
import type { LookupPlatform, LookupResult } from '../../../core/src/registry/lookup';
import { describeNetworkCause } from '../../../core/src/registry/errors';
import { formatImageSize } from '../../../core/src/registry/format';

export { coverageOf, platformCovers, type Coverage } from '../../../core/src/registry/lookup';

export function formatSize(bytes: number | undefined): string {
  return formatImageSize(bytes, '—');
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

/**
 * An `unavailable` lookup in the editor's words (the language server is the editor's front end;
 * the CLI phrases the same failure with its flags): why there was no answer, without the image
 * (the hover sits on it; the note groups images), and the next step, naming the setting.
 */
export function describeUnavailable(result: LookupResult, markdown: boolean): { reason: string; next: string } {
  const code = (name: string) => (markdown ? `\`${name}\`` : name);
  const text = (value: string) => (markdown ? escapeMarkdown(value) : value);
  const registry = text(result.registry || 'the registry');
  const failure = result.failure;
  const offline = `Offline? Set ${code('greenCloud.registry.lookups')} to false.`;
  switch (failure?.cause) {
    case 'dns':
    case 'unreachable':
    case 'timeout':
      return { reason: `No answer from ${registry} (${describeNetworkCause(failure.cause)}).`, next: offline };
    case 'refused':
      return {
        reason: `No answer from ${registry} (connection refused).`,
        next: `Start the registry, or set ${code('greenCloud.registry.lookups')} to false.`,
      };
    case 'tls':
      return {
        reason: `No answer from ${registry} (TLS handshake failed).`,
        next:
          failure.code === 'EPROTO' || failure.code === 'ERR_SSL_WRONG_VERSION_NUMBER'
            ? `If it speaks plain HTTP, add it to ${code('greenCloud.registry.insecureHosts')}.`
            : 'Check its certificate.',
      };
    case 'reset':
      return { reason: `No answer from ${registry} (connection reset).`, next: '' };
    case 'other':
      return {
        reason: `No answer from ${registry} (${describeNetworkCause(failure.cause)}${failure.code ? `, ${text(failure.code)}` : ''}).`,
        next: offline,
      };
    case 'rate-limited':
      // The service's own words say until when.
      return { reason: text(result.message ?? `${result.registry} is rate-limiting lookups (429).`), next: '' };
    default:
      // A server error or an unusable answer: the client's own words say what and what to do.
      return { reason: `No usable answer from ${registry}. ${text(result.message ?? '')}`.trimEnd(), next: '' };
  }
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
    case 'unavailable': {
      const { reason, next } = describeUnavailable(result, true);
      lines.push(`${reason} Its platforms are not checked.${next ? ` ${next}` : ''}`);
      break;
    }
    case 'invalid':
      lines.push(`${name}: ${escapeMarkdown(result.message ?? 'not an image reference')}`);
      break;
  }
  return lines.join('\n');
}
