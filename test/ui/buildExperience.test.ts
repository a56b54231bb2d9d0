/**
 * The build flow as a person meets it, in the code-server workbench with the packaged .vsix and
 * the real Docker test environment (scripts/env/docker.sh: dockerd + binfmt QEMU): a quiet
 * status item while no engine answers; the engine checked before any question, with [Open
 * Settings] and [Show Log]; pickers that describe platforms in words; a second Dockerfile that
 * starts from its own image name; the failure reason in the summary toast and a diagnostic on the
 * failing RUN line; a cancelled build reported once without "0 ms" rows. Screenshots land in
 * test-results/screenshots/build-*.png.
 *
 * Toasts show only when code-server runs without VS Code's smoke-test driver (scripts/env/vscode.sh
 * adds it only with --test-driver, for the integration runner); the test checks that first.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/waitFor';
import type { DockerTestEnv } from '../e2e/support/dockerEnv';
import { joinDockerEnv, type JoinedDockerEnv } from './support/dockerEnv';
import { DEADLINE, openWorkbench, type Workbench } from './support/workbench';

const BUILD_DEADLINE = 5 * 60_000;
const NO_ENGINE = 'unix:///nonexistent/green-cloud-ui.sock';

describe('the build experience in the code-server workbench', { timeout: 30 * 60_000 }, () => {
  let docker: JoinedDockerEnv | undefined;
  // Set by `before` (node:test runs no test when it fails).
  let wb!: Workbench;
  let page!: Page;
  let env!: DockerTestEnv;
  let images: string[] = [];
  const stamp = Date.now();

  before(async () => {
    docker = joinDockerEnv();
    const base = docker.env.GC_TEST_BASE;
    // No engine at first: DOCKER_HOST points nowhere and greenCloud.docker.host is unset.
    wb = await openWorkbench({
      env: { DOCKER_HOST: NO_ENGINE },
      viewport: { width: 1400, height: 900 },
      shotPrefix: 'build-',
      files: {
        'ui-fails/Dockerfile': `# platforms=linux/amd64,linux/arm/v7\nFROM ${base}\nRUN echo ui-${stamp}\nRUN test "$(uname -m)" != armv7l || { echo "no armv7 support here" >&2; exit 3; }\n`,
        'ui-second/Dockerfile': `FROM ${base}\nRUN true\n`,
        'ui-cancel/Dockerfile': `# platforms=linux/arm64,linux/amd64,linux/arm/v7\nFROM ${base}\nRUN sleep ${600 + (stamp % 300)}\n`,
      },
    });
    ({ page } = wb);
    ({ env, images } = docker);
    // VS Code's smoke-test driver (the integration runner's) hides every toast: this is a person's session.
    assert.ok(
      !readFileSync(`/proc/${wb.server.pid}/cmdline`, 'utf8').split('\0').includes('enable-smoke-test-driver'),
      'code-server runs with enable-smoke-test-driver, which hides notification toasts: start it without (scripts/env/vscode.sh without --test-driver)',
    );
  });

  after(async () => {
    await wb?.close();
    await docker?.leave();
  });

  /** Opens the build's platform picker from the palette and returns its rows' text (normalised spaces). */
  async function platformRows(): Promise<string[]> {
    await wb.runCommand('Green Cloud: Build for All Platforms');
    await page
      .locator('.quick-input-widget .quick-input-title', { hasText: 'Green Cloud: Build for Platforms (1/3)' })
      .waitFor({ timeout: DEADLINE });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'linux/' }).first().waitFor({ timeout: DEADLINE });
    return (await page.locator('.quick-input-list .monaco-list-row').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  const statusItem = () => page.locator('.statusbar-item[id$="greenCloud.emulation"]');

  it('shows a quiet status item while no engine answers: no colour, one reason, no QEMU advice', async () => {
    await wb.openFile('pinned-base/Dockerfile', 'FROM arm64v8/alpine:3.7');
    await waitFor(
      'the status item to finish checking',
      async () => ((await statusItem().textContent()) ?? '').trim() === 'Green Cloud',
      DEADLINE,
    );
    assert.equal(
      await statusItem().evaluate((e) => e.classList.contains('has-background-color')),
      false,
      'a red or yellow item at start-up',
    );
    await statusItem().hover();
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: 'no Docker engine answers' });
    await hover.first().waitFor({ timeout: DEADLINE });
    const tooltip = (await hover.first().textContent()) ?? '';
    assert.equal(tooltip.split('Cannot reach Docker').length - 1, 1, tooltip);
    assert.ok(!tooltip.includes('Set Up QEMU'), tooltip);
    assert.match(tooltip, /Diagnostics and quick fixes work without an engine/);
    await wb.shot('01-quiet-status');
    await page.keyboard.press('Escape');
  });

  it('checks the engine before asking anything, offering [Open Settings] and [Show Log]', async () => {
    await wb.runCommand('Green Cloud: Build for All Platforms');
    const error = await wb.notification(/Cannot reach Docker at unix:\/\/\/nonexistent\/green-cloud-ui\.sock/);
    assert.equal(
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Green Cloud: Build for Platforms' }).isVisible(),
      false,
      'a picker opened before the engine error',
    );
    const text = (await error.textContent()) ?? '';
    assert.match(text, /Open Settings/);
    assert.match(text, /Show Log/);
    // The user asked to build: now the status item may warn.
    await waitFor(
      'the status item to take a warning colour',
      () => statusItem().evaluate((e) => e.classList.contains('has-background-color')),
      DEADLINE,
    );
    await wb.shot('02-engine-first');
    await error.locator('.monaco-button', { hasText: 'Open Settings' }).click();
    // greenCloud.docker.host is machine-scoped: under code-server it is a Remote setting, and that tab opens at it.
    const search = page.locator('.settings-editor .suggest-input-container .view-lines');
    await waitFor(
      'the settings editor searching greenCloud.docker.host',
      async () => ((await search.first().textContent()) ?? '').includes('greenCloud.docker.host'),
      DEADLINE,
    );
    const field = page.locator('.settings-editor .setting-item-contents', { hasText: 'Host' }).locator('input').first();
    await field.waitFor({ timeout: DEADLINE });
    await wb.shot('03-open-settings');
    // What the user does next: type the engine's address there.
    await field.fill(env.DOCKER_HOST);
    await field.press('Tab');
    await waitFor(
      'the status item to see the engine',
      async () => /Green Cloud: \d\/\d platforms/.test((await statusItem().textContent()) ?? ''),
      DEADLINE,
    );
    await waitFor(
      'the settings editor to close',
      async () => {
        if ((await page.locator('.settings-editor').count()) === 0 || !(await page.locator('.settings-editor').first().isVisible()))
          return true;
        await page.keyboard.press('Escape');
        return false;
      },
      { timeoutMs: DEADLINE, intervalMs: 500 },
    );
    await wb.clearNotifications();
  });

  it('describes the platforms in words in the picker', async () => {
    await wb.openFile('ui-fails/Dockerfile', `echo ui-${stamp}`);
    const rows = await platformRows();
    assert.match(rows.find((r) => r.startsWith('linux/amd64')) ?? '', /from # platforms= in this file · native on this engine/);
    assert.match(rows.find((r) => r.startsWith('linux/arm/v7')) ?? '', /from # platforms= in this file · emulated with QEMU/);
    assert.ok(!rows.some((r) => r.includes('greenCloud.')), `a setting id in the picker: ${rows.join(' | ')}`);
    await wb.shot('04-platform-picker');
    await page.keyboard.press('Enter');
    // The image starts from this Dockerfile's folder.
    const input = page.locator('.quick-input-widget input');
    await waitFor('the image input', async () => (await input.inputValue()) === 'ui-fails', DEADLINE);
    await input.fill(`gc-ui/fails`);
    await page.keyboard.press('Enter');
    await waitFor('the version input', async () => (await input.inputValue()) === 'latest', DEADLINE);
    await input.fill(`v${stamp}`);
    images.push(`gc-ui/fails:amd64-v${stamp}`, `gc-ui/fails:armv7-v${stamp}`);
    await page.keyboard.press('Enter');
  });

  it('says why a platform failed in the summary toast, and marks the failing RUN line', async () => {
    const summary = await wb.notification(/✗ linux\/arm\/v7: RUN test .* failed \(exit code 3\)/, BUILD_DEADLINE);
    assert.match((await summary.textContent()) ?? '', /Built 1\/2 platforms in .* \(1 failed\)/);
    await wb.shot('05-failure-toast');
    // [Show Log]: the log says the engine's error once, at error level, and the reason on the failed line.
    await summary.locator('.monaco-button', { hasText: 'Show Log' }).click();
    await page.locator('.part.panel .view-lines', { hasText: 'Summary: Built 1/2 platforms' }).first().waitFor({ timeout: DEADLINE });
    await wb.shot('05b-log');
    await wb.clearNotifications();
    const squiggle = page.locator('.editor-instance .squiggly-error');
    await squiggle.first().waitFor({ timeout: DEADLINE });
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'fails on linux/arm/v7: exit code 3' });
    await row.first().waitFor({ timeout: DEADLINE });
    assert.match((await row.first().textContent()) ?? '', /green-cloud/);
    await squiggle.first().hover({ force: true });
    await page.locator('.monaco-hover', { hasText: 'fails on linux/arm/v7: exit code 3' }).first().waitFor({ timeout: DEADLINE });
    await wb.shot('06-failure-diagnostic');
    await page.keyboard.press('Escape');
  });

  it("starts a second Dockerfile from its own image name, and a full success checks off the walkthrough's build step", async () => {
    await wb.openFile('ui-second/Dockerfile', 'RUN true');
    const rows = await platformRows();
    assert.match(rows.find((r) => r.startsWith('linux/arm64')) ?? '', /^linux\/arm64 ?from your settings · emulated with QEMU$/);
    await page.keyboard.press('Enter');
    const input = page.locator('.quick-input-widget input');
    await waitFor('the image input', async () => (await input.inputValue()) === 'ui-second', DEADLINE);
    // VS Code's multi-step pattern: each question counts its step, the platform pick being 1/3.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Green Cloud: Image (2/3)' }).waitFor({ timeout: DEADLINE });
    await wb.shot('07-second-dockerfile-image');
    await page.keyboard.press('Enter');
    await waitFor('the version input', async () => (await input.inputValue()) === 'latest', DEADLINE);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Green Cloud: Version (3/3)' }).waitFor({ timeout: DEADLINE });
    // Its example uses the image just entered, not a fixed 'web'.
    await page
      .locator('.quick-input-widget', { hasText: 'e.g. 1.2 gives ui-second:amd64-1.2, ui-second:arm64-1.2, ui-second:armv7-1.2' })
      .waitFor({ timeout: DEADLINE });
    images.push('ui-second:amd64-latest', 'ui-second:arm64-latest', 'ui-second:armv7-latest');
    await page.keyboard.press('Enter');
    await wb.notification(/Built 3\/3 platforms in /, BUILD_DEADLINE);
    await wb.shot('08-all-built');
    await wb.clearNotifications();
    // The walkthrough, opened after the build, has its build step checked off (its context key is
    // pulsed, never left true: client/src/walkthrough.ts).
    // From the command centre: it opens wherever the keyboard focus is, even in the walkthrough page.
    await wb.runCommand('Welcome: Open Walkthrough...', 'command-center');
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with Green Cloud' }).first();
    await pick.waitFor({ timeout: DEADLINE });
    await pick.click();
    const step = page.locator('.gettingStartedContainer .getting-started-step', { hasText: 'Build for all platforms' }).first();
    await waitFor('the build step to be checked off', async () => (await step.getAttribute('aria-checked')) === 'true', DEADLINE);
    await wb.shot('08-walkthrough-built');
    // The page checks the step off and moves to the next one as it updates, taking the focus:
    // close its tab with the mouse (a command palette opened then would close).
    const title = (await page.locator('.tabs-container .tab.active .label-name').first().textContent())?.trim();
    assert.ok(title, 'no active tab');
    await wb.closeTab(title);
    await step.waitFor({ state: 'detached', timeout: DEADLINE });
  });

  it('reports a cancelled build once, without "0 ms" rows for platforms that never started', async () => {
    await wb.openFile('ui-cancel/Dockerfile', 'RUN sleep');
    await platformRows();
    await page.keyboard.press('Enter');
    const input = page.locator('.quick-input-widget input');
    await waitFor('the image input', async () => (await input.inputValue()) === 'ui-cancel', DEADLINE);
    await input.fill('gc-ui/cancel');
    await page.keyboard.press('Enter');
    await waitFor('the version input', async () => (await input.inputValue()) === 'latest', DEADLINE);
    await input.fill(`c${stamp}`);
    await page.keyboard.press('Enter');
    // Two build at once (greenCloud.build.parallel's default): arm64 and amd64 run, arm/v7 waits.
    const progress = await wb.notification(
      /linux\/arm64 building \(QEMU\) · linux\/amd64 building · linux\/arm\/v7 queued/,
      BUILD_DEADLINE,
    );
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    const warning = await wb.notification(/Cancelled after .*: 0\/3 platforms built \(2 stopped, 1 not started\)/, DEADLINE);
    const text = (await warning.textContent()) ?? '';
    assert.match(text, /linux\/arm\/v7 not started/);
    assert.ok(!/\b0 ms\b/.test(text), text);
    await wb.shot('09-cancelled');
    await wb.clearNotifications();
  });

  it('stayed on loopback', () => {
    assert.deepEqual([...new Set(wb.blocked)], []);
  });
});
