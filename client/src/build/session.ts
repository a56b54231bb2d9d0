/**
 * One build run as the editor shows it: plan, check the engines, run the core build, write
 * `[linux/arm64]`-prefixed log lines, report progress, and summarise. Shared by the
 * "Build for All Platforms" command and the `green-cloud` task; no `vscode` import (the caller
 * passes where the lines go).
 */
import { formatPlatform, type Platform } from '../../../core/src/platforms';
import { connectEngine, EngineError, pingEngine } from '../../../core/src/docker';
import { planBuild, runBuild } from '../../../core/src/imageBuild';
import { type BuildPlan, type BuildRequest, type BuildStatus, type PlanOptions, type PlatformResult } from '../../../core/src/imageBuild/types';
import { prefixLine, ProgressBoard, summarizeResults, type BuildSummary } from './format';

/** Where the run's lines go (a LogOutputChannel, a pseudoterminal). */
export interface BuildLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

export interface SessionOptions {
  readonly plan: PlanOptions;
  readonly parallel: number;
  readonly signal?: AbortSignal;
  readonly log: BuildLog;
  /** Called on every status change with the progress message and the share just completed (0..100). */
  readonly onProgress?: (message: string, increment: number) => void;
  /** Milliseconds to wait for each engine's ping (default 5000). */
  readonly pingTimeoutMs?: number;
}

export interface SessionOutcome {
  /** Set when nothing was built: a bad request or an unreachable engine (the message names the thing and the next step). */
  readonly error?: string;
  readonly plan?: BuildPlan;
  readonly results: readonly PlatformResult[];
  readonly summary?: BuildSummary;
  readonly durationMs: number;
}

const DETAIL_STATUSES: ReadonlySet<BuildStatus> = new Set(['failed', 'cancelled']);

export async function runBuildSession(request: BuildRequest, options: SessionOptions): Promise<SessionOutcome> {
  const started = Date.now();
  const { log } = options;
  let plan: BuildPlan;
  try {
    plan = planBuild(request, options.plan);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(message);
    return { error: message, results: [], durationMs: Date.now() - started };
  }
  log.info(`Building ${plan.request.image}:${plan.request.version} from ${plan.request.dockerfile} (context ${plan.request.contextDir}), ${plan.jobs.length} platform(s), up to ${Math.max(1, options.parallel)} at once.`);
  for (const job of plan.jobs) log.info(prefixLine(job.platform, `→ ${job.tag} on ${job.engine.label === 'local' ? `the local engine (${job.engine.host})` : job.engine.host}`));

  const unreachable = await unreachableEngines(plan, options.pingTimeoutMs ?? 5000);
  if (unreachable.length > 0) {
    const message = unreachable.join('\n');
    log.error(message);
    return { error: message, plan, results: [], durationMs: Date.now() - started };
  }
  if (options.signal?.aborted) {
    log.warn('Cancelled before the build started.');
  }

  const board = new ProgressBoard(plan.jobs.map((j) => j.platform));
  options.onProgress?.(board.message(), 0);
  const results = await runBuild(
    plan,
    {
      onLog(platform: Platform, line: string) {
        log.info(prefixLine(platform, line));
      },
      onStatus(platform: Platform, status: BuildStatus, detail?: string) {
        const text = detail ? `${status}: ${detail}` : status;
        if (status === 'failed') log.error(prefixLine(platform, text));
        else if (DETAIL_STATUSES.has(status)) log.warn(prefixLine(platform, text));
        else log.info(prefixLine(platform, text));
        const increment = board.update(platform, status);
        options.onProgress?.(board.message(), increment);
      },
    },
    { parallel: Math.max(1, options.parallel), signal: options.signal },
  );
  const durationMs = Date.now() - started;
  const summary = summarizeResults(results, durationMs);
  writeSummary(log, summary, results);
  return { plan, results, summary, durationMs };
}

/** Pings each distinct engine of the plan; returns one message per engine that cannot be reached. */
async function unreachableEngines(plan: BuildPlan, timeoutMs: number): Promise<string[]> {
  const hosts = new Map<string, Platform[]>();
  for (const job of plan.jobs) hosts.set(job.engine.host, [...(hosts.get(job.engine.host) ?? []), job.platform]);
  const checks = [...hosts.entries()].map(async ([host, platforms]) => {
    try {
      await pingEngine(connectEngine(host), host, timeoutMs);
      return undefined;
    } catch (error) {
      const message = error instanceof EngineError ? error.message : String(error);
      return `${message} (needed for ${platforms.map(formatPlatform).join(', ')})`;
    }
  });
  return (await Promise.all(checks)).filter((m): m is string => m !== undefined);
}

function writeSummary(log: BuildLog, summary: BuildSummary, results: readonly PlatformResult[]): void {
  const write = summary.ok ? log.info : log.warn;
  write.call(log, `Summary: ${summary.headline}`);
  for (const line of summary.lines) write.call(log, `  ${line}`);
  for (const r of results) {
    if (r.status !== 'failed' || r.logTail.length === 0) continue;
    log.error(prefixLine(r.platform, `last ${r.logTail.length} log line(s):`));
    for (const line of r.logTail) log.error(prefixLine(r.platform, `  ${line}`));
  }
}
