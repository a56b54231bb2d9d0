/**
 * Finds what `green-cloud lint DIR` lints under a directory: Dockerfiles and Compose files by
 * name, Kubernetes manifests (`*.yaml`, `*.yml`) by content.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { COMPOSE_FILE_NAME, looksLikeKubernetes, MAX_YAML_BYTES } from '../../server/src/yaml';

/**
 * The names the extension treats as Dockerfiles (package.json `contributes.languages`):
 * `Dockerfile`, `Containerfile`, `Dockerfile.*`, `Dockerfile-*` (`Dockerfile-devel`), `Containerfile.*`,
 * `Containerfile-*`, `*.Dockerfile`, `*.dockerfile`, `*.containerfile` (case-insensitive).
 */
export const DOCKERFILE_NAME = /^(?:dockerfile|containerfile)(?:[.-].+)?$|.\.(?:dockerfile|containerfile)$/i;

/** YAML files that may be Kubernetes manifests (decided by content). */
const YAML_NAME = /\.ya?ml$/i;

/** Files larger than this are skipped by the directory walk, with a note. */
export const MAX_FILE_BYTES = MAX_YAML_BYTES;

/** Directories never searched: dependencies and hidden folders (.git, .cache …). */
function skipped(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

export interface FoundFiles {
  /** Paths relative to the directory (with `/`), sorted, depth-first. */
  readonly files: string[];
  /** Why some candidates were skipped (too large), one line each. */
  readonly notes: string[];
}

async function readHead(path: string, size: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Dockerfiles, Compose files and Kubernetes manifests under `dir`. Symbolic links to
 * directories are not followed; `node_modules`, hidden directories and files over 1 MB are skipped.
 */
export async function findLintableFiles(dir: string): Promise<FoundFiles> {
  const files: string[] = [];
  const notes: string[] = [];
  async function walk(relative: string): Promise<void> {
    const entries = await readdir(join(dir, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!skipped(entry.name)) await walk(path);
        continue;
      }
      const byName = DOCKERFILE_NAME.test(entry.name) || COMPOSE_FILE_NAME.test(entry.name);
      if (!byName && !YAML_NAME.test(entry.name)) continue;
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const info = await stat(join(dir, path)).catch(() => undefined);
      if (!info?.isFile()) continue;
      if (info.size > MAX_FILE_BYTES) {
        notes.push(`Skipped '${path}': ${info.size} bytes is over the 1 MB (${MAX_FILE_BYTES} bytes) limit of a directory walk.`);
        continue;
      }
      if (byName) files.push(path);
      else if (looksLikeKubernetes(await readHead(join(dir, path), MAX_FILE_BYTES).catch(() => ''))) files.push(path);
    }
  }
  await walk('');
  return { files, notes };
}

/** The Dockerfiles under a directory (paths relative to it, sorted, depth-first). */
export async function findDockerfiles(dir: string): Promise<string[]> {
  return (await findLintableFiles(dir)).files.filter((f) => DOCKERFILE_NAME.test(f.split('/').pop() ?? f));
}
