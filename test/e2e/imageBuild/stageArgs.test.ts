/**
 * ARG scope across stages, on a real dockerd with BuildKit (rule GC106): a stage built FROM
 * another stage inherits the ARGs that stage declared. The child below never declares
 * TARGETARCH itself, yet sees the target's value in RUN and in a cache mount id
 * (`id=…-$TARGETARCH`), once per platform. The linter must agree: no GC106 on this file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { planBuild, runBuild, type PlatformResult } from '../../../core/src/imageBuild';
import { parsePlatformList } from '../../../core/src/platforms';
import { lintSummary } from '../../support/lint';
import { dockerEnv, engine, removeImages, runInImage, uniqueImage, type DockerTestEnv } from '../support/dockerEnv';
import { Recorder } from './events';
import { scratchDir, type Scratch } from '../../support/scratch';

/** A cache id unique to this run, so an earlier run's cache cannot answer for this one. */
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;

function dockerfile(): string {
  return `ARG BASE
FROM $BASE AS base
ARG TARGETARCH
ARG TARGETPLATFORM

FROM base AS child
RUN echo "child sees arch=[$TARGETARCH] platform=[$TARGETPLATFORM]" && echo "$TARGETARCH" > /child-arch
RUN --mount=type=cache,id=gc-e2e-${RUN_ID}-$TARGETARCH,target=/cache \\
    echo "$TARGETARCH" > "/cache/written-for-$TARGETARCH" && echo "cache holds [$(ls /cache | tr '\\n' ' ')]" && ls /cache > /cache-list

FROM child
RUN echo "grandchild sees arch=[$TARGETARCH]" && echo "$TARGETARCH" > /grandchild-arch
`;
}

describe('BuildKit: a stage built FROM another stage inherits its ARGs (GC106)', () => {
  let env: DockerTestEnv;
  let ctx: Scratch;
  let results: PlatformResult[];
  const recorder = new Recorder();
  const text = dockerfile();

  before(async () => {
    env = dockerEnv();
    ctx = scratchDir({ Dockerfile: text });
    const plan = planBuild(
      {
        contextDir: ctx.dir,
        dockerfile: 'Dockerfile',
        platforms: parsePlatformList('linux/amd64,linux/arm64'),
        image: uniqueImage('stage-args'),
        version: '1',
        buildArgs: { BASE: env.GC_TEST_BASE },
        noCache: true,
      },
      { defaultHost: env.DOCKER_HOST },
    );
    // One after the other: the second build must not see what the first put in its cache.
    results = await runBuild(plan, recorder, { parallel: 1 });
  });

  after(async () => {
    await removeImages(engine(env.DOCKER_HOST), results?.map((r) => r.tag) ?? []);
    ctx?.dispose();
  });

  it('the linter finds nothing to say about the file', () => {
    assert.deepEqual(lintSummary(text), []);
  });

  for (const [platform, arch] of [
    ['linux/amd64', 'amd64'],
    ['linux/arm64', 'arm64'],
  ] as const) {
    it(`${platform}: the child and grandchild stages see TARGETARCH=${arch} in RUN`, async () => {
      const result = results.find((r) => r.platform.architecture === arch);
      assert.ok(result, `no result for ${platform}`);
      const log = recorder.log(platform);
      assert.equal(result.status, 'succeeded', `${result.error}\n${log}`);
      assert.match(log, new RegExp(`^#\\d+ child sees arch=\\[${arch}\\] platform=\\[${platform}\\]$`, 'm'));
      assert.match(log, new RegExp(`^#\\d+ grandchild sees arch=\\[${arch}\\]$`, 'm'));
      const docker = engine(env.DOCKER_HOST);
      assert.deepEqual(await runInImage(docker, result.tag, ['cat', '/child-arch']), { code: 0, output: arch });
      assert.deepEqual(await runInImage(docker, result.tag, ['cat', '/grandchild-arch']), { code: 0, output: arch });
    });

    it(`${platform}: the cache mount id expands $TARGETARCH (a cache of its own per architecture)`, async () => {
      const result = results.find((r) => r.platform.architecture === arch);
      assert.ok(result && result.status === 'succeeded', result?.error);
      const log = recorder.log(platform);
      // With an empty TARGETARCH both builds would share one cache and the second would list both files.
      assert.match(log, new RegExp(`^#\\d+ cache holds \\[written-for-${arch} \\]$`, 'm'));
      assert.deepEqual(await runInImage(engine(env.DOCKER_HOST), result.tag, ['cat', '/cache-list']), {
        code: 0,
        output: `written-for-${arch}`,
      });
    });
  }
});
