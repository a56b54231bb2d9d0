/**
 * An event fired each time a build question (platform picker, image or version input box) has
 * been shown, so that callers driving the editor (the integration tests, other extensions) answer
 * exactly the question on screen instead of pressing Enter blindly. No other state.
 */
import * as vscode from 'vscode';

export type QuestionKind = 'platforms' | 'image' | 'version';

const asked = new vscode.EventEmitter<QuestionKind>();

/** Fires after the question's widget was asked to show (its message is already on its way to the workbench). */
export const onDidAskQuestion: vscode.Event<QuestionKind> = asked.event;

export function questionAsked(kind: QuestionKind): void {
  asked.fire(kind);
}
