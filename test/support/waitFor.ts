/**
 * The one way a test waits: poll a condition until it holds or a deadline passes. Used by the
 * unit-free suites alike (e2e in node, the integration suite inside the extension host, the UI
 * checks driving Chromium), so it imports nothing but the language.
 *
 * A condition yields its value when done (anything but `undefined`, `null`, `false`, `0`, `''`)
 * or, with `until`, a value that `until` accepts. An error thrown by the condition counts as "not
 * yet" (a page element that is still being replaced, a server not yet listening) and is kept;
 * throw a `GiveUp` to end the wait at once (a child process that exited). On timeout the error
 * names what was waited for, the deadline, and the last value or error seen.
 */
export interface WaitOptions<T> {
  /** Deadline in ms (default 30 s). */
  readonly timeoutMs?: number;
  /** Longest pause between two polls in ms (default 100); the first pauses are shorter. */
  readonly intervalMs?: number;
  /** When the condition's value means "done" (default: a truthy value). */
  readonly until?: (value: T) => boolean;
}

/** Thrown by a condition to stop waiting at once: the wait rejects with it. */
export class GiveUp extends Error {
  override readonly name = 'GiveUp';
}

/** A short, printable form of the last value seen (bounded: it may be a whole page's text). */
function printable(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Not done yet: what a condition yields while the awaited state has not come. */
type NotYet = undefined | null | false | 0 | '';

export function waitFor<T>(
  what: string,
  condition: () => T | Promise<T>,
  options: WaitOptions<T> & { until: (value: T) => boolean },
): Promise<T>;
export function waitFor<T>(what: string, condition: () => T | Promise<T>, options?: number | WaitOptions<T>): Promise<Exclude<T, NotYet>>;
export async function waitFor<T>(what: string, condition: () => T | Promise<T>, options: number | WaitOptions<T> = {}): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 100, until } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | { error: unknown } | undefined;
  for (let pause = Math.min(20, intervalMs); ; pause = Math.min(pause * 2, intervalMs)) {
    try {
      const value = await condition();
      if (until ? until(value) : Boolean(value)) return value;
      last = { value };
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      last = { error };
    }
    if (Date.now() > deadline) {
      const seen =
        last === undefined
          ? ''
          : 'error' in last
            ? ` (last error: ${last.error instanceof Error ? last.error.message : printable(last.error)})`
            : last.value === undefined || last.value === false
              ? ''
              : ` (last value: ${printable(last.value)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
