/**
 * A real `docker-registry` on loopback holding one single-arch image (someorg/tool:1, linux/amd64
 * only, a name that says nothing of its architecture), and the environment under which the
 * extension looks images up there: registry lookups on, an empty Docker config of its own.
 */
import { rmSync } from 'node:fs';
import { RegistryClient } from '../../../core/src/registry';
import { dockerConfigDir, pushSyntheticImage, startRegistry } from '../../e2e/registry/support';

export interface LookupRegistry {
  /** The image's reference, host included. */
  readonly image: string;
  /** For openWorkbench's `env`. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startLookupRegistry(): Promise<LookupRegistry> {
  const registry = await startRegistry();
  let config = '';
  try {
    await pushSyntheticImage(new RegistryClient(registry.host), 'someorg/tool', '1', { os: 'linux', architecture: 'amd64' });
    config = dockerConfigDir({});
  } catch (error) {
    await registry.stop();
    throw error;
  }
  return {
    image: `${registry.host}/someorg/tool:1`,
    env: { GREEN_CLOUD_OFFLINE: '0', DOCKER_CONFIG: config },
    async stop() {
      await registry.stop();
      rmSync(config, { recursive: true, force: true });
    },
  };
}
