/**
 * The getting-started walkthrough in the README's order, in the code-server workbench with the
 * packaged .vsix installed: the steps are done first (a Dockerfile shows its diagnostics, Show
 * Emulation Status runs — no engine answers here, which still counts as having checked), and
 * only then is the walkthrough opened: those two steps are checked off, the others are not.
 * VS Code counts a step's `onContext:` key only when it changes to true after the walkthrough
 * registered, and the walkthrough registers when it is first used: a key left true earlier
 * killed the step for the whole window (client/src/walkthrough.ts). Screenshot:
 * test-results/screenshots/walkthrough-after-steps.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/waitFor';
import { DEADLINE, openWorkbench, type Workbench } from './support/workbench';

const STEPS = ['See multi-arch diagnostics', 'Check QEMU emulation', 'Build for all platforms', 'Push the manifest list'];

describe('the walkthrough after its steps were done', () => {
  // Set by `before` (node:test runs no test when it fails).
  let wb!: Workbench;
  let page!: Page;

  before(async () => {
    // No engine on this address: Show Emulation Status answers at once, with an error.
    wb = await openWorkbench({ viewport: { width: 1400, height: 900 }, shotPrefix: 'walkthrough-', settings: { 'greenCloud.docker.host': 'tcp://127.0.0.1:9' } });
    ({ page } = wb);
  });

  after(async () => {
    await wb?.close();
  });

  it('checks off the steps done before the walkthrough was opened', async () => {
    try {
      await wb.openFile('pinned-base/Dockerfile', 'FROM arm64v8/alpine:3.7');
      await page.locator('.editor-instance .squiggly-warning').first().waitFor({ timeout: DEADLINE });
      await wb.runCommand('Green Cloud: Show Emulation Status', 'command-center');
      await wb.notification(/Green Cloud:/);
      await wb.clearNotifications();

      await wb.runCommand('Welcome: Open Walkthrough...', 'command-center');
      const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with Green Cloud' }).first();
      await pick.waitFor({ timeout: DEADLINE });
      await pick.click();
      const container = page.locator('.gettingStartedContainer');
      const step = (title: string) => container.locator('.getting-started-step', { hasText: title }).first();
      for (const title of STEPS) await step(title).waitFor({ timeout: DEADLINE });
      const done = async (title: string) => (await step(title).getAttribute('aria-checked')) === 'true';

      await waitFor('the diagnostics step to be checked off', () => done('See multi-arch diagnostics'), DEADLINE);
      await waitFor('the emulation step to be checked off', () => done('Check QEMU emulation'), DEADLINE);
      assert.equal(await done('Build for all platforms'), false, 'the build step is done although nothing was built');
      assert.equal(await done('Push the manifest list'), false, 'the push step is done although nothing was pushed');
      await wb.shot('after-steps');
    } catch (error) {
      await wb.shot('failed').catch(() => undefined);
      throw error;
    }
  });

  it('stayed on loopback', () => {
    assert.deepEqual([...new Set(wb.blocked)], []);
  });
});
