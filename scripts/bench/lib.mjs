// Helpers shared by the bench sections: timing statistics, a table printer, the Docker probe.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';

const root = new URL('../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);

/**
 * What `npm run bench` passes to a section's run(): `--quick`, and the engine a Docker section uses.
 * @typedef {{ quick?: boolean, dockerHost?: string }} BenchOptions
 */
/**
 * A bench section: what each scripts/bench/*.mjs module exports as `section`.
 * @typedef {{ name: string, description: string, needsDocker?: boolean, run(options: BenchOptions): unknown }} BenchSection
 */

/**
 * Percentile (0..100) of an array of numbers, nearest-rank on a sorted copy.
 * @param {readonly number[]} values
 * @param {number} p
 * @returns {number}
 */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** @param {readonly number[]} values */
export const median = (values) => percentile(values, 50);

/**
 * Milliseconds taken by fn().
 * @param {() => unknown} fn
 */
export function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/**
 * [wall ms, CPU ms (user + system of this process)] taken by fn().
 * @param {() => unknown} fn
 * @returns {[number, number]}
 */
export function timeWithCpu(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return [wall, (used.user + used.system) / 1000];
}

/**
 * Formats milliseconds with sensible precision.
 * @param {number} value
 */
export function ms(value) {
  return value < 1 ? value.toFixed(3) : value < 100 ? value.toFixed(2) : value.toFixed(0);
}

/**
 * Prints rows (arrays of cells) as an aligned table under a header row.
 * @param {readonly unknown[]} header
 * @param {readonly (readonly unknown[])[]} rows
 */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  /** @param {readonly unknown[]} cells */
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/**
 * Whether a Docker engine answers `GET /_ping` at DOCKER_HOST (unix:// or tcp://) or the default
 * socket. Resolves {ok, host, reason}; never throws. Loopback/unix sockets only.
 * @returns {Promise<{ ok: boolean, host: string, reason: string }>}
 */
export function dockerEngine(timeoutMs = 2000) {
  const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  let target;
  if (host.startsWith('unix://')) target = { socketPath: host.slice('unix://'.length) };
  else if (host.startsWith('tcp://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    target = { host: url.hostname, port: Number(url.port || 2375) };
  } else return Promise.resolve({ ok: false, host, reason: 'unsupported DOCKER_HOST scheme' });
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve({ ok: res.statusCode === 200, host, reason: `HTTP ${res.statusCode}` });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (/** @type {NodeJS.ErrnoException} */ e) => resolve({ ok: false, host, reason: e.code ?? e.message }));
    req.end();
  });
}

/**
 * A free loopback port.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address()); // listening on TCP
      s.close(() => resolve(port));
    });
  });
}

/**
 * A docker-registry on a free loopback port, storing in DIR; resolves when /v2/ answers (deadline 15 s).
 * @param {string} dir
 */
export async function startRegistry(dir) {
  const port = await freePort();
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\nstorage: {filesystem: {rootdirectory: ${join(dir, 'data')}}}\nhttp: {addr: 127.0.0.1:${port}}\n`,
  );
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const end = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v2/`)).status === 200) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error('docker-registry did not start within 15 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { port, child };
}

/**
 * Bundles TypeScript as esbuild.mjs --production bundles dist/server.js (minified CommonJS for
 * node 20, one CommonJS copy of the LSP types); `options` adds the entry (or stdin) and outfile.
 * @param {import('esbuild').BuildOptions} options
 */
export async function bundle(options) {
  await esbuild.build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    logLevel: 'warning',
    // As esbuild.mjs: one CommonJS copy of the LSP types (see the comment there).
    alias: { 'vscode-languageserver-types': join(root, 'node_modules/vscode-languageserver-types/lib/umd/main.js') },
    ...options,
  });
}

/**
 * Bundles (as bundle()) into a temporary folder and loads the result.
 * @param {import('esbuild').BuildOptions} options  the entry point or stdin
 * @returns {Promise<any>} the bundle's exports
 */
export async function loadBundle(options) {
  const dir = mkdtempSync(join(tmpdir(), 'green-cloud-bench-'));
  const outfile = join(dir, 'bundle.cjs');
  try {
    await bundle({ ...options, outfile });
    return require(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The e2e Docker environment (scripts/env/docker.sh) for a bench section: started when it is not
 * running (and then stopped by stop()), with the variables of its env file (`NAME=value` lines).
 * @returns {{ env: Record<string, string | undefined>, stop(): void }}
 */
export function testEnvironment() {
  const envFile = join(root, '.test-env/docker/env');
  const script = join(root, 'scripts/env/docker.sh');
  let started = false;
  if (!existsSync(envFile)) {
    const r = spawnSync(script, ['start'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('scripts/env/docker.sh start failed');
    started = true;
  }
  /** @type {Record<string, string | undefined>} */
  const env = {};
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const [, name, value] = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()) ?? [];
    if (name !== undefined) env[name] = value;
  }
  return {
    env,
    stop() {
      if (started) spawnSync(script, ['stop'], { stdio: 'inherit' });
    },
  };
}

/**
 * Runs a command to its end; returns its wall time (ms) and stdout; throws with its output's end
 * when it fails.
 * @param {string} command
 * @param {string[]} args
 * @param {Record<string, string | undefined>} env  added to this process's environment
 */
export function timed(command, args, env) {
  const start = performance.now();
  const r = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - start;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${(r.stderr + r.stdout).slice(-3000)}`);
  return { wall, stdout: r.stdout };
}
