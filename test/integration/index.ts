/**
 * extensionTestsPath module: runs the integration suite with mocha inside the real extension
 * host (code-server's or, with runElectron.ts, desktop VS Code's). Writes
 * {passed, failed, skipped, failures[]} to the file named by GC_INTEGRATION_RESULTS so
 * scripts/test.mjs can count the tests.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Mocha from 'mocha';

export interface IntegrationResults {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(join(__dirname, file));
  const results: IntegrationResults = { passed: 0, failed: 0, skipped: 0, failures: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env.GC_INTEGRATION_RESULTS;
      if (file) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
      }
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => results.passed++);
    runner.on('pending', () => results.skipped++);
    runner.on('fail', (test, error: unknown) => {
      results.failed++;
      results.failures.push(`${test.fullTitle()}: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
}
