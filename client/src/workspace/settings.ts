/** The typed Config for a scope, and reporting of malformed settings to the log. */
import * as vscode from 'vscode';
import { Config, SECTION } from '../config';

/** The settings that apply to `scope` (a Dockerfile's URI or workspace folder), typed and sanitised. */
export function currentConfig(scope?: vscode.ConfigurationScope): Config {
  return new Config(vscode.workspace.getConfiguration(SECTION, scope));
}

const reported = new Set<string>();

/** Logs each malformed setting once per session (reading every setting first). */
export function reportConfigProblems(output: vscode.LogOutputChannel, config: Config): void {
  config.all();
  for (const problem of config.problems()) {
    if (reported.has(problem.message)) continue;
    reported.add(problem.message);
    output.warn(problem.message);
  }
}

/**
 * Opens the Settings editor at `setting` (`greenCloud.docker.host`, `greenCloud.builders`). Those
 * are machine-scoped: in a remote window (code-server, SSH, WSL, a container) they live in the
 * remote's settings, so that tab is opened there.
 */
export function openSetting(setting: string): Thenable<unknown> {
  return vscode.env.remoteName
    ? vscode.commands.executeCommand('workbench.action.openRemoteSettings', { query: setting })
    : vscode.commands.executeCommand('workbench.action.openSettings', setting);
}
