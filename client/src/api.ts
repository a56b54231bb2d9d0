/**
 * What `activate` returns: a small, read-only view for the integration tests (and other
 * extensions) — which process serves the language server right now.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { onDidAskQuestion, type QuestionKind } from './ui/questions';

export interface GreenCloudApi {
  /** The PID of the running language server process, or undefined while it is not running. */
  serverProcessId(): number | undefined;
  /** Fires each time a build question (platforms, image, version) has been shown. */
  readonly onDidAskQuestion: vscode.Event<QuestionKind>;
}

export function createApi(client: () => LanguageClient | undefined): GreenCloudApi {
  return {
    onDidAskQuestion,
    serverProcessId: () => {
      const c = client();
      return c?.isRunning() ? c.serverProcess?.pid : undefined;
    },
  };
}
