// Bundles the three shipped programs: the extension (client), the language server and the CLI.
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  // Optional native accelerators of ssh2 (dockerode's ssh:// transport); ssh2 falls back to pure JS.
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
  // One CommonJS copy of the LSP types: by default esbuild picks their ESM build (the `module`
  // export condition) even for dockerfile-ast's require(), and then every `Range.create` in the
  // parser goes through an export getter (~6% of a lint; see scripts/bench/lint.mjs).
  alias: { 'vscode-languageserver-types': './node_modules/vscode-languageserver-types/lib/umd/main.js' },
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['cli/src/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
}
