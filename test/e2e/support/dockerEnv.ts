/**
 * The e2e environment made by scripts/env/docker.sh (two dockerd engines, binfmt QEMU, a
 * loopback registry, local base images). `npm test` starts it before the e2e suite; to run a
 * file by hand: `scripts/env/docker.sh start`, then `node scripts/lib/run-node-tests.mjs test/e2e`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';
import { demultiplexLogs } from '../../../core/src/docker/connection';

export const ROOT = resolve(__dirname, '../../..');
export const ENV_FILE = join(ROOT, '.test-env/docker/env');

export interface DockerTestEnv {
  readonly DOCKER_HOST: string;
  readonly GC_TEST_DOCKER_HOST_2: string;
  readonly GC_TEST_REGISTRY: string;
  readonly GC_TEST_BASE: string;
  readonly GC_TEST_BASE_AMD64: string;
  readonly GC_TEST_BASE_ARM64: string;
  readonly GC_TEST_BASE_ARMV7: string;
  readonly GC_TEST_QEMU_BASE: string;
  /** Go toolchain base (Debian golang-1.19; linux/amd64, linux/arm64, linux/arm/v7). */
  readonly GC_TEST_GO_BASE?: string;
  readonly GC_TEST_BINFMT: string;
  readonly GC_TEST_ENGINE1_ROOT: string;
  readonly GC_TEST_ENGINE2_ROOT: string;
}

/** Reads the env file; throws with the next step when the environment is not running. */
export function dockerEnv(): DockerTestEnv {
  if (!existsSync(ENV_FILE)) {
    throw new Error(
      `${ENV_FILE} is missing: the e2e environment is not running. Start it with 'scripts/env/docker.sh start' (npm test does this).`,
    );
  }
  const env: Record<string, string> = {};
  for (const line of readFileSync(ENV_FILE, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  for (const key of ['DOCKER_HOST', 'GC_TEST_DOCKER_HOST_2', 'GC_TEST_REGISTRY', 'GC_TEST_BASE', 'GC_TEST_QEMU_BASE']) {
    if (!env[key]) throw new Error(`${ENV_FILE} has no ${key}: restart the environment (scripts/env/docker.sh stop; … start).`);
  }
  return env as unknown as DockerTestEnv;
}

export function engine(host: string): Docker {
  return new Docker({ socketPath: host.replace(/^unix:\/\//, '') });
}

/** A repository name unique to this run, so tests never see each other's images. */
export function uniqueImage(prefix: string): string {
  return `gc-e2e/${prefix}-${process.pid}-${Date.now().toString(36)}`;
}

/** Runs a command in a container of the image and returns its output (the container is removed). */
export async function runInImage(docker: Docker, image: string, cmd: string[]): Promise<{ code: number; output: string }> {
  const container = await docker.createContainer({ Image: image, Entrypoint: [], Cmd: cmd, HostConfig: { NetworkMode: 'none' } });
  try {
    await container.start();
    const exit = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true });
    const output = demultiplexLogs(logs);
    return { code: exit.StatusCode, output: output.trim() };
  } finally {
    await container.remove({ force: true });
  }
}

/** Removes images by reference, ignoring the ones already gone. */
export async function removeImages(docker: Docker, refs: readonly string[]): Promise<void> {
  for (const ref of refs)
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch(() => undefined);
}
