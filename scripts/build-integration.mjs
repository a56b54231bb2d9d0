// Bundles the in-VS-Code integration suite (test/integration/*.ts) for the extension host:
// out/integration/index.js (the extensionTestsPath module), one bundle per *.test.ts and
// runElectron.js (the @vscode/test-electron runner). `vscode` is provided by the extension host;
// mocha and @vscode/test-electron are loaded from node_modules. Not part of the shipped dist/.
import { readdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

const dir = 'test/integration';
const entryPoints = readdirSync(new URL(`../${dir}`, import.meta.url))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `${dir}/${f}`);

await esbuild.build({
  absWorkingDir: new URL('..', import.meta.url).pathname,
  entryPoints,
  outdir: 'out/integration',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  // The same optional native modules esbuild.mjs leaves out (ssh2's accelerators, via dockerode).
  external: ['vscode', 'mocha', '@vscode/test-electron', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
});
