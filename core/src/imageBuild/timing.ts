/**
 * Where a platform's build time went, from BuildKit's vertex start/completion times: how long
 * its RUN steps took (the union of their intervals, so parallel stages are not counted twice)
 * out of the whole build, whether the platform ran emulated (not native to the engine that built
 * it), and the slowest RUN step. Pure; shared by the palette, the task and the CLI summaries.
 */
import { formatPlatform, type Platform } from '../platforms';
import type { VertexTime } from './progress';

export interface StepTime {
  /** `4` from `[build 4/6] RUN …`. */
  readonly step: string;
  /** A short, sanitized name for the command: `go build`, `make`, or its first 40 characters. */
  readonly command: string;
  readonly ms: number;
}

export interface BuildTiming {
  /** True when the platform is not native to the engine that built it; undefined when unknown. */
  readonly emulated?: boolean;
  /** The engine's architecture (`amd64`), when known. */
  readonly engineArch?: string;
  /** Time in RUN steps (not cached), intervals merged. */
  readonly runMs: number;
  /**
   * Of that, RUN steps of stages on the target platform when the platform is emulated (stages
   * with `FROM --platform=$BUILDPLATFORM` run natively); equals runMs when every stage is on the
   * target. 0 when the platform is native.
   */
  readonly emulatedRunMs?: number;
  /** From the first vertex start to the last completion. */
  readonly totalMs: number;
  /** The slowest RUN step (of the emulated ones, when the platform is emulated). */
  readonly slowestRun?: StepTime;
}

/**
 * The labels BuildKit gives the stages that do not run on the target platform (`FROM
 * --platform=$BUILDPLATFORM …` or any value but $TARGETPLATFORM, and stages built FROM them):
 * the stage name, or `stage-N` for an unnamed stage. A light reading of the FROM lines (the
 * Dockerfile was already accepted by the engine); never throws.
 */
export function hostPlatformStages(dockerfile: string): Set<string> {
  const out = new Set<string>();
  const logical = dockerfile
    .slice(0, 1_000_000)
    .replace(/\\[ \t]*\r?\n/g, ' ')
    .split(/\r?\n/);
  let index = 0;
  for (const line of logical) {
    const args = /^\s*FROM\s+(.*)$/i.exec(line)?.[1];
    if (args === undefined) continue;
    const words = args.trim().split(/\s+/);
    const platform = words
      .find((w) => /^--platform=/i.test(w))
      ?.slice('--platform='.length)
      .replace(/^(["'])(.*)\1$/, '$2');
    const rest = words.filter((w) => !w.startsWith('--'));
    const base = (rest[0] ?? '').toLowerCase();
    const name = rest[1]?.toLowerCase() === 'as' ? rest[2]?.toLowerCase() : undefined;
    const onHost = (platform !== undefined && platform !== '$TARGETPLATFORM' && platform !== '${TARGETPLATFORM}') || out.has(base);
    if (onHost) {
      out.add(`stage-${index}`);
      if (name) out.add(name);
    }
    index++;
  }
  return out;
}

/** Architectures an engine of `engineArch` runs without emulation. */
const NATIVE: Readonly<Record<string, readonly string[]>> = { amd64: ['amd64', '386'], arm64: ['arm64'], arm: ['arm'], '386': ['386'] };

/** Engine architecture names as Docker reports them (`x86_64` from /info, `amd64` from /version). */
export function normalizeEngineArch(arch: string | undefined): string | undefined {
  if (!arch) return undefined;
  const a = arch.toLowerCase();
  if (a === 'x86_64' || a === 'amd64') return 'amd64';
  if (a === 'aarch64' || a === 'arm64') return 'arm64';
  if (/^arm/.test(a)) return 'arm';
  if (/^i[3-6]86$|^386$/.test(a)) return '386';
  return a;
}

/** True when building `platform` on an engine of `engineArch` runs its RUN steps under emulation. */
export function isEmulated(platform: Platform, engineArch: string | undefined): boolean | undefined {
  const engine = normalizeEngineArch(engineArch);
  if (!engine) return undefined;
  return !(NATIVE[engine] ?? [engine]).includes(platform.architecture);
}

const RUN_VERTEX = /^\[(?:([^\]]*?)\s)?(\d+)\/\d+\]\s+RUN\s+([\s\S]*)$/;
const COMPILE =
  /(?:^|[\s;&|(/])(go (?:build|install)|cargo (?:build|install)|cmake --build|make|gcc|g\+\+|clang|mvn|gradlew?|npm (?:ci|install|run build)|pip3? install)(?=$|[\s;&|)])/;

function sanitize(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A short name for a RUN command: the compile command it runs, or its first 40 characters. */
export function commandLabel(command: string): string {
  const clean = sanitize(command.slice(0, 2000)).replace(/^(?:--\S+\s+)+/, '');
  const compile = COMPILE.exec(clean)?.[1];
  if (compile !== undefined) return compile;
  return clean.length > 40 ? `${clean.slice(0, 39)}…` : clean;
}

/** Total length of the union of intervals. */
function unionMs(intervals: [number, number][]): number {
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of intervals) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

/**
 * The timing of one platform's build from the vertices its reader saw; undefined without times.
 * `hostStages` (from `hostPlatformStages`) names the stages that run on the build platform.
 */
export function buildTiming(
  vertexes: readonly VertexTime[],
  platform: Platform,
  engineArch?: string,
  hostStages: ReadonlySet<string> = new Set(),
): BuildTiming | undefined {
  const timed = vertexes.filter(
    (v) => !v.cached && v.startedAt !== undefined && v.completedAt !== undefined && v.completedAt >= v.startedAt,
  );
  if (timed.length === 0) return undefined;
  const totalMs = Math.max(...timed.map((v) => v.completedAt as number)) - Math.min(...timed.map((v) => v.startedAt as number));
  const engine = normalizeEngineArch(engineArch);
  const emulated = isEmulated(platform, engine);
  const runs: [number, number][] = [];
  const emulatedRuns: [number, number][] = [];
  let slowestRun: StepTime | undefined;
  let slowestEmulated: StepTime | undefined;
  for (const v of timed) {
    const [, stageLabel, stepNumber, command] = RUN_VERTEX.exec(v.name) ?? [];
    if (stepNumber === undefined || command === undefined) continue;
    const ms = (v.completedAt as number) - (v.startedAt as number);
    const interval: [number, number] = [v.startedAt as number, v.completedAt as number];
    const step: StepTime = { step: stepNumber, command: commandLabel(command), ms };
    runs.push(interval);
    if (!slowestRun || ms > slowestRun.ms) slowestRun = step;
    const label = (stageLabel ?? '').toLowerCase();
    if (emulated && !hostStages.has(label)) {
      emulatedRuns.push(interval);
      if (!slowestEmulated || ms > slowestEmulated.ms) slowestEmulated = step;
    }
  }
  return {
    emulated,
    engineArch: engine,
    runMs: unionMs(runs),
    emulatedRunMs: unionMs(emulatedRuns),
    totalMs,
    slowestRun: emulated ? (slowestEmulated ?? slowestRun) : slowestRun,
  };
}

/** `41.2 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One line per platform: `linux/arm64 emulated (engine amd64): 41.2 s of 44.0 s in RUN steps`. */
export function timingLine(platform: Platform, timing: BuildTiming): string {
  const how = timing.emulated === true ? ` emulated (engine ${timing.engineArch})` : timing.emulated === false ? ' native' : '';
  const emulatedMs = timing.emulatedRunMs ?? timing.runMs;
  const part = timing.emulated === true && emulatedMs < timing.runMs ? `, ${seconds(emulatedMs)} of them under QEMU` : '';
  return `${formatPlatform(platform)}${how}: ${seconds(timing.runMs)} of ${seconds(timing.totalMs)} in RUN steps${part}`;
}

/** RUN steps dominate an emulated build when they take at least half of it and at least this long. */
const DOMINANT_MIN_MS = 10_000;

/**
 * When emulated RUN steps dominate a build, one line that says so and names the step, with a
 * pointer to GC110 (for the platform whose emulated RUN steps took longest); else undefined.
 */
export function emulationVerdict(results: readonly { platform: Platform; timing?: BuildTiming }[]): string | undefined {
  let worst: { platform: Platform; timing: BuildTiming } | undefined;
  for (const r of results) {
    const t = r.timing;
    const ms = t?.emulatedRunMs ?? t?.runMs ?? 0;
    if (!t || t.emulated !== true || ms < DOMINANT_MIN_MS || ms * 2 < t.totalMs) continue;
    if (!worst || ms > (worst.timing.emulatedRunMs ?? worst.timing.runMs)) worst = { platform: r.platform, timing: t };
  }
  if (!worst) return undefined;
  const { platform, timing } = worst;
  const step = timing.slowestRun ? ` (step ${timing.slowestRun.step}: ${timing.slowestRun.command})` : '';
  return (
    `${formatPlatform(platform)}: ${seconds(timing.emulatedRunMs ?? timing.runMs)} of ${seconds(timing.totalMs)} in RUN steps under QEMU${step}. ` +
    `Emulated steps dominate this build: compile on the build platform and cross-compile instead (see GC110, docs/rules/GC110.md).`
  );
}
