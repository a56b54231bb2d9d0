/**
 * The items of the "Open Rule Documentation" picker: each rule's code with its title, read from
 * the heading of its page (`# GC101 — architecture namespace in the base image`), so that a person
 * picks a rule by what it is about instead of guessing among bare codes. No `vscode` import.
 */

/** A rule code as the pages are named: GC101. */
export const RULE_CODE = /^GC\d{3}$/;

export interface RuleDocItem {
  /** The code, e.g. GC101. */
  readonly label: string;
  /** The rule's title, e.g. "Architecture namespace in the base image" (empty when the page has no heading). */
  readonly description: string;
}

const TITLE_LENGTH = 100;

/**
 * The title in a rule page's first heading `# GCnnn — title` (also `-`, `–` or `:`), as plain text:
 * backticks dropped, first letter capitalised, bounded. Undefined when the page has no such heading.
 */
export function ruleTitleOf(page: string, code: string): string | undefined {
  const firstHeading = /^#[ \t]+(.*)$/m.exec(page.slice(0, 2000))?.[1];
  if (!firstHeading) return undefined;
  const match = /^(GC\d{3})\s*[—–:-]\s*(.+)$/.exec(firstHeading.trim());
  if (!match || match[1] !== code) return undefined;
  const text = (match[2] ?? '')
    .replace(/`/g, '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  if (!text) return undefined;
  const bounded = text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH - 1)}…` : text;
  return bounded.charAt(0).toUpperCase() + bounded.slice(1);
}

/** Picker items for the pages found (`GCnnn.md` → its text), sorted by code. */
export function ruleDocItems(pages: ReadonlyMap<string, string>): RuleDocItem[] {
  return [...pages.entries()]
    .map(([file, text]) => ({ code: file.replace(/\.md$/, ''), text }))
    .filter(({ code }) => RULE_CODE.test(code))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map(({ code, text }) => ({ label: code, description: ruleTitleOf(text, code) ?? '' }));
}
