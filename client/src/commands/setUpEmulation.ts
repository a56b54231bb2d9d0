/**
 * "Green Cloud: Set Up QEMU Emulation": registers the missing binfmt_misc handlers for the
 * target platforms on each engine's host, only after the user confirms in a modal dialog.
 */
import * as vscode from 'vscode';
import type { CommandFactory } from './index';
import { checkReadiness, missingByEngine, setUpMissing } from '../imageBuild/emulation';
import { emulationMayHaveChanged } from '../imageBuild/events';
import { emulationSentence, emulationView } from '../imageBuild/format';
import { activeScope } from '../workspace/activeScope';
import { confirmEmulationSetUp, reportSetUp } from '../ui/emulationSetUp';
import { currentConfig, reportConfigProblems } from '../workspace/settings';
import { requireTrust } from '../ui/trust';

export const setUpEmulation: CommandFactory = (ctx) => async () => {
  if (!requireTrust('Setting up QEMU emulation')) return undefined;
  const config = currentConfig(activeScope());
  reportConfigProblems(ctx.output, config);
  const readiness = await checkReadiness(config.platforms, config.engines);
  const groups = missingByEngine(readiness, config.engines);
  if (groups.length === 0) {
    const view = emulationView(readiness);
    const show = view.severity === 'ok' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
    void show(`Green Cloud: ${view.severity === 'ok' ? 'nothing to set up. ' : ''}${emulationSentence(readiness)}`);
    return [];
  }
  if (!(await confirmEmulationSetUp(groups, config.emulationSetupImage))) return undefined;
  const outcomes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Green Cloud: setting up QEMU emulation' },
    () => setUpMissing(groups, config.emulationSetupImage),
  );
  const after = await checkReadiness(config.platforms, config.engines);
  emulationMayHaveChanged(after);
  reportSetUp(ctx.output, outcomes, after);
  return outcomes;
};
