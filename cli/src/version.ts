/** The product version and home page, from package.json (inlined by esbuild). */
import packageJson from '../../package.json';

export const VERSION: string = packageJson.version;

/** `https://github.com/green-cloud/green-cloud` (the repository URL without `git+` / `.git`). */
export const HOMEPAGE: string = packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
