/**
 * The registry hover in the real workbench: the packaged .vsix in code-server (headless
 * Chromium), a real `docker-registry` on loopback holding a single-arch image whose name says
 * nothing of its architecture. Opening a Dockerfile FROM it brings GC108 (the second publish),
 * and hovering the image shows its platform, size and the missing targets. Screenshot:
 * test-results/screenshots/hover-from.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/waitFor';
import { startLookupRegistry, type LookupRegistry } from './support/lookupRegistry';
import { DEADLINE, openWorkbench, type Workbench } from './support/workbench';

describe('the registry hover in the code-server workbench', () => {
  let registry: LookupRegistry | undefined;
  // Set by `before` (node:test runs no test when it fails).
  let wb!: Workbench;
  let page!: Page;

  before(async () => {
    registry = await startLookupRegistry();
    wb = await openWorkbench({
      env: registry.env,
      files: { 'registry-lookup/Dockerfile': `FROM ${registry.image}\nRUN tool --version\n` },
      shotPrefix: 'hover-',
    });
    ({ page } = wb);
  });

  after(async () => {
    await wb?.close();
    await registry?.stop();
  });

  it('shows GC108 from the registry, and the hover lists the platform, its size and the missing targets', async () => {
    await wb.openFile('registry-lookup/Dockerfile', 'someorg/tool:1');
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
    await wb.shot('from');
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
    await wb.shot('problems');
  });

  it('stayed on loopback', () => {
    assert.deepEqual([...new Set(wb.blocked)], []);
  });
});
