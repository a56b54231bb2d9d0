/** `green-cloud build` as a user runs it: the bundled dist/cli.js against the real engine. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { CLI, requireBuiltCli, runCli } from '../../cli/cliProcess';
import { dockerEnv, engine, removeImages, runInImage, uniqueImage } from '../support/dockerEnv';
import { waitFor } from '../../support/waitFor';
import { scratchDir } from '../../support/scratch';

describe('green-cloud build', () => {
  before(requireBuiltCli);

  it('builds every platform on DOCKER_HOST, prints [platform] progress and a summary table, exit 0', async () => {
    const env = dockerEnv();
    const ctx = scratchDir({ Dockerfile: 'ARG BASE\nFROM $BASE\nARG TARGETARCH\nRUN echo "arch $TARGETARCH"\n' });
    const image = uniqueImage('cli');
    try {
      const r = await runCli(
        [
          'build',
          ctx.dir,
          '--platform',
          'linux/amd64,linux/arm/v7',
          '--tag',
          `${image}:2.0`,
          '--build-arg',
          `BASE=${env.GC_TEST_BASE}`,
          '--no-cache',
        ],
        {
          env: { DOCKER_HOST: env.DOCKER_HOST },
        },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\[linux\/amd64\]  #\d+ arch amd64$/m);
      assert.match(r.stdout, /^\[linux\/arm\/v7\] #\d+ arch arm$/m);
      assert.match(r.stdout, /^\[linux\/arm\/v7\] verified linux\/arm\/v7: \/bin\/busybox is an ELF binary for ARM \(32-bit\)$/m);
      assert.match(
        r.stdout,
        new RegExp(
          `^PLATFORM +TAG +RESULT +DURATION\\nlinux/amd64 +${image}:amd64-2\\.0 +succeeded +\\d+\\.\\d s\\nlinux/arm/v7 +${image}:armv7-2\\.0 +succeeded +\\d+\\.\\d s\\n$`,
          'm',
        ),
      );
      assert.equal(r.stderr, '');
      assert.deepEqual(await runInImage(engine(env.DOCKER_HOST), `${image}:armv7-2.0`, ['uname', '-m']), { code: 0, output: 'armv7l' });
      await removeImages(engine(env.DOCKER_HOST), [`${image}:amd64-2.0`, `${image}:armv7-2.0`]);
    } finally {
      ctx.dispose();
    }
  });

  it('exits 1 when one platform fails, naming it with the reason (its last output line) and the log tail', async () => {
    const env = dockerEnv();
    const ctx = scratchDir({
      'build/Dockerfile': `FROM ${env.GC_TEST_BASE}\nRUN if [ "$(uname -m)" = aarch64 ]; then echo "libfoo missing on $(uname -m)"; exit 7; fi\n`,
    });
    const image = uniqueImage('cli-fail');
    try {
      const r = await runCli(
        ['build', '.', '-f', 'build/Dockerfile', '--platform', 'linux/amd64,linux/arm64', '--tag', `${image}:1`, '--no-cache'],
        {
          cwd: ctx.dir,
          env: { DOCKER_HOST: env.DOCKER_HOST },
        },
      );
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^linux\/amd64 +\S+ +succeeded/m);
      assert.match(r.stdout, /^linux\/arm64 +\S+ +failed +\d+\.\d s\n {4}RUN if .* failed \(exit code 7\): "libfoo missing on aarch64"$/m);
      assert.match(r.stderr, /^linux\/arm64: the build failed: .*exit code: 7$/m);
      assert.match(r.stderr, /^Last lines of the linux\/arm64 log:\n(?: {2}.*\n)*? {2}#\d+ libfoo missing on aarch64$/m);
      await removeImages(engine(env.DOCKER_HOST), [`${image}:amd64-1`, `${image}:arm64-1`]);
    } finally {
      ctx.dispose();
    }
  });

  it('an unreachable DOCKER_HOST fails with the address and the next step', async () => {
    const ctx = scratchDir({ Dockerfile: 'FROM scratch\n' });
    try {
      const r = await runCli(['build', ctx.dir, '--platform', 'linux/arm64', '--tag', 'web:1'], {
        env: { DOCKER_HOST: 'unix:///nonexistent/gc/docker.sock' },
      });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^linux\/arm64: Cannot reach Docker at unix:\/\/\/nonexistent\/gc\/docker\.sock \(ENOENT: no such socket\)\. Start Docker there\. To build elsewhere, set DOCKER_HOST, or map the platform with --builder PLATFORM=HOST\.$/m,
      );
      assert.doesNotMatch(r.stderr, /greenCloud\./);
    } finally {
      ctx.dispose();
    }
  });

  it('Ctrl+C (SIGINT) cancels every build and exits 1 with the platforms cancelled', async () => {
    const env = dockerEnv();
    const token = `gc-cli-cancel-${process.pid}`;
    const ctx = scratchDir({ Dockerfile: `FROM ${env.GC_TEST_BASE}\nRUN echo ${token} && sleep 600\n` });
    try {
      const child = spawn(
        process.execPath,
        [CLI, 'build', ctx.dir, '--platform', 'linux/amd64,linux/arm64', '--tag', 'gc-e2e/cli-cancel:1', '--no-cache'],
        {
          env: { ...process.env, DOCKER_HOST: env.DOCKER_HOST },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      try {
        await waitFor('both RUN steps to start', () => (stdout.match(new RegExp(` ${token}$`, 'gm')) ?? []).length === 2, 60_000);
        child.kill('SIGINT');
        const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000))]);
        assert.equal(code, 1, `${stdout}\n${stderr}`);
      } finally {
        child.kill('SIGKILL');
      }
      assert.match(stderr, /^Cancelling every build…$/m);
      assert.match(stdout, /^linux\/amd64 +gc-e2e\/cli-cancel:amd64-1 +cancelled/m);
      assert.match(stdout, /^linux\/arm64 +gc-e2e\/cli-cancel:arm64-1 +cancelled/m);
    } finally {
      ctx.dispose();
    }
  });
});
