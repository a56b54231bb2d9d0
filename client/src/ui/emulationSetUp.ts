/** The confirmation before a privileged emulation set-up, and the report after it. */
import * as vscode from 'vscode';
import { formatPlatform } from '../../../core/src/platforms';
import type { EngineGroup, SetUpOutcome } from '../imageBuild/emulation';
import { emulationLogLines, emulationSentence, emulationView, type PlatformReadiness } from '../imageBuild/format';
import { platformList } from '../imageBuild/request';

/** A modal dialog naming the platforms, the engines and what will run with privileges. */
export async function confirmEmulationSetUp(groups: readonly EngineGroup[], image: string): Promise<boolean> {
  const where = groups
    .map((g) => `${platformList(g.platforms)} on ${g.engine.label === 'local' ? `the local engine (${g.engine.host})` : g.engine.host}`)
    .join('; ');
  const detail =
    `This registers QEMU handlers in the kernel's binfmt_misc on each engine's host, for every user of that host, until it reboots. ` +
    `On a local Linux engine as root it uses the installed qemu-user-static definitions (/usr/lib/binfmt.d); otherwise it runs the privileged image '${image}' ` +
    `(greenCloud.emulation.setupImage) on the engine, pulling it first if the engine does not have it.`;
  const setUp = 'Set Up';
  const choice = await vscode.window.showWarningMessage(`Set up QEMU emulation for ${where}?`, { modal: true, detail }, setUp);
  return choice === setUp;
}

export function reportSetUp(output: vscode.LogOutputChannel, outcomes: readonly SetUpOutcome[], after: readonly PlatformReadiness[]): void {
  for (const o of outcomes) {
    if (o.error) {
      output.error(`Emulation set-up on ${o.engine.host} failed: ${o.error}`);
      continue;
    }
    const r = o.result;
    if (!r) continue;
    output.info(
      `Emulation set-up on ${o.engine.host} (${r.method}): registered ${r.registered.length > 0 ? r.registered.join(', ') : 'nothing'}.`,
    );
    for (const f of r.failed) output.error(`[${formatPlatform(f.platform)}] not set up: ${f.reason}`);
  }
  for (const line of emulationLogLines(after)) output.info(line);
  const view = emulationView(after);
  const failed = outcomes.some((o) => o.error || (o.result?.failed.length ?? 0) > 0);
  const show = view.ready === view.total && !failed ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(`Green Cloud: ${emulationSentence(after)}`, 'Show Log').then((choice) => {
    if (choice) output.show(true);
  });
}
