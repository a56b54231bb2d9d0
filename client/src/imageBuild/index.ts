/**
 * The build features that live as long as the extension: the "Build for …" CodeLens, the
 * emulation status bar item (shown, and checking the engine, only while a Dockerfile is the
 * active editor) and the `green-cloud` task provider. (The build and emulation
 * commands are in the COMMANDS table, client/src/commands/index.ts.)
 */
import * as vscode from 'vscode';
import { BUILD_SETTINGS } from '../config';
import { DOCKERFILE_SELECTOR } from '../languageClient';
import { currentConfig, reportConfigProblems } from '../workspace/settings';
import { activeScope } from '../workspace/activeScope';
import { BuildCodeLensProvider } from './codeLens';
import { disposeBuildDiagnostics } from './diagnostics';
import { EmulationStatusBar } from './statusBar';
import { BuildTaskProvider, TASK_TYPE } from './taskProvider';

export interface BuildFeaturesContext {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
}

export function registerBuildFeatures(ctx: BuildFeaturesContext): vscode.Disposable {
  const codeLens = new BuildCodeLensProvider();
  const statusBar = new EmulationStatusBar(ctx.output);
  reportConfigProblems(ctx.output, currentConfig(activeScope()));
  return vscode.Disposable.from(
    codeLens,
    statusBar,
    vscode.languages.registerCodeLensProvider(DOCKERFILE_SELECTOR as vscode.DocumentSelector, codeLens),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new BuildTaskProvider(ctx.extension.workspaceState, ctx.output)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!BUILD_SETTINGS.some((s) => event.affectsConfiguration(s))) return;
      reportConfigProblems(ctx.output, currentConfig(activeScope()));
      codeLens.refresh();
      void statusBar.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => codeLens.refresh()),
    { dispose: disposeBuildDiagnostics },
  );
}
