/**
 * The one scratch workspace of the test suites: a temporary folder holding the given files
 * (relative path → text; folders made as needed), removed by `dispose` (idempotent).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Scratch {
  readonly dir: string;
  /** The absolute path of a file or folder in it. */
  path(relative: string): string;
  /** Writes a file (its folders made as needed); returns its absolute path. */
  write(relative: string, text: string): string;
  dispose(): void;
}

export function scratchDir(files: Record<string, string> = {}, prefix = 'green-cloud-'): Scratch {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const scratch: Scratch = {
    dir,
    path: (relative) => join(dir, relative),
    write(relative, text) {
      const path = join(dir, relative);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const [relative, text] of Object.entries(files)) scratch.write(relative, text);
  return scratch;
}
