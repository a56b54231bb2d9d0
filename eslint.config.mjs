// ESLint (flat config): typescript-eslint's type-checked preset (floating and misused promises,
// unsafe `any`, needless assertions…), no console in shipped code, and the layer boundaries.
// Formatting is Prettier's job.
import tseslint from 'typescript-eslint';

const LAYER = {
  server: { regex: '(^|/)server/src(/|$)', message: 'core/ imports no other layer (server/, client/, cli/).' },
  serverInternals: {
    // The CLI's public entry points into the server: the Dockerfile and Kubernetes/Compose lint
    // engines (linter, rules, yamlLinter, yaml) and the registry lookups they run.
    regex: '(^|/)server/src/(?!(linter|rules|rules/types|yaml|yamlLinter|yamlLookups|lookups|lookups/(dockerfile|service))$)',
    message:
      'The CLI reaches the server only through its lint engines (server/src/linter.ts, server/src/rules, server/src/yamlLinter.ts, server/src/yaml) and the registry lookups (server/src/lookups); the Dockerfile model is in core/src/dockerfile.',
  },
  client: { regex: '(^|/)client/src(/|$)', message: 'Only the extension itself imports client/src.' },
  cli: { regex: '(^|/)cli/src(/|$)', message: 'Only the CLI imports cli/src.' },
  vscode: { regex: '^vscode$', message: '`vscode` is imported only in client/ and test/integration/.' },
  languageClient: { regex: '^vscode-languageclient(/|$)', message: 'The language client belongs to client/.' },
  languageServer: { regex: '^vscode-languageserver(/node)?$', message: 'The language server connection belongs to server/src/server.ts.' },
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.test-env/**', 'test-results/**', '**/*.js'] },
  {
    // The tooling (esbuild.mjs, scripts/**/*.mjs): plain JavaScript typed with JSDoc, linted here
    // without type information; tsc checks their types (tsconfig.tooling.json, `npm run typecheck`).
    files: ['**/*.mjs'],
    extends: [tseslint.configs.recommended],
    rules: {
      'no-debugger': 'error',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises that the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // `_name` marks a deliberately unused binding; `{ dropped, ...rest }` picks the rest.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/await-thenable': 'error',
      'no-debugger': 'error',
    },
  },
  {
    files: ['client/src/**/*.ts', 'server/src/**/*.ts', 'core/src/**/*.ts', 'cli/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // page.evaluate callbacks run in the browser: the Node program has no DOM types for them.
    files: ['test/ui/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  // The layers (CONTRIBUTING.md, "Layout"): core <- server, client, cli. `vscode` only in client/
  // and test/integration; core imports no other layer; client and cli never reach into
  // server/src except the CLI's use of the lint engine (server/src/linter.ts and the rule table).
  layer('core/src/**/*.ts', [LAYER.server, LAYER.client, LAYER.cli, LAYER.vscode, LAYER.languageClient, LAYER.languageServer]),
  layer('server/src/**/*.ts', [LAYER.client, LAYER.cli, LAYER.vscode, LAYER.languageClient]),
  layer('client/src/**/*.ts', [LAYER.server, LAYER.cli, LAYER.languageServer]),
  layer('cli/src/**/*.ts', [LAYER.serverInternals, LAYER.client, LAYER.vscode, LAYER.languageClient, LAYER.languageServer]),
  layer(['test/**/*.ts', 'scripts/**/*.ts'], [LAYER.vscode], ['test/integration/**/*.ts']),
);

/**
 * A boundary: `files` must not import what `forbidden` matches.
 * @param {string | string[]} files
 * @param {{ regex: string, message: string }[]} forbidden
 * @param {string[]} [ignores]
 * @returns {import('typescript-eslint').ConfigWithExtends}
 */
function layer(files, forbidden, ignores = []) {
  return {
    files: Array.isArray(files) ? files : [files],
    ignores,
    rules: { 'no-restricted-imports': ['error', { patterns: forbidden }] },
  };
}
