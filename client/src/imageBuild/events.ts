/** Signals between the build commands and the long-lived build features (status bar, walkthrough). */
import * as vscode from 'vscode';
import type { PlatformReadiness } from './format';
import { CONTEXT_BUILT, markStep } from '../walkthrough';

const emulationChanged = new vscode.EventEmitter<readonly PlatformReadiness[] | undefined>();
const buildRequested = new vscode.EventEmitter<void>();
const buildSucceeded = new vscode.EventEmitter<void>();

/** Fired after emulation was checked or set up, or a build ran: with fresh readiness when known, else the status bar re-checks. */
export const onDidChangeEmulation = emulationChanged.event;

export function emulationMayHaveChanged(readiness?: readonly PlatformReadiness[]): void {
  emulationChanged.fire(readiness);
}

/** Fired when the user asks to build (command or task): from then on, engine and emulation problems get warning colours. */
export const onDidRequestBuild = buildRequested.event;

export function userAskedToBuild(): void {
  buildRequested.fire();
}

/** Fired after a build in which every platform built and verified. */
export const onDidBuildSucceed = buildSucceeded.event;

/** Records a fully successful build: completes the walkthrough's "build all platforms" step and fires onDidBuildSucceed. */
export async function buildSucceededOnEveryPlatform(): Promise<void> {
  await markStep(CONTEXT_BUILT);
  buildSucceeded.fire();
}
