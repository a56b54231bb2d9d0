/** InputBoxes for the image repository and the version, validated with the core's reference grammar. */
import * as vscode from 'vscode';
import { imageInputError, versionInputError } from '../imageBuild/request';
import { questionAsked } from './questions';

/** `title`: with its step counter (buildSteps.ts), e.g. "Green Cloud: Image (2/3)". */
export async function askImage(value: string, title = 'Green Cloud: Image'): Promise<string | undefined> {
  const answer = vscode.window.showInputBox({
    title,
    prompt: 'Repository to tag the per-platform images with (no tag), e.g. web or 127.0.0.1:5000/team/web',
    value,
    ignoreFocusOut: true,
    validateInput: (text) => imageInputError(text),
  });
  questionAsked('image');
  return (await answer)?.trim();
}

/** `prompt`: its example made from the image just entered (buildSteps.ts versionPrompt). */
export async function askVersion(value: string, title: string, prompt: string): Promise<string | undefined> {
  const answer = vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (text) => versionInputError(text),
  });
  questionAsked('version');
  return (await answer)?.trim();
}
