/** Signals between the build commands and the long-lived build features (status bar). */
import * as vscode from 'vscode';
import type { PlatformReadiness } from './format';

const emulationChanged = new vscode.EventEmitter<readonly PlatformReadiness[] | undefined>();

/** Fired after emulation was checked or set up, or a build ran: with fresh readiness when known, else the status bar re-checks. */
export const onDidChangeEmulation = emulationChanged.event;

export function emulationMayHaveChanged(readiness?: readonly PlatformReadiness[]): void {
  emulationChanged.fire(readiness);
}
