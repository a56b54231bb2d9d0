/**
 * The rows of the "Which Dockerfile?" picker (no `vscode` import; unit-tested): sorted by
 * workspace-relative path, the workspace root's files first, then folder by folder; each row
 * the file's name with its folder as the description, like VS Code's own Quick Open.
 */
import { posix } from 'node:path';

export interface DockerfileChoice<T> {
  /** The file name, e.g. `Dockerfile.arm64`. */
  readonly label: string;
  /** Its folder relative to the workspace, e.g. `services/api` (empty at the root). */
  readonly description: string;
  readonly value: T;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** `relative`: the workspace-relative path with `/` separators (vscode.workspace.asRelativePath). */
export function dockerfileChoices<T>(files: readonly { readonly relative: string; readonly value: T }[]): DockerfileChoice<T>[] {
  return files
    .map((f) => {
      const path = f.relative.replace(/\\/g, '/');
      const folder = posix.dirname(path);
      return { label: posix.basename(path), description: folder === '.' ? '' : folder, value: f.value };
    })
    .sort((a, b) => collator.compare(a.description, b.description) || collator.compare(a.label, b.label));
}
