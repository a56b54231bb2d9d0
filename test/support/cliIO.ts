/** The CLI's IO for in-process runs (`main(args, io)`), capturing what it prints: written once for every suite. */
import type { CliIO } from '../../cli/src/command';

export interface CapturedIO {
  readonly io: CliIO;
  /** Everything written to stdout so far. */
  readonly out: () => string;
  /** Everything written to stderr so far. */
  readonly err: () => string;
}

/** A non-TTY IO with `env` over the process environment, run in `cwd`. */
export function captureIO(env: Record<string, string | undefined> = {}, cwd = process.cwd()): CapturedIO {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      stdin: process.stdin,
      stdoutIsTTY: false,
      cwd,
      env: { ...process.env, ...env },
    },
    out: () => stdout,
    err: () => stderr,
  };
}
