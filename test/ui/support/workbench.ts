/**
 * The set-up every UI check shares, written once: the packaged .vsix in a fresh code-server (a
 * person's session, without the smoke-test driver, so toasts show), a scratch copy of examples/,
 * headless Chromium through playwright-core that may reach loopback only, and the moves a person
 * makes in the workbench (quick open, the Command Palette, go to line, reading the editor's
 * text, notifications, screenshots). Each move waits for the state that makes it possible
 * before acting; none waits for a fixed time.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
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
  type StartOptions,
} from '../../../scripts/lib/codeServer';
import { waitFor } from '../../support/waitFor';
import { vsixPath } from '../vsix';

export const SHOTS = join(ROOT, 'test-results/screenshots');
/** How long one step may wait for the workbench. */
export const DEADLINE = 60_000;

export interface BrowserPage {
  readonly browser: Browser;
  readonly page: Page;
  /** Requests to anything but loopback, aborted as the page made them (a check asserts it stays empty). */
  readonly blocked: string[];
}

/** Headless Chromium on `url`, loopback only, once the workbench has rendered. */
export async function openPage(url: string, viewport = { width: 1280, height: 800 }): Promise<BrowserPage> {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport });
    const blocked = await loopbackOnly(context);
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: DEADLINE });
    return { browser, page, blocked };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** What a person does in the workbench, each step waiting for the state it needs. */
export interface WorkbenchMoves {
  /** A screenshot in test-results/screenshots/ named PREFIX + name + .png. */
  shot(name: string): Promise<void>;
  /** The text of the visible editor lines, top to bottom (non-breaking spaces as spaces). */
  editorText(): Promise<string>;
  /** Opens a quick input (a key, or a click on the title bar's command centre, which works even from inside a webview) and returns its input once it has the keyboard focus. */
  quickInput(open?: string): Promise<Locator>;
  /** Runs a command by its title from the Command Palette, once its row is the focused one. */
  runCommand(title: string, open?: string): Promise<void>;
  /**
   * Closes the editor whose tab says `label` with a middle click on its tab, and waits until the
   * tab is gone. Unlike a command, the click does not depend on where the keyboard focus is (a
   * page such as the walkthrough moves it as it updates, which closes a quick input).
   */
  closeTab(label: string | RegExp): Promise<void>;
  /** Opens a workspace file with quick open and waits until the editor shows `expect`. */
  openFile(path: string, expect: string): Promise<void>;
  /** Puts the cursor at line:column (1-based) with Go to Line, and waits until the editor has it and the keyboard focus. */
  goToLine(line: number, column: number): Promise<void>;
  /** Waits until the editor's text input has the keyboard focus (no quick input open). */
  editorFocused(): Promise<void>;
  /** The toast that says `text`, once it has faded in (a screenshot and the toasts shown when it does not come). */
  notification(text: string | RegExp, timeout?: number): Promise<Locator>;
  /** The texts of the toasts shown now. */
  toastTexts(): Promise<string[]>;
  /** Closes every toast with its own clear button, as a person would. */
  clearNotifications(): Promise<void>;
}

/** Where the keyboard focus is: 'editor text' or the focused element's tag and class. */
export async function keyboardFocus(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const e = document.activeElement;
    if (!e) return 'nothing';
    const inEditor = e.closest('.editor-instance .monaco-editor') !== null;
    const input = e.matches('textarea, .native-edit-context, [contenteditable]');
    return inEditor && input ? 'editor text' : e.tagName + '.' + String(e.className).slice(0, 80);
  })()`);
}

export function workbenchMoves(page: Page, shotPrefix = ''): WorkbenchMoves {
  const shot = async (name: string) => {
    await page.screenshot({ path: join(SHOTS, `${shotPrefix}${name}.png`) });
  };

  const editorText = async () => {
    const lines = await page.locator('.editor-instance .view-lines .view-line').evaluateAll((nodes) =>
      nodes
        .map((n) => ({ top: parseFloat((n as unknown as { style: { top: string } }).style.top), text: n.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return lines.join('\n').replace(/\u00a0/g, ' ');
  };

  const quickInput = async (open = 'F1') => {
    if (open === 'command-center') await page.locator('.command-center-center').first().click();
    else await page.keyboard.press(open);
    const input = page.locator('.quick-input-widget input');
    // The widget sets its own (empty) value as it opens: type only once it holds the focus.
    await page.locator('.quick-input-widget input:focus').waitFor({ timeout: DEADLINE });
    return input;
  };

  const fill = async (input: Locator, text: string) => {
    await input.fill(text);
    await waitFor(`the quick input to hold "${text}"`, async () => (await input.inputValue()) === text, DEADLINE);
  };

  const editorFocused = async () => {
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: DEADLINE });
    await waitFor("the keyboard focus in the editor's text", () => keyboardFocus(page), {
      timeoutMs: DEADLINE,
      until: (where) => where === 'editor text',
    });
  };

  const notification = async (text: string | RegExp, timeout = DEADLINE) => {
    const toast = page.locator('.notification-toast', { hasText: text }).first();
    try {
      await toast.waitFor({ timeout });
    } catch (error) {
      await shot(`missing-toast-${Date.now()}`);
      const shown = await page.locator('.notification-toast').allTextContents();
      throw new Error(`no toast saying ${String(text)}; toasts shown: ${JSON.stringify(shown)} (${String(error)})`);
    }
    // Toasts fade in: the screenshots should show them as a person reads them.
    await waitFor(
      'the toast to finish fading in',
      () =>
        toast.evaluate(
          (e) => (globalThis as unknown as { getComputedStyle(el: unknown): { opacity: string } }).getComputedStyle(e).opacity === '1',
        ),
      DEADLINE,
    );
    return toast;
  };

  return {
    shot,
    editorText,
    quickInput,
    editorFocused,
    notification,
    async runCommand(title, open) {
      await fill(await quickInput(open), `>${title}`);
      // The row whose label is the title itself: recently used commands that also match the
      // words (e.g. "View: Close All Editors" for "View: Close Editor") are listed, and focused, first.
      // (A category may stand before it: "Problems: Focus on Problems View".)
      const label = new RegExp(`^\\s*([^:]+: )?${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
      const row = page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: label }) })
        .first();
      await row.waitFor({ timeout: DEADLINE }).catch(async (error: unknown) => {
        await shot(`missing-command-${Date.now()}`);
        const widget = page.locator('.quick-input-widget');
        const shown = (await widget.isVisible())
          ? await page.locator('.quick-input-list .monaco-list-row .label-name').allTextContents()
          : 'closed';
        throw new Error(
          `no palette row '${title}'; the palette: ${JSON.stringify(shown)}, keyboard focus: ${await keyboardFocus(page)} (${String(error)})`,
        );
      });
      if (((await row.getAttribute('class')) ?? '').split(/\s+/).includes('focused')) await page.keyboard.press('Enter');
      else await row.click();
    },
    async closeTab(label) {
      const tab = page.locator('.tabs-container .tab', { hasText: label }).first();
      await tab.waitFor({ timeout: DEADLINE });
      // A middle click closes a tab (VS Code's tab behaviour), whatever its close button looks like.
      await tab.click({ button: 'middle' });
      await tab.waitFor({ state: 'detached', timeout: DEADLINE });
    },
    async openFile(path, expect) {
      await fill(await quickInput('Control+P'), path);
      // Enter opens the focused row: wait until it is the file asked for (not a recently opened one).
      await page
        .locator('.quick-input-list .monaco-list-row.focused', { hasText: basename(path) })
        .filter({ hasText: basename(dirname(path)) })
        .first()
        .waitFor({ timeout: DEADLINE });
      await page.keyboard.press('Enter');
      await waitFor(`${path} in the editor`, editorText, { timeoutMs: DEADLINE, until: (text) => text.includes(expect) });
      // The editor takes the keyboard focus a moment after it shows the text: a quick input
      // opened before that would lose it, and close.
      await editorFocused();
    },
    async goToLine(line, column) {
      await page.locator('.editor-instance .view-lines').first().click();
      await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: DEADLINE });
      await fill(await quickInput('Control+G'), `:${line}:${column}`);
      await page
        .locator('.quick-input-widget', { hasText: new RegExp(`line ${line}\\b.*column ${column}\\b`, 'i') })
        .waitFor({ timeout: DEADLINE });
      await page.keyboard.press('Enter');
      await editorFocused();
      await page.locator('#status\\.editor\\.selection', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: DEADLINE });
    },
    toastTexts: () => page.locator('.notification-toast').allTextContents(),
    async clearNotifications() {
      await waitFor(
        'the toasts to go',
        async () => {
          const toasts = page.locator('.notification-toast');
          if ((await toasts.count()) === 0) return true;
          await toasts.first().hover();
          await toasts.first().locator('.codicon-notifications-clear').first().click();
          return false;
        },
        DEADLINE,
      );
    },
  };
}

export interface WorkbenchOptions {
  /** Files written into the scratch copy of examples/ (relative path → text). */
  readonly files?: Record<string, string>;
  /** Environment for code-server and its extension host. */
  readonly env?: Record<string, string>;
  readonly logLevel?: StartOptions['logLevel'];
  /** User settings, written before the page opens. */
  readonly settings?: Record<string, unknown>;
  readonly viewport?: { width: number; height: number };
  /** Screenshot names start with this (e.g. 'build-'). */
  readonly shotPrefix?: string;
}

export interface Workbench extends WorkbenchMoves, BrowserPage {
  readonly server: CodeServer;
  /** The scratch copy of examples/ the workbench has open. */
  readonly workspace: string;
  /** Closes Chromium, stops code-server and removes the workspace (whatever was started). */
  close(): Promise<void>;
}

/**
 * The packaged extension in a fresh code-server on a scratch copy of examples/, open in headless
 * Chromium (loopback only) once the Explorer lists the workspace. What it started is stopped
 * again when a step fails.
 */
export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const vsix = vsixPath();
  installEnvironment();
  const workspace = copyExamples();
  let server: CodeServer | undefined;
  let opened: BrowserPage | undefined;
  const close = async () => {
    await opened?.browser.close();
    server?.stop();
    removeWorkspace(workspace);
  };
  try {
    for (const [path, text] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), text);
    }
    server = startCodeServer({ vsix, env: options.env, logLevel: options.logLevel });
    if (options.settings) {
      const file = join(server.run, 'ud/User/settings.json');
      writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), ...options.settings }, null, 2));
    }
    opened = await openPage(workbenchUrl(server, workspace), options.viewport);
    // The workspace is open (the Explorer lists its folders): keybindings and quick open work.
    await opened.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'pinned-base' }).first().waitFor({ timeout: DEADLINE });
    return { ...opened, ...workbenchMoves(opened.page, options.shotPrefix), server, workspace, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A textDocument/codeAction request of VS Code to the language server, from the trace. */
interface CodeActionRequest {
  readonly sent: number;
  readonly answered: boolean;
  /** 1 invoked (Ctrl+.), 2 automatic (light bulb, cursor timer). */
  readonly kind: number;
  readonly line: number;
  readonly character: number;
}

/**
 * VS Code's textDocument/codeAction requests to the language server so far, read from the trace
 * in the Green Cloud output channel's log: when each was sent, whether it was answered, its
 * trigger kind and position. Needs openWorkbench({ logLevel: 'trace', settings:
 * { 'greenCloud.trace.server': 'verbose' } }).
 */
export function codeActionRequests(wb: Workbench): CodeActionRequest[] {
  const logs = join(wb.server.run, 'ud/logs');
  const file = readdirSync(logs, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('green-cloud.green-cloud/Green Cloud.log'));
  if (!file) return [];
  const entries = readFileSync(join(logs, file), 'utf8').split(/\n(?=\d{4}-\d\d-\d\d )/);
  const answered = new Set(
    entries.map((e) => /^\S+ \S+ \[trace\] Received response 'textDocument\/codeAction - \((\d+)\)'/.exec(e)?.[1]).filter(Boolean),
  );
  return entries.flatMap((e) => {
    const [, time, id] = /^(\S+ \S+) \[trace\] Sending request 'textDocument\/codeAction - \((\d+)\)'/.exec(e) ?? [];
    if (time === undefined) return [];
    const params = /"range":\s*\{\s*"start":\s*\{\s*"line":\s*(\d+),\s*"character":\s*(\d+)/.exec(e);
    return [
      {
        sent: new Date(time.replace(' ', 'T')).getTime(), // the log's local time, as Date parses it
        answered: answered.has(id),
        kind: Number(/"triggerKind":\s*(\d)/.exec(e)?.[1] ?? 0),
        line: Number(params?.[1] ?? -1),
        character: Number(params?.[2] ?? -1),
      },
    ];
  });
}

/**
 * Waits until Ctrl+. at line:column (1-based, where the cursor is) opens the quick-fix menu: VS
 * Code has stopped asking for code actions on its own. The light bulb does not mean it is done:
 * a cursor move starts more than one automatic request (the one that shows the bulb, and one
 * from a 250 ms cursor timer). Ctrl+. pressed between them sends its request 1 ms from the late
 * automatic one; when both answers come back in one batch (a loaded machine), VS Code keeps the
 * automatic result in the editor's single code-action slot and the menu never opens, with no
 * message. So: every request answered, the last an automatic one for this position, none for
 * 500 ms (twice the cursor timer); and the editor still has the keyboard focus.
 */
export async function quickFixReady(wb: Workbench, line: number, column: number): Promise<void> {
  let requests = codeActionRequests(wb);
  await waitFor(
    `VS Code to finish its automatic code-action requests for Ln ${line}, Col ${column}`,
    () => {
      requests = codeActionRequests(wb);
      const last = requests.at(-1);
      return (
        last !== undefined &&
        requests.every((r) => r.answered) &&
        last.kind === 2 &&
        last.line === line - 1 &&
        last.character === column - 1 &&
        Date.now() - last.sent >= 500
      );
    },
    DEADLINE,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; the last requests: ${JSON.stringify(requests.slice(-3))}`);
  });
  await wb.editorFocused();
}
