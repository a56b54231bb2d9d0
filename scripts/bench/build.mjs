// Bench section `build`: wall time of building 3 platforms (linux/amd64, linux/arm64,
// linux/arm/v7) with Green Cloud (`dist/cli.js build`, concurrent through the Engine API) vs
// the same three builds run one after another with the docker CLI (`DOCKER_BUILDKIT=1
// /usr/bin/docker build --platform …`), on the same engine, in the same run, both with
// --no-cache, interleaved. Target (issue 4): ratio Green Cloud / docker CLI <= 1.0.
// Uses the e2e environment (scripts/env/docker.sh): started here when it is not running.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, ms, table } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;
const envFile = join(root, '.test-env/docker/env');
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];

/** The variables of the e2e environment's env file (`NAME=value` lines). */
function readEnv() {
  /** @type {Record<string, string | undefined>} */
  const env = {};
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {Record<string, string | undefined>} env
 */
function timed(command, args, env) {
  const start = performance.now();
  const r = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  const wall = performance.now() - start;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`);
  return wall;
}

/** @type {import('./lib.mjs').BenchSection} */
export const section = {
  name: 'build',
  description: '3-platform build: Green Cloud (concurrent) vs docker CLI builds one after another',
  needsDocker: false,
  async run(options) {
    let started = false;
    if (!existsSync(envFile)) {
      const r = spawnSync(join(root, 'scripts/env/docker.sh'), ['start'], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error('scripts/env/docker.sh start failed');
      started = true;
    }
    const cli = join(root, 'dist/cli.js');
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build');
    const env = readEnv();
    const dir = mkdtempSync(join(tmpdir(), 'green-cloud-bench-'));
    try {
      // some real work per platform: a shell loop (emulated for arm) and a small file tree
      writeFileSync(
        join(dir, 'Dockerfile'),
        `FROM ${env.GC_TEST_BASE}\nARG TARGETARCH\nRUN i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; mkdir -p /out && seq 1 2000 > /out/n && echo "$TARGETARCH $(uname -m)" > /out/arch\nCOPY . /src/\n`,
      );
      writeFileSync(join(dir, 'data.txt'), 'x'.repeat(100_000));
      const denv = { DOCKER_HOST: env.DOCKER_HOST, DOCKER_BUILDKIT: '1', DOCKER_CONFIG: join(root, '.test-env/docker/docker-config') };
      const rounds = options.quick ? 1 : 3;
      const ours = [];
      const theirs = [];
      // warm-up: the base for each platform in the engine's cache for both
      timed(process.execPath, [cli, 'build', dir, '--tag', 'gc-bench/web:warm', '--platform', PLATFORMS.join(',')], denv);
      for (let i = 0; i < rounds; i++) {
        ours.push(
          timed(
            process.execPath,
            [cli, 'build', dir, '--tag', `gc-bench/web:gc${i}`, '--platform', PLATFORMS.join(','), '--no-cache', '--parallel', '3'],
            denv,
          ),
        );
        let t = 0;
        for (const p of PLATFORMS) {
          t += timed(
            '/usr/bin/docker',
            ['build', '-q', '--no-cache', '--platform', p, '-t', `gc-bench/web:cli${i}-${p.replace(/\//g, '-')}`, dir],
            denv,
          );
        }
        theirs.push(t);
      }
      table(
        ['tool', 'rounds', 'median ms', 'min ms', 'max ms'],
        [
          ['green-cloud build (3 platforms, parallel 3, verified)', rounds, ms(median(ours)), ms(Math.min(...ours)), ms(Math.max(...ours))],
          ['docker build x3 one after another', rounds, ms(median(theirs)), ms(Math.min(...theirs)), ms(Math.max(...theirs))],
        ],
      );
      console.log(`ratio green-cloud / docker CLI: ${(median(ours) / median(theirs)).toFixed(2)} (target <= 1.0)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (started) spawnSync(join(root, 'scripts/env/docker.sh'), ['stop'], { stdio: 'inherit' });
    }
  },
};
