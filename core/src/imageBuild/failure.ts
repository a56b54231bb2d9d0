/**
 * Why a platform's build failed, in words a person reads at a glance: the failing step as
 * BuildKit names it (`[builder 3/4] RUN ./configure`, or the classic builder's
 * `Step 3/4 : RUN ./configure`), its exit code, and a one-line reason
 * (`RUN ./configure failed (exit code 1)`). Pure; the engine's text is untrusted, so every
 * field is bounded and stripped of control characters.
 */
import type { StepFailure } from './types';

const MAX_COMMAND = 60;
const MAX_REASON = 160;

/** Removes control characters (ANSI escapes included) and collapses whitespace. */
export function sanitizeLine(text: string): string {
  return text
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/**
 * A BuildKit vertex name (`[stage 3/4] RUN x`, `[linux/arm64 stage 3/4] RUN x`, `[ 3/12] RUN x`)
 * or a classic `Step 3/4 : RUN x` line, split into its parts; undefined for other names
 * (`[internal] load …`).
 */
export function parseStepName(
  name: string,
): { stage?: string; index: number; total: number; instruction: string; args: string } | undefined {
  const clean = sanitizeLine(name).slice(0, 4096);
  // The instruction group is not optional: it is there exactly when the line matches.
  const [, prefix, index, total, instruction, args] =
    /^\[(?:(.*?)\s+)?(\d+)\s*\/\s*(\d+)\]\s+(?:ONBUILD\s+)?([A-Za-z]+)(?:\s+(.*))?$/.exec(clean) ?? [];
  if (instruction !== undefined) {
    // The words before N/M are the platform (only when several build at once) and the stage name.
    const words = (prefix ?? '').split(/\s+/).filter((w) => w !== '' && !w.includes('/'));
    return { stage: words.pop(), index: Number(index), total: Number(total), instruction: instruction.toUpperCase(), args: args ?? '' };
  }
  const classic = /^Step\s+(\d+)\/(\d+)\s*:\s*([A-Za-z]+)(?:\s+(.*))?$/.exec(clean) ?? [];
  if (classic[3] !== undefined)
    return { index: Number(classic[1]), total: Number(classic[2]), instruction: classic[3].toUpperCase(), args: classic[4] ?? '' };
  return undefined;
}

/** The exit code in an engine error (`… exit code: 1`, classic `returned a non-zero code: 1`). */
export function exitCodeOf(error: string): number | undefined {
  const m = /exit code:?\s*(\d{1,3})\b/i.exec(error) ?? /returned a non-zero code:\s*(\d{1,3})\b/i.exec(error);
  return m ? Number(m[1]) : undefined;
}

/** What failed and why, from the failing step's name (when known) and the engine's error text. */
export function describeStepFailure(stepName: string | undefined, error: string): StepFailure {
  const cleanError = shorten(sanitizeLine(error), 2000);
  const step = stepName ? parseStepName(stepName) : undefined;
  const exitCode = exitCodeOf(cleanError);
  if (!step) {
    return { error: cleanError, exitCode, reason: shorten(cleanError || 'the build failed', MAX_REASON) };
  }
  const label = shorten(`${step.instruction} ${step.args}`.trim(), MAX_COMMAND + step.instruction.length + 1);
  const why = exitCode !== undefined ? `exit code ${exitCode}` : shorten(stripKnownPrefixes(cleanError), 80);
  return {
    step: `${step.instruction} ${step.args}`.trim().slice(0, 4096),
    stage: step.stage,
    index: step.index,
    instruction: step.instruction,
    exitCode,
    error: cleanError,
    reason: shorten(`${label} failed (${why || 'no reason given'})`, MAX_REASON),
  };
}

/** `executor failed running [/bin/sh -c x]: ` and similar wrappers carry no information for a person. */
function stripKnownPrefixes(error: string): string {
  return error
    .replace(/^failed to (?:solve|compute cache key)(?: with frontend dockerfile\.v0)?:\s*/i, '')
    .replace(/^executor failed running \[.*?\]:\s*/i, '')
    .replace(/^process ".*?" did not complete successfully:\s*/i, '');
}
