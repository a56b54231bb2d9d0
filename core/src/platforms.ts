/**
 * The platform model: parse, normalise, format and match OCI platforms (`os/arch[/variant]`),
 * and the tables that tie architecture names used by image publishers to OCI platforms.
 *
 * Normalisation follows containerd/platforms (x86_64 → amd64, aarch64 → arm64, armhf → arm/v7,
 * armel → arm/v6, i386 → 386), except that `arm64` and `arm64/v8` are treated as equal
 * (Docker official images label arm64 as variant v8). No `vscode` import: shared by the server,
 * the client and the CLI.
 */

export interface Platform {
  /** `linux`, `windows`, … */
  readonly os: string;
  /** Go architecture name: `amd64`, `arm64`, `arm`, `386`, `ppc64le`, `s390x`, `riscv64`, … */
  readonly architecture: string;
  /** `v5`, `v6`, `v7` for arm; `v8` is dropped for arm64. */
  readonly variant?: string;
}

export class PlatformError extends Error {
  override readonly name = 'PlatformError';
}

const KNOWN_OS = new Set([
  'linux',
  'windows',
  'darwin',
  'freebsd',
  'netbsd',
  'openbsd',
  'solaris',
  'illumos',
  'aix',
  'plan9',
  'android',
  'ios',
  'js',
  'wasip1',
  'dragonfly',
]);

/**
 * A lookup table without a prototype, so that `table['constructor']` or `table['__proto__']`
 * (from a tag or a user's setting) is undefined rather than an Object.prototype member.
 */
function table<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** Architecture aliases → [Go architecture, default variant]. */
const ARCH_ALIASES: Readonly<Record<string, [string, string | undefined]>> = table({
  amd64: ['amd64', undefined],
  x86_64: ['amd64', undefined],
  'x86-64': ['amd64', undefined],
  x64: ['amd64', undefined],
  aarch64: ['arm64', undefined],
  arm64: ['arm64', undefined],
  armhf: ['arm', 'v7'],
  armel: ['arm', 'v6'],
  arm: ['arm', 'v7'],
  armv5: ['arm', 'v5'],
  armv6: ['arm', 'v6'],
  armv7: ['arm', 'v7'],
  armv7l: ['arm', 'v7'],
  armv8: ['arm64', undefined],
  i386: ['386', undefined],
  i486: ['386', undefined],
  i586: ['386', undefined],
  i686: ['386', undefined],
  x86: ['386', undefined],
  '386': ['386', undefined],
  ppc64le: ['ppc64le', undefined],
  ppc64el: ['ppc64le', undefined],
  s390x: ['s390x', undefined],
  riscv64: ['riscv64', undefined],
  mips64le: ['mips64le', undefined],
  mips64el: ['mips64le', undefined],
  mips64: ['mips64', undefined],
  mipsle: ['mipsle', undefined],
  mips: ['mips', undefined],
  ppc64: ['ppc64', undefined],
  loong64: ['loong64', undefined],
  wasm: ['wasm', undefined],
});

/** Go's GOARCH values: what `parsePlatform` accepts besides the aliases above. */
const KNOWN_ARCH = new Set([
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'armbe',
  'arm64',
  'arm64be',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'ppc',
  'ppc64',
  'ppc64le',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
]);

const VARIANT_RE = /^v[0-9]+(\.[0-9]+)?$/;

/**
 * @param strict reject architectures that Go does not know (user input); image data from a
 *   registry (`unknown/unknown` attestation entries) is normalised leniently.
 */
function normaliseArchitecture(arch: string, variant: string | undefined, strict = false): [string, string | undefined] {
  const lower = arch.toLowerCase();
  const alias = ARCH_ALIASES[lower];
  if (!alias) {
    if (!/^[a-z0-9_]+$/.test(lower)) {
      throw new PlatformError(`'${arch}' is not an architecture name (for example amd64, arm64, arm).`);
    }
    if (strict && !KNOWN_ARCH.has(lower)) {
      throw new PlatformError(`'${arch}' is not a known architecture (for example amd64, arm64, arm/v7, 386, ppc64le, s390x, riscv64).`);
    }
    const v = variant?.toLowerCase();
    if (strict && v !== undefined && !VARIANT_RE.test(v)) {
      throw new PlatformError(`'${variant}' is not a platform variant (for example v7 or v8).`);
    }
    return [lower, v];
  }
  const [goArch, defaultVariant] = alias;
  let v = variant?.toLowerCase();
  if (v !== undefined && !VARIANT_RE.test(v) && !/^[0-9]+$/.test(v)) {
    throw new PlatformError(`'${variant}' is not a platform variant (for example v7 or v8).`);
  }
  if (v !== undefined && /^[0-9]+$/.test(v)) v = `v${v}`;
  if (goArch === 'arm64') {
    // arm64, arm64/v8 and arm64/v8.0 are one platform; other arm64 variants (v8.2 …) are kept.
    return ['arm64', v === 'v8' || v === 'v8.0' ? undefined : v];
  }
  if (goArch === 'arm') return ['arm', v ?? defaultVariant];
  if (goArch === 'amd64' && v === 'v1') return ['amd64', undefined];
  return [goArch, v];
}

/**
 * Parses `os/arch[/variant]`, `arch` (os defaults to linux) or `os/arch` with aliases, and
 * returns the normalised platform. Throws PlatformError with a clear message on bad input.
 */
export function parsePlatform(text: string): Platform {
  const raw = text.trim();
  if (raw === '') throw new PlatformError('An empty string is not a platform (expected os/arch[/variant], e.g. linux/arm64).');
  const parts = raw.split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    throw new PlatformError(`'${text}' is not a platform (expected os/arch[/variant], e.g. linux/arm/v7).`);
  }
  const [first = '', second, third] = parts; // split yields at least one part
  let os: string;
  let arch: string;
  let variant: string | undefined;
  if (second === undefined) {
    const only = first.toLowerCase();
    if (KNOWN_OS.has(only)) {
      throw new PlatformError(`'${text}' names an OS but no architecture (expected e.g. ${only}/amd64).`);
    }
    os = 'linux';
    arch = first;
  } else {
    os = first.toLowerCase();
    arch = second;
    variant = third;
    if (!KNOWN_OS.has(os)) {
      if (ARCH_ALIASES[os] && third === undefined) {
        // `arm/v7`, `arm64/v8`: arch/variant without the OS.
        variant = arch;
        arch = os;
        os = 'linux';
      } else {
        throw new PlatformError(`'${first}' in '${text}' is not an operating system (expected e.g. linux).`);
      }
    }
  }
  const [architecture, v] = normaliseArchitecture(arch, variant, true);
  return v === undefined ? { os, architecture } : { os, architecture, variant: v };
}

/** Normalises a platform object (e.g. from an image config: `{architecture: 'aarch64'}`). */
export function normalizePlatform(p: { os?: string; architecture: string; variant?: string }): Platform {
  const os = (p.os ?? 'linux').toLowerCase();
  const [architecture, variant] = normaliseArchitecture(p.architecture, p.variant || undefined);
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/** `linux/arm/v7`, `linux/arm64`. */
export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** True when both denote the same platform after normalisation (arm64 == arm64/v8, arm == arm/v7). */
export function platformsEqual(a: Platform, b: Platform): boolean {
  const x = normalizePlatform(a);
  const y = normalizePlatform(b);
  return x.os === y.os && x.architecture === y.architecture && (x.variant ?? '') === (y.variant ?? '');
}

/** Parses a comma-separated list (`linux/amd64, linux/arm64`), dropping duplicates. */
export function parsePlatformList(text: string): Platform[] {
  const out: Platform[] = [];
  for (const piece of text.split(',')) {
    if (piece.trim() === '') continue;
    const p = parsePlatform(piece);
    if (!out.some((q) => platformsEqual(p, q))) out.push(p);
  }
  return out;
}

/** The tag suffix used for per-arch images: `amd64`, `arm64`, `armv7`, `386`. */
export function platformTagSuffix(p: Platform): string {
  const n = normalizePlatform(p);
  return `${n.architecture}${n.variant ?? ''}`;
}

/** What `uname -m` prints on this platform, when known. */
export function unameMachine(p: Platform): string | undefined {
  const n = normalizePlatform(p);
  switch (n.architecture) {
    case 'amd64':
      return 'x86_64';
    case 'arm64':
      return 'aarch64';
    case 'arm':
      return n.variant === 'v5' ? 'armv5l' : n.variant === 'v6' ? 'armv6l' : 'armv7l';
    case '386':
      return 'i686';
    case 'ppc64le':
      return 'ppc64le';
    case 's390x':
      return 's390x';
    case 'riscv64':
      return 'riscv64';
    case 'mips64le':
      return 'mips64';
    default:
      return undefined;
  }
}

/** The QEMU user-mode emulator name for a platform (`qemu-aarch64`); add `-static` for the binary. */
export function qemuName(p: Platform): string | undefined {
  const n = normalizePlatform(p);
  const names = table<string>({
    amd64: 'qemu-x86_64',
    arm64: 'qemu-aarch64',
    arm: 'qemu-arm',
    '386': 'qemu-i386',
    ppc64le: 'qemu-ppc64le',
    s390x: 'qemu-s390x',
    riscv64: 'qemu-riscv64',
    mips64le: 'qemu-mips64el',
    mips64: 'qemu-mips64',
    loong64: 'qemu-loongarch64',
  });
  return names[n.architecture];
}

/** The platform a QEMU binary emulates (`qemu-aarch64-static` → linux/arm64), if known. */
export function platformOfQemuBinary(binary: string): Platform | undefined {
  const base = binary.split('/').pop() ?? binary;
  const name = /^qemu-([a-z0-9_]+?)(?:-static)?$/.exec(base)?.[1];
  if (name === undefined) return undefined;
  const map = table<Platform>({
    x86_64: { os: 'linux', architecture: 'amd64' },
    aarch64: { os: 'linux', architecture: 'arm64' },
    arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
    armeb: { os: 'linux', architecture: 'arm', variant: 'v7' },
    i386: { os: 'linux', architecture: '386' },
    ppc64le: { os: 'linux', architecture: 'ppc64le' },
    s390x: { os: 'linux', architecture: 's390x' },
    riscv64: { os: 'linux', architecture: 'riscv64' },
    mips64el: { os: 'linux', architecture: 'mips64le' },
    mips64: { os: 'linux', architecture: 'mips64' },
    mipsel: { os: 'linux', architecture: 'mipsle' },
    mips: { os: 'linux', architecture: 'mips' },
    ppc64: { os: 'linux', architecture: 'ppc64' },
    loongarch64: { os: 'linux', architecture: 'loong64' },
  });
  return map[name];
}

/** True when a QEMU binary can run binaries of the platform (qemu-arm runs arm/v5, v6 and v7). */
export function qemuMatchesPlatform(binary: string, p: Platform): boolean {
  const q = platformOfQemuBinary(binary);
  if (!q) return false;
  const n = normalizePlatform(p);
  return q.os === n.os && q.architecture === n.architecture;
}

// ---------------------------------------------------------------------------------------------
// Architecture names as image publishers use them.

const P = (architecture: string, variant?: string): Platform =>
  variant ? { os: 'linux', architecture, variant } : { os: 'linux', architecture };

/**
 * docker-library architecture namespaces (`arm64v8/alpine`) and the legacy Hub namespaces
 * (`aarch64/ubuntu`, `armhf/debian`), each pinning one platform.
 */
export const ARCH_NAMESPACES: Readonly<Record<string, Platform>> = table({
  amd64: P('amd64'),
  arm32v5: P('arm', 'v5'),
  arm32v6: P('arm', 'v6'),
  arm32v7: P('arm', 'v7'),
  arm64v8: P('arm64'),
  i386: P('386'),
  ppc64le: P('ppc64le'),
  s390x: P('s390x'),
  riscv64: P('riscv64'),
  mips64le: P('mips64le'),
  winamd64: { os: 'windows', architecture: 'amd64' },
  // legacy Docker Hub namespaces
  aarch64: P('arm64'),
  armhf: P('arm', 'v7'),
  armel: P('arm', 'v5'),
});

/**
 * Architecture tokens as they appear in tags and repository names. `flavour` settles the
 * known conflicts: Alpine's `armhf` is arm/v6 while Debian's `armhf` is arm/v7.
 */
export type ArchFlavour = 'alpine' | 'debian' | 'generic';

const GENERIC_TOKENS: Readonly<Record<string, Platform>> = table({
  amd64: P('amd64'),
  x86_64: P('amd64'),
  'x86-64': P('amd64'),
  arm64: P('arm64'),
  arm64v8: P('arm64'),
  aarch64: P('arm64'),
  armv8: P('arm64'),
  armhf: P('arm', 'v7'),
  armv7: P('arm', 'v7'),
  armv7l: P('arm', 'v7'),
  armv7hf: P('arm', 'v7'),
  arm32v7: P('arm', 'v7'),
  armv6: P('arm', 'v6'),
  armv6l: P('arm', 'v6'),
  armv6hf: P('arm', 'v6'),
  arm32v6: P('arm', 'v6'),
  armel: P('arm', 'v5'),
  armv5: P('arm', 'v5'),
  armv5e: P('arm', 'v5'),
  arm32v5: P('arm', 'v5'),
  i386: P('386'),
  i686: P('386'),
  x86: P('386'),
  ppc64le: P('ppc64le'),
  ppc64el: P('ppc64le'),
  s390x: P('s390x'),
  riscv64: P('riscv64'),
  mips64le: P('mips64le'),
  mips64el: P('mips64le'),
});

/** The platform an architecture token denotes, or undefined when it is not one. */
export function platformOfArchToken(token: string, flavour: ArchFlavour = 'generic'): Platform | undefined {
  const t = token.toLowerCase();
  if (flavour === 'alpine' && t === 'armhf') return P('arm', 'v6');
  if (flavour === 'alpine' && t === 'x86') return P('386');
  return GENERIC_TOKENS[t];
}

/**
 * Device names that pin an architecture in balena/resin repository names
 * (`resin/rpi-raspbian`, `balenalib/raspberrypi3-debian`).
 */
export const DEVICE_PLATFORMS: Readonly<Record<string, Platform>> = table({
  rpi: P('arm', 'v6'),
  raspberrypi: P('arm', 'v6'),
  'raspberry-pi': P('arm', 'v6'),
  raspberrypi0: P('arm', 'v6'),
  'raspberrypi0-2w-64': P('arm64'),
  'raspberry-pi2': P('arm', 'v7'),
  raspberrypi2: P('arm', 'v7'),
  raspberrypi3: P('arm', 'v7'),
  'raspberrypi3-64': P('arm64'),
  raspberrypi4: P('arm', 'v7'),
  'raspberrypi4-64': P('arm64'),
  raspberrypi5: P('arm64'),
  raspbian: P('arm', 'v6'),
  beaglebone: P('arm', 'v7'),
  'beaglebone-black': P('arm', 'v7'),
  'beaglebone-green': P('arm', 'v7'),
  'intel-nuc': P('amd64'),
  'jetson-nano': P('arm64'),
  'jetson-tx2': P('arm64'),
  'jetson-xavier': P('arm64'),
  'generic-aarch64': P('arm64'),
  'generic-amd64': P('amd64'),
  'generic-armv7ahf': P('arm', 'v7'),
  odroid: P('arm', 'v7'),
  'odroid-xu4': P('arm', 'v7'),
  'orange-pi': P('arm', 'v7'),
  'up-board': P('amd64'),
  'qemux86-64': P('amd64'),
  qemux86: P('386'),
  // more balena device types (balenalib/<device>-<distro>)
  'raspberrypi400-64': P('arm64'),
  'raspberrypicm4-ioboard': P('arm', 'v7'),
  fincm3: P('arm', 'v7'),
  'jetson-agx-orin-devkit': P('arm64'),
  'nanopi-neo-air': P('arm', 'v7'),
  'orangepi-plus2': P('arm', 'v7'),
  'genericx86-64-ext': P('amd64'),
  'coral-dev': P('arm64'),
});

/** The default target platforms (`greenCloud.platforms`). */
export const DEFAULT_TARGET_PLATFORMS: readonly Platform[] = [P('amd64'), P('arm64'), P('arm', 'v7')];
