/**
 * Every command, registered from one table. A handler stays thin: read config, ask the user,
 * call the core, report.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { buildAllPlatforms } from './buildAllPlatforms';
import { buildAndPushAllPlatforms } from './buildAndPushAllPlatforms';
import { inspectManifestList } from './inspectManifestList';
import { openRuleDoc } from './openRuleDoc';
import { pushManifestList } from './pushManifestList';
import { setUpEmulation } from './setUpEmulation';
import { showEmulationStatus } from './showEmulationStatus';

export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly client: () => LanguageClient;
}

export type CommandFactory = (ctx: CommandContext) => (...args: unknown[]) => unknown;

export const COMMANDS: Record<string, CommandFactory> = {
  'greenCloud.restartServer': (ctx) => async () => {
    await ctx.client().restart();
    ctx.output.info('Language server restarted.');
  },
  'greenCloud.showOutput': (ctx) => () => ctx.output.show(true),
  'greenCloud.buildAllPlatforms': buildAllPlatforms,
  'greenCloud.setUpEmulation': setUpEmulation,
  'greenCloud.showEmulationStatus': showEmulationStatus,
  'greenCloud.buildAndPushAllPlatforms': buildAndPushAllPlatforms,
  'greenCloud.pushManifestList': pushManifestList,
  'greenCloud.inspectManifestList': inspectManifestList,
  'greenCloud.openRuleDoc': openRuleDoc,
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, factory]) => vscode.commands.registerCommand(id, factory(ctx)));
}
