/**
 * The balena/resin cross-build path on a host WITHOUT binfmt for arm (the qemu-arm handler is
 * disabled for this test and restored after): a stage over a base that carries qemu-arm-static
 * and exec-form cross-build-start/-end builds; the same stage without the markers fails with
 * "exec format error" — the reason rule GC201 exists.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planBuild, runBuild, type PlatformResult } from '../../../core/src/imageBuild';
import { detectEmulation } from '../../../core/src/emulation';
import { parsePlatformList } from '../../../core/src/platforms';
import { dockerEnv, engine, removeImages, uniqueImage, type DockerTestEnv } from '../support/dockerEnv';
import { Recorder } from './events';
import { scratchDir } from '../../support/scratch';

const ARMV7 = parsePlatformList('linux/arm/v7');

async function build(env: DockerTestEnv, dockerfile: string, name: string): Promise<{ result: PlatformResult; log: string }> {
  const ctx = scratchDir({ Dockerfile: dockerfile });
  try {
    const plan = planBuild(
      { contextDir: ctx.dir, dockerfile: 'Dockerfile', platforms: ARMV7, image: uniqueImage(name), version: '1', noCache: true },
      { defaultHost: env.DOCKER_HOST },
    );
    const recorder = new Recorder();
    const [result] = await runBuild(plan, recorder, { parallel: 1 });
    return { result, log: recorder.log('linux/arm/v7') };
  } finally {
    ctx.dispose();
  }
}

describe('cross-build markers on a host without binfmt for arm', () => {
  let env: DockerTestEnv;
  let handler: string;
  let wasEnabled = false;
  const tags: string[] = [];

  before(() => {
    env = dockerEnv();
    handler = join(env.GC_TEST_BINFMT, 'qemu-arm');
    assert.ok(existsSync(handler), `${handler} is missing: the environment registers it (scripts/env/docker.sh)`);
    wasEnabled = readFileSync(handler, 'utf8').startsWith('enabled');
    writeFileSync(handler, '0');
  });

  after(async () => {
    if (wasEnabled) writeFileSync(handler, '1');
    if (env) await removeImages(engine(env.DOCKER_HOST), tags);
  });

  it('the engine host really has no arm emulation now', async () => {
    const [report] = await detectEmulation(env.DOCKER_HOST, ARMV7);
    assert.equal(report.status, 'missing');
    assert.equal(report.detail, 'binfmt_misc qemu-arm is registered but disabled');
  });

  it('builds with exec-form cross-build-start / cross-build-end around the RUN steps', async () => {
    const { result, log } = await build(
      env,
      `FROM ${env.GC_TEST_QEMU_BASE}\nRUN [ "cross-build-start" ]\nRUN uname -m > /built-on && echo "emulated $(uname -m)"\nRUN [ "cross-build-end" ]\n`,
      'xbuild-markers',
    );
    tags.push(result.tag);
    assert.equal(result.status, 'succeeded', `${result.error}\n${log}`);
    assert.match(log, /^#\d+ emulated armv7l$/m);
    // cross-build-end put the real /bin/sh back: the verified binary is ARM, not the x86 shim
    assert.match(log, /^verified linux\/arm\/v7: \/bin\/busybox is an ELF binary for ARM \(32-bit\)$/m);
  });

  it('the same stage without the markers fails: the foreign /bin/sh cannot run', async () => {
    const { result, log } = await build(
      env,
      `FROM ${env.GC_TEST_QEMU_BASE}\nRUN uname -m > /built-on && echo "emulated $(uname -m)"\n`,
      'xbuild-none',
    );
    tags.push(result.tag);
    assert.equal(result.status, 'failed', log);
    assert.match(result.error ?? '', /^linux\/arm\/v7: the build failed: .*\/bin\/sh -c uname -m/);
    assert.match(result.logTail.join('\n'), /exec format error/);
  });

  it('a stage that starts but never ends ships the x86 shim as /bin/sh, and verification catches it', async () => {
    const { result, log } = await build(
      env,
      `FROM ${env.GC_TEST_QEMU_BASE}\nRUN [ "cross-build-start" ]\nRUN echo "emulated $(uname -m)"\n`,
      'xbuild-open',
    );
    tags.push(result.tag);
    assert.equal(result.status, 'failed', log);
    assert.match(
      result.error ?? '',
      /^linux\/arm\/v7: The image built for linux\/arm\/v7 contains x86-64 binaries \(\/bin\/sh is linux\/amd64\)/,
    );
  });
});
