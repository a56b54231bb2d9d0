/**
 * What a person sees on a Kubernetes manifest: the packaged .vsix in the code-server
 * workbench, examples/kubernetes/deployment.yaml opened (language `yaml`), the GC302 squiggle on
 * the image and its Problems row, the quick fix applied with Ctrl+. and Enter. Screenshots land
 * in test-results/screenshots/ (`k8s-*.png`).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  copyExamples,
  installEnvironment,
  launchChromium,
  loopbackOnly,
  removeWorkspace,
  ROOT,
  startCodeServer,
  waitFor,
  workbenchUrl,
  type CodeServer,
} from '../../scripts/lib/codeServer';
import { vsixPath } from './vsix';

const SHOTS = join(ROOT, 'test-results/screenshots');
const DEADLINE = 60_000;

describe('a Kubernetes Deployment in the code-server workbench', () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace = '';
  let blocked: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const vsix = vsixPath();
    installEnvironment();
    workspace = copyExamples();
    server = startCodeServer({ vsix });
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
    if (workspace) removeWorkspace(workspace);
  });

  async function editorText(): Promise<string> {
    const lines = await page.locator('.editor-instance .view-lines .view-line').evaluateAll((nodes) =>
      nodes
        .map((n) => ({ top: parseFloat((n as unknown as { style: { top: string } }).style.top), text: n.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }

  it('opens examples/kubernetes/deployment.yaml and shows the GC302 squiggle and Problems row', async () => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: DEADLINE });
    await input.fill('kubernetes/deployment.yaml');
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: DEADLINE });
    await page.keyboard.press('Enter');
    await waitFor('the Deployment in the editor', async () => (await editorText()).includes('image: arm64v8/postgres:16'), DEADLINE);
    await page.locator('.editor-instance .squiggly-warning').first().waitFor({ timeout: DEADLINE });
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'GC302' });
    await row.first().waitFor({ timeout: DEADLINE });
    assert.match((await row.first().textContent()) ?? '', /arm64v8\/postgres:16.*pinned to linux\/arm64/);
    await page.screenshot({ path: join(SHOTS, 'k8s-01-deployment-gc302.png') });
  });

  it('applies the quick fix with Ctrl+. and Enter; the squiggle goes away', async () => {
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: DEADLINE });
    await input.fill(':21:22');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    await page
      .locator('.action-widget .monaco-list-row', { hasText: "Use the multi-arch image 'postgres:16'" })
      .first()
      .waitFor({ timeout: DEADLINE });
    await page.screenshot({ path: join(SHOTS, 'k8s-02-quick-fix-menu.png') });
    await page.keyboard.press('Enter');
    await waitFor('the quick fix to rewrite the image', async () => /image: postgres:16$/m.test(await editorText()), DEADLINE);
    await waitFor(
      'the squiggle to go away',
      async () => (await page.locator('.editor-instance .squiggly-warning').count()) === 0,
      DEADLINE,
    );
    await page.screenshot({ path: join(SHOTS, 'k8s-03-fixed.png') });
  });

  it('stayed on loopback', () => {
    assert.deepEqual([...new Set(blocked)], []);
  });
});
