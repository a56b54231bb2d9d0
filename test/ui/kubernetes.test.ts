/**
 * What a person sees on a Kubernetes manifest: the packaged .vsix in the code-server
 * workbench, examples/kubernetes/deployment.yaml opened (language `yaml`), the GC302 squiggle on
 * the image and its Problems row, the quick fix applied with Ctrl+. and Enter; then a Pod whose
 * image, on a real loopback `docker-registry`, is published for linux/amd64 only: GC301 from the
 * registry lookup and the hover's platform table. Screenshots land in test-results/screenshots/
 * (`k8s-*.png`).
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
  workbenchUrl,
  type CodeServer,
} from '../../scripts/lib/codeServer';
import { waitFor } from '../support/waitFor';
import { RegistryClient } from '../../core/src/registry';
import { dockerConfigDir, pushSyntheticImage, startRegistry, type RunningRegistry } from '../e2e/registry/support';
import { vsixPath } from './vsix';

const SHOTS = join(ROOT, 'test-results/screenshots');
const DEADLINE = 60_000;

describe('a Kubernetes Deployment in the code-server workbench', () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace = '';
  let blocked: string[] = [];
  let registry: RunningRegistry | undefined;
  let dockerConfig = '';
  let image = '';

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const vsix = vsixPath();
    installEnvironment();
    registry = await startRegistry();
    await pushSyntheticImage(new RegistryClient(registry.host), 'someorg/tool', '1', { os: 'linux', architecture: 'amd64' });
    image = `${registry.host}/someorg/tool:1`;
    dockerConfig = dockerConfigDir({});
    workspace = copyExamples();
    mkdirSync(join(workspace, 'registry'), { recursive: true });
    writeFileSync(
      join(workspace, 'registry/pod.yaml'),
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool\nspec:\n  containers:\n    - name: tool\n      image: ${image}\n`,
    );
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
    if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
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

  it('reports GC301 from the registry lookup and shows the platform table on hover', async () => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: DEADLINE });
    await input.fill('registry/pod.yaml');
    // Wait for the search result itself, not the recently opened deployment.yaml listed first.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'pod.yaml' }).first().waitFor({ timeout: DEADLINE });
    await page.keyboard.press('Enter');
    await waitFor('the Pod in the editor', async () => (await editorText()).includes('someorg/tool:1'), DEADLINE);
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'GC301' });
    await row.first().waitFor({ timeout: DEADLINE });
    assert.match((await row.first().textContent()) ?? '', /published for linux\/amd64 only/);
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+G');
    const goTo = page.locator('.quick-input-widget input');
    await goTo.waitFor({ timeout: DEADLINE });
    await goTo.fill(':8:20');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    // Our hover (not only the diagnostic's): the platform table with its sizes.
    const hover = page.locator('.monaco-hover', { hasText: 'Compressed size' });
    await hover.first().waitFor({ timeout: DEADLINE });
    assert.match(
      (await hover.first().textContent()) ?? '',
      /is a single-platform image[\s\S]*linux\/amd64[\s\S]*missing linux\/arm64, linux\/arm\/v7/,
    );
    await page.screenshot({ path: join(SHOTS, 'k8s-04-gc301-hover.png') });
  });

  it('stayed on loopback', () => {
    assert.deepEqual([...new Set(blocked)], []);
  });
});
