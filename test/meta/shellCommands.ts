/**
 * The commands a bash script runs, found by reading it (no bash needed): the first word of
 * every simple command, including those inside `$( … )`, after `if`/`while`/`!`/`{`/`do`/…,
 * after variable assignments, and the program that `setsid`/`exec`/`nohup`/`env`/`xargs`/
 * `timeout` start. Heredoc bodies, comments, array literals, `case` patterns, `command -v`
 * checks and the script's own functions are not commands. Enough shell for the project's
 * scripts/env/*.sh and .ci/run; a construct it cannot read shows up as an unknown command in
 * test/meta/commands.test.ts, never as a silent pass.
 */

export interface ShellCommand {
  /** The command word as written, quotes removed (`$DOCKER`, `/usr/bin/docker`, `gcc`). */
  readonly word: string;
  /** 1-based line of the command. */
  readonly line: number;
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time', 'in', 'esac']);
/** Bash builtins and keywords that run nothing external. */
export const BUILTINS = new Set([
  ':',
  '.',
  '[',
  '[[',
  'alias',
  'break',
  'builtin',
  'cd',
  'compgen',
  'continue',
  'declare',
  'echo',
  'eval',
  'exit',
  'export',
  'false',
  'for',
  'getopts',
  'hash',
  'kill',
  'let',
  'local',
  'mapfile',
  'printf',
  'pwd',
  'read',
  'readonly',
  'return',
  'set',
  'shift',
  'shopt',
  'source',
  'test',
  'trap',
  'true',
  'type',
  'typeset',
  'ulimit',
  'umask',
  'unset',
  'wait',
  'case',
  'function',
]);
/** Commands whose arguments start another program (options skipped). */
const LAUNCHERS = new Set(['setsid', 'exec', 'nohup', 'env', 'xargs', 'timeout', 'command']);

/** Splits a simple command's text into words (quotes removed, `$( … )` already replaced). */
function words(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let inWord = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = '';
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
const REDIRECT = /^[0-9]*(<|>|&>)/;

/** The program a simple command runs, or undefined (assignment only, builtin, keyword …). */
function commandOf(segment: string, functions: ReadonlySet<string>): string[] {
  let w = words(segment);
  const found: string[] = [];
  for (;;) {
    while (w.length > 0 && (KEYWORDS.has(w[0]) || ASSIGNMENT.test(w[0]) || REDIRECT.test(w[0]))) {
      // a redirection word may be split from its target (`> file`): drop the target too
      if (/^[0-9]*(<|>|&>)+&?$/.test(w[0])) w = w.slice(1);
      w = w.slice(1);
    }
    if (w.length === 0) return found;
    const head = w[0];
    if (head === 'for' || head === 'case' || head === 'select') return found; // the rest are words, not commands
    if (head === 'command' && (w[1] === '-v' || w[1] === '-V')) return found; // a check, not a run
    if (LAUNCHERS.has(head)) {
      if (head !== 'exec' && head !== 'command') found.push(head);
      // skip the launcher's options (and their values for the ones that take one)
      let i = 1;
      while (i < w.length && (w[i].startsWith('-') || (head === 'timeout' && /^[0-9.]+[smhd]?$/.test(w[i])))) i++;
      w = w.slice(i);
      continue;
    }
    if (BUILTINS.has(head) || functions.has(head)) return found;
    found.push(head);
    return found;
  }
}

/** The words of a command after leading keywords (`{ case $1 in` → case, $1, in). */
function caseWords(text: string): string[] {
  const w = words(text);
  let i = 0;
  while (i < w.length && KEYWORDS.has(w[i]) && w[i] !== 'in') i++;
  return w.slice(i);
}

/** Every command the script runs, in order. */
export function shellCommands(script: string, outerFunctions: ReadonlySet<string> = new Set()): ShellCommand[] {
  const functions = new Set<string>(outerFunctions);
  for (const m of script.matchAll(/^[ \t]*(?:function[ \t]+)?([A-Za-z_][\w-]*)[ \t]*\(\)/gm)) functions.add(m[1]);
  // Function headers are not commands: `name() {` → `{`.
  const text = script.replace(/^([ \t]*)(?:function[ \t]+)?[A-Za-z_][\w-]*[ \t]*\(\)[ \t]*/gm, '$1');

  const result: ShellCommand[] = [];
  let line = 1;
  /** Open command buffers: the innermost last (a `$( … )` opens one). */
  const stack: { text: string; line: number }[] = [{ text: '', line: 1 }];
  let caseDepth = 0;
  let casePattern = false;
  const heredocs: string[] = [];

  const flush = (): void => {
    const top = stack[stack.length - 1];
    for (const word of commandOf(top.text, functions)) result.push({ word, line: top.line });
    const w = caseWords(top.text);
    if (w[0] === 'case' && w[w.length - 1] === 'in') {
      caseDepth++;
      casePattern = true;
    }
    top.text = '';
    top.line = line;
  };
  const append = (s: string): void => {
    const top = stack[stack.length - 1];
    if (top.text.trim() === '') top.line = line;
    top.text += s;
  };
  const atWordStart = (i: number): boolean => i === 0 || /[\s;&|(]/.test(text[i - 1]);

  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (casePattern) {
      // a case pattern up to its `)`, or the `esac` that ends the case
      if (/\s/.test(ch)) {
        if (ch === '\n') line++;
        i++;
        continue;
      }
      if (text.startsWith('esac', i) && !/[\w-]/.test(text[i + 4] ?? '')) {
        casePattern = false;
        caseDepth--;
        i += 4;
        continue;
      }
      let quote = '';
      while (i < text.length) {
        const c = text[i++];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === "'" || c === '"') quote = c;
        else if (c === ')') break;
      }
      casePattern = false;
      continue;
    }
    if (ch === '\\' && text[i + 1] === '\n') {
      append(' ');
      line++;
      i += 2;
      continue;
    }
    if (ch === '\n') {
      flush();
      line++;
      i++;
      if (heredocs.length > 0) {
        // skip the heredoc bodies that start on this line
        for (const delimiter of heredocs.splice(0)) {
          for (;;) {
            const end = text.indexOf('\n', i);
            const body = text.slice(i, end < 0 ? text.length : end);
            i = end < 0 ? text.length : end + 1;
            line++;
            if (body.trim() === delimiter || end < 0) break;
          }
        }
      }
      continue;
    }
    if (ch === '#' && atWordStart(i)) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      const s = text.slice(i, end < 0 ? text.length : end + 1);
      line += s.split('\n').length - 1;
      append(s);
      i += s.length;
      continue;
    }
    if (ch === '$' && text.startsWith('$((', i)) {
      // arithmetic: copied whole
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      append('0');
      i = j + 1;
      continue;
    }
    if (ch === '$' && text[i + 1] === '(') {
      stack.push({ text: '', line });
      i += 2;
      continue;
    }
    if (ch === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i);
      append(text.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      // a double-quoted string: `$( … )` inside it still runs commands
      append('"');
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') {
          append(text.slice(i, i + 2));
          i += 2;
        } else if (text[i] === '$' && text[i + 1] === '(' && text[i + 2] !== '(') {
          let depth = 0;
          let j = i + 1;
          let quote = '';
          for (; j < text.length; j++) {
            const c = text[j];
            if (quote) {
              if (c === quote) quote = '';
            } else if (c === "'" || c === '"') quote = c;
            else if (c === '(') depth++;
            else if (c === ')' && --depth === 0) break;
          }
          for (const inner of shellCommands(text.slice(i + 2, j).replace(/\n/g, ' '), functions)) {
            result.push({ word: inner.word, line });
          }
          append('X');
          i = j + 1;
        } else if (text[i] === '$' && text[i + 1] === '{') {
          const end = text.indexOf('}', i);
          append(text.slice(i, end + 1));
          i = end + 1;
        } else {
          if (text[i] === '\n') line++;
          append(text[i]);
          i++;
        }
      }
      append('"');
      i++;
      continue;
    }
    if (ch === '(') {
      const top = stack[stack.length - 1].text;
      if (/[A-Za-z0-9_\]]\+?=$/.test(top)) {
        // an array literal `NAME=( … )`: words, not commands
        let depth = 0;
        let j = i;
        let quote = '';
        for (; j < text.length; j++) {
          const c = text[j];
          if (quote) {
            if (c === quote) quote = '';
          } else if (c === "'" || c === '"') quote = c;
          else if (c === '#' && /\s/.test(text[j - 1])) {
            while (j < text.length && text[j] !== '\n') j++;
            line++;
          } else if (c === '\n') line++;
          else if (c === '(') depth++;
          else if (c === ')' && --depth === 0) break;
        }
        append('()');
        i = j + 1;
        continue;
      }
      flush(); // a subshell
      i++;
      continue;
    }
    if (ch === ')') {
      if (stack.length > 1) {
        flush();
        stack.pop();
        append('X');
      } else flush();
      i++;
      continue;
    }
    if (ch === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      const m = /^<<-?[ \t]*(['"]?)([A-Za-z_][\w]*)\1/.exec(text.slice(i));
      if (m) {
        heredocs.push(m[2]);
        i += m[0].length;
        continue;
      }
    }
    if (ch === ';' && text[i + 1] === ';') {
      flush();
      if (caseDepth > 0) casePattern = true;
      i += 2;
      continue;
    }
    if (ch === ';' || ch === '|' || (ch === '&' && text[i - 1] !== '>' && text[i + 1] !== '>')) {
      flush();
      i++;
      continue;
    }
    append(ch);
    i++;
    if (/\s/.test(ch)) {
      // `case WORD in` ends where its patterns begin
      const w = caseWords(stack[stack.length - 1].text);
      if (w[0] === 'case' && w.length >= 3 && w[w.length - 1] === 'in') flush();
    }
  }
  while (stack.length > 0) {
    flush();
    stack.pop();
  }
  return result;
}
