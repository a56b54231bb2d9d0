/**
 * The "Get Started with Green Cloud" walkthrough (package.json `contributes.walkthroughs`):
 * each step completes on the real event, through a context key (`onContext:`) pulsed here.
 *
 * How VS Code counts them (1.139, `WalkthroughsService`): a step's `onContext:KEY` completes
 * only when KEY *changes* to true after the walkthrough was registered. A key that is already
 * true when it registers is recorded as "seen this session" and can never complete the step in
 * that window — and the walkthrough registers late (when the Welcome page or the walkthrough is
 * first used), so a key left true by a step done earlier killed the step. `onCommand:` events
 * before registration are simply lost. Hence each key is *pulsed*: set true, then false again
 * at once, so it is false whenever the walkthrough registers; each done step is pulsed again on
 * every later occurrence of its event and whenever a Welcome/walkthrough tab opens or becomes
 * active, so a step done before the walkthrough was opened is checked off when it is.
 */
import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'green-cloud.green-cloud#greenCloud.gettingStarted';

export const CONTEXT_DIAGNOSED = 'greenCloud.walkthrough.diagnosed';
export const CONTEXT_EMULATION_CHECKED = 'greenCloud.walkthrough.emulationChecked';
export const CONTEXT_BUILT = 'greenCloud.walkthrough.built';
export const CONTEXT_PUSHED = 'greenCloud.walkthrough.pushed';

export type WalkthroughKey = typeof CONTEXT_DIAGNOSED | typeof CONTEXT_EMULATION_CHECKED | typeof CONTEXT_BUILT | typeof CONTEXT_PUSHED;

/** The steps done in this window (pulsed again when the walkthrough may have been opened). */
const done = new Set<WalkthroughKey>();

/** Sets the key true then false: one change to true that the walkthrough counts, never left true. */
async function pulse(key: WalkthroughKey): Promise<void> {
  await vscode.commands.executeCommand('setContext', key, true);
  await vscode.commands.executeCommand('setContext', key, false);
}

/** Records that a step happened and pulses its key (on every occurrence, not once). */
export async function markStep(key: WalkthroughKey): Promise<void> {
  done.add(key);
  await pulse(key);
}

/**
 * The walkthrough page is a tab without an API input (`tab.input` undefined; "Welcome" or
 * "Walkthrough: …"). Settings and other built-in editors are too: pulsing again for them is
 * harmless (a step already checked off stays so).
 */
export function mayBeWalkthrough(tab: vscode.Tab): boolean {
  return tab.input === undefined;
}

/** Pulses every done step again whenever a tab that may be the walkthrough opens or is activated. */
export function registerWalkthroughProgress(): vscode.Disposable {
  return vscode.window.tabGroups.onDidChangeTabs((event) => {
    const shown = [...event.opened, ...event.changed.filter((tab) => tab.isActive)].some(mayBeWalkthrough);
    if (shown) for (const key of done) void pulse(key);
  });
}
