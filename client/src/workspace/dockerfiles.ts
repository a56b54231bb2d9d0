/** Which Dockerfile a command acts on: the argument, the active editor, or the user's pick. */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { dockerfileChoices } from './dockerfileChoices';

const DOCKERFILE_NAME = /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.(?:dockerfile|containerfile)$/i;
export const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile.*}';

export function isDockerfile(document: vscode.TextDocument): boolean {
  return document.languageId === 'dockerfile' || DOCKERFILE_NAME.test(basename(document.uri.fsPath));
}

export async function resolveDockerfile(target: unknown): Promise<vscode.Uri | undefined> {
  if (target instanceof vscode.Uri) return target;
  if (typeof target === 'string' && target !== '') return target.includes('://') ? vscode.Uri.parse(target) : vscode.Uri.file(target);
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.scheme === 'file' && isDockerfile(active)) return active.uri;
  const found = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', 50);
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    void vscode.window.showErrorMessage('Green Cloud: no Dockerfile found in this workspace. Open a Dockerfile and run the command again.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    dockerfileChoices(found.map((uri) => ({ relative: vscode.workspace.asRelativePath(uri), value: uri }))),
    {
      title: 'Green Cloud: Which Dockerfile?',
      placeHolder: 'Choose the Dockerfile to build',
      ignoreFocusOut: true,
      matchOnDescription: true,
    },
  );
  return pick?.value;
}

/** The document's text: from the open editor when there is one (unsaved edits count), else from disk. */
export async function dockerfileText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
