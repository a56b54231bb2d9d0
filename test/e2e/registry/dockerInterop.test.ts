/**
 * Interop with the real Docker engine and CLI (the environment of scripts/env/docker.sh:
 * dockerd, binfmt QEMU, local per-arch busybox images): per-arch images pushed through
 * dockerode with X-Registry-Auth, our list read by `docker manifest inspect --insecure`, and
 * `docker pull --platform` + `docker run` of the list printing the right machine.
 * A missing environment fails under CI=true; otherwise the test starts it (and stops it).
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { pushImages, pushManifestList, RegistryClient, type PushStatus } from '../../../core/src/registry';
import { engine, removeImages, ROOT, type DockerTestEnv } from '../support/dockerEnv';
import { dockerConfigDir, ensureDockerEnvironment, startRegistry, type RunningRegistry } from './support';

const run = promisify(execFile);
const DOCKER_CLI = '/usr/bin/docker';
const PASSWORD = 'Engine-push-secret-5c1d';

describe('interop with dockerd and the docker CLI', () => {
  let env: DockerTestEnv;
  let startedHere = false;
  let docker: Docker;
  let registry: RunningRegistry;
  let secured: RunningRegistry;
  const tags: Record<string, string> = {};
  const cleanup: string[] = [];
  let cliConfig: string;
  const cliEnv = () => ({ ...process.env, DOCKER_HOST: env.DOCKER_HOST, DOCKER_CONFIG: cliConfig });

  before(async () => {
    ({ env, startedHere } = ensureDockerEnvironment());
    docker = engine(env.DOCKER_HOST);
    registry = await startRegistry();
    secured = await startRegistry({ kind: 'htpasswd', users: { carol: PASSWORD } });
    cliConfig = dockerConfigDir({});
    cleanup.push(cliConfig);
    const local: Record<string, string> = { amd64: 'local/busybox:amd64', arm64: 'local/busybox:arm64', armv7: 'local/busybox:armhf' };
    for (const [arch, image] of Object.entries(local)) {
      tags[arch] = `${registry.host}/interop/busybox:${arch}-1`;
      await docker.getImage(image).tag({ repo: `${registry.host}/interop/busybox`, tag: `${arch}-1` });
    }
  });
  after(async () => {
    if (docker)
      await removeImages(docker, [
        ...Object.values(tags),
        `${registry?.host}/interop/busybox:1`,
        `${secured?.host}/interop/busybox:amd64-1`,
      ]);
    await registry?.stop();
    await secured?.stop();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
    if (startedHere) execFileSync(join(ROOT, 'scripts/env/docker.sh'), ['stop'], { stdio: 'inherit' });
  });

  it('pushes the per-arch images through the engine with progress per image', async () => {
    const statuses: string[] = [];
    const progress = new Set<string>();
    const results = await pushImages(docker, Object.values(tags), {
      onStatus: (image: string, status: PushStatus) => statuses.push(`${image.split(':').pop()} ${status}`),
      onProgress: (image: string) => progress.add(image),
    });
    assert.deepEqual(
      results.map((r) => r.status),
      ['pushed', 'pushed', 'pushed'],
      JSON.stringify(results),
    );
    assert.deepEqual(
      statuses.filter((s) => s.startsWith('arm64-1')),
      ['arm64-1 queued', 'arm64-1 pushing', 'arm64-1 pushed'],
    );
    assert.equal(progress.size, 3);
    const client = new RegistryClient(registry.host);
    for (const r of results) {
      assert.match(r.digest ?? '', /^sha256:[a-f0-9]{64}$/);
      assert.equal((await client.headManifest('interop/busybox', r.image.split(':').pop() as string))?.digest, r.digest);
    }
  });

  it('pushes a list that docker manifest inspect reads with the right platforms', async () => {
    const result = await pushManifestList({
      target: `${registry.host}/interop/busybox:1`,
      sources: Object.values(tags).map((reference) => ({ reference })),
    });
    const { stdout } = await run(DOCKER_CLI, ['manifest', 'inspect', '--insecure', `${registry.host}/interop/busybox:1`], {
      env: cliEnv(),
    });
    const shown = JSON.parse(stdout) as {
      mediaType: string;
      manifests: { digest: string; platform: { architecture: string; os: string; variant?: string } }[];
    };
    assert.equal(shown.mediaType, 'application/vnd.docker.distribution.manifest.list.v2+json');
    assert.deepEqual(
      shown.manifests.map((m) => [m.platform.os, m.platform.architecture, m.platform.variant ?? ''].join('/')),
      ['linux/amd64/', 'linux/arm64/', 'linux/arm/v7'],
    );
    assert.deepEqual(
      shown.manifests.map((m) => m.digest),
      result.entries.map((e) => e.digest),
    );
  });

  for (const [platform, machine] of [
    ['linux/arm64', 'aarch64'],
    ['linux/arm/v7', 'armv7l'],
    ['linux/amd64', 'x86_64'],
  ] as const) {
    it(`docker pull --platform ${platform} of the list, then docker run, prints ${machine}`, async () => {
      const ref = `${registry.host}/interop/busybox:1`;
      await run(DOCKER_CLI, ['pull', '--platform', platform, ref], { env: cliEnv() });
      const { stdout } = await run(
        DOCKER_CLI,
        ['run', '--rm', '--pull', 'never', '--network', 'none', '--platform', platform, ref, 'uname', '-m'],
        { env: cliEnv() },
      );
      assert.equal(stdout.trim(), machine);
    });
  }

  it('pushes to an authenticated registry with X-Registry-Auth from config.json, and explains a refusal without secrets', async () => {
    const image = `${secured.host}/interop/busybox:amd64-1`;
    await docker.getImage('local/busybox:amd64').tag({ repo: `${secured.host}/interop/busybox`, tag: 'amd64-1' });
    const anonymous = await pushImages(docker, [image], {}, { configDir: dockerConfigDir({}) });
    assert.equal(anonymous[0].status, 'failed');
    assert.match(anonymous[0].error ?? '', /Run `docker login 127\.0\.0\.1:\d+`/);
    const wrong = await pushImages(
      docker,
      [image],
      {},
      { configDir: dockerConfigDir({ auths: { [secured.host]: { auth: Buffer.from(`carol:${PASSWORD}x`).toString('base64') } } }) },
    );
    assert.equal(wrong[0].status, 'failed');
    assert.ok(!JSON.stringify(wrong).includes(PASSWORD), 'no password in results');
    const logs: string[] = [];
    const good = await pushImages(
      docker,
      [image],
      { onLog: (_image: string, line: string) => logs.push(line) },
      { configDir: dockerConfigDir({ auths: { [secured.host]: { auth: Buffer.from(`carol:${PASSWORD}`).toString('base64') } } }) },
    );
    assert.equal(good[0].status, 'pushed', good[0].error);
    assert.ok(!logs.join('\n').includes(PASSWORD));
  });
});
