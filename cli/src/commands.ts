/**
 * Every `green-cloud` subcommand, in the order `green-cloud --help` lists them. A command is
 * one file exporting a `CliCommand` (see command.ts); add it here with one line.
 */
import type { CliCommand } from './command';
import { buildCommand } from './build';
import { lintCommand } from './lint';
import { manifestCommand } from './manifest';

export const COMMANDS: readonly CliCommand[] = [lintCommand, buildCommand, manifestCommand];
