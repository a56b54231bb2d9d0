/**
 * The status bar item: can the target platforms run on their engines? ("$(vm) Green Cloud:
 * 3/3 platforms", a tooltip line per platform; click → Show Emulation Status). With no engine it
 * stays a quiet "$(vm-outline) Green Cloud" — someone who only wants diagnostics needs no alarm;
 * warning colours, and a text that names the problem ("Green Cloud: no engine"), appear only
 * once the user asked to build. The tooltip names the setting that chooses the engine.
 *
 * It shows only while the active editor is a Dockerfile (kept as it is while a non-text editor
 * such as Settings or the walkthrough is active), as Docker's and ESLint's items show only where
 * they apply, and the engine is first asked when it first shows: a YAML-only or Dockerfile-less
 * window pings no engine. A `createLanguageStatusItem` (ESLint's choice) was not taken: it lives
 * in the `{}` flyout, has no warning background, and the readiness is about the build, not the
 * language. It re-checks only when shown the first time, on settings changes, window focus (at
 * most once a minute) and after the build and emulation commands; never on a timer.
 */
import * as vscode from 'vscode';
import { checkReadiness, engineProblems } from './emulation';
import { onDidChangeEmulation, onDidRequestBuild } from './events';
import { emulationView, type PlatformReadiness } from './format';
import { DOCKERFILE_SELECTOR } from '../languageClient';
import { activeScope } from '../workspace/activeScope';
import { currentConfig } from '../workspace/settings';

const FOCUS_RECHECK_MS = 60_000;

export class EmulationStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('greenCloud.emulation', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [];
  private checking: Promise<void> | undefined;
  private again = false;
  private lastCheck = 0;
  private latest: readonly PlatformReadiness[] = [];
  /** True once the user asked to build in this window. */
  private attention = false;
  private visible = false;
  /** A check was wanted while hidden: run it when the item shows. */
  private stale = true;

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.item.name = 'Green Cloud Emulation';
    this.item.command = 'greenCloud.showEmulationStatus';
    this.item.text = '$(sync~spin) Green Cloud';
    this.item.tooltip = 'Green Cloud: checking the Docker engine and QEMU emulation…';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      onDidChangeEmulation((readiness) => (readiness ? this.render(readiness) : void this.refresh())),
      onDidRequestBuild(() => {
        this.attention = true;
        this.render(this.latest);
      }),
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused && this.visible && Date.now() - this.lastCheck > FOCUS_RECHECK_MS) void this.refresh();
      }),
    );
    this.follow(vscode.window.activeTextEditor);
  }

  /**
   * Shows the item for a Dockerfile, hides it for other text. No text editor (Settings, the
   * walkthrough) or one outside the editor groups (the Output panel: no view column) changes nothing.
   */
  private follow(editor: vscode.TextEditor | undefined): void {
    if (!editor || editor.viewColumn === undefined) return;
    const show = vscode.languages.match(DOCKERFILE_SELECTOR as vscode.DocumentSelector, editor.document) > 0;
    if (show === this.visible) return;
    this.visible = show;
    if (!show) {
      this.item.hide();
      return;
    }
    this.item.show();
    if (this.stale) void this.refresh();
  }

  /** The last readiness shown (for tests and the commands). */
  get readiness(): readonly PlatformReadiness[] {
    return this.latest;
  }

  /** Re-checks (while hidden: when it shows); calls made while a check runs are folded into one more check. */
  refresh(): Promise<void> {
    if (!this.visible) {
      this.stale = true;
      return Promise.resolve();
    }
    this.stale = false;
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        this.lastCheck = Date.now();
        const config = currentConfig(activeScope());
        try {
          this.render(await checkReadiness(config.platforms, config.engines));
        } catch (error) {
          this.output.error(`Emulation check failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      } while (this.again);
    })().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private render(readiness: readonly PlatformReadiness[]): void {
    this.latest = readiness;
    if (readiness.length === 0) return; // not checked yet: keep "checking…"
    this.stale = false;
    const config = currentConfig(activeScope());
    const engineSettings = engineProblems(readiness, config.engines).map((p) => p.setting);
    const view = emulationView(readiness, { attention: this.attention, engineSettings });
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    this.item.tooltip = tooltip;
    this.item.backgroundColor =
      view.background === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : view.background === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
