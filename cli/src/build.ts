/**
 * `green-cloud build`: builds one image per platform through the Docker Engine API (the same
 * core as the editor's "Build for All Platforms"), prints `[os/arch] …` progress lines and a
 * summary table, and exits 1 when any platform fails.
 */
import { isAbsolute, resolve } from 'node:path';
import { ENGINE_ELSEWHERE, phraseRequestError } from './phrasing';
import { PARALLEL, parseParallel } from '../../core/src/settings';
import {
  BuildRequestError,
  emulationVerdict,
  planBuild,
  runBuild,
  splitImageTag,
  timingLine,
  type BuildStatus,
  type PlatformResult,
} from '../../core/src/imageBuild';
import { DEFAULT_TARGET_PLATFORMS, formatPlatform, parsePlatformList, PlatformError, type Platform } from '../../core/src/platforms';
import { pushBuiltImages } from './buildPush';
import { CliError, ExitCode, parseCommandArgs, UsageError, type CliCommand, type CliIO } from './command';

const USAGE = `Usage: green-cloud build [CONTEXT] --tag IMAGE:VERSION [options]

Builds the Dockerfile once per platform with BuildKit (QEMU emulation for foreign platforms),
tags each image IMAGE:ARCH-VERSION (web:amd64-1.2, web:arm64-1.2, web:armv7-1.2) and verifies
that each image's binaries really are of its platform. CONTEXT defaults to the current folder.

Options:
  -t, --tag IMAGE:VERSION        Repository and version (required), e.g. web:1.2 or
                                 127.0.0.1:5000/team/web:1.2.
  -f, --file FILE                The Dockerfile (default: CONTEXT/Dockerfile); may lie outside CONTEXT.
  --platform P1,P2               Target platforms (repeatable; default: ${DEFAULT_TARGET_PLATFORMS.map(formatPlatform).join(',')}).
  --tag-template TEMPLATE        Per-platform tag; placeholders {image} {os} {arch} {variant} {version}
                                 (default: {image}:{arch}{variant}-{version}).
  --build-arg KEY=VALUE          A build argument (repeatable; KEY alone takes the value from the environment).
  --target STAGE                 Build this stage.
  --no-cache                     Do not use the build cache.
  --parallel N                   Platforms built at once, 1 to 16 (default: 2).
  --builder PLATFORM=HOST        Build PLATFORM on another engine (repeatable), e.g.
                                 --builder linux/arm64=ssh://pi@arm-server
  --push                         Then push each image and the manifest list IMAGE:VERSION
                                 (credentials as for 'docker login'; see 'green-cloud manifest').
  --insecure-host HOST           With --push: reach HOST[:PORT] over plain HTTP (repeatable).
  -h, --help                     Show this help.

The engine is DOCKER_HOST, else the default socket. Ctrl+C cancels every build.
Exit codes: 0 every platform built and verified; 1 a platform failed or was cancelled; 2 bad usage.

Examples:
  green-cloud build --tag web:1.2
  green-cloud build ./app -f docker/Dockerfile --platform linux/amd64,linux/arm64 --tag 127.0.0.1:5000/web:1.2`;

export interface BuildArguments {
  readonly contextDir: string;
  readonly dockerfile: string;
  readonly platforms: Platform[];
  readonly image: string;
  readonly version: string;
  readonly tagTemplate?: string;
  readonly buildArgs: Record<string, string>;
  readonly target?: string;
  readonly noCache: boolean;
  readonly parallel: number;
  readonly builders: Record<string, string>;
  readonly push: boolean;
  readonly insecureHosts: string[];
}

function keyValue(text: string, flag: string, example: string): [string, string | undefined] {
  const at = text.indexOf('=');
  if (at === 0) throw new UsageError(`${flag} '${text}' has no name before '=' (e.g. ${flag} ${example}).`);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

export function parseBuildArguments(argv: readonly string[], io: Pick<CliIO, 'cwd' | 'env'>): BuildArguments {
  const { values, positionals } = parseCommandArgs(argv, {
    tag: { type: 'string', short: 't' },
    file: { type: 'string', short: 'f' },
    platform: { type: 'string', multiple: true },
    'tag-template': { type: 'string' },
    'build-arg': { type: 'string', multiple: true },
    target: { type: 'string' },
    'no-cache': { type: 'boolean', default: false },
    parallel: { type: 'string' },
    builder: { type: 'string', multiple: true },
    push: { type: 'boolean', default: false },
    'insecure-host': { type: 'string', multiple: true },
  });
  if (positionals.length > 1) throw new UsageError(`Give one build context, not ${positionals.length} (${positionals.join(', ')}).`);
  if (!values.tag) throw new UsageError('--tag IMAGE:VERSION is required (e.g. --tag web:1.2).');
  let split: { image: string; version: string };
  try {
    split = splitImageTag(values.tag);
  } catch (error) {
    throw new UsageError(`--tag: ${error instanceof Error ? error.message : String(error)}`);
  }
  const contextDir = resolve(io.cwd, positionals[0] ?? '.');
  const dockerfile = values.file
    ? isAbsolute(values.file)
      ? values.file
      : resolve(io.cwd, values.file)
    : resolve(contextDir, 'Dockerfile');
  let platforms: Platform[] = [...DEFAULT_TARGET_PLATFORMS];
  if (values.platform && values.platform.length > 0) {
    try {
      platforms = parsePlatformList(values.platform.join(','));
    } catch (error) {
      throw new UsageError(`--platform: ${error instanceof PlatformError ? error.message : String(error)}`);
    }
    if (platforms.length === 0) throw new UsageError('--platform names no platform (e.g. --platform linux/amd64,linux/arm64).');
  }
  const buildArgs: Record<string, string> = {};
  for (const item of values['build-arg'] ?? []) {
    const [key, value] = keyValue(item, '--build-arg', 'VERSION=1.2');
    const v = value ?? io.env[key];
    if (v !== undefined) buildArgs[key] = v;
  }
  const builders: Record<string, string> = {};
  for (const item of values.builder ?? []) {
    const [key, value] = keyValue(item, '--builder', 'linux/arm64=ssh://user@host');
    if (!value) throw new UsageError(`--builder '${item}' is not PLATFORM=HOST (e.g. --builder linux/arm64=tcp://10.0.0.5:2375).`);
    builders[key] = value;
  }
  let parallel: number = PARALLEL.default;
  if (values.parallel !== undefined) {
    const parsed = parseParallel(values.parallel);
    if (parsed === undefined)
      throw new UsageError(`--parallel '${values.parallel}' is not a whole number from ${PARALLEL.min} to ${PARALLEL.max}.`);
    parallel = parsed;
  }
  return {
    contextDir,
    dockerfile,
    platforms,
    image: split.image,
    version: split.version,
    tagTemplate: values['tag-template'],
    buildArgs,
    target: values.target,
    noCache: values['no-cache'] === true,
    parallel,
    builders,
    push: values.push === true,
    insecureHosts: values['insecure-host'] ?? [],
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The summary table: platform, tag, result, duration; under a failed platform, why in one line
 * (`RUN make failed (exit code 2): "no C compiler found"`). An unreachable engine is said below
 * the table, with the next step.
 */
export function formatSummary(results: readonly PlatformResult[]): string {
  const header = ['PLATFORM', 'TAG', 'RESULT', 'DURATION'];
  const rows = [header, ...results.map((r) => [formatPlatform(r.platform), r.tag, r.status, seconds(r.durationMs)])];
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  return rows
    .map((row, i) => {
      const r = i === 0 ? undefined : results[i - 1];
      const why = r?.status === 'failed' && !r.engineUnreachable ? r.failure?.reason : undefined;
      return why ? `${line(row)}\n    ${why}` : line(row);
    })
    .join('\n');
}

/** Where the time went: RUN steps per platform (emulated or native), and the GC110 pointer when emulation dominates. */
export function formatTimings(results: readonly PlatformResult[]): string {
  const lines = results.filter((r) => r.timing).map((r) => timingLine(r.platform, r.timing as NonNullable<PlatformResult['timing']>));
  const verdict = emulationVerdict(results);
  if (verdict) lines.push(verdict);
  return lines.join('\n');
}

async function runBuildCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseBuildArguments(argv, io);
  let plan;
  try {
    plan = planBuild(
      {
        contextDir: args.contextDir,
        dockerfile: args.dockerfile,
        platforms: args.platforms,
        image: args.image,
        version: args.version,
        tagTemplate: args.tagTemplate,
        buildArgs: args.buildArgs,
        target: args.target,
        noCache: args.noCache,
      },
      { builders: args.builders, env: io.env },
    );
  } catch (error) {
    if (error instanceof BuildRequestError) throw new CliError(phraseRequestError(error, args.builders), ExitCode.Usage);
    throw error;
  }
  const controller = new AbortController();
  const onInterrupt = (): void => {
    io.stderr.write('Cancelling every build…\n');
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  const width = Math.max(...plan.jobs.map((j) => formatPlatform(j.platform).length));
  const prefix = (p: Platform): string => `[${formatPlatform(p)}]`.padEnd(width + 2);
  const statusWords: Record<BuildStatus, string> = {
    queued: 'queued',
    building: 'building',
    verifying: 'verifying the image platform',
    succeeded: 'succeeded',
    failed: 'FAILED',
    cancelled: 'cancelled',
  };
  io.stdout.write(`Building ${plan.jobs.length} platform(s) from ${args.dockerfile}\n`);
  let results: PlatformResult[];
  try {
    results = await runBuild(
      plan,
      {
        onLog: (p, line) => io.stdout.write(`${prefix(p)} ${line}\n`),
        onStatus: (p, status, detail) => {
          // the reason of a failure is printed below the summary, with the log tail
          const shown = status === 'failed' || status === 'cancelled' ? undefined : detail;
          io.stdout.write(`${prefix(p)} ${statusWords[status]}${shown ? ` ${shown}` : ''}\n`);
        },
      },
      { parallel: args.parallel, signal: controller.signal },
    );
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
  }
  io.stdout.write(`\n${formatSummary(results)}\n`);
  const timings = formatTimings(results);
  if (timings) io.stdout.write(`\n${timings}\n`);
  const bad = results.filter((r) => r.status !== 'succeeded');
  for (const r of bad) {
    const reason = r.error ?? `${formatPlatform(r.platform)}: ${r.status}`;
    io.stderr.write(`\n${r.engineUnreachable ? `${reason} ${ENGINE_ELSEWHERE}` : reason}\n`);
    const tail = r.logTail.filter((line) => !(r.error ?? '').includes(line));
    if (r.status === 'failed' && tail.length > 0) {
      io.stderr.write(`Last lines of the ${formatPlatform(r.platform)} log:\n${tail.map((l) => `  ${l}`).join('\n')}\n`);
    }
  }
  if (bad.length > 0) return ExitCode.Failure;
  return args.push ? pushBuiltImages(results, `${args.image}:${args.version}`, args.insecureHosts, io) : ExitCode.Ok;
}

export const buildCommand: CliCommand = {
  name: 'build',
  summary: 'Build the image once per platform (BuildKit + QEMU) and verify each.',
  usage: USAGE,
  run: runBuildCommand,
};
