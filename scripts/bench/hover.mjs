// Bench section `hover`: the hover on a FROM image over LSP stdio (`dist/server.js --stdio`,
// bundled as it ships), cold (empty lookup cache: HEAD for the tag, GET of the list and its
// children) and cached, vs `/usr/bin/docker manifest inspect` (buildx is absent) of the same
// kind of image on the same real docker-registry (loopback, its own temp dir). Each cold sample
// and each docker sample reads a distinct 3-platform list, so neither side answers from a cache.
// Targets (issue 12): cached under 20 ms; cold <= 0.5x the CLI.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { median, ms, percentile, startRegistry, table } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);
const DOCKER_CLI = '/usr/bin/docker';
const require = createRequire(import.meta.url);

/** @param {Buffer} b */
const digestOf = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/**
 * @param {string} base
 * @param {string} repo
 * @param {Buffer} bytes
 */
async function pushBlob(base, repo, bytes) {
  const digest = digestOf(bytes);
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location') ?? '', base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status}`);
  return { digest, size: bytes.length };
}

/**
 * @param {string} base
 * @param {string} repo
 * @param {string} ref
 * @param {string} mediaType
 * @param {unknown} body
 */
async function putManifest(base, repo, ref, mediaType, body) {
  const bytes = Buffer.from(JSON.stringify(body));
  const r = await fetch(`${base}/v2/${repo}/manifests/${ref}`, { method: 'PUT', body: bytes, headers: { 'Content-Type': mediaType } });
  if (r.status !== 201) throw new Error(`manifest put: ${r.status}`);
  return { digest: digestOf(bytes), size: bytes.length, mediaType };
}

/**
 * A 3-platform list `repo:1` of small synthetic images.
 * @param {string} base
 * @param {string} repo
 */
async function pushList(base, repo) {
  const entries = [];
  for (const [architecture, variant] of [['amd64'], ['arm64', 'v8'], ['arm', 'v7']]) {
    const layer = await pushBlob(base, repo, Buffer.from(`${repo} ${architecture} ${'x'.repeat(2048)}`));
    const config = await pushBlob(
      base,
      repo,
      Buffer.from(JSON.stringify({ os: 'linux', architecture, variant, rootfs: { type: 'layers', diff_ids: [layer.digest] } })),
    );
    const m = await putManifest(base, repo, `${architecture}${variant ?? ''}`, 'application/vnd.docker.distribution.manifest.v2+json', {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...layer }],
    });
    entries.push({ ...m, platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) } });
  }
  await putManifest(base, repo, '1', 'application/vnd.docker.distribution.manifest.list.v2+json', {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifests: entries,
  });
}

/**
 * A minimal LSP client over stdio.
 * @param {string} serverJs
 * @param {string} cacheDirectory
 */
async function startServer(serverJs, cacheDirectory) {
  const rpc = require('vscode-languageserver-protocol/node');
  const child = spawn(process.execPath, [serverJs, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, GREEN_CLOUD_OFFLINE: '0' },
  });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, () => undefined);
  connection.onNotification(rpc.LogMessageNotification.type, () => undefined);
  connection.listen();
  await connection.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: { cacheDirectory, settings: {} },
    workspaceFolders: null,
  });
  await connection.sendNotification(rpc.InitializedNotification.type, {});
  let version = 0;
  return {
    /**
     * @param {string} uri
     * @param {string} text
     */
    async hover(uri, text) {
      await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'dockerfile', version: ++version, text },
      });
      const start = performance.now();
      const h = await connection.sendRequest(rpc.HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 8 } });
      const elapsed = performance.now() - start;
      if (!h || !/multi-platform list \(3 platforms\)/.test(markup(h))) throw new Error(`unexpected hover: ${JSON.stringify(h)}`);
      return elapsed;
    },
    /** @param {string} uri */
    async hoverAgain(uri) {
      const start = performance.now();
      const h = await connection.sendRequest(rpc.HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 8 } });
      const elapsed = performance.now() - start;
      if (!h || !/from the cache/.test(markup(h))) throw new Error(`unexpected cached hover: ${JSON.stringify(h)}`);
      return elapsed;
    },
    async stop() {
      await connection.sendRequest(rpc.ShutdownRequest.type);
      await connection.sendNotification(rpc.ExitNotification.type);
      connection.dispose();
      child.kill();
    },
  };
}

/**
 * The text of a hover: the server answers MarkupContent (anything else reads 'undefined').
 * @param {import('vscode-languageserver-protocol').Hover} hover
 */
function markup(hover) {
  return String(/** @type {{ value?: string }} */ (hover.contents).value);
}

/** @type {import('./lib.mjs').BenchSection} */
export const section = {
  name: 'hover',
  description: 'hover on FROM over LSP stdio, cold and cached, vs docker manifest inspect (same loopback registry)',
  async run(options) {
    for (const [cmd, pkg] of [
      ['docker-registry', 'docker-registry'],
      [DOCKER_CLI, 'docker.io'],
    ]) {
      if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status !== 0)
        throw new Error(`${cmd} is missing (apt-get install ${pkg}).`);
    }
    const samples = options.quick ? 5 : 15;
    const dir = mkdtempSync(join(tmpdir(), 'gc-bench-hover-'));
    const serverJs = join(dir, 'server.js');
    await esbuild.build({
      entryPoints: [join(root, 'server/src/server.ts')],
      outfile: serverJs,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'silent',
      alias: { 'vscode-languageserver-types': join(root, 'node_modules/vscode-languageserver-types/lib/umd/main.js') },
    });
    const registry = await startRegistry(dir);
    const host = `127.0.0.1:${registry.port}`;
    const base = `http://${host}`;
    const dockerConfig = join(dir, 'docker-config');
    spawnSync('mkdir', ['-p', dockerConfig]);
    let server;
    try {
      for (let i = 0; i < samples; i++) {
        await pushList(base, `bench/ours-${i}`);
        await pushList(base, `bench/docker-${i}`);
      }
      await pushList(base, 'bench/warmup');
      server = await startServer(serverJs, join(dir, 'cache'));
      const ours = [];
      const cached = [];
      const theirs = [];
      // Warm-up (process start, JIT) on an image of its own; then interleaved samples.
      await server.hover('file:///bench/warmup/Dockerfile', `FROM ${host}/bench/warmup:1\n`);
      await run(DOCKER_CLI, ['manifest', 'inspect', '--insecure', `${host}/bench/warmup:1`], {
        env: { ...process.env, DOCKER_CONFIG: dockerConfig },
      });
      for (let i = 0; i < samples; i++) {
        const uri = `file:///bench/${i}/Dockerfile`;
        ours.push(await server.hover(uri, `FROM ${host}/bench/ours-${i}:1\n`));
        for (let k = 0; k < 3; k++) cached.push(await server.hoverAgain(uri));
        const start = performance.now();
        await run(DOCKER_CLI, ['manifest', 'inspect', '--insecure', `${host}/bench/docker-${i}:1`], {
          env: { ...process.env, DOCKER_CONFIG: dockerConfig },
        });
        theirs.push(performance.now() - start);
      }
      table(
        ['what', 'median ms', 'p90 ms'],
        [
          ['hover, cold (HEAD tag + GET list + 3 children)', ms(median(ours)), ms(percentile(ours, 90))],
          ['hover, cached', ms(median(cached)), ms(percentile(cached, 90))],
          ['docker manifest inspect', ms(median(theirs)), ms(percentile(theirs, 90))],
        ],
      );
      const ratio = median(ours) / median(theirs);
      console.log(`cold hover / docker manifest inspect: ${ratio.toFixed(2)}x (target <= 0.5x)${ratio <= 0.5 ? '' : '  MISSED'}`);
      console.log(`cached hover median: ${ms(median(cached))} ms (target < 20 ms)${median(cached) < 20 ? '' : '  MISSED'}`);
    } finally {
      await server?.stop().catch(() => undefined);
      registry.child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
