/**
 * The last build choices, kept in the workspace state (not in settings): the platforms picked,
 * and the image and version per Dockerfile (with the last ones used as a fallback for a new
 * Dockerfile). No `vscode` import: `vscode.Memento` satisfies `StateStore`.
 */
import { parsePlatform, formatPlatform, type Platform } from '../../../core/src/platforms';

export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const PLATFORMS = 'greenCloud.build.platforms';
const IMAGES = 'greenCloud.build.image';
const VERSIONS = 'greenCloud.build.version';
const LAST = '';

export class BuildMemory {
  constructor(private readonly state: StateStore) {}

  /** The platforms picked last time (undefined when never picked or no longer valid). */
  platforms(): Platform[] | undefined {
    const raw = this.state.get<unknown>(PLATFORMS);
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
    return this.lookup(IMAGES, dockerfile);
  }

  version(dockerfile: string): string | undefined {
    return this.lookup(VERSIONS, dockerfile);
  }

  async remember(dockerfile: string, choice: { platforms?: readonly Platform[]; image?: string; version?: string }): Promise<void> {
    if (choice.platforms) await this.state.update(PLATFORMS, choice.platforms.map(formatPlatform));
    if (choice.image) await this.store(IMAGES, dockerfile, choice.image);
    if (choice.version) await this.store(VERSIONS, dockerfile, choice.version);
  }

  private lookup(key: string, dockerfile: string): string | undefined {
    const map = this.state.get<unknown>(key);
    if (!map || typeof map !== 'object') return undefined;
    const record = map as Record<string, unknown>;
    const value = Object.prototype.hasOwnProperty.call(record, dockerfile) ? record[dockerfile] : record[LAST];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  private async store(key: string, dockerfile: string, value: string): Promise<void> {
    const map = this.state.get<unknown>(key);
    const record: Record<string, string> = map && typeof map === 'object' ? { ...(map as Record<string, string>) } : {};
    record[dockerfile] = value;
    record[LAST] = value;
    await this.state.update(key, record);
  }
}
