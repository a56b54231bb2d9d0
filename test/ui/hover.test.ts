/**
 * The registry hover in the real workbench: the packaged .vsix in code-server (headless
 * Chromium), a real `docker-registry` on loopback holding a single-arch image whose name says
 * nothing of its architecture. Opening a Dockerfile FROM it brings GC108 (the second publish),
 * and hovering the image shows its platform, size and the missing targets. Screenshot:
 * test-results/screenshots/hover-from.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { RegistryClient } from '../../core/src/registry';
import {
  copyExamples,
  installEnvironment,
  launchChromium,
  loopbackOnly,
  removeWorkspace,
  ROOT,
  startCodeServer,
  workbenchUrl,
  type CodeServer,
} from '../../scripts/lib/codeServer';
import { waitFor } from '../support/waitFor';
import { dockerConfigDir, pushSyntheticImage, startRegistry, type RunningRegistry } from '../e2e/registry/support';
import { vsixPath } from './vsix';

const SHOTS = join(ROOT, 'test-results/screenshots');
const DEADLINE = 60_000;

describe('the registry hover in the code-server workbench', () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let registry: RunningRegistry | undefined;
  let page: Page;
  let workspace = '';
  let dockerConfig = '';
  let blocked: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const vsix = vsixPath();
    installEnvironment();
    registry = await startRegistry();
    await pushSyntheticImage(new RegistryClient(registry.host), 'someorg/tool', '1', { os: 'linux', architecture: 'amd64' });
    workspace = copyExamples();
    mkdirSync(join(workspace, 'registry-lookup'), { recursive: true });
    writeFileSync(join(workspace, 'registry-lookup', 'Dockerfile'), `FROM ${registry.host}/someorg/tool:1\nRUN tool --version\n`);
    dockerConfig = dockerConfigDir({});
    server = startCodeServer({ vsix, env: { GREEN_CLOUD_OFFLINE: '0', DOCKER_CONFIG: dockerConfig } });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    blocked = await loopbackOnly(context);
    page = await context.newPage();
    await page.goto(workbenchUrl(server, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: DEADLINE });
  });

  after(async () => {
    await browser?.close();
    server?.stop();
    await registry?.stop();
    if (workspace) removeWorkspace(workspace);
    if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
  });

  it('shows GC108 from the registry, and the hover lists the platform, its size and the missing targets', async () => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: DEADLINE });
    await input.fill('registry-lookup/Dockerfile');
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: DEADLINE });
    await page.keyboard.press('Enter');
    const image = page.locator('.editor-instance .view-lines .view-line span', { hasText: 'someorg' }).first();
    await image.waitFor({ timeout: DEADLINE });
    // GC108 arrives in the second publish, once the registry answered.
    await page.locator('.editor-instance .squiggly-warning').first().waitFor({ timeout: DEADLINE });
    await page.mouse.move(10, 10);
    const hover = page.locator('.monaco-hover:visible', { hasText: 'single-platform image' });
    await waitFor(
      'the registry hover',
      async () => {
        const box = await image.boundingBox();
        if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        return (await hover.count()) > 0;
      },
      { timeoutMs: DEADLINE, intervalMs: 500 },
    );
    const text = (await hover.first().textContent()) ?? '';
    await page.screenshot({ path: join(SHOTS, 'hover-from.png') });
    assert.match(text, /linux\/amd64/);
    assert.match(text, /missing linux\/arm64, linux\/arm\/v7/);
    assert.match(text, /Looked up/);
    await page.mouse.move(10, 10);
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'GC108' });
    await row.first().waitFor({ timeout: DEADLINE });
    assert.match(
      (await row.first().textContent()) ?? '',
      /is a single linux\/amd64 image; the linux\/arm64 and linux\/arm\/v7 builds get amd64 binaries/,
    );
    await page.screenshot({ path: join(SHOTS, 'hover-problems.png') });
  });

  it('stayed on loopback', () => {
    assert.deepEqual([...new Set(blocked)], []);
  });
});
