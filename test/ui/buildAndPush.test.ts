/**
 * "Build and Push All Platforms" as a person runs it, in the code-server workbench with the
 * packaged .vsix and the real Docker test environment (scripts/env/docker.sh: dockerd with binfmt
 * QEMU and the loopback registry GC_TEST_REGISTRY): the pickers answered one by one, each once it
 * is shown; then exactly one outcome notification ("built and pushed …") once the progress
 * notifications have closed — not a build summary and a push toast stacked — and the manifest
 * list in the registry names both platforms. Screenshots: test-results/screenshots/push-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { DockerTestEnv } from '../e2e/support/dockerEnv';
import { waitFor } from '../support/waitFor';
import { joinDockerEnv, type JoinedDockerEnv } from './support/dockerEnv';
import { DEADLINE, openWorkbench, type Workbench } from './support/workbench';

const BUILD_DEADLINE = 5 * 60_000;
const LIST_TYPES = 'application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json';

describe('Build and Push All Platforms in the code-server workbench', { timeout: 15 * 60_000 }, () => {
  let docker: JoinedDockerEnv | undefined;
  // Set by `before` (node:test runs no test when it fails).
  let wb!: Workbench;
  let page!: Page;
  let env!: DockerTestEnv;
  const stamp = Date.now();
  const version = `p${stamp}`;

  before(async () => {
    docker = joinDockerEnv();
    env = docker.env;
    // The engine through DOCKER_HOST, as a person with a local engine has it: no setting to change.
    wb = await openWorkbench({
      env: { DOCKER_HOST: env.DOCKER_HOST },
      viewport: { width: 1400, height: 900 },
      shotPrefix: 'push-',
      files: { 'ui-push/Dockerfile': `# platforms=linux/amd64,linux/arm64\nFROM ${env.GC_TEST_BASE}\nRUN echo push-${stamp}\n` },
    });
    ({ page } = wb);
    docker.images.push(`${env.GC_TEST_REGISTRY}/gc-ui/push:amd64-${version}`, `${env.GC_TEST_REGISTRY}/gc-ui/push:arm64-${version}`);
  });

  after(async () => {
    await wb?.close();
    await docker?.leave();
  });

  /** Waits until the quick input titled `title` is shown, and returns its text box. */
  async function question(title: string) {
    await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: DEADLINE });
    return page.locator('.quick-input-widget input');
  }

  /** Answers the open input box `title` (its value pre-filled with `prefilled`) with `answer`. */
  async function answer(title: string, prefilled: string, answer: string): Promise<void> {
    const input = await question(title);
    await waitFor(`the ${title} input to hold its pre-filled value`, () => input.inputValue(), {
      timeoutMs: DEADLINE,
      until: (value) => value === prefilled,
    });
    await input.fill(answer);
    await waitFor(`the ${title} input to hold "${answer}"`, () => input.inputValue(), { timeoutMs: DEADLINE, until: (v) => v === answer });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'hidden', timeout: DEADLINE });
  }

  it('builds and pushes from the palette with one outcome notification, and the list names both platforms', async () => {
    await wb.openFile('ui-push/Dockerfile', `echo push-${stamp}`);
    // The engine answers (the status item counts its platforms): the build can start.
    await waitFor(
      'the status item to see the engine',
      async () => (await page.locator('.statusbar-item[id$="greenCloud.emulation"]').textContent()) ?? '',
      { timeoutMs: DEADLINE, until: (text) => /Green Cloud: \d\/\d platforms/.test(text) },
    );
    await wb.runCommand('Green Cloud: Build and Push All Platforms');

    // Platforms: the file's `# platforms=` are offered, and Enter takes them.
    await question('Green Cloud: Build for Platforms (1/3)');
    const rows = await waitFor(
      'the platform rows',
      async () => (await page.locator('.quick-input-list .monaco-list-row').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()),
      { timeoutMs: DEADLINE, until: (texts) => texts.filter((t) => t.includes('from # platforms= in this file')).length === 2 },
    );
    for (const platform of ['linux/amd64', 'linux/arm64'])
      assert.match(rows.find((r) => r.startsWith(platform)) ?? '', /from # platforms= in this file/, JSON.stringify(rows));
    await wb.shot('01-platforms');
    await page.keyboard.press('Enter');
    await page
      .locator('.quick-input-widget .quick-input-title', { hasText: 'Green Cloud: Build for Platforms' })
      .waitFor({ state: 'hidden', timeout: DEADLINE });

    await answer('Green Cloud: Image (2/3)', 'ui-push', `${env.GC_TEST_REGISTRY}/gc-ui/push`);
    await answer('Green Cloud: Version (3/3)', 'latest', version);

    // The outcome, once the build and the push are done.
    const outcome = await wb.notification(/Green Cloud: built and pushed/, BUILD_DEADLINE);
    await waitFor(
      'the build and push progress notifications to close',
      async () => (await page.locator('.notification-toast', { hasText: /Green Cloud: (building|pushing)/ }).count()) === 0,
      DEADLINE,
    );
    await wb.shot('02-built-and-pushed');
    const toasts = (await wb.toastTexts()).filter((t) => t.includes('Green Cloud'));
    assert.equal(toasts.length, 1, `Green Cloud toasts shown: ${JSON.stringify(toasts)}`);
    const text = ((await outcome.textContent()) ?? '').replace(/\s+/g, ' ');
    const digest = /Green Cloud: built and pushed push:(\S+) \(2 platforms\), digest (sha256:[0-9a-f]{12})…/.exec(text);
    assert.ok(digest, text);
    assert.equal(digest[1], version);

    // The notification centre holds the same single outcome (no build summary beside it).
    await wb.runCommand('Notifications: Show Notifications');
    const items = page.locator('.notifications-center .notification-list-item');
    await items.filter({ hasText: 'built and pushed' }).first().waitFor({ timeout: DEADLINE });
    const texts = await items.allInnerTexts();
    assert.deepEqual(texts.filter((t) => /built|pushed|push/i.test(t)).length, 1, `notifications: ${JSON.stringify(texts)}`);
    await wb.shot('03-notification-centre');
    await page.keyboard.press('Escape');

    // The registry holds the list over both platforms, under the digest the notification names.
    const response = await fetch(`http://${env.GC_TEST_REGISTRY}/v2/gc-ui/push/manifests/${version}`, { headers: { accept: LIST_TYPES } });
    assert.equal(response.status, 200, `the manifest list was not pushed: HTTP ${response.status}`);
    assert.ok((response.headers.get('docker-content-digest') ?? '').startsWith(digest[2]), 'the notification names another digest');
    const list = (await response.json()) as { manifests: { platform: { os: string; architecture: string; variant?: string } }[] };
    assert.deepEqual(list.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort(), ['linux/amd64', 'linux/arm64']);
  });

  it('stayed on loopback', () => {
    assert.deepEqual([...new Set(wb.blocked)], []);
  });
});
