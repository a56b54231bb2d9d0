/** Green Cloud's VS Code entry point: activate/deactivate only. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createApi, type GreenCloudApi } from './api';
import { registerBuildFeatures } from './imageBuild';
import { onListPushed } from './imageBuild/listPushed';
import { registerCommands } from './commands';
import { createLanguageClient } from './languageClient';
import { manifestDocuments, MANIFEST_SCHEME, rememberPushedList } from './ui/manifestList';
import { CONTEXT_PUSHED, markStep, registerWalkthroughProgress } from './walkthrough';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<GreenCloudApi> {
  const output = vscode.window.createOutputChannel('Green Cloud', { log: true });
  context.subscriptions.push(output);
  client = createLanguageClient(context, output);
  const languageClient = client;
  context.subscriptions.push(...registerCommands({ extension: context, output, client: () => languageClient }));
  context.subscriptions.push(registerBuildFeatures({ extension: context, output }));
  context.subscriptions.push(
    manifestDocuments,
    vscode.workspace.registerTextDocumentContentProvider(MANIFEST_SCHEME, manifestDocuments),
    onListPushed((reference) => {
      void rememberPushedList(context.workspaceState, reference);
      void markStep(CONTEXT_PUSHED);
    }),
    registerWalkthroughProgress(),
  );
  await client.start();
  return createApi(() => client);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
