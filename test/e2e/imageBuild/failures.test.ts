/**
 * What goes wrong, reported per platform: a pinned base (the label lies, the binaries do not),
 * a failing RUN on one platform, an unreachable engine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer } from 'node:net';
import { planBuild, runBuild } from '../../../core/src/imageBuild';
import { formatPlatform, parsePlatformList } from '../../../core/src/platforms';
import { dockerEnv, engine, removeImages, uniqueImage } from '../support/dockerEnv';
import { Recorder } from './events';
import { scratchDir } from '../../support/scratch';

describe('build failures', () => {
  it('a base pinned to arm64 fails verification for linux/amd64, naming the FROM line and both platforms', async () => {
    const env = dockerEnv();
    const ctx = scratchDir({ Dockerfile: `# a base pinned to one architecture\n\nFROM ${env.GC_TEST_BASE_ARM64}\nRUN echo built\n` });
    const docker = engine(env.DOCKER_HOST);
    const image = uniqueImage('pinned');
    try {
      const plan = planBuild(
        { contextDir: ctx.dir, dockerfile: 'Dockerfile', platforms: parsePlatformList('linux/amd64,linux/arm64'), image, version: '1' },
        { defaultHost: env.DOCKER_HOST },
      );
      const recorder = new Recorder();
      const [amd64, arm64] = await runBuild(plan, recorder, { parallel: 2 });
      // The engine itself labels the amd64 image amd64: only the ELF check sees the truth.
      const info = await docker.getImage(amd64.tag).inspect();
      assert.equal(info.Architecture, 'amd64');
      assert.equal(amd64.status, 'failed');
      assert.match(
        amd64.error ?? '',
        /^linux\/amd64: The image built for linux\/amd64 contains aarch64 binaries \(\/bin\/busybox is linux\/arm64\), although it is labelled linux\/amd64/,
      );
      assert.match(amd64.error ?? '', new RegExp(`line 3 of Dockerfile \\(FROM ${env.GC_TEST_BASE_ARM64.replace(/[.:/]/g, '\\$&')}\\)`));
      assert.deepEqual(recorder.statuses.get('linux/amd64'), ['queued', 'building', 'verifying', 'failed']);
      assert.equal(arm64.status, 'succeeded', arm64.error);
      await removeImages(docker, [amd64.tag, arm64.tag]);
    } finally {
      ctx.dispose();
    }
  });

  it("a RUN failing on linux/arm64 only fails that platform, names it with the step's last output lines and keeps the log tail", async () => {
    const env = dockerEnv();
    const secret = `e2e-secret-${Date.now()}`;
    const ctx = scratchDir({
      Dockerfile:
        `FROM ${env.GC_TEST_BASE}\nARG API_TOKEN\n` +
        `RUN echo step one && if [ "$(uname -m)" = aarch64 ]; then echo "token $API_TOKEN refused" >&2; printf '\\033[31mno driver for %s\\033[0m\\n' "$(uname -m)" >&2; exit 3; fi\n`,
    });
    const docker = engine(env.DOCKER_HOST);
    const image = uniqueImage('runfail');
    try {
      const plan = planBuild(
        {
          contextDir: ctx.dir,
          dockerfile: 'Dockerfile',
          platforms: parsePlatformList('linux/amd64,linux/arm64,linux/arm/v7'),
          image,
          version: '1',
          noCache: true,
          buildArgs: { API_TOKEN: secret },
        },
        { defaultHost: env.DOCKER_HOST },
      );
      const recorder = new Recorder();
      const results = await runBuild(plan, recorder, { parallel: 3 });
      assert.deepEqual(
        results.map((r) => [formatPlatform(r.platform), r.status]),
        [
          ['linux/amd64', 'succeeded'],
          ['linux/arm64', 'failed'],
          ['linux/arm/v7', 'succeeded'],
        ],
      );
      const failed = results[1];
      assert.match(failed.error ?? '', /^linux\/arm64: the build failed: .*exit code: 3/);
      const tail = failed.logTail.join('\n');
      assert.match(tail, /^#\d+ step one$/m);
      assert.match(tail, /^#\d+ \u001b\[31mno driver for aarch64\u001b\[0m$/m);
      assert.match(tail, /^(?:#\d+ )?ERROR: .*exit code: 3/m);
      // Why, from the step's own output: its last lines (stdout, then stderr), without colours, the secret build argument hidden.
      assert.deepEqual(failed.failure?.output, ['step one', 'token *** refused', 'no driver for aarch64']);
      assert.match(failed.failure?.reason ?? '', /^RUN echo step one && if .* failed \(exit code 3\): "no driver for aarch64"$/);
      assert.ok(!JSON.stringify(failed.failure).includes(secret), JSON.stringify(failed.failure));
      // Nor anywhere else: BuildKit writes the value into step names and output, and the log, the
      // log tails and the errors show '***' instead.
      const logs = [...recorder.logs.values()].flat();
      assert.ok(
        logs.some((line) => line.includes('token *** refused')),
        logs.join('\n'),
      );
      assert.ok(!JSON.stringify({ results, logs }).includes(secret), 'the secret build argument reached a log or a result');
      // The others printed nothing that fails: no reason of theirs.
      assert.equal(results[0].failure, undefined);
      await removeImages(
        docker,
        results.map((r) => r.tag),
      );
    } finally {
      ctx.dispose();
    }
  });

  it('an unreachable engine fails every platform with a message naming the address and the next step', async () => {
    const ctx = scratchDir({ Dockerfile: 'FROM scratch\n' });
    // a port nobody listens on: take a free one and close it
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as { port: number };
        server.close(() => resolve(p));
      });
    });
    try {
      for (const [host, code] of [
        ['unix:///nonexistent/green-cloud/docker.sock', 'ENOENT: no such socket'],
        [`tcp://127.0.0.1:${port}`, 'ECONNREFUSED: connection refused'],
      ]) {
        const plan = planBuild(
          {
            contextDir: ctx.dir,
            dockerfile: 'Dockerfile',
            platforms: parsePlatformList('linux/amd64,linux/arm64'),
            image: 'web',
            version: '1',
          },
          { defaultHost: host },
        );
        const results = await runBuild(plan, new Recorder(), { parallel: 2 });
        for (const r of results) {
          assert.equal(r.status, 'failed');
          assert.equal(r.error, `${formatPlatform(r.platform)}: Cannot reach Docker at ${host} (${code}). Start Docker there.`);
          // The front ends say where another engine is set, each in its own words.
          assert.equal(r.engineUnreachable, true);
        }
      }
    } finally {
      ctx.dispose();
    }
  });
});
