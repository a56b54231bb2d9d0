/**
 * The shared Docker test environment (scripts/env/docker.sh: dockerd with binfmt QEMU, a loopback
 * registry, local base images) for a UI check: joined with `docker.sh start` (reference-counted,
 * so a suite that already started it keeps it), left with `docker.sh stop`, removing the images
 * the check built.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../../scripts/lib/codeServer';
import { dockerEnv, engine, removeImages, type DockerTestEnv } from '../../e2e/support/dockerEnv';

const SCRIPT = join(ROOT, 'scripts/env/docker.sh');

export interface JoinedDockerEnv {
  readonly env: DockerTestEnv;
  /** Images to remove when leaving. */
  readonly images: string[];
  leave(): Promise<void>;
}

export function joinDockerEnv(): JoinedDockerEnv {
  execFileSync('bash', [SCRIPT, 'start'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  let env: DockerTestEnv;
  try {
    env = dockerEnv();
  } catch (error) {
    execFileSync('bash', [SCRIPT, 'stop'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    throw error;
  }
  const images: string[] = [];
  return {
    env,
    images,
    async leave() {
      try {
        await removeImages(engine(env.DOCKER_HOST), images);
      } finally {
        execFileSync('bash', [SCRIPT, 'stop'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      }
    },
  };
}
