/**
 * The getting-started walkthrough in the README's order, and the engine status as a person meets
 * it without an engine, in the code-server workbench with the packaged .vsix installed:
 * - the Green Cloud status item shows for a Dockerfile (quiet: no engine answers, nobody asked
 *   to build), not for a Kubernetes YAML file;
 * - Show Emulation Status logs the unreachable engine once, as an error naming the setting;
 * - after a build request the item says "Green Cloud: no engine" and its tooltip names the setting;
 * - the walkthrough, opened only after those steps, has "See multi-arch diagnostics" and "Check
 *   QEMU emulation" checked off, the others not. VS Code counts a step's `onContext:` key only
 *   when it changes to true after the walkthrough registered, and the walkthrough registers when
 *   it is first used: a key left true earlier killed the step for the whole window
 *   (client/src/walkthrough.ts).
 * Screenshots: test-results/screenshots/walkthrough-*.png.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/waitFor';
import { DEADLINE, openWorkbench, type Workbench } from './support/workbench';

const STEPS = ['See multi-arch diagnostics', 'Check QEMU emulation', 'Build for all platforms', 'Push the manifest list'];
/** No socket here: every engine request fails at once. (greenCloud.docker.host is machine-scoped: code-server reads it from its Remote settings, so DOCKER_HOST sets the engine.) */
const NO_ENGINE = 'unix:///nonexistent/green-cloud-walkthrough.sock';

describe('the walkthrough after its steps were done, and the engine status without an engine', () => {
  // Set by `before` (node:test runs no test when it fails).
  let wb!: Workbench;
  let page!: Page;

  before(async () => {
    wb = await openWorkbench({
      viewport: { width: 1400, height: 900 },
      shotPrefix: 'walkthrough-',
      env: { DOCKER_HOST: NO_ENGINE },
    });
    ({ page } = wb);
  });

  after(async () => {
    await wb?.close();
  });

  /** Runs a check; on failure, leaves a screenshot of the workbench as it was (walkthrough-failed-NAME.png). */
  function check(name: string, title: string, body: () => Promise<void>): void {
    it(title, async () => {
      try {
        await body();
      } catch (error) {
        await wb.shot(`failed-${name}`).catch(() => undefined);
        throw error;
      }
    });
  }

  const statusItem = () => page.locator('.statusbar-item[id$="greenCloud.emulation"]');
  const statusText = async () => ((await statusItem().count()) ? ((await statusItem().first().textContent()) ?? '').trim() : undefined);

  /** The lines of the "Green Cloud" LogOutputChannel's file. */
  function logLines(): string[] {
    const logs = join(wb.server.run, 'ud/logs');
    const file = readdirSync(logs, { recursive: true, encoding: 'utf8' }).find((f) =>
      f.endsWith('green-cloud.green-cloud/Green Cloud.log'),
    );
    return file ? readFileSync(join(logs, file), 'utf8').split('\n') : [];
  }

  check('status', 'shows a quiet status item for a Dockerfile and none for a Kubernetes file', async () => {
    await wb.openFile('pinned-base/Dockerfile', 'FROM arm64v8/alpine:3.7');
    await page.locator('.editor-instance .squiggly-warning').first().waitFor({ timeout: DEADLINE });
    await waitFor('the status item to finish checking', statusText, { timeoutMs: DEADLINE, until: (text) => text === 'Green Cloud' });
    await wb.openFile('kubernetes/deployment.yaml', 'apiVersion: apps/v1');
    await waitFor('the status item to hide', statusText, { timeoutMs: DEADLINE, until: (text) => text === undefined });
    await wb.shot('01-yaml-no-item');
    await wb.openFile('pinned-base/Dockerfile', 'FROM arm64v8/alpine:3.7');
    await waitFor('the status item to show again', statusText, { timeoutMs: DEADLINE, until: (text) => text === 'Green Cloud' });
  });

  check('emulation-log', 'logs the unreachable engine once, as an error that names the setting', async () => {
    await wb.runCommand('Green Cloud: Show Emulation Status', 'command-center');
    const toast = await wb.notification(/Cannot reach Docker at unix:\/\/\/nonexistent\/green-cloud-walkthrough\.sock/);
    const text = (await toast.textContent()) ?? '';
    assert.match(text, /Open Settings/);
    assert.equal(text.split('greenCloud.docker.host').length - 1, 1, text);
    assert.ok(!text.includes('use an engine that runs'), text);
    const reach = await waitFor('the engine error in the log', () => logLines().filter((l) => l.includes('Cannot reach Docker')), {
      timeoutMs: DEADLINE,
      until: (lines) => lines.length > 0,
    });
    assert.equal(reach.length, 1, reach.join('\n'));
    assert.match(
      reach[0] ?? '',
      /\[error\] Cannot reach Docker at unix:\/\/\/nonexistent\/green-cloud-walkthrough\.sock \(ENOENT: no such socket\)\. Start Docker there\. To use another engine, set greenCloud\.docker\.host\. Needed for /,
    );
    await wb.clearNotifications();
  });

  check('no-engine', 'says "Green Cloud: no engine" after a build request, with the setting in its tooltip', async () => {
    await wb.runCommand('Green Cloud: Build for All Platforms', 'command-center');
    await wb.notification(/Cannot reach Docker at unix:\/\/\/nonexistent\/green-cloud-walkthrough\.sock/);
    await waitFor('the status item to name the problem', statusText, {
      timeoutMs: DEADLINE,
      until: (text) => text === 'Green Cloud: no engine',
    });
    await wb.clearNotifications();
    await statusItem().first().hover();
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: 'no Docker engine answers' }).first();
    await hover.waitFor({ timeout: DEADLINE });
    const tooltip = (await hover.textContent()) ?? '';
    assert.equal(tooltip.split('greenCloud.docker.host').length - 1, 1, tooltip);
    assert.equal(tooltip.split('Cannot reach Docker').length - 1, 1, tooltip);
    await wb.shot('02-no-engine');
    await page.keyboard.press('Escape');
  });

  check('walkthrough', 'checks off the steps done before the walkthrough was opened', async () => {
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
    await wb.shot('03-after-steps');
  });

  it('stayed on loopback', () => {
    assert.deepEqual([...new Set(wb.blocked)], []);
  });
});
