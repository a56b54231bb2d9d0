/**
 * Where a failed build step sits in its Dockerfile, and the diagnostic text for it
 * ("fails on linux/arm64: exit code 1 — no arm64 support in this step", the step's last output
 * line). BuildKit names the failing step as written
 * (`[builder 3/4] RUN ./configure`) without a source location through the Engine API, so the
 * step is matched against the file's instructions: same stage, same instruction, same text
 * (whitespace and line continuations aside; `$VAR` matches whatever BuildKit expanded it to).
 * Pure (no `vscode` import); unit-tested.
 */
import { formatPlatform, type Platform } from '../../../core/src/platforms';
import type { PlatformResult, StepFailure } from '../../../core/src/imageBuild/types';
import { buildModel, type Stage } from '../../../core/src/dockerfile/model';

/** Instructions that BuildKit runs as numbered steps (ENV, LABEL, CMD … only change the image config). */
const STEP_INSTRUCTIONS: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** A 0-based range on one line. */
export interface LineRange {
  readonly line: number;
  readonly startCharacter: number;
  readonly endCharacter: number;
}

/** Words only: exec-form brackets, quotes and commas, and runs of whitespace do not count. */
function normalise(text: string): string {
  return text
    .replace(/[[\]",]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern for the instruction's text in which each `$VAR`/`${VAR…}` matches any expansion. */
function withVariables(text: string): RegExp | undefined {
  const parts = normalise(text).split(/\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/);
  if (parts.length === 1) return undefined;
  return new RegExp(`^${parts.map(escapeRegExp).join('.*?')}$`);
}

/** The range of the first line of the instruction behind `failure` in `text`, or undefined when no instruction matches. */
export function locateFailure(text: string, failure: StepFailure | undefined): LineRange | undefined {
  if (!failure) return undefined;
  const lines = text.split(/\r?\n/);
  const lineRange = (line: number): LineRange | undefined => {
    const content = lines[line];
    if (line < 0 || content === undefined) return undefined;
    const start = content.length - content.trimStart().length;
    return { line, startCharacter: start, endCharacter: Math.max(start, content.trimEnd().length) };
  };
  if (failure.line !== undefined) return lineRange(failure.line - 1);
  if (!failure.step || !failure.instruction) return undefined;
  let model;
  try {
    model = buildModel(text.length > 1_000_000 ? text.slice(0, 1_000_000) : text);
  } catch {
    return undefined;
  }
  // A step prefixed with a stage name is in that stage; without one (BuildKit leaves it out for
  // unnamed stages, and older versions for single-stage files) it may be in any stage.
  const stages: readonly Stage[] = failure.stage ? model.stages.filter((s) => s.name === failure.stage?.toLowerCase()) : model.stages;
  const wanted = normalise(failure.step);
  const matches: { line: number; position: number; named: boolean }[] = [];
  for (const stage of stages) {
    // BuildKit's N of [N/M]: the FROM is 1, then each instruction that makes a build step.
    let position = 1;
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword().toUpperCase();
      if (STEP_INSTRUCTIONS.has(keyword)) position++;
      if (keyword !== failure.instruction) continue;
      const written = `${keyword} ${instruction.getArgumentsContent() ?? ''}`;
      const pattern = withVariables(written);
      if (normalise(written) === wanted || pattern?.test(wanted))
        matches.push({ line: instruction.getRange().start.line, position, named: stage.name !== undefined });
    }
  }
  if (matches.length === 0) return undefined;
  // The same step written twice: the one at BuildKit's position; on a tie, an unnamed stage
  // (a step without a stage prefix comes from one when the file also has named stages).
  const index = failure.index ?? 0;
  matches.sort((a, b) => Math.abs(a.position - index) - Math.abs(b.position - index) || Number(a.named) - Number(b.named));
  const nearest = matches[0];
  return nearest && lineRange(nearest.line);
}

/**
 * One diagnostic per failing line: its range and
 * `fails on linux/arm64, linux/arm/v7: exit code 1 — <the step's last output line>`.
 */
export interface FailureMark {
  readonly range: LineRange;
  readonly message: string;
  readonly platforms: readonly Platform[];
}

/**
 * The why of a step failure for a diagnostic: the exit code and the step's last output line
 * (`exit code 3 — no arm64 support in this step`) when known, else the (short) reason (which
 * quotes that line itself).
 */
function why(failure: StepFailure): string {
  if (failure.exitCode === undefined) return failure.reason;
  const last = failure.output?.at(-1);
  return last ? `exit code ${failure.exitCode} — ${last}` : `exit code ${failure.exitCode}`;
}

/** The diagnostics for the failed platforms of a build of `text` (platforms failing the same way on one line share one). */
export function failureMarks(text: string, results: readonly PlatformResult[]): FailureMark[] {
  const marks = new Map<string, { range: LineRange; why: string; platforms: Platform[] }>();
  for (const r of results) {
    if (r.status !== 'failed' || !r.failure) continue;
    const range = locateFailure(text, r.failure);
    if (!range) continue;
    const reason = why(r.failure);
    const key = `${range.line}\n${reason}`;
    const mark = marks.get(key) ?? { range, why: reason, platforms: [] };
    mark.platforms.push(r.platform);
    marks.set(key, mark);
  }
  return [...marks.values()].map((m) => ({
    range: m.range,
    platforms: m.platforms,
    message: `fails on ${m.platforms.map(formatPlatform).join(', ')}: ${m.why}`,
  }));
}
