/**
 * Text shown to the user about builds and emulation: log prefixes, durations, progress
 * messages, the end-of-build summary and the status bar. Pure (no `vscode` import): the command,
 * the task pseudoterminal and the status bar share it, and unit tests cover it.
 */
import { formatPlatform, type Platform } from '../../../core/src/platforms';
import type { BuildStatus, EmulationReport, PlatformResult } from '../../../core/src/build/types';
import { emulationVerdict, timingLine } from '../../../core/src/build/timing';

/** `[linux/arm64] line` — the prefix of every per-platform log line. */
export function prefixLine(platform: Platform, line: string): string {
  return `[${formatPlatform(platform)}] ${line}`;
}

/** `850 ms`, `12.3 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)} h ${String(totalMinutes % 60).padStart(2, '0')} min`;
}

/** `Build for linux/amd64, linux/arm64, linux/arm/v7` (the CodeLens title). */
export function buildLensTitle(platforms: readonly Platform[]): string {
  return `Build for ${platforms.map(formatPlatform).join(', ')}`;
}

const STATUS_WORDS: Record<BuildStatus, string> = {
  queued: 'queued',
  building: 'building',
  verifying: 'verifying',
  succeeded: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

const FINISHED: ReadonlySet<BuildStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export function isFinished(status: BuildStatus): boolean {
  return FINISHED.has(status);
}

/** Tracks each platform's status during a run and renders the progress message. */
export class ProgressBoard {
  private readonly statuses = new Map<string, { platform: Platform; status: BuildStatus }>();

  constructor(platforms: readonly Platform[]) {
    for (const p of platforms) this.statuses.set(formatPlatform(p), { platform: p, status: 'queued' });
  }

  /** Records a status; returns the share of the whole run (0..100) that just completed, for `progress.report({increment})`. */
  update(platform: Platform, status: BuildStatus): number {
    const key = formatPlatform(platform);
    const before = this.statuses.get(key)?.status;
    this.statuses.set(key, { platform, status });
    const wasFinished = before !== undefined && isFinished(before);
    return !wasFinished && isFinished(status) ? 100 / Math.max(1, this.statuses.size) : 0;
  }

  get finished(): number {
    return [...this.statuses.values()].filter((s) => isFinished(s.status)).length;
  }

  get total(): number {
    return this.statuses.size;
  }

  /** `1/3 done · linux/arm64 building · linux/arm/v7 queued` (finished platforms are counted, not listed). */
  message(): string {
    const active = [...this.statuses.entries()].filter(([, s]) => !isFinished(s.status)).map(([key, s]) => `${key} ${STATUS_WORDS[s.status]}`);
    return [`${this.finished}/${this.total} done`, ...active].join(' · ');
  }
}

export interface BuildSummary {
  /** True when every platform succeeded. */
  readonly ok: boolean;
  readonly cancelled: boolean;
  /** `Built 3/3 platforms in 1 min 02 s.` / `2/3 platforms built, 1 failed (…)`. */
  readonly headline: string;
  /** One line per platform: `✓ linux/arm64  succeeded  web:arm64-1.2  12.3 s` (`on <engine>` when several engines built). */
  readonly lines: readonly string[];
  /** Headline plus a compact per-platform list, for a notification. */
  readonly notification: string;
}

const MARK: Record<PlatformResult['status'], string> = { succeeded: '✓', failed: '✗', cancelled: '–' };

/** The end-of-build summary (log and notification share it). */
export function summarizeResults(results: readonly PlatformResult[], totalMs: number): BuildSummary {
  const succeeded = results.filter((r) => r.status === 'succeeded').length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const cancelled = results.filter((r) => r.status === 'cancelled').length;
  const took = formatDuration(totalMs);
  let headline: string;
  if (results.length === 0) headline = 'Nothing was built (no platform).';
  else if (succeeded === results.length) headline = `Built ${succeeded}/${results.length} platforms in ${took}.`;
  else {
    const parts = [failed ? `${failed} failed` : '', cancelled ? `${cancelled} cancelled` : ''].filter(Boolean).join(', ');
    headline = `Built ${succeeded}/${results.length} platforms in ${took} (${parts}).`;
  }
  const width = Math.max(0, ...results.map((r) => formatPlatform(r.platform).length));
  // Name the engine only when the platforms were spread over several (greenCloud.builders).
  const severalEngines = new Set(results.map((r) => r.engine.host)).size > 1;
  const lines: string[] = results.map((r) => {
    const name = formatPlatform(r.platform).padEnd(width);
    const builder = r.builder === 'classic' ? ' [classic builder]' : '';
    const engine = severalEngines && r.engine.label !== 'local' ? ` on ${r.engine.label}` : '';
    const base = `${MARK[r.status]} ${name}  ${r.status.padEnd(9)}  ${r.tag}  ${formatDuration(r.durationMs)}${engine}${builder}`;
    return r.error ? `${base}\n    ${r.error}` : base;
  });
  const compact = results.map((r) => `${MARK[r.status]} ${formatPlatform(r.platform)} ${formatDuration(r.durationMs)}`).join(', ');
  // Where the time went (BuildKit vertex times): RUN steps per platform, emulated or native, and
  // once, when emulated RUN steps dominate, the step to cross-compile instead (GC110).
  for (const r of results) if (r.timing) lines.push(`⏱ ${timingLine(r.platform, r.timing)}`);
  const verdict = emulationVerdict(results);
  if (verdict) lines.push(verdict);
  return {
    ok: results.length > 0 && succeeded === results.length,
    cancelled: cancelled > 0,
    headline,
    lines,
    notification: `${compact ? `${headline} ${compact}` : headline}${verdict ? ` ${verdict}` : ''}`,
  };
}

export interface EmulationView {
  /** Status bar text, e.g. `$(vm) Green Cloud: 3/3 platforms`. */
  readonly text: string;
  /** Markdown tooltip: one line per platform. */
  readonly tooltip: string;
  /** `ok` — all platforms runnable; `warning` — some missing or unknown; `error` — no engine. */
  readonly severity: 'ok' | 'warning' | 'error';
  readonly ready: number;
  readonly total: number;
}

const EMULATION_WORDS: Record<EmulationReport['status'], string> = {
  native: 'native',
  emulated: 'QEMU emulation',
  missing: 'cannot run (no emulation)',
  unknown: 'unknown',
};

/** A platform and what is known about running it (an engine error replaces the report). */
export interface PlatformReadiness {
  readonly platform: Platform;
  /** The engine the platform builds on (`local` or its host). */
  readonly engine: string;
  readonly report?: EmulationReport;
  /** Set when the engine could not be reached (describeEngineError's text). */
  readonly engineError?: string;
}

/** The status bar's view of the target platforms. */
export function emulationView(items: readonly PlatformReadiness[]): EmulationView {
  const total = items.length;
  const ready = items.filter((i) => !i.engineError && (i.report?.status === 'native' || i.report?.status === 'emulated')).length;
  const unreachable = items.filter((i) => i.engineError).length;
  // One engine: name it once in the heading; several (greenCloud.builders): on each line.
  const engines = [...new Set(items.map((i) => i.engine))];
  const single = engines.length === 1;
  const lines = items.map((i) => {
    const name = `\`${formatPlatform(i.platform)}\``;
    const where = single || i.engine === 'local' ? '' : ` (on ${i.engine})`;
    if (i.engineError) return `$(error) ${name}${where}: engine unreachable — ${i.engineError}`;
    const status = i.report?.status ?? 'unknown';
    const icon = status === 'native' || status === 'emulated' ? '$(check)' : status === 'missing' ? '$(warning)' : '$(question)';
    const detail = i.report?.detail ? ` — ${i.report.detail}` : '';
    return `${icon} ${name}${where}: ${EMULATION_WORDS[status]}${detail}`;
  });
  const severity: EmulationView['severity'] = unreachable === total && total > 0 ? 'error' : ready === total ? 'ok' : 'warning';
  const text = severity === 'error' ? '$(vm-outline) Green Cloud: no engine' : `$(vm) Green Cloud: ${ready}/${total} platforms`;
  const footer = ready < total ? '\n\nClick for details; run **Green Cloud: Set Up QEMU Emulation** to register the missing handlers.' : '\n\nClick for details.';
  const heading = single ? ` on ${engines[0] === 'local' ? 'the local Docker engine' : `\`${engines[0]}\``}` : '';
  return { text, tooltip: `**Green Cloud — target platforms${heading}**\n\n${lines.join('\n\n')}${footer}`, severity, ready, total };
}

/** One sentence for a notification: `2/3 platforms can run: linux/amd64 native, linux/arm64 QEMU, linux/arm/v7 missing.` */
export function emulationSentence(items: readonly PlatformReadiness[]): string {
  const view = emulationView(items);
  const unreachable = items.find((i) => i.engineError)?.engineError;
  if (view.severity === 'error' && unreachable) return unreachable;
  const words: Record<EmulationReport['status'], string> = { native: 'native', emulated: 'QEMU', missing: 'missing', unknown: 'unknown' };
  const parts = items.map((i) => `${formatPlatform(i.platform)} ${i.engineError ? 'engine unreachable' : words[i.report?.status ?? 'unknown']}`);
  return `${view.ready}/${view.total} platforms can run: ${parts.join(', ')}.`;
}

/** Log lines for an emulation check: `[linux/arm64] QEMU emulation — binfmt_misc qemu-aarch64 enabled …`. */
export function emulationLogLines(items: readonly PlatformReadiness[]): string[] {
  return items.map((i) => {
    const where = i.engine === 'local' ? '' : ` (engine ${i.engine})`;
    if (i.engineError) return prefixLine(i.platform, `engine unreachable${where}: ${i.engineError}`);
    const status = i.report?.status ?? 'unknown';
    return prefixLine(i.platform, `${EMULATION_WORDS[status]}${where}${i.report?.detail ? ` — ${i.report.detail}` : ''}`);
  });
}
