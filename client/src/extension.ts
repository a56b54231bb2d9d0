/** Green Cloud's VS Code entry point: activate/deactivate only. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createApi, type GreenCloudApi } from './api';
import { registerBuildFeatures } from './imageBuild';
import { registerCommands } from './commands';
import { createLanguageClient } from './languageClient';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<GreenCloudApi> {
  const output = vscode.window.createOutputChannel('Green Cloud', { log: true });
  context.subscriptions.push(output);
  client = createLanguageClient(context, output);
  const languageClient = client;
  context.subscriptions.push(...registerCommands({ extension: context, output, client: () => languageClient }));
  context.subscriptions.push(registerBuildFeatures({ extension: context, output }));
  await client.start();
  return createApi(() => client);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
