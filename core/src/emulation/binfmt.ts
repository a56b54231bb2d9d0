/**
 * QEMU user emulation on a Docker host: detection and set-up (no `vscode` import).
 *
 * - `detectEmulation(engine, platforms)`: per platform, `native` (the engine's own
 *   architecture), `emulated` (a QEMU binfmt_misc handler is registered and enabled), `missing`,
 *   or `unknown`. For a local Linux engine the handlers are read from
 *   /proc/sys/fs/binfmt_misc/qemu-*; for a remote engine a tiny container of that platform runs
 *   `uname -m` when an image of that platform is available on the engine (nothing is pulled).
 * - `setUpEmulation(engine, platforms, {confirmed: true, method})`: registers the missing
 *   handlers, on a local host as root from the installed qemu-user-static definitions
 *   (/usr/lib/binfmt.d/qemu-*.conf), else by running the privileged binfmt image
 *   (`tonistiigi/binfmt --install <arches>`, configurable). Without `confirmed: true` it refuses.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { formatPlatform, normalizePlatform, qemuName, unameMachine, type Platform } from '../platforms';
import { connectEngine, demultiplexLogs, describeEngineError, pingEngine, resolveEngineHost } from '../docker/connection';
import type { EngineEndpoint } from '../docker/types';
import type { EmulationReport, SetUpEmulationOptions, SetUpEmulationResult } from './types';

export const DEFAULT_BINFMT_MISC = '/proc/sys/fs/binfmt_misc';
export const DEFAULT_BINFMT_DIR = '/usr/lib/binfmt.d';
export const DEFAULT_BINFMT_IMAGE = 'tonistiigi/binfmt';

export interface BinfmtHandler {
  readonly name: string;
  readonly enabled: boolean;
  readonly interpreter?: string;
  readonly flags: string;
}

/** Parses a /proc/sys/fs/binfmt_misc/<name> file. */
export function parseBinfmtEntry(name: string, text: string): BinfmtHandler {
  const lines = text.split('\n').map((l) => l.trim());
  const interpreter = lines.find((l) => l.startsWith('interpreter '))?.slice('interpreter '.length);
  const flags =
    lines
      .find((l) => l.startsWith('flags:'))
      ?.slice('flags:'.length)
      .trim() ?? '';
  return { name, enabled: lines[0] === 'enabled', interpreter, flags };
}

/** The registered binfmt_misc handlers (empty when binfmt_misc is not mounted). */
export function readBinfmtHandlers(binfmtMisc = DEFAULT_BINFMT_MISC): BinfmtHandler[] {
  if (!existsSync(join(binfmtMisc, 'register'))) return [];
  return readdirSync(binfmtMisc)
    .filter((n) => n !== 'register' && n !== 'status')
    .flatMap((n) => {
      try {
        return [parseBinfmtEntry(n, readFileSync(join(binfmtMisc, n), 'utf8'))];
      } catch {
        return [];
      }
    });
}

/** The handler that emulates a platform: by name (`qemu-aarch64`) or by interpreter (`…/qemu-aarch64-static`, `…/aarch64-binfmt-P`). */
export function handlerFor(handlers: readonly BinfmtHandler[], platform: Platform): BinfmtHandler | undefined {
  const q = qemuName(platform);
  if (!q) return undefined;
  const arch = q.slice('qemu-'.length);
  return (
    handlers.find((h) => h.name === q) ??
    handlers.find((h) => {
      const base = (h.interpreter ?? '').split('/').pop() ?? '';
      return base === q || base === `${q}-static` || base === `${arch}-binfmt-P`;
    })
  );
}

function isLocalEngine(host: string): boolean {
  return process.platform === 'linux' && host.startsWith('unix://');
}

interface EngineInfo {
  docker: Docker;
  native: Platform;
  host: string;
}

async function engineInfo(engine: EngineEndpoint | string | undefined): Promise<EngineInfo> {
  const endpoint = typeof engine === 'object' ? engine : resolveEngineHost(engine);
  const docker = connectEngine(endpoint);
  await pingEngine(docker, endpoint.host);
  const info = (await docker.info()) as { Architecture?: string; OSType?: string };
  const native = normalizePlatform({ os: info.OSType ?? 'linux', architecture: info.Architecture ?? 'amd64' });
  return { docker, native, host: endpoint.host };
}

/** Finds a local image of the platform on the engine (nothing is pulled). */
async function localImageOf(docker: Docker, platform: Platform): Promise<string | undefined> {
  const images = await docker.listImages();
  for (const image of images.slice(0, 60)) {
    const ref = image.RepoTags?.find((t) => t !== '<none>:<none>');
    if (!ref) continue;
    try {
      const info = await docker.getImage(image.Id).inspect();
      const p = normalizePlatform({ os: info.Os, architecture: info.Architecture, variant: (info as { Variant?: string }).Variant });
      if (p.architecture === normalizePlatform(platform).architecture && p.os === platform.os) return ref;
    } catch {
      // an image removed meanwhile
    }
  }
  return undefined;
}

/** Runs `uname -m` in a container of the platform; resolves to the output or rejects. */
async function probe(docker: Docker, image: string, platform: Platform): Promise<{ ok: boolean; output: string }> {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ['uname'],
    Cmd: ['-m'],
    Labels: { 'green-cloud.emulation-probe': '1' },
    HostConfig: { NetworkMode: 'none' },
    platform: formatPlatform(platform),
  });
  try {
    try {
      await container.start();
    } catch (error) {
      return { ok: false, output: error instanceof Error ? error.message : String(error) };
    }
    const exit = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true });
    const output = demultiplexLogs(logs);
    return { ok: exit.StatusCode === 0, output: output.trim() };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

export interface DetectOptions {
  /** binfmt_misc mount point (default /proc/sys/fs/binfmt_misc). */
  readonly binfmtMisc?: string;
  /** Treat the engine as local (its binfmt_misc is this machine's); default: a unix:// socket on Linux. */
  readonly local?: boolean;
}

/** Emulation status per platform for the engine's host. Rejects with a clear message when the engine is unreachable. */
export async function detectEmulation(
  engine: EngineEndpoint | string | undefined,
  platforms: readonly Platform[],
  options: DetectOptions = {},
): Promise<EmulationReport[]> {
  const { docker, native, host } = await engineInfo(engine);
  const local = options.local ?? isLocalEngine(host);
  const binfmtMisc = options.binfmtMisc ?? DEFAULT_BINFMT_MISC;
  const handlers = local ? readBinfmtHandlers(binfmtMisc) : [];
  const mounted = local && existsSync(join(binfmtMisc, 'register'));
  const reports: EmulationReport[] = [];
  for (const raw of platforms) {
    const platform = normalizePlatform(raw);
    if (platform.os === native.os && platform.architecture === native.architecture) {
      reports.push({ platform, status: 'native', detail: `the engine's host is ${formatPlatform(native)}` });
      continue;
    }
    const q = qemuName(platform);
    if (local) {
      if (!mounted) {
        reports.push({ platform, status: 'missing', detail: `binfmt_misc is not mounted at ${binfmtMisc}: no QEMU emulation`, handler: q });
        continue;
      }
      const h = handlerFor(handlers, platform);
      if (!h) {
        reports.push({ platform, status: 'missing', detail: `no binfmt_misc handler for ${q ?? formatPlatform(platform)}`, handler: q });
      } else if (!h.enabled) {
        reports.push({ platform, status: 'missing', detail: `binfmt_misc ${h.name} is registered but disabled`, handler: h.name });
      } else {
        const fix = h.flags.includes('F') ? '' : '; without the F flag containers need the interpreter inside the image';
        reports.push({
          platform,
          status: 'emulated',
          detail: `binfmt_misc ${h.name} enabled (${h.interpreter ?? '?'}, flags ${h.flags || 'none'})${fix}`,
          handler: h.name,
        });
      }
      continue;
    }
    const image = await localImageOf(docker, platform).catch(() => undefined);
    if (!image) {
      reports.push({
        platform,
        status: 'unknown',
        detail: `no local ${formatPlatform(platform)} image on ${host} to test with`,
        handler: q,
      });
      continue;
    }
    try {
      const r = await probe(docker, image, platform);
      const expected = unameMachine(platform);
      if (r.ok && (!expected || r.output === expected || (platform.architecture === 'arm' && /^armv/.test(r.output)))) {
        reports.push({
          platform,
          status: 'emulated',
          detail: `a ${formatPlatform(platform)} container (${image}) ran on ${host}: uname -m = ${r.output}`,
          handler: q,
        });
      } else {
        reports.push({
          platform,
          status: 'missing',
          detail: `a ${formatPlatform(platform)} container (${image}) could not run on ${host}: ${r.output || 'no output'}`,
          handler: q,
        });
      }
    } catch (error) {
      reports.push({
        platform,
        status: 'unknown',
        detail: `could not test ${formatPlatform(platform)} on ${host}: ${describeEngineError(error, host)}`,
        handler: q,
      });
    }
  }
  return reports;
}

function run(file: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: 15000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(),
    );
  });
}

/**
 * Registers QEMU handlers for the platforms that lack emulation. Only with `confirmed: true`:
 * the caller must have asked the user (the `image` method runs a privileged container).
 */
export async function setUpEmulation(
  engine: EngineEndpoint | string | undefined,
  platforms: readonly Platform[],
  options: SetUpEmulationOptions,
): Promise<SetUpEmulationResult> {
  if (!options.confirmed) {
    throw new Error("Setting up QEMU emulation changes the Docker host (binfmt_misc); it needs the user's confirmation (confirmed: true).");
  }
  const binfmtMisc = options.binfmtMisc ?? DEFAULT_BINFMT_MISC;
  const binfmtDir = options.binfmtDir ?? DEFAULT_BINFMT_DIR;
  const { docker, host } = await engineInfo(engine);
  const before = await detectEmulation(engine, platforms, { binfmtMisc });
  const needed = before.filter((r) => r.status === 'missing' || r.status === 'unknown');
  if (needed.length === 0) return { method: 'none', registered: [], failed: [] };
  const local = isLocalEngine(host);
  const canHost =
    local &&
    typeof process.getuid === 'function' &&
    process.getuid() === 0 &&
    needed.every((r) => r.handler && existsSync(join(binfmtDir, `${r.handler}.conf`)));
  const method = options.method === 'host' || options.method === 'image' ? options.method : canHost ? 'host' : 'image';
  const registered: string[] = [];
  const failed: { platform: Platform; reason: string }[] = [];
  if (method === 'host') {
    if (!local) throw new Error(`The host method needs a local engine; ${host} is remote. Use the image method.`);
    if (!existsSync(join(binfmtMisc, 'register'))) await run('mount', ['-t', 'binfmt_misc', 'binfmt_misc', binfmtMisc]);
    for (const r of needed) {
      const name = r.handler;
      if (!name) {
        failed.push({ platform: r.platform, reason: `QEMU does not emulate ${formatPlatform(r.platform)}` });
        continue;
      }
      try {
        const existing = handlerFor(readBinfmtHandlers(binfmtMisc), r.platform);
        if (existing && !existing.enabled) {
          writeFileSync(join(binfmtMisc, existing.name), '1');
        } else {
          const conf = join(binfmtDir, `${name}.conf`);
          if (!existsSync(conf)) throw new Error(`${conf} not found: install qemu-user-static (apt-get install qemu-user-static)`);
          const line = readFileSync(conf, 'utf8')
            .split('\n')
            .find((l) => l.startsWith(':'));
          if (!line) throw new Error(`${conf} holds no binfmt_misc registration`);
          writeFileSync(join(binfmtMisc, 'register'), line);
        }
        registered.push(name);
      } catch (error) {
        failed.push({ platform: r.platform, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  } else {
    const image = options.image ?? DEFAULT_BINFMT_IMAGE;
    const arches = [...new Set(needed.map((r) => normalizePlatform(r.platform).architecture))];
    try {
      await docker.getImage(image).inspect();
    } catch {
      let stream: NodeJS.ReadableStream;
      try {
        stream = await docker.pull(image);
      } catch (err) {
        throw new Error(`Cannot pull ${image} on ${host}: ${describeEngineError(err, host)}`);
      }
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(stream, (e: unknown) =>
          e ? reject(new Error(`Cannot pull ${image}: ${e instanceof Error ? e.message : JSON.stringify(e)}`)) : resolve(),
        );
      });
    }
    const container = await docker.createContainer({
      Image: image,
      Cmd: ['--install', arches.join(',')],
      Labels: { 'green-cloud.binfmt': '1' },
      HostConfig: { Privileged: true, NetworkMode: 'none' },
    });
    try {
      await container.start();
      const exit = (await container.wait()) as { StatusCode: number };
      if (exit.StatusCode !== 0) throw new Error(`${image} --install ${arches.join(',')} exited with ${exit.StatusCode}`);
    } catch (error) {
      const why = `running the privileged ${image} on ${host} failed: ${describeEngineError(error, host)}`;
      for (const r of needed) failed.push({ platform: r.platform, reason: why });
      return { method, registered, failed };
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  }
  const after = await detectEmulation(
    engine,
    needed.map((r) => r.platform),
    { binfmtMisc, local: method === 'host' ? true : undefined },
  );
  for (const r of after) {
    if (r.status === 'emulated' || r.status === 'native') {
      if (method === 'image' && r.handler) registered.push(r.handler);
    } else if (!failed.some((f) => f.platform === r.platform || formatPlatform(f.platform) === formatPlatform(r.platform))) {
      failed.push({ platform: r.platform, reason: r.detail });
    }
  }
  return { method, registered: [...new Set(registered)], failed };
}
