/** Build and emulation commands run programs on a Docker engine: only in trusted workspaces. */
import * as vscode from 'vscode';

/** True when the workspace is trusted; else tells the user what to do and returns false. */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage(
    `Green Cloud: ${what} is disabled in an untrusted workspace. Trust this folder (Workspaces: Manage Workspace Trust) to continue.`,
  );
  return false;
}
