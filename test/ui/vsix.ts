/** Where `npm run package` left the .vsix (or GC_VSIX); a clear error when it is missing. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/codeServer';

export function vsixPath(): string {
  const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const file = process.env.GC_VSIX ?? join(ROOT, `${name}-${version}.vsix`);
  if (!existsSync(file)) throw new Error(`${file} does not exist: build it with 'npm run package'`);
  return file;
}
