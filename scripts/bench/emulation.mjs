// Bench section `emulation` (issue 14): what QEMU costs a multi-arch Go build, and what GC110's
// quick fix saves. Builds examples/go-emulated for linux/amd64, linux/arm64 and linux/arm/v7 with
// Green Cloud (`dist/cli.js build`, --no-cache) as written — the Go compiler runs under QEMU
// for arm64 and arm/v7 — then, in the same run, after applying GC110's "Cross-compile on the
// build platform" fix (scripts/bench/gc110-fix.ts), again without cache. Both use the Go base
// built locally from Debian's packages (GC_TEST_GO_BASE); the bases are pulled into the engine
// by a warm-up build first, so neither side pays for a pull.
// Prints each build's per-platform RUN timings (the CLI summary) and a last line ending in
// `ratio R`, R = cross-compiled wall time / emulated wall time. Target: R <= 0.5.
// Uses the e2e environment (scripts/env/docker.sh): started here when it is not running.
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ms, table, testEnvironment, timed } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];

/**
 * The CLI's "where the time went" lines (after the summary table).
 * @param {string} stdout
 */
function timingLines(stdout) {
  return stdout.split('\n').filter((l) => /in RUN steps/.test(l));
}

/** @type {import('./lib.mjs').BenchSection} */
export const section = {
  name: 'emulation',
  description: 'examples/go-emulated for 3 platforms: compiled under QEMU vs cross-compiled after the GC110 fix (no cache)',
  needsDocker: false,
  async run() {
    const cli = join(root, 'dist/cli.js');
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build');
    const environment = testEnvironment();
    const { env } = environment;
    if (!env.GC_TEST_GO_BASE) {
      environment.stop();
      throw new Error('GC_TEST_GO_BASE is missing from .test-env/docker/env: restart the environment (scripts/env/docker.sh stop; start)');
    }
    const dir = mkdtempSync(join(tmpdir(), 'green-cloud-bench-emulation-'));
    try {
      const emulated = join(dir, 'emulated');
      const cross = join(dir, 'cross');
      cpSync(join(root, 'examples/go-emulated'), emulated, { recursive: true });
      cpSync(join(root, 'examples/go-emulated'), cross, { recursive: true });
      timed(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench/gc110-fix.ts'), join(cross, 'Dockerfile')], {});
      const denv = { DOCKER_HOST: env.DOCKER_HOST, DOCKER_BUILDKIT: '1', DOCKER_CONFIG: join(root, '.test-env/docker/docker-config') };
      /** @type {(context: string, tag: string, extra?: string[]) => string[]} */
      const args = (context, tag, extra = []) => [
        cli,
        'build',
        context,
        '--tag',
        tag,
        '--platform',
        PLATFORMS.join(','),
        '--parallel',
        '3',
        '--build-arg',
        `GO_BASE=${env.GC_TEST_GO_BASE}`,
        '--build-arg',
        `RUNTIME_BASE=${env.GC_TEST_BASE}`,
        ...extra,
      ];
      // warm-up: both bases in the engine for every platform (a build that runs no compiler)
      const warm = join(dir, 'warm');
      cpSync(emulated, warm, { recursive: true });
      writeFileSync(
        join(warm, 'Dockerfile'),
        'ARG GO_BASE\nARG RUNTIME_BASE\nFROM ${GO_BASE} AS go\nFROM ${RUNTIME_BASE}\nCOPY --from=go /usr/lib/go-1.19/VERSION /go-version\n',
      );
      timed(process.execPath, args(warm, 'gc-bench/hello:warm'), denv);
      const before = timed(process.execPath, args(emulated, 'gc-bench/hello:emulated', ['--no-cache']), denv);
      const after = timed(process.execPath, args(cross, 'gc-bench/hello:cross', ['--no-cache']), denv);
      table(
        ['build of examples/go-emulated (3 platforms, --no-cache)', 'wall ms'],
        [
          ['as written: go build on each target platform (QEMU for arm64, arm/v7)', ms(before.wall)],
          ['after the GC110 fix: cross-compiled on the build platform', ms(after.wall)],
        ],
      );
      console.log('as written:');
      for (const l of timingLines(before.stdout)) console.log(`  ${l}`);
      console.log('after the GC110 fix:');
      for (const l of timingLines(after.stdout)) console.log(`  ${l}`);
      const ratio = after.wall / before.wall;
      console.log(
        `emulation: cross-compiled ${(after.wall / 1000).toFixed(1)} s / emulated ${(before.wall / 1000).toFixed(1)} s (target <= 0.5), ratio ${ratio.toFixed(2)}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      environment.stop();
    }
  },
};
