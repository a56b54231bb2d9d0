/**
 * Text shown to the user about builds and emulation: log prefixes, durations, progress
 * messages, the end-of-build summary and the status bar. Pure (no `vscode` import): the command,
 * the task pseudoterminal and the status bar share it, and unit tests cover it.
 */
import { formatPlatform, type Platform } from '../../../core/src/platforms';
import { ENGINE_ELSEWHERE } from '../phrasing';
import type { BuildStatus, PlatformResult } from '../../../core/src/imageBuild/types';
import type { EmulationReport } from '../../../core/src/emulation';
import { emulationVerdict, timingLine } from '../../../core/src/imageBuild/timing';

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
  private readonly emulated = new Set<string>();

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

  /** Marks a platform that builds under QEMU emulation (not native to its engine). */
  markEmulated(platform: Platform): void {
    this.emulated.add(formatPlatform(platform));
  }

  /**
   * `1/3 done · linux/arm64 building (QEMU) · linux/arm/v7 queued` (finished platforms are counted,
   * not listed; emulated ones say so).
   */
  message(): string {
    const active = [...this.statuses.entries()]
      .filter(([, s]) => !isFinished(s.status))
      .map(([key, s]) => `${key} ${STATUS_WORDS[s.status]}${this.emulated.has(key) ? ' (QEMU)' : ''}`);
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

/** Why a platform failed, in one line: the core's reason (`RUN ./configure failed (exit code 1)`), else its error without the platform prefix. */
export function failureReason(result: PlatformResult): string {
  if (result.engineUnreachable) return `${ownReason(result)} ${ENGINE_ELSEWHERE}`;
  return ownReason(result);
}

function ownReason(result: PlatformResult): string {
  if (result.failure?.reason) return result.failure.reason;
  const error = (result.error ?? 'failed').replace(/\s+/g, ' ').trim();
  const own = `${formatPlatform(result.platform)}: `;
  const text = error.startsWith(own) ? error.slice(own.length) : error;
  return text.length > 160 ? `${text.slice(0, 159).trimEnd()}…` : text;
}

/** The end-of-build summary (log and notification share it). */
export function summarizeResults(results: readonly PlatformResult[], totalMs: number): BuildSummary {
  const succeeded = results.filter((r) => r.status === 'succeeded').length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const stopped = results.filter((r) => r.status === 'cancelled' && !r.neverStarted).length;
  const notStarted = results.filter((r) => r.status === 'cancelled' && r.neverStarted);
  const cancelled = stopped + notStarted.length > 0;
  const took = formatDuration(totalMs);
  const parts = [
    failed ? `${failed} failed` : '',
    stopped ? `${stopped} stopped` : '',
    notStarted.length ? `${notStarted.length} not started` : '',
  ]
    .filter(Boolean)
    .join(', ');
  let headline: string;
  if (results.length === 0) headline = 'Nothing was built (no platform).';
  else if (succeeded === results.length) headline = `Built ${succeeded}/${results.length} platforms in ${took}.`;
  else if (cancelled) headline = `Cancelled after ${took}: ${succeeded}/${results.length} platforms built (${parts}).`;
  else headline = `Built ${succeeded}/${results.length} platforms in ${took} (${parts}).`;
  const width = Math.max(0, ...results.map((r) => formatPlatform(r.platform).length));
  // Name the engine only when the platforms were spread over several (greenCloud.builders).
  const severalEngines = new Set(results.map((r) => r.engine.host)).size > 1;
  const lines: string[] = results.map((r) => {
    const name = formatPlatform(r.platform).padEnd(width);
    // A platform that never started has no tag built and no duration worth showing.
    if (r.neverStarted) return `${MARK[r.status]} ${name}  not started`;
    const builder = r.builder === 'classic' ? ' [classic builder]' : '';
    const engine = severalEngines && r.engine.label !== 'local' ? ` on ${r.engine.label}` : '';
    const word = r.status === 'cancelled' ? 'stopped' : r.status;
    const base = `${MARK[r.status]} ${name}  ${word.padEnd(9)}  ${r.tag}  ${formatDuration(r.durationMs)}${engine}${builder}`;
    return r.status === 'failed' ? `${base}\n    ${failureReason(r)}` : base;
  });
  // Failures first: a long notification is cut at its end, and the reason matters most.
  const order: Record<PlatformResult['status'], number> = { failed: 0, cancelled: 1, succeeded: 2 };
  const compact = [...results]
    .filter((r) => !r.neverStarted)
    .sort((a, b) => order[a.status] - order[b.status])
    .map((r) => {
      if (r.status === 'failed') return `✗ ${formatPlatform(r.platform)}: ${failureReason(r)}`;
      if (r.status === 'cancelled') return `– ${formatPlatform(r.platform)} stopped after ${formatDuration(r.durationMs)}`;
      return `✓ ${formatPlatform(r.platform)} ${formatDuration(r.durationMs)}`;
    });
  // Every entry carries its mark, a platform that never started too (the same '–' as in the lines).
  for (const r of notStarted) compact.push(`${MARK[r.status]} ${formatPlatform(r.platform)} not started`);
  // Where the time went (BuildKit vertex times): RUN steps per platform, emulated or native, and
  // once, when emulated RUN steps dominate, the step to cross-compile instead (GC110).
  for (const r of results) if (r.timing) lines.push(`⏱ ${timingLine(r.platform, r.timing)}`);
  const verdict = emulationVerdict(results);
  if (verdict) lines.push(verdict);
  return {
    ok: results.length > 0 && succeeded === results.length,
    cancelled,
    headline,
    lines,
    notification: `${compact.length > 0 ? `${headline} ${compact.join(' · ')}` : headline}${verdict ? ` ${verdict}` : ''}`,
  };
}

export interface EmulationView {
  /** Status bar text, e.g. `$(vm) Green Cloud: 3/3 platforms`, or a quiet `$(vm-outline) Green Cloud` when no engine answers. */
  readonly text: string;
  /** Markdown tooltip: one line per reachable platform, one per unreachable engine. */
  readonly tooltip: string;
  /** `ok` — all platforms runnable; `warning` — some missing or unknown; `error` — no engine. */
  readonly severity: 'ok' | 'warning' | 'error';
  /** The status bar's background: none until the user asked to build (a quiet item for someone who only lints). */
  readonly background?: 'warning' | 'error';
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

/** An engine error and the platforms that need the engine: `Cannot reach Docker at … engine. Needed for linux/amd64, linux/arm64.` */
export function neededFor(error: string, platforms: readonly Platform[]): string {
  const list = platforms.map(formatPlatform).join(', ');
  const text = error.trim();
  return /[.!?]$/.test(text) ? `${text} Needed for ${list}.` : `${text} (needed for ${list})`;
}

/** Unreachable engines, each once with the platforms that need it (an engine's error is the same for all of them). */
export function unreachableEngines(items: readonly PlatformReadiness[]): { engine: string; error: string; platforms: Platform[] }[] {
  const groups = new Map<string, { engine: string; error: string; platforms: Platform[] }>();
  for (const i of items) {
    if (!i.engineError) continue;
    const key = `${i.engine}\n${i.engineError}`;
    const group = groups.get(key) ?? { engine: i.engine, error: i.engineError, platforms: [] };
    group.platforms.push(i.platform);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export interface EmulationViewOptions {
  /** True once the user asked to build (or to check emulation): problems then get warning colours. */
  readonly attention?: boolean;
  /** The settings that choose the unreachable engines (`greenCloud.docker.host` unless said), named once in the tooltip. */
  readonly engineSettings?: readonly string[];
}

/** The status bar's view of the target platforms. */
export function emulationView(items: readonly PlatformReadiness[], options: EmulationViewOptions = {}): EmulationView {
  const total = items.length;
  const ready = items.filter((i) => !i.engineError && (i.report?.status === 'native' || i.report?.status === 'emulated')).length;
  const down = unreachableEngines(items);
  const unreachable = items.filter((i) => i.engineError).length;
  const reachableNotReady = total - unreachable - ready;
  // One engine: name it once in the heading; several (greenCloud.builders): on each line.
  const engines = [...new Set(items.map((i) => i.engine))];
  const single = engines.length === 1;
  const lines = items
    .filter((i) => !i.engineError)
    .map((i) => {
      const name = `\`${formatPlatform(i.platform)}\``;
      const where = single || i.engine === 'local' ? '' : ` (on ${i.engine})`;
      const status = i.report?.status ?? 'unknown';
      const icon = status === 'native' || status === 'emulated' ? '$(check)' : status === 'missing' ? '$(warning)' : '$(question)';
      const detail = i.report?.detail ? ` — ${i.report.detail}` : '';
      return `${icon} ${name}${where}: ${EMULATION_WORDS[status]}${detail}`;
    });
  for (const d of down) {
    lines.push(`$(debug-disconnect) ${single && unreachable === total ? d.error : neededFor(d.error, d.platforms)}`);
  }
  const severity: EmulationView['severity'] = unreachable === total && total > 0 ? 'error' : ready === total ? 'ok' : 'warning';
  // Quiet while nobody asked to build; once asked, the text names the problem.
  const text =
    severity === 'error'
      ? options.attention
        ? '$(vm-outline) Green Cloud: no engine'
        : '$(vm-outline) Green Cloud'
      : `$(vm) Green Cloud: ${ready}/${total} platforms`;
  const notes: string[] = [];
  if (severity === 'error') notes.push('Diagnostics and quick fixes work without an engine; building needs one.');
  if (down.length > 0) {
    const settings = [...new Set(options.engineSettings?.length ? options.engineSettings : ['greenCloud.docker.host'])];
    notes.push(`To use another engine, set ${settings.map((s) => `\`${s}\``).join(' or ')}.`);
  }
  // Setting up QEMU needs an engine that answers: only advise it for reachable platforms that cannot run.
  if (reachableNotReady > 0) notes.push('Run **Green Cloud: Set Up QEMU Emulation** to register the missing handlers.');
  notes.push('Click for details.');
  const heading =
    severity === 'error'
      ? ' — no Docker engine answers'
      : single
        ? ` — target platforms on ${engines[0] === 'local' ? 'the local Docker engine' : `\`${engines[0]}\``}`
        : ' — target platforms';
  const background = options.attention && severity !== 'ok' ? severity : undefined;
  return { text, tooltip: `**Green Cloud${heading}**\n\n${lines.join('\n\n')}\n\n${notes.join(' ')}`, severity, background, ready, total };
}

/** One sentence for a notification: `2/3 platforms can run: linux/amd64 native, linux/arm64 QEMU, linux/arm/v7 missing.` */
export function emulationSentence(items: readonly PlatformReadiness[]): string {
  const view = emulationView(items);
  const unreachable = items.find((i) => i.engineError)?.engineError;
  if (view.severity === 'error' && unreachable) return unreachable;
  const words: Record<EmulationReport['status'], string> = { native: 'native', emulated: 'QEMU', missing: 'missing', unknown: 'unknown' };
  const parts = items.map(
    (i) => `${formatPlatform(i.platform)} ${i.engineError ? 'engine unreachable' : words[i.report?.status ?? 'unknown']}`,
  );
  return `${view.ready}/${view.total} platforms can run: ${parts.join(', ')}.`;
}

/** Log lines for an emulation check: `[linux/arm64] QEMU emulation — binfmt_misc qemu-aarch64 enabled …`; an unreachable engine once. */
export function emulationLogLines(items: readonly PlatformReadiness[]): string[] {
  const lines = items
    .filter((i) => !i.engineError)
    .map((i) => {
      const where = i.engine === 'local' ? '' : ` (engine ${i.engine})`;
      const status = i.report?.status ?? 'unknown';
      return prefixLine(i.platform, `${EMULATION_WORDS[status]}${where}${i.report?.detail ? ` — ${i.report.detail}` : ''}`);
    });
  for (const d of unreachableEngines(items)) lines.push(neededFor(d.error, d.platforms));
  return lines;
}

/** Where a platform in the picker comes from. */
export type PlatformSource = 'directive' | 'settings' | 'remembered';

const SOURCE_WORDS: Record<PlatformSource, string> = {
  directive: 'from # platforms= in this file',
  settings: 'from your settings',
  remembered: 'picked last time',
};

const RUN_WORDS: Record<EmulationReport['status'], string | undefined> = {
  native: 'native on this engine',
  emulated: 'emulated with QEMU',
  missing: 'cannot run here yet (no QEMU handler)',
  unknown: undefined,
};

/** The picker's description of a platform, in words: `from your settings · emulated with QEMU`. */
export function platformDescription(source: PlatformSource | undefined, report: EmulationReport | undefined): string | undefined {
  const parts = [source ? SOURCE_WORDS[source] : undefined, report ? RUN_WORDS[report.status] : undefined].filter(
    (p): p is string => p !== undefined,
  );
  return parts.length > 0 ? parts.join(' · ') : undefined;
}
