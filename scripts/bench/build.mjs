// Bench section `build`: wall time of building 3 platforms (linux/amd64, linux/arm64,
// linux/arm/v7) with Green Cloud (`dist/cli.js build`, concurrent through the Engine API) vs
// the same three builds run one after another with the docker CLI (`DOCKER_BUILDKIT=1
// /usr/bin/docker build --platform …`), on the same engine, in the same run, both with
// --no-cache, interleaved. Target (issue 4): ratio Green Cloud / docker CLI <= 1.0.
// Uses the e2e environment (scripts/env/docker.sh): started here when it is not running.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ms, table, testEnvironment, timed } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];

/** @type {import('./lib.mjs').BenchSection} */
export const section = {
  name: 'build',
  description: '3-platform build: Green Cloud (concurrent) vs docker CLI builds one after another',
  needsDocker: false,
  async run(options) {
    const cli = join(root, 'dist/cli.js');
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build');
    const environment = testEnvironment();
    const { env } = environment;
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
          ).wall,
        );
        let t = 0;
        for (const p of PLATFORMS) {
          t += timed(
            '/usr/bin/docker',
            ['build', '-q', '--no-cache', '--platform', p, '-t', `gc-bench/web:cli${i}-${p.replace(/\//g, '-')}`, dir],
            denv,
          ).wall;
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
      environment.stop();
    }
  },
};
