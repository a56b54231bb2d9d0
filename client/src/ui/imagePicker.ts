/** InputBoxes for the image repository and the version, validated with the core's reference grammar. */
import * as vscode from 'vscode';
import { imageInputError, versionInputError } from '../imageBuild/request';
import { questionAsked } from './questions';

export async function askImage(value: string): Promise<string | undefined> {
  const answer = vscode.window.showInputBox({
    title: 'Green Cloud: Image',
    prompt: 'Repository to tag the per-platform images with (no tag), e.g. web or 127.0.0.1:5000/team/web',
    value,
    ignoreFocusOut: true,
    validateInput: (text) => imageInputError(text),
  });
  questionAsked('image');
  return (await answer)?.trim();
}

export async function askVersion(value: string): Promise<string | undefined> {
  const answer = vscode.window.showInputBox({
    title: 'Green Cloud: Version',
    prompt: 'Version used in each tag, e.g. 1.2 gives web:amd64-1.2, web:arm64-1.2, web:armv7-1.2',
    value,
    ignoreFocusOut: true,
    validateInput: (text) => versionInputError(text),
  });
  questionAsked('version');
  return (await answer)?.trim();
}
