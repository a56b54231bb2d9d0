/**
 * Text that came from a registry (platform strings, annotations, error messages, media types)
 * is untrusted: a registry can put `ESC[2J`, a carriage return or a fake "Pushed OK" line in
 * it. Everything the core turns into display text goes through `displayText`: control
 * characters (C0, DEL, C1), line/paragraph separators and bidirectional overrides are shown
 * escaped (`\x1b`, `\u202e`), and the length is capped. Front ends (the CLI, the output
 * channel, hovers) call it on any registry field they show themselves.
 */

/** The longest piece of registry text shown as is (longer text is cut, and says so). */
export const MAX_DISPLAY_LENGTH = 200;

function isUnsafe(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x061c ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfeff ||
    (cp >= 0xd800 && cp <= 0xdfff) // a lone surrogate
  );
}

function escapeCodePoint(cp: number): string {
  if (cp === 0x0a) return '\\n';
  if (cp === 0x0d) return '\\r';
  if (cp === 0x09) return '\\t';
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** Registry text made safe to print: control characters escaped, at most `maxLength` characters kept. */
export function displayText(value: unknown, maxLength = MAX_DISPLAY_LENGTH): string {
  const text = typeof value === 'string' ? value : String(value);
  let out = '';
  let kept = 0;
  let total = 0;
  for (const ch of text) {
    total++;
    if (kept >= maxLength) continue;
    const cp = ch.codePointAt(0) ?? 0;
    out += isUnsafe(cp) ? escapeCodePoint(cp) : ch;
    kept++;
  }
  return total > kept ? `${out}… (${total - kept} more characters)` : out;
}

/**
 * `JSON.stringify` for a terminal: the same JSON value, with the characters that JSON leaves
 * raw but terminals interpret (DEL, C1 controls, separators, bidi overrides) written as
 * `\uXXXX` escapes. (JSON.stringify already escapes C0 controls.)
 */
export function jsonForTerminal(value: unknown, space = 2): string {
  return JSON.stringify(value, null, space).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
