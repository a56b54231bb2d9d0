/**
 * The status bar item: can the target platforms run on their engines? ("$(vm) Green Cloud:
 * 3/3 platforms", a tooltip line per platform; click → Show Emulation Status). With no engine it
 * stays a quiet "$(vm-outline) Green Cloud" — someone who only wants diagnostics needs no alarm;
 * warning colours appear only once the user asked to build. It re-checks only on activation,
 * settings changes, window focus (at most once a minute) and after the build and emulation
 * commands; never on a timer.
 */
import * as vscode from 'vscode';
import { checkReadiness } from './emulation';
import { onDidChangeEmulation, onDidRequestBuild } from './events';
import { emulationView, type PlatformReadiness } from './format';
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

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.item.name = 'Green Cloud Emulation';
    this.item.command = 'greenCloud.showEmulationStatus';
    this.item.text = '$(sync~spin) Green Cloud';
    this.item.tooltip = 'Green Cloud: checking the Docker engine and QEMU emulation…';
    this.item.show();
    this.subscriptions.push(
      onDidChangeEmulation((readiness) => (readiness ? this.render(readiness) : void this.refresh())),
      onDidRequestBuild(() => {
        this.attention = true;
        this.render(this.latest);
      }),
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused && Date.now() - this.lastCheck > FOCUS_RECHECK_MS) void this.refresh();
      }),
    );
  }

  /** The last readiness shown (for tests and the commands). */
  get readiness(): readonly PlatformReadiness[] {
    return this.latest;
  }

  /** Re-checks; calls made while a check runs are folded into one more check. */
  refresh(): Promise<void> {
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
    const view = emulationView(readiness, { attention: this.attention });
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
