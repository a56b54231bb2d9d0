/** Finds the Dockerfiles under a directory, for `green-cloud lint DIR`. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The names the extension treats as Dockerfiles (package.json `contributes.languages`):
 * `Dockerfile`, `Containerfile`, `Dockerfile.*`, `Dockerfile-*` (`Dockerfile-devel`), `Containerfile.*`,
 * `Containerfile-*`, `*.Dockerfile`, `*.dockerfile`, `*.containerfile` (case-insensitive).
 */
export const DOCKERFILE_NAME = /^(?:dockerfile|containerfile)(?:[.-].+)?$|.\.(?:dockerfile|containerfile)$/i;

/** Directories never searched: dependencies and hidden folders (.git, .cache …). */
function skipped(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** Paths relative to `dir` (with `/`), sorted, depth-first; symbolic links to directories are not followed. */
export async function findDockerfiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(relative: string): Promise<void> {
    const entries = await readdir(join(dir, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!skipped(entry.name)) await walk(path);
      } else if (DOCKERFILE_NAME.test(entry.name)) {
        const isFile =
          entry.isFile() ||
          (entry.isSymbolicLink() &&
            (await stat(join(dir, path)).then(
              (s) => s.isFile(),
              () => false,
            )));
        if (isFile) found.push(path);
      }
    }
  }
  await walk('');
  return found;
}
