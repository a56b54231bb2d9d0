/**
 * The lookup cache: content-addressed manifest summaries (kept forever: a digest names the
 * same bytes for ever) and tag→digest answers (fresh for a TTL). In memory, and on disk as one
 * JSON file (`lookups-v1.json`) in the cache directory: the extension's global storage in the
 * editor, `$XDG_CACHE_HOME/green-cloud` for the CLI. The file is bounded (oldest entries
 * dropped), written atomically (temporary file + rename) and read defensively: a broken or
 * foreign file is an empty cache, never an error.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A platform as stored (registry text, sanitized before display). */
export interface StoredPlatform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly osVersion?: string;
}

export type ManifestSummary =
  | {
      readonly kind: 'list';
      readonly mediaType: string;
      readonly entries: readonly { readonly digest: string; readonly platform?: StoredPlatform; readonly attestation: boolean }[];
    }
  | {
      readonly kind: 'image';
      readonly mediaType: string;
      /** Layers plus config, in bytes (compressed, as stored in the registry). */
      readonly compressedSize: number;
      readonly configDigest: string;
      readonly configSize: number;
      /** From the image config, once read (a child of a list takes its platform from the list). */
      readonly platform?: StoredPlatform;
    };

export interface TagAnswer {
  readonly digest: string;
  /** When the registry said so (ms since the epoch). */
  readonly at: number;
}

export const CACHE_FILE = 'lookups-v1.json';
export const MAX_CACHED_MANIFESTS = 5000;
export const MAX_CACHED_TAGS = 2000;
/** The largest cache file read back (a bigger one is ignored and rewritten). */
const MAX_CACHE_FILE_BYTES = 16 * 1024 * 1024;

const DIGEST = /^sha256:[0-9a-f]{64}$/;

function isPlatform(v: unknown): v is StoredPlatform {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return (
    typeof p.os === 'string' &&
    typeof p.architecture === 'string' &&
    (p.variant === undefined || typeof p.variant === 'string') &&
    (p.osVersion === undefined || typeof p.osVersion === 'string')
  );
}

function isSummary(v: unknown): v is ManifestSummary {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  if (typeof s.mediaType !== 'string') return false;
  if (s.kind === 'list')
    return (
      Array.isArray(s.entries) &&
      s.entries.every((e: unknown) => {
        const x = e as Record<string, unknown> | null;
        return (
          typeof x === 'object' &&
          x !== null &&
          typeof x.digest === 'string' &&
          typeof x.attestation === 'boolean' &&
          (x.platform === undefined || isPlatform(x.platform))
        );
      })
    );
  if (s.kind === 'image')
    return (
      Number.isSafeInteger(s.compressedSize) &&
      typeof s.configDigest === 'string' &&
      Number.isSafeInteger(s.configSize) &&
      (s.platform === undefined || isPlatform(s.platform))
    );
  return false;
}

export class LookupCache {
  private readonly manifests = new Map<string, ManifestSummary>();
  private readonly tags = new Map<string, TagAnswer>();
  private loaded?: Promise<void>;
  private saveTimer?: ReturnType<typeof setTimeout>;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    /** No directory: memory only. */
    readonly directory?: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Reads the file once (later calls wait for the same read). */
  load(): Promise<void> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async read(): Promise<void> {
    if (!this.directory) return;
    const file = join(this.directory, CACHE_FILE);
    let text: string;
    try {
      const bytes = await readFile(file);
      if (bytes.length > MAX_CACHE_FILE_BYTES) return;
      text = bytes.toString('utf8');
    } catch {
      return; // no cache yet
    }
    try {
      const parsed = JSON.parse(text) as { manifests?: unknown; tags?: unknown } | null;
      if (typeof parsed !== 'object' || parsed === null) return;
      if (typeof parsed.manifests === 'object' && parsed.manifests !== null)
        for (const [digest, summary] of Object.entries(parsed.manifests))
          if (DIGEST.test(digest) && isSummary(summary) && !this.manifests.has(digest)) this.manifests.set(digest, summary);
      if (typeof parsed.tags === 'object' && parsed.tags !== null)
        for (const [key, answer] of Object.entries(parsed.tags as Record<string, unknown>)) {
          const a = answer as Partial<TagAnswer> | null;
          if (a && typeof a.digest === 'string' && DIGEST.test(a.digest) && typeof a.at === 'number' && !this.tags.has(key))
            this.tags.set(key, { digest: a.digest, at: a.at });
        }
    } catch {
      this.log(`The lookup cache ${file} is not valid JSON: starting afresh.`);
    }
  }

  manifest(digest: string): ManifestSummary | undefined {
    return this.manifests.get(digest);
  }

  setManifest(digest: string, summary: ManifestSummary): void {
    this.manifests.delete(digest);
    this.manifests.set(digest, summary);
    while (this.manifests.size > MAX_CACHED_MANIFESTS) this.manifests.delete(this.manifests.keys().next().value as string);
    this.scheduleSave();
  }

  tag(key: string): TagAnswer | undefined {
    return this.tags.get(key);
  }

  setTag(key: string, answer: TagAnswer): void {
    this.tags.delete(key);
    this.tags.set(key, answer);
    while (this.tags.size > MAX_CACHED_TAGS) this.tags.delete(this.tags.keys().next().value as string);
    this.scheduleSave();
  }

  private scheduleSave(): void {
    this.dirty = true;
    if (!this.directory || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.flush();
    }, 250);
    this.saveTimer.unref?.();
  }

  /** Writes pending changes now (the CLI calls it before exiting). */
  flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    if (!this.directory || !this.dirty) return this.saving;
    this.dirty = false;
    const directory = this.directory;
    const body = JSON.stringify({ version: 1, manifests: Object.fromEntries(this.manifests), tags: Object.fromEntries(this.tags) });
    this.saving = this.saving.then(async () => {
      try {
        await mkdir(directory, { recursive: true });
        const file = join(directory, CACHE_FILE);
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(temporary, body, { mode: 0o600 });
        await rename(temporary, file);
      } catch (error) {
        this.log(`Cannot write the lookup cache in ${directory}: ${(error as Error).message}`);
      }
    });
    return this.saving;
  }
}

/** The CLI's cache directory, and the server's when the client names none: `$XDG_CACHE_HOME/green-cloud` (default `~/.cache/green-cloud`). */
export function defaultCacheDirectory(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(env.HOME ?? homedir(), '.cache');
  return join(base, 'green-cloud');
}
