/** The resource whose settings apply when a command has no argument: the active editor's file, else the first folder. */
import * as vscode from 'vscode';

export function activeScope(): vscode.Uri | undefined {
  return vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
}
