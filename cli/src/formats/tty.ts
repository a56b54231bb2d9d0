/**
 * `--format tty`: one line per finding, `file:line:col severity code message` (1-based, so
 * terminals and editors can jump to it), then a summary line. Colours only when wanted.
 */
import { messageText, SEVERITY_RANK, severityName, type LintedFile, type ReportSeverity } from './report';

const ESC = '\u001b[';
const STYLE: Record<ReportSeverity | 'bold' | 'dim', [string, string]> = {
  error: [`${ESC}31m`, `${ESC}39m`],
  warning: [`${ESC}33m`, `${ESC}39m`],
  info: [`${ESC}34m`, `${ESC}39m`],
  hint: [`${ESC}2m`, `${ESC}22m`],
  bold: [`${ESC}1m`, `${ESC}22m`],
  dim: [`${ESC}2m`, `${ESC}22m`],
};

/**
 * Colours follow the common conventions: FORCE_COLOR (not `0`/`false`) forces them on, a
 * non-empty NO_COLOR or TERM=dumb turns them off, otherwise only when stdout is a terminal.
 */
export function wantsColour(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
}

export function formatTty(files: readonly LintedFile[], colour: boolean): string {
  const paint = (style: keyof typeof STYLE, text: string): string => (colour ? `${STYLE[style][0]}${text}${STYLE[style][1]}` : text);
  const lines: string[] = [];
  const counts: Record<ReportSeverity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let filesWithFindings = 0;
  for (const file of files) {
    if (file.diagnostics.length > 0) filesWithFindings++;
    for (const d of file.diagnostics) {
      const severity = severityName(d.severity);
      counts[severity]++;
      const where = `${file.name}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      // One line per finding: a message never spans lines, whatever the input held.
      const message = messageText(d).replace(/\s*[\r\n]+\s*/g, ' ');
      lines.push(`${paint('bold', where)} ${paint(severity, severity)} ${paint('dim', d.code)} ${message}`);
    }
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const scope =
    files.length === 1
      ? '1 file'
      : `${filesWithFindings === files.length ? '' : `${filesWithFindings} of `}${plural(files.length, 'file')}`;
  if (total === 0) {
    lines.push(`No problems found in ${plural(files.length, 'file')}.`);
  } else {
    const bySeverity = (Object.keys(counts) as ReportSeverity[])
      .sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])
      .filter((s) => counts[s] > 0)
      .map((s) => paint(s, plural(counts[s], s)))
      .join(', ');
    if (lines.length > 0) lines.push('');
    lines.push(`${paint('bold', plural(total, 'problem'))} (${bySeverity}) in ${scope}.`);
  }
  return `${lines.join('\n')}\n`;
}
