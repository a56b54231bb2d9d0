/**
 * Per-platform builds through a real dockerd with BuildKit and binfmt QEMU: one Dockerfile over
 * a multi-arch base (a manifest list in the loopback registry) gives three images that really
 * run their architecture.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { planBuild, runBuild, type PlatformResult } from '../../../core/src/imageBuild';
import { formatPlatform, parsePlatformList } from '../../../core/src/platforms';
import { dockerEnv, engine, removeImages, runInImage, uniqueImage, type DockerTestEnv } from '../support/dockerEnv';
import { Recorder } from './events';
import { scratchDir, type Scratch } from '../../support/scratch';

const DOCKERFILE = `# syntax-free on purpose: no frontend image is pulled
ARG BASE
FROM $BASE
ARG TARGETARCH
COPY . /ctx/
RUN uname -m > /uname && echo "$TARGETARCH" > /targetarch && ls /ctx > /ctxlist && echo "built on $(uname -m) for $TARGETARCH"
CMD ["cat", "/uname"]
`;

describe('build: linux/amd64, linux/arm64, linux/arm/v7 from one Dockerfile', () => {
  let env: DockerTestEnv;
  let ctx: Scratch;
  let results: PlatformResult[];
  const recorder = new Recorder();
  const image = uniqueImage('web');

  before(async () => {
    env = dockerEnv();
    ctx = scratchDir({
      Dockerfile: DOCKERFILE,
      'app.txt': 'hello\n',
      'secret.env': 'TOKEN=do-not-send\n',
      'logs/debug.log': 'noise\n',
      'logs/keep.log': 'kept by an exception\n',
      '.dockerignore': 'secret.env\nlogs\n!logs/keep.log\nDockerfile\n',
    });
    const plan = planBuild(
      {
        contextDir: ctx.dir,
        dockerfile: 'Dockerfile',
        platforms: parsePlatformList('linux/amd64,linux/arm64,linux/arm/v7'),
        image,
        version: '1.2',
        buildArgs: { BASE: env.GC_TEST_BASE },
        noCache: true,
      },
      { defaultHost: env.DOCKER_HOST },
    );
    results = await runBuild(plan, recorder, { parallel: 3 });
  });

  after(async () => {
    if (env) await removeImages(engine(env.DOCKER_HOST), results?.map((r) => r.tag) ?? []);
    ctx?.dispose();
  });

  it('succeeds for every platform with the default tags', () => {
    assert.deepEqual(
      results.map((r) => [formatPlatform(r.platform), r.tag, r.status, r.error]),
      [
        ['linux/amd64', `${image}:amd64-1.2`, 'succeeded', undefined],
        ['linux/arm64', `${image}:arm64-1.2`, 'succeeded', undefined],
        ['linux/arm/v7', `${image}:armv7-1.2`, 'succeeded', undefined],
      ],
    );
    for (const r of results) {
      assert.equal(r.builder, 'buildkit');
      assert.match(r.imageId ?? '', /^sha256:[0-9a-f]{64}$/);
      assert.ok(r.durationMs > 0);
    }
  });

  it('reports queued → building → verifying → succeeded per platform', () => {
    for (const p of ['linux/amd64', 'linux/arm64', 'linux/arm/v7']) {
      assert.deepEqual(recorder.statuses.get(p), ['queued', 'building', 'verifying', 'succeeded']);
    }
  });

  it('streams step names and RUN output per platform from the BuildKit trace', () => {
    const expected: Record<string, string> = {
      'linux/amd64': 'built on x86_64 for amd64',
      'linux/arm64': 'built on aarch64 for arm64',
      'linux/arm/v7': 'built on armv7l for arm',
    };
    for (const [p, line] of Object.entries(expected)) {
      const log = recorder.log(p);
      assert.match(log, /^#\d+ \[2\/3\] COPY \. \/ctx\/$/m, log);
      assert.match(log, /^#\d+ \[3\/3\] RUN uname -m/m, log);
      assert.match(log, new RegExp(`^#\\d+ ${line}$`, 'm'), log);
      assert.match(log, new RegExp(`^verified ${p.replace(/\//g, '\\/')}: /bin/busybox is an ELF binary`, 'm'), log);
    }
  });

  it('each image really runs its architecture (uname -m in a container)', async () => {
    const docker = engine(env.DOCKER_HOST);
    const expected = ['x86_64', 'aarch64', 'armv7l'];
    for (const [i, r] of results.entries()) {
      assert.deepEqual(await runInImage(docker, r.tag, ['uname', '-m']), { code: 0, output: expected[i] });
      assert.deepEqual(await runInImage(docker, r.tag, ['cat', '/uname']), { code: 0, output: expected[i] });
    }
  });

  it('TARGETARCH was amd64 / arm64 / arm during the build', async () => {
    const docker = engine(env.DOCKER_HOST);
    const expected = ['amd64', 'arm64', 'arm'];
    for (const [i, r] of results.entries()) {
      assert.deepEqual(await runInImage(docker, r.tag, ['cat', '/targetarch']), { code: 0, output: expected[i] });
    }
  });

  it('the images carry the requested platform in their config', async () => {
    const docker = engine(env.DOCKER_HOST);
    const expected = [
      ['amd64', undefined],
      ['arm64', undefined],
      ['arm', 'v7'],
    ];
    for (const [i, r] of results.entries()) {
      const info = (await docker.getImage(r.tag).inspect()) as { Architecture: string; Os: string; Variant?: string };
      assert.deepEqual([info.Os, info.Architecture, info.Variant || undefined], ['linux', ...expected[i]]);
    }
  });

  it('sent the context through .dockerignore (ignored files absent, exceptions kept, Dockerfile and .dockerignore always sent)', async () => {
    const docker = engine(env.DOCKER_HOST);
    const listing = await runInImage(docker, results[0].tag, ['cat', '/ctxlist']);
    assert.deepEqual(listing.output.split('\n'), ['Dockerfile', 'app.txt', 'logs']);
    const logs = await runInImage(docker, results[0].tag, ['ls', '/ctx/logs']);
    assert.equal(logs.output, 'keep.log');
    const hidden = await runInImage(docker, results[0].tag, ['ls', '-a', '/ctx']);
    assert.ok(hidden.output.split('\n').includes('.dockerignore'), hidden.output);
  });
});

describe('build: a Dockerfile outside the context, a tag template and a target stage', () => {
  it('builds with the Dockerfile from another folder under a custom tag', async () => {
    const env = dockerEnv();
    const ctx = scratchDir({ 'data.txt': 'from the context\n' });
    const elsewhere = scratchDir();
    elsewhere.write(
      'build.Dockerfile',
      `FROM ${env.GC_TEST_BASE} AS base\nRUN echo base > /stage\n\nFROM base AS final\nCOPY data.txt /data.txt\nRUN cat /data.txt\n\nFROM base AS other\nRUN false\n`,
    );
    const image = uniqueImage('outside');
    const docker = engine(env.DOCKER_HOST);
    try {
      const plan = planBuild(
        {
          contextDir: ctx.dir,
          dockerfile: elsewhere.path('build.Dockerfile'),
          platforms: parsePlatformList('linux/arm64'),
          image,
          version: '3',
          tagTemplate: '{image}:{version}-{os}-{arch}{variant}',
          target: 'final',
          noCache: true,
        },
        { defaultHost: env.DOCKER_HOST },
      );
      const recorder = new Recorder();
      const [r] = await runBuild(plan, recorder, { parallel: 1 });
      assert.equal(r.status, 'succeeded', `${r.error}\n${recorder.log('linux/arm64')}`);
      assert.equal(r.tag, `${image}:3-linux-arm64`);
      assert.match(recorder.log('linux/arm64'), /^#\d+ from the context$/m);
      assert.deepEqual(await runInImage(docker, r.tag, ['cat', '/data.txt', '/stage']), { code: 0, output: 'from the context\nbase' });
      await removeImages(docker, [r.tag]);
    } finally {
      ctx.dispose();
      elsewhere.dispose();
    }
  });
});
