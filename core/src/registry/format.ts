/**
 * Plain-text views of manifest lists shared by the CLI and the editor. Every field that came
 * from a registry (platforms, media types, annotations) is sanitized here (`displayText`), so
 * a front end that prints these strings needs nothing more.
 */
import type { InspectResult } from './inspect';
import type { ManifestListResult } from './manifestList';
import { describePlatform } from './platformEntries';
import { displayText } from './sanitize';

function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}\n`).join('');
}

/** `733 B`, `2.8 MiB`: binary units, one decimal (two for GiB); `?` when unknown. */
export function formatImageSize(bytes: number | undefined, unknown = '?'): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return unknown;
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}

/**
 * A list (or single image): its kind and the manifest's own size, then PLATFORM / DIGEST /
 * IMAGE SIZE / MEDIA TYPE rows. IMAGE SIZE is each platform image's compressed size (config +
 * layers, what a pull downloads), not the few hundred bytes of its manifest.
 */
export function formatInspect(result: InspectResult): string {
  const oci = result.mediaType.includes('oci');
  const kind = result.isList
    ? oci
      ? 'OCI image index'
      : 'Docker manifest list'
    : oci
      ? 'OCI image manifest (single platform)'
      : 'Docker image manifest (single platform)';
  const rows = [
    ['PLATFORM', 'DIGEST', 'IMAGE SIZE', 'MEDIA TYPE'],
    ...result.entries.map((e) => [
      e.attestation ? 'attestation' : describePlatform(e.platform),
      displayText(e.digest, 140),
      e.attestation ? '–' : formatImageSize(e.imageSize),
      displayText(e.mediaType, 140),
    ]),
  ];
  const unknown = result.entries.some((e) => !e.attestation && e.imageSize === undefined);
  const note = `\n  IMAGE SIZE: compressed (config + layers, what a pull downloads)${unknown ? '; ? = not read from the registry' : ''}.\n`;
  const annotations = Object.entries(result.annotations ?? {}).map(([k, v]) => `  ${displayText(k, 100)}=${displayText(v)}\n`);
  return `${displayText(result.reference, 400)}\n  ${kind}, manifest ${result.size} bytes\n\n${table(rows)}${note}${annotations.length ? `\nAnnotations:\n${annotations.join('')}` : ''}`;
}

/** The outcome of a push: one row per platform, then the digest. */
export function formatPushed(result: ManifestListResult): string {
  const kind = result.mediaType.includes('oci') ? 'OCI index' : 'manifest list';
  const name = displayText(result.reference.split('@')[0], 400);
  return `Pushed ${kind} ${name} (${result.entries.length} platforms, ${result.requests} HTTP requests):\n${table(
    result.entries.map((e) => [describePlatform(e.platform), displayText(e.digest, 140), String(e.size), displayText(e.source, 400)]),
  )}Digest: ${result.digest}\n`;
}
