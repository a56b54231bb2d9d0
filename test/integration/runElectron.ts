/**
 * The @vscode/test-electron runner of the integration suite, for desktops with internet access
 * (it downloads VS Code into .vscode-test/ on first use; it cannot run on the offline CI, which
 * uses scripts/run-integration.ts with code-server instead — same suite, same results file).
 *
 * Usage: npm run test:electron   (builds, bundles the suite, then runs this file)
 * Env:   GC_VSCODE_VERSION (default 'stable'), GC_INTEGRATION_RESULTS (default
 *        test-results/integration-electron.results.json). On Linux without a display, run it
 *        under `xvfb-run -a npm run test:electron`.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const workspace = mkdtempSync(join(tmpdir(), 'green-cloud-examples-'));
  cpSync(join(root, 'examples'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.GC_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out/integration/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: {
        GC_INTEGRATION_RESULTS: process.env.GC_INTEGRATION_RESULTS ?? join(root, 'test-results/integration-electron.results.json'),
      },
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`test:electron failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
