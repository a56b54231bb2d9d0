/** "Green Cloud: Show Emulation Status": can each target platform run on its engine? Resolves to the readiness list. */
import * as vscode from 'vscode';
import type { CommandFactory } from './index';
import { checkReadiness, engineProblems, missingByEngine } from '../imageBuild/emulation';
import { emulationMayHaveChanged } from '../imageBuild/events';
import { emulationLogLines, emulationSentence, emulationView } from '../imageBuild/format';
import { activeScope } from '../workspace/activeScope';
import { currentConfig, openSetting, reportConfigProblems } from '../workspace/settings';
import { CONTEXT_EMULATION_CHECKED, markStep } from '../walkthrough';

export const showEmulationStatus: CommandFactory = (ctx) => async () => {
  const config = currentConfig(activeScope());
  reportConfigProblems(ctx.output, config);
  const readiness = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Green Cloud: checking emulation' },
    () => checkReadiness(config.platforms, config.engines),
  );
  // Once each, at its level: platforms that can run at info, those that cannot at warning; an
  // engine that does not answer once (with the setting that chooses it), as an error when no
  // engine answered at all (nothing could be checked), else as a warning.
  const problems = engineProblems(readiness, config.engines);
  const answered = readiness.filter((r) => !r.engineError);
  if (answered.length > 0) ctx.output.info('Emulation status:');
  for (const r of answered) {
    const canRun = r.report?.status === 'native' || r.report?.status === 'emulated';
    for (const line of emulationLogLines([r])) {
      if (canRun) ctx.output.info(line);
      else ctx.output.warn(line);
    }
  }
  for (const p of problems) {
    if (answered.length === 0) ctx.output.error(p.message);
    else ctx.output.warn(p.message);
  }
  emulationMayHaveChanged(readiness);
  void markStep(CONTEXT_EMULATION_CHECKED);
  const view = emulationView(readiness);
  const setUp = 'Set Up QEMU Emulation';
  const openSettings = 'Open Settings';
  // Set-up needs an engine that answers: with none, the way out is the engine setting.
  const problem = problems[0];
  const canSetUp = missingByEngine(readiness, config.engines).length > 0 && vscode.workspace.isTrusted;
  const actions = [...(canSetUp ? [setUp] : []), ...(problem ? [openSettings] : []), 'Show Log'];
  const show =
    view.severity === 'ok'
      ? vscode.window.showInformationMessage
      : view.severity === 'error'
        ? vscode.window.showErrorMessage
        : vscode.window.showWarningMessage;
  // No engine answered: its error with the setting that chooses it (once), not the bare core text.
  const sentence = view.severity === 'error' && problem ? problem.message : emulationSentence(readiness);
  void show(`Green Cloud: ${sentence}`, ...actions).then((choice) => {
    if (choice === setUp) void vscode.commands.executeCommand('greenCloud.setUpEmulation');
    else if (choice === openSettings && problem) void openSetting(problem.setting);
    else if (choice === 'Show Log') ctx.output.show(true);
  });
  return readiness;
};
