/**
 * One build run as the editor shows it: plan, check the engines, run the core build, write
 * `[linux/arm64]`-prefixed log lines, report progress, and summarise. Shared by the
 * "Build for All Platforms" command and the `green-cloud` task; no `vscode` import (the caller
 * passes where the lines go).
 */
import type { Platform } from '../../../core/src/platforms';
import { connectEngine, EngineError, pingEngine } from '../../../core/src/docker';
import { planBuild, runBuild } from '../../../core/src/imageBuild';
import type { BuildPlan, BuildRequest, BuildStatus, LogLevel, PlanOptions, PlatformResult } from '../../../core/src/imageBuild/types';
import { phraseError } from '../phrasing';
import { neededFor, prefixLine, ProgressBoard, summarizeResults, type BuildSummary } from './format';

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
  /** The setting that fixes `error` (`greenCloud.docker.host`, `greenCloud.builders`), for an [Open Settings] action. */
  readonly setting?: string;
  readonly plan?: BuildPlan;
  readonly results: readonly PlatformResult[];
  readonly summary?: BuildSummary;
  readonly durationMs: number;
}

export async function runBuildSession(request: BuildRequest, options: SessionOptions): Promise<SessionOutcome> {
  const started = Date.now();
  const { log } = options;
  let plan: BuildPlan;
  try {
    plan = planBuild(request, options.plan);
  } catch (error) {
    const message = phraseError(error);
    log.error(message);
    return { error: message, results: [], durationMs: Date.now() - started };
  }
  log.info(
    `Building ${plan.request.image}:${plan.request.version} from ${plan.request.dockerfile} (context ${plan.request.contextDir}), ${plan.jobs.length} platform(s), up to ${Math.max(1, options.parallel)} at once.`,
  );
  for (const job of plan.jobs)
    log.info(
      prefixLine(
        job.platform,
        `→ ${job.tag} on ${job.engine.label === 'local' ? `the local engine (${job.engine.host})` : job.engine.host}`,
      ),
    );

  const unreachable = await unreachableEngines(plan, options.pingTimeoutMs ?? 5000, options.plan);
  if (unreachable.length > 0) {
    const message = unreachable.map((u) => u.message).join('\n');
    log.error(message);
    return { error: message, setting: unreachable[0]?.setting, plan, results: [], durationMs: Date.now() - started };
  }

  const board = new ProgressBoard(plan.jobs.map((j) => j.platform));
  options.onProgress?.(board.message(), 0);
  const results = await runBuild(
    plan,
    {
      onLog(platform: Platform, line: string, level?: LogLevel) {
        const text = prefixLine(platform, line);
        if (level === 'error') log.error(text);
        else if (level === 'warning') log.warn(text);
        else log.info(text);
      },
      onStatus(platform: Platform, status: BuildStatus, detail?: string) {
        // A failure's one-line reason is an error; a cancelled platform is no news of its own
        // (the core logs 'cancelled' for a running build; the summary says it once, as a warning).
        if (status === 'failed') log.error(prefixLine(platform, detail ? `failed: ${detail}` : 'failed'));
        else if (status !== 'cancelled') log.info(prefixLine(platform, detail ? `${status}: ${detail}` : status));
        const increment = board.update(platform, status);
        options.onProgress?.(board.message(), increment);
      },
      onEmulation(platform: Platform, emulated: boolean) {
        if (!emulated) return;
        board.markEmulated(platform);
        options.onProgress?.(board.message(), 0);
      },
    },
    { parallel: Math.max(1, options.parallel), signal: options.signal },
  );
  const durationMs = Date.now() - started;
  const summary = summarizeResults(results, durationMs);
  writeSummary(log, summary);
  return { plan, results, summary, durationMs };
}

/** An engine that does not answer: the message (names the address, the platforms and the next step) and the setting that chooses it. */
export interface UnreachableEngine {
  readonly host: string;
  readonly message: string;
  readonly setting: string;
}

/** Pings each distinct engine of the plan; returns one entry per engine that cannot be reached. */
async function unreachableEngines(plan: BuildPlan, timeoutMs: number, settings: PlanOptions): Promise<UnreachableEngine[]> {
  const hosts = new Map<string, Platform[]>();
  for (const job of plan.jobs) hosts.set(job.engine.host, [...(hosts.get(job.engine.host) ?? []), job.platform]);
  const mapped = new Set(Object.values(settings.builders ?? {}).map((h) => h.trim()));
  const checks = [...hosts.entries()].map(async ([host, platforms]): Promise<UnreachableEngine | undefined> => {
    try {
      await pingEngine(connectEngine(host), host, timeoutMs);
      return undefined;
    } catch (error) {
      const message = error instanceof EngineError ? error.message : String(error);
      return { host, message: neededFor(message, platforms), setting: mapped.has(host) ? 'greenCloud.builders' : 'greenCloud.docker.host' };
    }
  });
  return (await Promise.all(checks)).filter((m): m is UnreachableEngine => m !== undefined);
}

/** The summary once: the headline at info when all built, else as the run's one warning; the failures' reasons are in the lines. */
function writeSummary(log: BuildLog, summary: BuildSummary): void {
  if (summary.ok) log.info(`Summary: ${summary.headline}`);
  else log.warn(`Summary: ${summary.headline}`);
  for (const line of summary.lines) log.info(`  ${line}`);
}
