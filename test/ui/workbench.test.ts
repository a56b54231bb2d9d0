/**
 * What a person sees: the packaged .vsix installed into code-server with --install-extension (a
 * fresh extensions folder, no extensionDevelopmentPath), a copy of examples/ opened in the
 * workbench, driven by headless Chromium. Opens examples/pinned-base/Dockerfile, sees the
 * squiggle and the Problems row with GC101, applies the quick fix with Ctrl+. and Enter, and sees
 * the text change. Screenshots land in test-results/screenshots/.
 *
 * A person's session: code-server runs without the smoke-test driver, as under `npm start`.
 * Every key press waits first for the state that makes it work (the widget open and focused,
 * the cursor where the step put it, the code actions computed), never for a fixed time. One
 * wait has a quiet period: VS Code shows its pending automatic code-action request only through
 * its 250 ms cursor timer, so Ctrl+. waits until no request has come for 500 ms.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/waitFor';
import { DEADLINE, keyboardFocus, openWorkbench, quickFixReady, type Workbench } from './support/workbench';

describe('the packaged extension in the code-server workbench', () => {
  // Set by `before` (node:test runs no test when it fails).
  let wb!: Workbench;
  let page!: Page;

  before(async () => {
    // The language server's trace (requests with their parameters) in the Green Cloud output
    // channel's log file: the quick-fix step waits on the code-action requests it shows.
    wb = await openWorkbench({ logLevel: 'trace', settings: { 'greenCloud.trace.server': 'verbose' } });
    ({ page } = wb);
  });

  after(async () => {
    await wb?.close();
  });

  it('installed the .vsix into its own extensions folder', () => {
    const ext = join(wb.server.run, 'ext');
    const dirs = readdirSync(ext).filter((d) => d.startsWith('green-cloud.green-cloud-'));
    assert.equal(dirs.length, 1, `extensions folder holds: ${readdirSync(ext).join(', ')}`);
    const manifest = JSON.parse(readFileSync(join(ext, dirs[0], 'package.json'), 'utf8')) as { main: string };
    assert.ok(existsSync(join(ext, dirs[0], manifest.main)), `the installed extension has no ${manifest.main}`);
    assert.ok(!existsSync(join(ext, dirs[0], 'node_modules')));
  });

  it('opens examples/pinned-base/Dockerfile and shows the GC101 squiggle', async () => {
    await wb.openFile('pinned-base/Dockerfile', 'FROM arm64v8/alpine:3.7');
    await page.locator('.editor-instance .squiggly-warning').first().waitFor({ timeout: DEADLINE });
    await wb.shot('01-squiggle');
  });

  it('lists GC101 in the Problems panel', async () => {
    await wb.openFile('pinned-base/Dockerfile', 'FROM arm64v8/alpine:3.7');
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'GC101' });
    await row.first().waitFor({ timeout: DEADLINE });
    const text = (await row.first().textContent()) ?? '';
    assert.match(text, /arm64v8\/alpine:3\.7/);
    await wb.shot('02-problems');
  });

  it('applies the quick fix with Ctrl+. and Enter, and the text changes', async () => {
    // Put the cursor on the image name: Ctrl+G, line 3, column 8 (inside "arm64v8/alpine:3.7").
    // Each key waits for the state it needs: pressed too early, Ctrl+. went to the closing
    // Go-to-line box, or found the cursor still where the click had put it (no code action
    // there), and the quick-fix menu never opened (issue 8: 1 failure in 2 runs).
    await wb.openFile('pinned-base/Dockerfile', 'FROM arm64v8/alpine:3.7');
    await wb.goToLine(3, 8);
    // The pointer must not rest where the quick-fix menu opens: a row under it takes the focus
    // on hover, and Enter would apply that row. (A precaution: the menu that never opened had
    // another cause, see the wait before Ctrl+. below.)
    await page.mouse.move(0, 0);
    // The light bulb shows once the code actions for the cursor position are computed.
    await page
      .locator('.editor-instance .lightBulbWidget, .editor-instance [class*="gutter-lightbulb"]')
      .first()
      .waitFor({ timeout: DEADLINE });
    // The bulb does not mean VS Code is done asking: see quickFixReady (1 run in 5 failed here).
    await quickFixReady(wb, 3, 8);
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row.focused', { hasText: "Use the multi-arch image 'alpine:3.7'" });
    await item.waitFor({ timeout: DEADLINE }).catch(async (error: unknown) => {
      await wb.shot('03-quick-fix-menu-failed'); // what the menu showed instead, for the report
      throw new Error(`${String(error)}; keyboard focus: ${await keyboardFocus(page)}`);
    });
    await wb.shot('03-quick-fix-menu');
    // The preferred fix is the focused row: Enter applies it.
    await page.keyboard.press('Enter');
    await waitFor('the quick fix to rewrite the FROM line', async () => /^FROM alpine:3\.7$/m.test(await wb.editorText()), DEADLINE);
    await waitFor(
      'the squiggle to go away',
      async () => (await page.locator('.editor-instance .squiggly-warning').count()) === 0,
      DEADLINE,
    );
    await waitFor(
      'the Problems row to go away',
      async () => (await page.locator('.markers-panel .monaco-list-row', { hasText: 'GC101' }).count()) === 0,
      DEADLINE,
    );
    await wb.shot('04-fixed');
  });

  it('runs "Green Cloud: Show Output" from the Command Palette', async () => {
    await waitFor(
      'the quick-fix menu to close',
      async () => (await page.locator('.action-widget .monaco-list-row:visible').count()) === 0,
      DEADLINE,
    );
    await wb.runCommand('Green Cloud: Show Output');
    // The Output view shows the extension's log channel, which the language client writes to.
    await waitFor(
      'the Green Cloud output channel',
      async () =>
        (await page
          .locator('.part.panel select.monaco-select-box')
          .first()
          .evaluate((select) => {
            const s = select as unknown as { selectedIndex: number; options: { text: string }[] };
            return s.options[s.selectedIndex]?.text;
          })) === 'Green Cloud',
      DEADLINE,
    );
    await wb.shot('05-output');
  });

  it('stayed on loopback', () => {
    assert.deepEqual([...new Set(wb.blocked)], []);
  });
});
