/**
 * GC110 end to end: examples/go-emulated after its quick fix "Cross-compile on the build
 * platform", built for linux/amd64, linux/arm64 and linux/arm/v7 on a real dockerd with
 * BuildKit from the Go base made locally from Debian's packages (GC_TEST_GO_BASE). Each image
 * then runs on its own platform (arm64 and arm/v7 through QEMU binfmt) and its binary reports
 * the GOARCH it was compiled for. The build results carry the BuildKit step timings: arm64 and
 * arm/v7 are emulated on this amd64 engine, but the go build ran natively.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planBuild, runBuild, type PlatformResult } from '../../../core/src/imageBuild';
import { parsePlatformList } from '../../../core/src/platforms';
import { applyFix, lintStrict, lintSummary } from '../../support/lint';
import { dockerEnv, engine, removeImages, ROOT, runInImage, uniqueImage, type DockerTestEnv } from '../support/dockerEnv';
import { Recorder } from './events';
import { scratchDir, type Scratch } from '../../support/scratch';

const example = join(ROOT, 'examples/go-emulated');
const original = readFileSync(join(example, 'Dockerfile'), 'utf8');

describe('GC110 fix on a real engine: the cross-compiled Go service runs on every platform', () => {
  let env: DockerTestEnv;
  let ctx: Scratch;
  let results: PlatformResult[];
  let fixed: string;
  const recorder = new Recorder();

  before(async () => {
    env = dockerEnv();
    assert.ok(
      env.GC_TEST_GO_BASE,
      'GC_TEST_GO_BASE is missing from the env file: restart the environment (scripts/env/docker.sh stop; start)',
    );
    const gc110 = lintStrict(original).find((d) => d.code === 'GC110');
    assert.ok(gc110, 'examples/go-emulated has no GC110');
    fixed = applyFix(original, gc110, 'Cross-compile on the build platform');
    ctx = scratchDir({
      Dockerfile: fixed,
      'go.mod': readFileSync(join(example, 'go.mod'), 'utf8'),
      'main.go': readFileSync(join(example, 'main.go'), 'utf8'),
    });
    const plan = planBuild(
      {
        contextDir: ctx.dir,
        dockerfile: 'Dockerfile',
        platforms: parsePlatformList('linux/amd64,linux/arm64,linux/arm/v7'),
        image: uniqueImage('go-cross'),
        version: '1',
        buildArgs: { GO_BASE: env.GC_TEST_GO_BASE, RUNTIME_BASE: env.GC_TEST_BASE },
        noCache: true,
      },
      { defaultHost: env.DOCKER_HOST },
    );
    results = await runBuild(plan, recorder, { parallel: 3 });
  });

  after(async () => {
    await removeImages(engine(env.DOCKER_HOST), results?.map((r) => r.tag) ?? []);
    ctx?.dispose();
  });

  it('the fixed Dockerfile cross-compiles on $BUILDPLATFORM and lints clean', () => {
    assert.match(fixed, /^FROM --platform=\$BUILDPLATFORM \$\{GO_BASE\} AS build$/m);
    assert.match(fixed, /GOOS=\$TARGETOS GOARCH=\$TARGETARCH GOARM=\$\{TARGETVARIANT#v\} go build/);
    assert.deepEqual(lintSummary(fixed), []);
  });

  for (const [platform, goarch, emulated] of [
    ['linux/amd64', 'amd64', false],
    ['linux/arm64', 'arm64', true],
    ['linux/arm/v7', 'arm', true],
  ] as const) {
    it(`${platform}: the image runs and its binary reports GOARCH=${goarch}`, async () => {
      const result = results.find((r) => r.platform.architecture === goarch);
      assert.ok(result, `no result for ${platform}`);
      assert.equal(result.status, 'succeeded', `${result.error}\n${recorder.log(platform)}`);
      assert.deepEqual(await runInImage(engine(env.DOCKER_HOST), result.tag, ['/usr/local/bin/hello', '-arch']), {
        code: 0,
        output: goarch,
      });
    });

    it(`${platform}: the result says ${emulated ? 'emulated' : 'native'}, with RUN timings from BuildKit and the go build not under QEMU`, () => {
      const result = results.find((r) => r.platform.architecture === goarch);
      assert.ok(result?.timing, `no timing for ${platform}`);
      const t = result.timing;
      assert.equal(t.emulated, emulated);
      assert.equal(t.engineArch, 'amd64');
      assert.ok(t.runMs > 0 && t.runMs <= t.totalMs, JSON.stringify(t));
      // the only RUN (go build) is in the $BUILDPLATFORM stage: nothing ran under QEMU
      assert.equal(t.emulatedRunMs, 0, JSON.stringify(t));
      if (emulated) assert.match(recorder.log(platform), /is not native to this engine \(amd64\)/);
      assert.equal(recorder.emulation.get(platform), emulated, 'onEmulation (the progress marks emulated platforms)');
    });
  }
});
