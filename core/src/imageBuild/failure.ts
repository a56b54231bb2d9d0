/**
 * Why a platform's build failed, in words a person reads at a glance: the failing step as
 * BuildKit names it (`[builder 3/4] RUN ./configure`, or the classic builder's
 * `Step 3/4 : RUN ./configure`), its exit code, the last lines the step printed, and a one-line
 * reason (`RUN ./configure failed (exit code 1): "no C compiler found"`). Pure; the engine's
 * text is untrusted, so every field is bounded, stripped of control characters and cleared of
 * the build's secret-looking build arguments.
 */
import { redact } from '../redact';
import type { StepFailure } from './types';

const MAX_COMMAND = 60;
const MAX_REASON = 160;
/** The step's last output lines kept (non-empty), and the length of each. */
export const MAX_OUTPUT_LINES = 3;
const MAX_OUTPUT_LINE = 200;
/** The last output line as quoted in the one-line reason. */
const MAX_QUOTED = 120;

/** Removes control characters (ANSI escapes included), bidirectional overrides and zero-width marks, and collapses whitespace. */
export function sanitizeLine(text: string): string {
  return text
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, '')
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[@-_]/g, '')
    .replace(/[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Build argument names that hold a secret, as BuildKit's SecretsUsedInArgOrEnv check reads them
 * (`API_TOKEN`, `NPM_AUTH`, `DB_PASSWORD`, `SECRET_KEY`).
 */
const SECRET_NAME = /(?:^|_)(?:apikey|auth|credentials?|key|passwd|password|pword|secret|token)(?:_|$)/i;

/** The values of the build arguments whose names say they are secrets (never shown in a failure). */
export function secretBuildArgs(buildArgs: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(buildArgs ?? {})
    .filter(([name, value]) => SECRET_NAME.test(name) && value.length > 0)
    .map(([, value]) => value);
}

/**
 * `text` sanitized (see sanitizeLine) with its secrets out: the build's secret values (as sent
 * and as sanitized), `Bearer`/`Basic` credentials and the password in a URL.
 */
function cleanText(text: string, secrets: readonly string[]): string {
  const all = [...secrets, ...secrets.map(sanitizeLine)];
  return redact(sanitizeLine(redact(text, all)), all).replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]*@/gi, '$1:***@');
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

/**
 * The last `MAX_OUTPUT_LINES` non-empty lines of a step's output, each sanitized, cleared of
 * secrets and at most 200 characters long.
 */
export function outputTail(lines: readonly string[], secrets: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0 && out.length < MAX_OUTPUT_LINES; i--) {
    // Secrets first (a secret cut in two by the length cap would survive it).
    const line = cleanText((lines[i] ?? '').slice(0, 4096), secrets);
    if (line !== '') out.unshift(shorten(line, MAX_OUTPUT_LINE));
  }
  return out;
}

export interface FailureDetails {
  /** The failing step's output lines as the engine sent them (the last few are kept; see outputTail). */
  readonly output?: readonly string[];
  /** Values never to show (the secret build arguments, see secretBuildArgs). */
  readonly secrets?: readonly string[];
}

/** What failed and why, from the failing step's name (when known), the engine's error text and the step's output. */
export function describeStepFailure(stepName: string | undefined, error: string, details: FailureDetails = {}): StepFailure {
  const secrets = details.secrets ?? [];
  const cleanError = shorten(cleanText(error.slice(0, 100_000), secrets), 2000);
  const step = stepName ? parseStepName(cleanText(stepName.slice(0, 100_000), secrets)) : undefined;
  const exitCode = exitCodeOf(cleanError);
  const output = outputTail(details.output ?? [], secrets);
  const last = output.at(-1);
  const quoted = last !== undefined ? `: "${shorten(last, MAX_QUOTED)}"` : '';
  if (!step) {
    const reason = `${shorten(cleanError || 'the build failed', MAX_REASON)}${quoted}`;
    return { error: cleanError, exitCode, reason, ...(output.length > 0 ? { output } : {}) };
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
    reason: `${shorten(`${label} failed (${why || 'no reason given'})`, MAX_REASON)}${quoted}`,
    ...(output.length > 0 ? { output } : {}),
  };
}

/** `executor failed running [/bin/sh -c x]: ` and similar wrappers carry no information for a person. */
function stripKnownPrefixes(error: string): string {
  return error
    .replace(/^failed to (?:solve|compute cache key)(?: with frontend dockerfile\.v0)?:\s*/i, '')
    .replace(/^executor failed running \[.*?\]:\s*/i, '')
    .replace(/^process ".*?" did not complete successfully:\s*/i, '');
}
