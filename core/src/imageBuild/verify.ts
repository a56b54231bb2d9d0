/**
 * Verifying that a built image really is of the requested platform. The image config's
 * `Architecture` can lie (BuildKit labels an image built FROM a single-arch arm64 base with
 * `--platform linux/amd64` as amd64), so the ELF header of a binary inside the image is read:
 * a container is created (never started), the binary is fetched through the archive API, and
 * the container is removed again.
 */
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { posix } from 'node:path';
import * as tar from 'tar-stream';
import { formatPlatform, normalizePlatform, type Platform } from '../platforms';

export interface ElfInfo {
  /** Go architecture name (`amd64`, `arm64`, `arm`, …) or `elf-machine-<n>` when unknown. */
  readonly architecture: string;
  readonly bits: 32 | 64;
  readonly machine: number;
}

/** Reads the ELF identification of a binary's first bytes; undefined when it is not ELF. */
export function readElfHeader(bytes: Uint8Array): ElfInfo | undefined {
  if (bytes.length < 20 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return undefined;
  const bits = bytes[4] === 2 ? 64 : 32;
  const little = bytes[5] !== 2;
  const machine = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(18, little);
  const arch = ((): string => {
    switch (machine) {
      case 3:
        return '386';
      case 62:
        return 'amd64';
      case 40:
        return 'arm';
      case 183:
        return 'arm64';
      case 243:
        return bits === 64 ? 'riscv64' : 'riscv32';
      case 22:
        return 's390x';
      case 21:
        return little ? 'ppc64le' : 'ppc64';
      case 20:
        return 'ppc';
      case 8:
        return bits === 64 ? (little ? 'mips64le' : 'mips64') : little ? 'mipsle' : 'mips';
      case 258:
        return 'loong64';
      default:
        return `elf-machine-${machine}`;
    }
  })();
  return { architecture: arch, bits, machine };
}

/** The `uname -m`-style name of an ELF architecture, for messages. */
function machineName(arch: string): string {
  return ({ amd64: 'x86-64', arm64: 'aarch64', arm: 'ARM (32-bit)', '386': 'i386' } as Record<string, string>)[arch] ?? arch;
}

export interface FromLine {
  /** 1-based line of the FROM instruction. */
  readonly line: number;
  readonly image: string;
  readonly platformFlag?: string;
  readonly text: string;
}

/**
 * The FROM line whose base the target stage (or the last stage) ultimately comes from,
 * following `FROM <earlier stage>` references.
 */
export function baseFromLine(dockerfile: string, target?: string): FromLine | undefined {
  const lines = dockerfile.split(/\r?\n/);
  const escape = /^#\s*escape\s*=\s*(\S)/im.exec(lines.slice(0, 5).join('\n'))?.[1] ?? '\\';
  const froms: (FromLine & { stage?: string })[] = [];
  // One logical line per turn: a line and the continuation lines it escapes.
  for (let i = 0, text = lines[0]; text !== undefined; text = lines[++i]) {
    const start = i;
    let next: string | undefined;
    while (text.trimEnd().endsWith(escape) && (next = lines[i + 1]) !== undefined) {
      text = text.trimEnd().slice(0, -1) + ' ' + next.trim();
      i++;
    }
    const args = /^\s*FROM\s+(.*)$/i.exec(text)?.[1];
    if (args === undefined) continue;
    const words = args.trim().split(/\s+/);
    let platformFlag: string | undefined;
    while (words[0]?.startsWith('--')) {
      const flag = words.shift() as string;
      const pm = /^--platform=(.*)$/i.exec(flag);
      if (pm) platformFlag = pm[1];
    }
    const image = words[0] ?? '';
    const stage = words[1]?.toLowerCase() === 'as' ? words[2]?.toLowerCase() : undefined;
    froms.push({ line: start + 1, image, platformFlag, text: text.trim(), stage });
  }
  const last = froms.at(-1);
  if (!last) return undefined;
  let current = target ? (froms.find((f) => f.stage === target.toLowerCase()) ?? last) : last;
  for (let hops = 0; hops < froms.length; hops++) {
    const index = froms.indexOf(current);
    const parent = froms.slice(0, index).find((f) => f.stage !== undefined && f.stage === current.image.toLowerCase());
    if (!parent) break;
    current = parent;
  }
  const { line, image, platformFlag, text } = current;
  return { line, image, platformFlag, text };
}

export interface VerifyResult {
  readonly ok: boolean;
  /** What was checked (`/bin/busybox is an aarch64 ELF binary`), or why it failed. */
  readonly message: string;
  /** The platform the binaries are really built for, when known. */
  readonly actual?: Platform;
  /** On a failure: the 1-based line of the FROM whose base is pinned, when known. */
  readonly line?: number;
}

const CANDIDATES = ['/bin/sh', '/bin/busybox', '/usr/bin/env', '/bin/ls', '/usr/bin/ls', '/bin/bash', '/usr/local/bin/node'];

async function readArchiveHead(container: Docker.Container, path: string): Promise<{ link?: string; bytes?: Uint8Array } | undefined> {
  let stream: Readable;
  try {
    stream = (await container.getArchive({ path })) as unknown as Readable;
  } catch {
    return undefined;
  }
  return new Promise((resolve) => {
    const extract = tar.extract();
    let settled = false;
    const finish = (value: { link?: string; bytes?: Uint8Array } | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      stream.unpipe(extract);
      stream.destroy();
      extract.destroy();
    };
    extract.on('entry', (headers, entry, next) => {
      if (headers.type === 'symlink' || headers.type === 'link') {
        entry.resume();
        finish({ link: headers.linkname });
        return;
      }
      if (headers.type !== 'file') {
        entry.resume();
        finish(undefined);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      entry.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= 64) finish({ bytes: Buffer.concat(chunks).subarray(0, 64) });
      });
      entry.on('end', () => {
        finish({ bytes: Buffer.concat(chunks) });
        next();
      });
    });
    extract.on('finish', () => finish(undefined));
    extract.on('error', () => finish(undefined));
    stream.on('error', () => finish(undefined));
    stream.pipe(extract);
  });
}

/** Finds the first ELF binary among the candidates (following symlinks inside the image). */
async function findElf(container: Docker.Container, candidates: string[]): Promise<{ path: string; elf: ElfInfo } | undefined> {
  for (const first of candidates) {
    let path = first;
    for (let hops = 0; hops < 8; hops++) {
      const head = await readArchiveHead(container, path);
      if (!head) break;
      if (head.link !== undefined) {
        path = posix.resolve(posix.dirname(path), head.link);
        continue;
      }
      const elf = head.bytes ? readElfHeader(head.bytes) : undefined;
      if (elf) return { path, elf };
      break;
    }
  }
  return undefined;
}

/**
 * Checks that the image's binaries are of `platform`. `dockerfile` (the text) and `target` are
 * used to point at the FROM line in the failure message.
 */
export async function verifyImagePlatform(
  docker: Docker,
  image: string,
  platform: Platform,
  dockerfile: { text: string; name: string; target?: string },
): Promise<VerifyResult> {
  const wanted = normalizePlatform(platform);
  const info = await docker.getImage(image).inspect();
  const labelled = normalizePlatform({ os: info.Os, architecture: info.Architecture, variant: (info as { Variant?: string }).Variant });
  const config = info.Config ?? {};
  const first = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])].find((c) => typeof c === 'string' && c.startsWith('/'));
  const candidates = first ? [first, ...CANDIDATES] : CANDIDATES;
  const from = baseFromLine(dockerfile.text, dockerfile.target);
  const where = from
    ? `The base image on line ${from.line} of ${dockerfile.name} (${from.text}) is pinned to another platform: use a multi-arch base (a manifest list) or one chosen per platform, e.g. with \${TARGETARCH}.`
    : 'Check the base images of the Dockerfile.';
  if (wanted.os === 'linux' && labelled.os === 'linux' && labelled.architecture !== wanted.architecture) {
    return {
      ok: false,
      actual: labelled,
      line: from?.line,
      message: `The image built for ${formatPlatform(wanted)} is labelled ${formatPlatform(labelled)}. ${where}`,
    };
  }
  if (wanted.os !== 'linux')
    return { ok: true, message: `not verified (${wanted.os} images are checked by their label only: ${formatPlatform(labelled)})` };
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ['/green-cloud-verify-never-started'],
    Cmd: [],
    Labels: { 'green-cloud.verify': '1' },
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    const found = await findElf(container, candidates);
    if (!found) {
      return {
        ok: true,
        message: `no ELF binary found to verify (looked at ${candidates.slice(0, 4).join(', ')}…); the image is labelled ${formatPlatform(labelled)}`,
      };
    }
    if (found.elf.architecture !== wanted.architecture) {
      const actual = normalizePlatform({
        os: 'linux',
        architecture: found.elf.architecture.startsWith('elf-') ? 'unknown' : found.elf.architecture,
      });
      return {
        ok: false,
        actual,
        line: from?.line,
        message:
          `The image built for ${formatPlatform(wanted)} contains ${machineName(found.elf.architecture)} binaries (${found.path} is linux/${found.elf.architecture}), ` +
          `although it is labelled ${formatPlatform(labelled)}: it will not run on ${formatPlatform(wanted)} without emulation. ${where}`,
      };
    }
    return {
      ok: true,
      message: `verified ${formatPlatform(wanted)}: ${found.path} is an ELF binary for ${machineName(found.elf.architecture)}`,
    };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
