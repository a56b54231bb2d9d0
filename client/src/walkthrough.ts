/**
 * The "Get Started with Green Cloud" walkthrough (package.json `contributes.walkthroughs`):
 * each step completes on the real event. "See diagnostics" and "push" complete on context keys
 * set here; "check emulation" on `onCommand:greenCloud.showEmulationStatus`; "build" on
 * `greenCloud.walkthrough.built`, which the build command sets after a fully successful build.
 */
import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'green-cloud.green-cloud#greenCloud.gettingStarted';

export const CONTEXT_DIAGNOSED = 'greenCloud.walkthrough.diagnosed';
export const CONTEXT_BUILT = 'greenCloud.walkthrough.built';
export const CONTEXT_PUSHED = 'greenCloud.walkthrough.pushed';

const set = new Set<string>();

/** Sets a walkthrough context key to true (once per window). */
export function markStep(key: typeof CONTEXT_DIAGNOSED | typeof CONTEXT_BUILT | typeof CONTEXT_PUSHED): void {
  if (set.has(key)) return;
  set.add(key);
  void vscode.commands.executeCommand('setContext', key, true);
}
