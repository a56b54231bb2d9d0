/**
 * Architecture and device names inside image tags and repository names (GC102, GC103):
 * whole segments only (segments split on `-`, `_`, `.`), so `python:3.12-slim-bookworm` or
 * `postgres:16-alpine3.19` never match, while `multiarch/alpine:armhf-v3.7` and
 * `balenalib/raspberrypi3-64-debian` do.
 */
import { DEVICE_PLATFORMS, platformOfArchToken, type ArchFlavour, type Platform } from '../../../core/src/platforms';

export interface ArchMention {
  /** The name as written (`armhf`, `raspberrypi3-64`). */
  readonly token: string;
  readonly platform: Platform;
  /** Offsets in the searched text. */
  readonly start: number;
  readonly end: number;
  /** True when the token is a device name (`raspberrypi3`), not an architecture. */
  readonly device: boolean;
}

export interface ArchSearchOptions {
  readonly flavour: ArchFlavour;
  /** Also match device names (`rpi`, `raspberrypi3`, `intel-nuc`). */
  readonly devices: boolean;
  /** Match a bare `x86` (in repository names it is too vague: it often means 64-bit x86). */
  readonly bareX86: boolean;
}

/** Names longer than this are not real tags or repository names; they are not searched. */
const MAX_NAME = 256;
/** Device names span at most this many segments (`generic-armv7ahf`, `raspberrypi0-2w-64`). */
const MAX_SEGMENTS = 4;

interface Segment {
  readonly start: number;
  readonly end: number;
}

function segmentsOf(text: string): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '-' || text[i] === '_' || text[i] === '.') {
      if (i > start) out.push({ start, end: i });
      start = i + 1;
    }
  }
  return out;
}

/** The first architecture (or device) named by whole segments of `text`, longest match first. */
export function findArchMention(text: string, options: ArchSearchOptions): ArchMention | undefined {
  if (text.length === 0 || text.length > MAX_NAME) return undefined;
  const segments = segmentsOf(text);
  const lower = text.toLowerCase();
  for (let i = 0; i < segments.length; i++) {
    for (let n = Math.min(MAX_SEGMENTS, segments.length - i); n >= 1; n--) {
      const start = segments[i].start;
      const end = segments[i + n - 1].end;
      const candidate = lower.slice(start, end);
      if (options.devices && Object.prototype.hasOwnProperty.call(DEVICE_PLATFORMS, candidate)) {
        return { token: text.slice(start, end), platform: DEVICE_PLATFORMS[candidate], start, end, device: true };
      }
      if (candidate === 'x86' && !options.bareX86) continue;
      const platform = platformOfArchToken(candidate, options.flavour);
      if (platform) return { token: text.slice(start, end), platform, start, end, device: false };
    }
  }
  return undefined;
}

/** `alpine` when the image is an Alpine one (its `armhf` is ARMv6), else `generic`. */
export function flavourOf(path: string, tag: string | undefined): ArchFlavour {
  const name = path.split('/').pop() ?? path;
  if (/(^|[-_.])alpine($|[-_.0-9])/.test(name) || (tag !== undefined && /(^|[-_.])alpine($|[-_.0-9])/.test(tag))) return 'alpine';
  return 'generic';
}

const CROSS_NAMESPACES = new Set(['dockcross', 'cross-rs', 'rustembedded', 'crossbuild']);
/** What follows an architecture in a target triple (`aarch64-unknown-linux-gnu`, `x86_64-linux-musl`). */
const TRIPLE_TAIL = /^[-_](?:unknown|linux[-_](?:gnu|musl|android)|none|apple|pc|w64|musl|gnu|elf|eabi)/;

/**
 * Cross-compilation toolchain images (`dockcross/linux-arm64`, `messense/rust-musl-cross:aarch64-musl`,
 * `ghcr.io/cross-rs/aarch64-unknown-linux-gnu`) name the architecture they compile FOR, not
 * the one they run on: their names are not a pin.
 */
export function isCrossToolchain(path: string, text: string, mention: ArchMention): boolean {
  const components = path.split('/');
  if (components.some((c) => CROSS_NAMESPACES.has(c))) return true;
  const name = components[components.length - 1];
  if (segmentsOf(name).some((s) => name.slice(s.start, s.end) === 'cross')) return true;
  return TRIPLE_TAIL.test(text.slice(mention.end, mention.end + 16).toLowerCase());
}
