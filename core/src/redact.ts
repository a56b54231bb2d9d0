/** Secret redaction for anything shown or logged: registry errors, push logs, build failures. */

/** Replaces every known secret (and anything after `Bearer `/`Basic `) with `***`. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join('***');
  }
  return out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***');
}
