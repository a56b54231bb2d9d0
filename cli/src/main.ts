/**
 * The `green-cloud` command line: the same core as the editor, for terminals and CI.
 * A small dispatcher over the COMMANDS table (commands.ts): `green-cloud COMMAND [options]`,
 * `--help`/`-h` globally and per command, `--version`. Exit codes: 0 ok, 1 findings or command
 * failure, 2 usage or file error (see command.ts).
 */
import { CliError, ExitCode, UsageError, wantsHelp, type CliCommand, type CliIO } from './command';
import { COMMANDS } from './commands';
import { VERSION } from '../../core/src/version';

function globalUsage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: green-cloud COMMAND [options]',
    '',
    'Multi-architecture containers from the terminal and CI.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     Show this help (or `green-cloud COMMAND --help` for a command).',
    '  -v, --version  Print the version.',
    '',
  ].join('\n');
}

/** Runs the CLI with the arguments after `node cli.js`; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIO, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(globalUsage(commands));
    return ExitCode.Usage;
  }
  if (first === '--help' || first === '-h') {
    io.stdout.write(globalUsage(commands));
    return ExitCode.Ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.Ok;
  }
  if (first === 'help') {
    const topic = rest[0] === undefined ? undefined : commands.find((c) => c.name === rest[0]);
    if (rest[0] !== undefined && !topic) {
      io.stderr.write(`green-cloud: unknown command '${rest[0]}'. Run 'green-cloud --help' for the list of commands.\n`);
      return ExitCode.Usage;
    }
    io.stdout.write(topic ? `${topic.usage}\n` : globalUsage(commands));
    return ExitCode.Ok;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    const what = first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`;
    io.stderr.write(`green-cloud: ${what}. Run 'green-cloud --help' for the list of commands.\n`);
    return ExitCode.Usage;
  }
  if (wantsHelp(rest)) {
    io.stdout.write(`${command.usage}\n`);
    return ExitCode.Ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`green-cloud ${command.name}: ${error.message}\nRun 'green-cloud ${command.name} --help' for usage.\n`);
      return error.exitCode;
    }
    if (error instanceof CliError) {
      io.stderr.write(
        `${error.message
          .split('\n')
          .map((line) => `green-cloud ${command.name}: ${line}`)
          .join('\n')}\n`,
      );
      return error.exitCode;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`green-cloud ${command.name}: unexpected error (a bug in green-cloud; please report it):\n${detail}\n`);
    return ExitCode.Failure;
  }
}

function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdoutIsTTY: process.stdout.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
  };
}

// Only when run as the program (dist/cli.js), not when a test imports runCli.
if (require.main === module) {
  // `green-cloud lint … | head`: a closed pipe is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  runCli(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`green-cloud: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = ExitCode.Failure;
    },
  );
}
