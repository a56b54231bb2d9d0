/** "Build for linux/amd64, linux/arm64, linux/arm/v7" above the first FROM of a Dockerfile. */
import * as vscode from 'vscode';
import { formatPlatform } from '../../../core/src/platforms';
import { buildLensTitle } from './format';
import { dockerfileTargets } from './request';
import { currentConfig } from '../workspace/settings';

export class BuildCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || document.uri.scheme !== 'file') return [];
    const targets = dockerfileTargets(document.getText(), currentConfig(document.uri).platforms);
    if (targets.firstFromLine === undefined) return [];
    const range = new vscode.Range(targets.firstFromLine, 0, targets.firstFromLine, 0);
    const from = targets.source === 'directive' ? "this file's # platforms= line" : 'your settings';
    return [
      new vscode.CodeLens(range, {
        title: buildLensTitle(targets.platforms),
        tooltip: `Build one image per platform (from ${from}) with Green Cloud`,
        command: 'greenCloud.buildAllPlatforms',
        arguments: [document.uri, { platforms: targets.platforms.map(formatPlatform) }],
      }),
    ];
  }

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
