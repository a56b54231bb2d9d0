/**
 * Starts the Green Cloud language server (dist/server.js) over node IPC. The middleware turns
 * each diagnostic's rule link (the installed `docs/rules/GCnnn.md`, which VS Code would open as
 * an editable file) into `command:greenCloud.openRuleDoc?["GCnnn"]`, which the Problems panel
 * and the hover open with commands allowed: the rule page then appears as a rendered Markdown
 * preview, offline. It also completes the walkthrough's "see diagnostics" step.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CONTEXT_DIAGNOSED, markStep } from './walkthrough';

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

export const DIAGNOSTIC_SOURCE = 'green-cloud';
export const OPEN_RULE_DOC = 'greenCloud.openRuleDoc';

/** `command:greenCloud.openRuleDoc?%5B%22GC202%22%5D` */
export function ruleDocCommandUri(code: string): vscode.Uri {
  return vscode.Uri.parse(`command:${OPEN_RULE_DOC}?${encodeURIComponent(JSON.stringify([code]))}`);
}

/** Rewrites a Green Cloud diagnostic's rule link in place (other diagnostics are left alone). */
export function linkToRenderedRuleDoc(diagnostic: vscode.Diagnostic): vscode.Diagnostic {
  const code = diagnostic.code;
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof code !== 'object' || !/^GC\d{3}$/.test(String(code.value))) return diagnostic;
  diagnostic.code = { value: code.value, target: ruleDocCommandUri(String(code.value)) };
  return diagnostic;
}

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
    middleware: {
      handleDiagnostics(uri, diagnostics, next) {
        if (diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)) void markStep(CONTEXT_DIAGNOSED);
        next(uri, diagnostics.map(linkToRenderedRuleDoc));
      },
    },
  };
  return new LanguageClient('greenCloud', 'Green Cloud', serverOptions, clientOptions);
}
