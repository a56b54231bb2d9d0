/**
 * `green-cloud build --push` end to end: three platforms built by the real dockerd (BuildKit,
 * binfmt QEMU), pushed through dockerode to a real registry, then the list IMAGE:VERSION;
 * `docker pull --platform` of the list runs the right binaries.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { runCli } from '../../../cli/src/main';
import { inspectManifest } from '../../../core/src/registry';
import { engine, removeImages, ROOT, type DockerTestEnv } from '../support/dockerEnv';
import { dockerConfigDir, ensureDockerEnvironment, startRegistry, type RunningRegistry } from './support';
import { captureIO } from '../../support/cliIO';
import { scratchDir, type Scratch } from '../../support/scratch';

const run = promisify(execFile);

describe('green-cloud build --push', () => {
  let env: DockerTestEnv;
  let startedHere = false;
  let docker: Docker;
  let registry: RunningRegistry;
  let ctx: Scratch;
  let config: string;
  const image = () => `${registry.host}/bp/web`;

  before(async () => {
    ({ env, startedHere } = ensureDockerEnvironment());
    docker = engine(env.DOCKER_HOST);
    registry = await startRegistry();
    config = dockerConfigDir({});
    ctx = scratchDir({ Dockerfile: `FROM ${env.GC_TEST_BASE}\nRUN uname -m > /machine\n` });
  });
  after(async () => {
    if (docker && registry) await removeImages(docker, ['amd64', 'arm64', 'armv7'].map((a) => `${image()}:${a}-1`).concat(`${image()}:1`));
    await registry?.stop();
    ctx?.dispose();
    if (config) rmSync(config, { recursive: true, force: true });
    if (startedHere) execFileSync(join(ROOT, 'scripts/env/docker.sh'), ['stop'], { stdio: 'inherit' });
  });

  it('builds three platforms, pushes them and the list, and prints the digest', async () => {
    const { io, out, err } = captureIO({ DOCKER_HOST: env.DOCKER_HOST, DOCKER_CONFIG: config }, ctx.dir);
    const code = await runCli(['build', '.', '--tag', `${image()}:1`, '--platform', 'linux/amd64,linux/arm64,linux/arm/v7', '--push'], io);
    assert.equal(code, 0, `${out()}\n${err()}`);
    const digest = /Digest: (sha256:[a-f0-9]{64})/.exec(out())?.[1];
    assert.ok(digest, out());
    for (const arch of ['amd64', 'arm64', 'armv7'])
      assert.match(out(), new RegExp(`\\[push ${image().replace(/[.]/g, '\\.')}:${arch}-1\\] pushed sha256:`));
    const listed = await inspectManifest(`${image()}:1`);
    assert.equal(listed.digest, digest);
    assert.deepEqual(
      listed.entries.map((e) => [e.platform.os, e.platform.architecture, e.platform.variant].filter(Boolean).join('/')),
      ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    );
    const cli = { env: { ...process.env, DOCKER_HOST: env.DOCKER_HOST, DOCKER_CONFIG: config } };
    await removeImages(docker, [`${image()}:1`]);
    await run('/usr/bin/docker', ['pull', '--platform', 'linux/arm64', `${image()}:1`], cli);
    const { stdout } = await run(
      '/usr/bin/docker',
      ['run', '--rm', '--pull', 'never', '--network', 'none', '--platform', 'linux/arm64', `${image()}:1`, 'cat', '/machine'],
      cli,
    );
    assert.equal(stdout.trim(), 'aarch64');
  });
});
