/**
 * The last build choices, kept in the workspace state (not in settings), each per Dockerfile:
 * the platforms picked, the image and the version. A Dockerfile never inherits another one's
 * answers — pre-filling a second Dockerfile with the first one's image invites overwriting its
 * tags; a new Dockerfile starts from a name derived from its own folder (request.ts). No
 * `vscode` import: `vscode.Memento` satisfies `StateStore`.
 */
import { parsePlatform, formatPlatform, type Platform } from '../../../core/src/platforms';

export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

// Keys of the per-Dockerfile maps. (Before 0.x the platforms were one list for the workspace and
// a new Dockerfile fell back to the last image; those values are ignored.)
const PLATFORMS = 'greenCloud.build.platformsByDockerfile';
/** The platforms picked last, in any Dockerfile (for callers that know no Dockerfile). */
const LAST_PLATFORMS = 'greenCloud.build.platforms';
const IMAGES = 'greenCloud.build.image';
const VERSIONS = 'greenCloud.build.version';

export class BuildMemory {
  constructor(private readonly state: StateStore) {}

  /**
   * The platforms picked last time for this Dockerfile (undefined when never picked or no longer
   * valid); without a Dockerfile, the platforms picked last in any.
   */
  platforms(dockerfile?: string): Platform[] | undefined {
    const raw = dockerfile === undefined ? this.state.get<unknown>(LAST_PLATFORMS) : this.lookup<unknown>(PLATFORMS, dockerfile);
    if (!Array.isArray(raw)) return undefined;
    const out: Platform[] = [];
    for (const p of raw) {
      try {
        if (typeof p === 'string') out.push(parsePlatform(p));
      } catch {
        // a value written by an older version: ignore it
      }
    }
    return out.length > 0 ? out : undefined;
  }

  image(dockerfile: string): string | undefined {
    const value = this.lookup<unknown>(IMAGES, dockerfile);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  version(dockerfile: string): string | undefined {
    const value = this.lookup<unknown>(VERSIONS, dockerfile);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  async remember(dockerfile: string, choice: { platforms?: readonly Platform[]; image?: string; version?: string }): Promise<void> {
    if (choice.platforms) {
      await this.store(PLATFORMS, dockerfile, choice.platforms.map(formatPlatform));
      await this.state.update(LAST_PLATFORMS, choice.platforms.map(formatPlatform));
    }
    if (choice.image) await this.store(IMAGES, dockerfile, choice.image);
    if (choice.version) await this.store(VERSIONS, dockerfile, choice.version);
  }

  private lookup<T>(key: string, dockerfile: string): T | undefined {
    const map = this.state.get<unknown>(key);
    if (!map || typeof map !== 'object' || Array.isArray(map)) return undefined;
    const record = map as Record<string, unknown>;
    return Object.prototype.hasOwnProperty.call(record, dockerfile) ? (record[dockerfile] as T) : undefined;
  }

  private async store(key: string, dockerfile: string, value: unknown): Promise<void> {
    const map = this.state.get<unknown>(key);
    const record: Record<string, unknown> =
      map && typeof map === 'object' && !Array.isArray(map) ? { ...(map as Record<string, unknown>) } : {};
    delete record['']; // the workspace-wide "last used" entry of older versions
    record[dockerfile] = value;
    await this.state.update(key, record);
  }
}
