/**
 * greenCloud.builders: a platform mapped to another engine builds there (two real dockerd
 * instances on two sockets); the rest build on the default engine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBuild, runBuild } from '../../../core/src/imageBuild';
import { formatPlatform, parsePlatformList } from '../../../core/src/platforms';
import { dockerEnv, engine, removeImages, runInImage, uniqueImage } from '../support/dockerEnv';
import { Recorder } from './events';
import { scratchDir } from '../../support/scratch';

async function hasImage(host: string, ref: string): Promise<boolean> {
  return engine(host)
    .getImage(ref)
    .inspect()
    .then(() => true)
    .catch(() => false);
}

describe('builders: one platform on another engine', () => {
  it('builds linux/arm64 on the second engine and linux/amd64 on the default one', async () => {
    const env = dockerEnv();
    const ctx = scratchDir({ Dockerfile: `FROM ${env.GC_TEST_BASE}\nRUN uname -m > /uname\n` });
    const image = uniqueImage('builders');
    try {
      const plan = planBuild(
        { contextDir: ctx.dir, dockerfile: 'Dockerfile', platforms: parsePlatformList('linux/amd64,linux/arm64'), image, version: '1' },
        { defaultHost: env.DOCKER_HOST, builders: { 'linux/arm64/v8': env.GC_TEST_DOCKER_HOST_2 } },
      );
      assert.deepEqual(
        plan.jobs.map((j) => [formatPlatform(j.platform), j.engine.host]),
        [
          ['linux/amd64', env.DOCKER_HOST],
          ['linux/arm64', env.GC_TEST_DOCKER_HOST_2],
        ],
      );
      const recorder = new Recorder();
      const [amd64, arm64] = await runBuild(plan, recorder, { parallel: 2 });
      assert.equal(amd64.status, 'succeeded', amd64.error);
      assert.equal(arm64.status, 'succeeded', arm64.error);
      assert.equal(arm64.engine.host, env.GC_TEST_DOCKER_HOST_2);
      assert.match(recorder.log('linux/arm64'), new RegExp(`^building on ${env.GC_TEST_DOCKER_HOST_2.replace(/[/.]/g, '\\$&')}$`, 'm'));
      assert.equal(await hasImage(env.GC_TEST_DOCKER_HOST_2, arm64.tag), true);
      assert.equal(await hasImage(env.DOCKER_HOST, arm64.tag), false);
      assert.equal(await hasImage(env.DOCKER_HOST, amd64.tag), true);
      assert.equal(await hasImage(env.GC_TEST_DOCKER_HOST_2, amd64.tag), false);
      assert.deepEqual(await runInImage(engine(env.GC_TEST_DOCKER_HOST_2), arm64.tag, ['cat', '/uname']), { code: 0, output: 'aarch64' });
      await removeImages(engine(env.DOCKER_HOST), [amd64.tag]);
      await removeImages(engine(env.GC_TEST_DOCKER_HOST_2), [arm64.tag]);
    } finally {
      ctx.dispose();
    }
  });

  it('an unreachable builder fails only its platform, naming its address', async () => {
    const env = dockerEnv();
    const ctx = scratchDir({ Dockerfile: `FROM ${env.GC_TEST_BASE}\n` });
    const image = uniqueImage('builders-down');
    try {
      const plan = planBuild(
        { contextDir: ctx.dir, dockerfile: 'Dockerfile', platforms: parsePlatformList('linux/amd64,linux/arm64'), image, version: '1' },
        { defaultHost: env.DOCKER_HOST, builders: { 'linux/arm64': 'unix:///nonexistent/arm-builder.sock' } },
      );
      const [amd64, arm64] = await runBuild(plan, new Recorder(), { parallel: 2 });
      assert.equal(amd64.status, 'succeeded', amd64.error);
      assert.equal(arm64.status, 'failed');
      assert.match(arm64.error ?? '', /^linux\/arm64: Cannot reach Docker at unix:\/\/\/nonexistent\/arm-builder\.sock \(ENOENT/);
      await removeImages(engine(env.DOCKER_HOST), [amd64.tag]);
    } finally {
      ctx.dispose();
    }
  });
});
