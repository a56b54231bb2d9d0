/**
 * What a person sees on a Kubernetes manifest: the packaged .vsix in the code-server
 * workbench, examples/kubernetes/deployment.yaml opened (language `yaml`), the GC302 squiggle on
 * the image and its Problems row, the quick fix applied with Ctrl+. and Enter; then a Pod whose
 * image, on a real loopback `docker-registry`, is published for linux/amd64 only: GC301 from the
 * registry lookup and the hover's platform table. Screenshots land in test-results/screenshots/
 * (`k8s-*.png`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/waitFor';
import { startLookupRegistry, type LookupRegistry } from './support/lookupRegistry';
import { DEADLINE, openWorkbench, quickFixReady, type Workbench } from './support/workbench';

describe('a Kubernetes Deployment in the code-server workbench', () => {
  let registry: LookupRegistry | undefined;
  // Set by `before` (node:test runs no test when it fails).
  let wb!: Workbench;
  let page!: Page;

  before(async () => {
    registry = await startLookupRegistry();
    const image = registry.image;
    // The language server's trace tells quickFixReady when VS Code has stopped asking for code actions.
    wb = await openWorkbench({
      logLevel: 'trace',
      settings: { 'greenCloud.trace.server': 'verbose' },
      env: registry.env,
      files: {
        'registry/pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool\nspec:\n  containers:\n    - name: tool\n      image: ${image}\n`,
      },
      shotPrefix: 'k8s-',
    });
    ({ page } = wb);
  });

  after(async () => {
    await wb?.close();
    await registry?.stop();
  });

  it('opens examples/kubernetes/deployment.yaml and shows the GC302 squiggle and Problems row', async () => {
    await wb.openFile('kubernetes/deployment.yaml', 'image: arm64v8/postgres:16');
    await page.locator('.editor-instance .squiggly-warning').first().waitFor({ timeout: DEADLINE });
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'GC302' });
    await row.first().waitFor({ timeout: DEADLINE });
    assert.match((await row.first().textContent()) ?? '', /arm64v8\/postgres:16.*pinned to linux\/arm64/);
    await wb.shot('01-deployment-gc302');
  });

  it('applies the quick fix with Ctrl+. and Enter; the squiggle goes away', async () => {
    await wb.openFile('kubernetes/deployment.yaml', 'image: arm64v8/postgres:16');
    await wb.goToLine(21, 22);
    // The code action for the cursor's position is computed once the light bulb shows.
    await page
      .locator('.editor-instance .lightBulbWidget, .editor-instance [class*="gutter-lightbulb"]')
      .first()
      .waitFor({ timeout: DEADLINE });
    await page.mouse.move(0, 0);
    await quickFixReady(wb, 21, 22);
    await page.keyboard.press('Control+.');
    await page
      .locator('.action-widget .monaco-list-row', { hasText: "Use the multi-arch image 'postgres:16'" })
      .first()
      .waitFor({ timeout: DEADLINE });
    await wb.shot('02-quick-fix-menu');
    await page.keyboard.press('Enter');
    await waitFor('the quick fix to rewrite the image', async () => /image: postgres:16$/m.test(await wb.editorText()), DEADLINE);
    await waitFor(
      'the squiggle to go away',
      async () => (await page.locator('.editor-instance .squiggly-warning').count()) === 0,
      DEADLINE,
    );
    await wb.shot('03-fixed');
  });

  it('reports GC301 from the registry lookup and shows the platform table on hover', async () => {
    await wb.openFile('registry/pod.yaml', 'someorg/tool:1');
    await wb.runCommand('Focus on Problems View');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'GC301' });
    await row.first().waitFor({ timeout: DEADLINE });
    assert.match((await row.first().textContent()) ?? '', /published for linux\/amd64 only/);
    await wb.goToLine(8, 20);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    // Our hover (not only the diagnostic's): the platform table with its sizes.
    const hover = page.locator('.monaco-hover', { hasText: 'Compressed size' });
    await hover.first().waitFor({ timeout: DEADLINE });
    assert.match(
      (await hover.first().textContent()) ?? '',
      /is a single-platform image[\s\S]*linux\/amd64[\s\S]*missing linux\/arm64, linux\/arm\/v7/,
    );
    await wb.shot('04-gc301-hover');
  });

  it('stayed on loopback', () => {
    assert.deepEqual([...new Set(wb.blocked)], []);
  });
});
