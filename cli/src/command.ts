/**
 * The contract between the `green-cloud` dispatcher (main.ts) and its subcommands: what a
 * command is, the I/O it gets, the exit codes it returns, and argument parsing that turns
 * mistakes into usage errors (exit 2) with a clear message.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Process exit codes shared by every subcommand. */
export const ExitCode = {
  /** Success: nothing at or above the fail level. */
  Ok: 0,
  /** Findings at or above the fail level, or the command itself failed (build, push …). */
  Failure: 1,
  /** Bad usage (unknown flag, bad value) or an input file that cannot be read. */
  Usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What a command may touch: injected so commands never reach for `process` themselves. */
export interface CliIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly stdin: NodeJS.ReadableStream;
  /** True when stdout is an interactive terminal (colours are then allowed). */
  readonly stdoutIsTTY: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface CliCommand {
  /** The subcommand word: `green-cloud NAME …`. */
  readonly name: string;
  /** One line for `green-cloud --help`. */
  readonly summary: string;
  /** The full text printed by `green-cloud NAME --help` (starts with the `Usage:` line). */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

/** An error the user can fix: printed without a stack trace, with the given exit code. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.Usage,
  ) {
    super(message);
  }
}

/** Bad arguments: printed with a pointer to the command's `--help`; exit code 2. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message, ExitCode.Usage);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `parseArgs` in strict mode with positionals; any parse problem becomes a UsageError. */
export function parseCommandArgs<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Node's messages end with advice for script authors ("To specify a positional argument
    // starting with a '-', place it at the end of the command after '--'…"): keep them, they help.
    throw new UsageError(message);
  }
}

/** True when `--help`/`-h` appears before a `--` separator. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Reads a whole stream as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
