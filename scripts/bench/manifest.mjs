// Bench section `manifest`: assemble and push a 3-platform manifest list with Green Cloud's
// registry core (bundled with esbuild as it ships) vs `/usr/bin/docker manifest create` +
// `annotate` (arm64, arm/v7) + `push`, on the same real docker-registry (loopback, its own temp
// dir) in the same run, interleaved. A counting proxy in front of the registry counts the HTTP
// requests of each. Target (issue 5): our median time <= 0.5x docker's.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import * as esbuild from 'esbuild';
import { median, ms, percentile, startRegistry, table } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);
const DOCKER_CLI = '/usr/bin/docker';

/**
 * A proxy that counts requests per label (set before each measured step).
 * @param {number} upstreamPort
 */
async function countingProxy(upstreamPort) {
  /** @type {Record<string, number>} */
  const counts = {};
  const state = { label: 'setup' };
  const server = createServer((req, res) => {
    counts[state.label] = (counts[state.label] ?? 0) + 1;
    const up = httpRequest({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address()); // listening on TCP
  return { port, counts, state, close: () => (server.closeAllConnections(), new Promise((r) => server.close(r))) };
}

/**
 * @param {string} name
 * @param {Buffer} content
 */
function tarGz(name, content) {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  content.copy(body);
  const tar = Buffer.concat([header, body, Buffer.alloc(1024)]);
  return { tar, gz: gzipSync(tar) };
}

/** @type {import('./lib.mjs').BenchSection} */
export const section = {
  name: 'manifest',
  description: '3-platform manifest list: Green Cloud vs docker manifest create+annotate+push (time, HTTP requests)',
  async run(options) {
    const missing = () =>
      ['docker-registry', DOCKER_CLI].filter((cmd) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status !== 0);
    // The project installs what it runs (scripts/env/docker.sh's NEEDS table).
    if (missing().length > 0 && spawnSync(join(root, 'scripts/env/docker.sh'), ['install'], { stdio: 'inherit' }).status !== 0)
      throw new Error(`${missing().join(', ')} missing and 'scripts/env/docker.sh install' failed (see above).`);
    const dir = mkdtempSync(join(tmpdir(), 'gc-bench-manifest-'));
    const outfile = join(dir, 'registry.cjs');
    await esbuild.build({
      // Only what a list push ships with (the engine push module would pull in dockerode).
      stdin: {
        contents:
          "export { RegistryClient } from './client'; export { MediaType } from './mediaTypes'; export { pushManifestList } from './manifestList';",
        resolveDir: join(root, 'core/src/registry'),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      outfile,
      logLevel: 'silent',
    });
    const core = createRequire(import.meta.url)(outfile);
    const registry = await startRegistry(dir);
    const proxy = await countingProxy(registry.port);
    const host = `127.0.0.1:${proxy.port}`;
    try {
      const setup = new core.RegistryClient(host);
      const sources = [];
      for (const p of [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
        { os: 'linux', architecture: 'arm', variant: 'v7' },
      ]) {
        const { tar, gz } = tarGz('platform.txt', Buffer.from(`${p.architecture}\n`));
        const config = Buffer.from(
          JSON.stringify({
            ...p,
            rootfs: { type: 'layers', diff_ids: [`sha256:${createHash('sha256').update(tar).digest('hex')}`] },
            config: {},
          }),
        );
        const layerDigest = await setup.pushBlob('bench/web', gz);
        const configDigest = await setup.pushBlob('bench/web', config);
        const manifest = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: core.MediaType.dockerManifest,
            config: { mediaType: core.MediaType.dockerConfig, size: config.length, digest: configDigest },
            layers: [{ mediaType: core.MediaType.dockerLayer, size: gz.length, digest: layerDigest }],
          }),
        );
        const tag = `${p.architecture}${p.variant ?? ''}-1`;
        await setup.putManifest('bench/web', tag, manifest, core.MediaType.dockerManifest);
        sources.push(`${host}/bench/web:${tag}`);
      }
      const iterations = options.quick ? 3 : 10;
      const ours = [];
      const theirs = [];
      for (let i = -1; i < iterations; i++) {
        // ours: a fresh client each time (no warm token/connection state carried over).
        proxy.state.label = i < 0 ? 'warmup' : 'ours';
        let start = performance.now();
        const result = await core.pushManifestList({
          target: `${host}/bench/web:ours-${i + 1}`,
          sources: sources.map((reference) => ({ reference })),
        });
        if (i >= 0) ours.push(performance.now() - start);
        if (result.entries.length !== 3) throw new Error('our list does not have 3 entries');
        // docker: a fresh DOCKER_CONFIG each time (its local manifest store starts empty).
        const config = mkdtempSync(join(dir, 'docker-config-'));
        const env = { ...process.env, DOCKER_CONFIG: config };
        const target = `${host}/bench/web:docker-${i + 1}`;
        proxy.state.label = i < 0 ? 'warmup' : 'docker';
        start = performance.now();
        await run(DOCKER_CLI, ['manifest', 'create', '--insecure', target, ...sources], { env });
        await run(DOCKER_CLI, ['manifest', 'annotate', '--os', 'linux', '--arch', 'arm64', '--variant', 'v8', target, sources[1]], { env });
        await run(DOCKER_CLI, ['manifest', 'annotate', '--os', 'linux', '--arch', 'arm', '--variant', 'v7', target, sources[2]], { env });
        await run(DOCKER_CLI, ['manifest', 'push', '--insecure', target], { env });
        if (i >= 0) theirs.push(performance.now() - start);
        rmSync(config, { recursive: true, force: true });
      }
      const perRun = (/** @type {string} */ label) => (proxy.counts[label] ?? 0) / iterations;
      table(
        ['tool', 'median ms', 'p90 ms', 'HTTP requests'],
        [
          ['green-cloud (core)', ms(median(ours)), ms(percentile(ours, 90)), perRun('ours').toFixed(1)],
          ['docker manifest create+annotate x2+push', ms(median(theirs)), ms(percentile(theirs, 90)), perRun('docker').toFixed(1)],
        ],
      );
      const ratio = median(ours) / median(theirs);
      console.log(
        `ratio green-cloud/docker (median time): ${ratio.toFixed(3)} (target <= 0.5) ${ratio <= 0.5 ? 'MET' : 'NOT MET'}; ${iterations} interleaved runs`,
      );
    } finally {
      await proxy.close();
      registry.child.kill('SIGTERM');
      await new Promise((r) => registry.child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
