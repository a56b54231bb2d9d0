/** Starts the Green Cloud language server (dist/server.js) over node IPC. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export const DOCKERFILE_SELECTOR: NonNullable<LanguageClientOptions['documentSelector']> = [
  { language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile,Containerfile,Dockerfile.*,*.Dockerfile,Containerfile.*}' },
];

/**
 * Kubernetes manifests and Compose files (GC301–GC304; the server recognises them by name and
 * content and leaves other YAML alone). It only adds its own diagnostics: the YAML language
 * servers users already run (Red Hat's) are untouched.
 */
export const YAML_SELECTOR: NonNullable<LanguageClientOptions['documentSelector']> = [{ language: 'dockercompose' }, { language: 'yaml' }];

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...DOCKERFILE_SELECTOR, ...YAML_SELECTOR],
    outputChannel: output,
    initializationOptions: {
      docsBase: vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules').toString() + '/',
      // The registry lookup cache (tag→digest answers and manifests by digest).
      cacheDirectory: context.globalStorageUri.fsPath,
    },
  };
  return new LanguageClient('greenCloud', 'Green Cloud', serverOptions, clientOptions);
}
