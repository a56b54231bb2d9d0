/**
 * The product version and home page, from package.json (inlined by esbuild; named imports keep
 * the rest of the manifest out of the bundles): the CLI and the language server report the
 * version the extension is published with.
 */
import { repository, version } from '../../package.json';

export const VERSION: string = version;

/** `https://github.com/green-cloud/green-cloud` (the repository URL without `git+` / `.git`). */
export const HOMEPAGE: string = repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
