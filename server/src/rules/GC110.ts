/**
 * GC110 — a compile step runs under emulation. In a file built for several platforms, a stage
 * without `--platform=$BUILDPLATFORM` runs once per target platform, so on a build machine of
 * another architecture every RUN of that stage runs under QEMU: compiling there is several times
 * slower (and burns that much more energy) than compiling natively and cross-compiling.
 *
 * - `go build` / `go install` (warning): Go cross-compiles with two variables. For a stage whose
 *   output later stages `COPY --from=`, the fix moves the stage to the build platform
 *   (`FROM --platform=$BUILDPLATFORM`), declares `ARG TARGETOS TARGETARCH` (+ `TARGETVARIANT`
 *   when an arm/v6 or arm/v7 target exists), and prefixes each compile command with
 *   `GOOS=$TARGETOS GOARCH=$TARGETARCH` (+ `GOARM=${TARGETVARIANT#v}`) and `CGO_ENABLED=0`
 *   unless the stage sets it. A cross-compiled `go install` writes to `$GOPATH/bin/GOOS_GOARCH/`,
 *   so the fix moves the binaries back to `$GOPATH/bin/`, where later stages copy them from.
 *   No fix when the stage needs cgo (CGO_ENABLED=1, a C toolchain or -dev packages installed,
 *   `-race`, external linking), when `GOBIN` is set with `go install` (Go refuses to install
 *   cross-compiled binaries there), in the exec form, or when the stage is the image itself
 *   (the last stage, or a stage it is built FROM): the message says to split it.
 * - `cargo build`, `gcc`/`cc`/`clang`, `make`, `cmake --build`, `mvn`, `gradle` (info): the
 *   advice for that toolchain, no fix.
 *
 * Nothing when the file targets one architecture, in a stage on another platform than the target
 * (`--platform=$BUILDPLATFORM` or any other value, itself or through its FROM parents), in a stage
 * the build never reaches (stageGraph), in Windows stages, and for commands that already
 * cross-compile (`GOARCH=`/`GOOS=` set, `xx-go`, `cargo --target`, a `--host=`/`CC=` cross toolchain).
 */
import type { Instruction } from 'dockerfile-ast';
import type { TextEdit } from 'vscode-languageserver-types';
import { stageUse, stageUses } from '../../../core/src/dockerfile/stageGraph';
import { argDeclarations, execFormStrings, type DockerfileModel, type Stage } from '../../../core/src/dockerfile/model';
import { scanInstruction, type ScannedInstruction } from '../../../core/src/dockerfile/instructionText';
import { eolOf, isTargetPlatformValue, stageScope } from '../../../core/src/dockerfile/platformArgs';
import type { Finding, Fix, Rule, RuleContext } from './types';

type Toolchain = 'go' | 'cargo' | 'c' | 'java';

/** One compile command found in a RUN: offsets relative to the scanned text. */
interface Compile {
  readonly toolchain: Toolchain;
  /** `go build`, `cargo build`, `make`. */
  readonly label: string;
  /** Offset of the command word (`go`). */
  readonly start: number;
  /** End of the label (after `build`). */
  readonly labelEnd: number;
  /** End of the simple command (before `&&`, `;`, newline …). */
  readonly end: number;
  /** Names assigned in front of the command (`CGO_ENABLED=0 go build`). */
  readonly assigned: ReadonlyMap<string, string>;
  readonly subcommand?: string;
}

/** Words that may precede the command itself in a simple command. */
const PREFIX_WORDS = new Set([
  'then',
  'do',
  'else',
  'elif',
  'if',
  'while',
  'until',
  '!',
  'time',
  'exec',
  'env',
  'sudo',
  'nice',
  'nohup',
  'command',
]);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const WORD = /(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g;
/** Separators of simple commands in shell text. */
const SEPARATOR = /&&|\|\||[;|&\n(){}]/g;
const C_COMPILERS = /^(?:[a-z0-9_]+-)?(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+)(?:-[0-9.]+)?$/;
const VERSION_FLAGS = new Set(['--version', '-v', '-V', '-version', '-dumpmachine', '--help', '-h', 'help', 'version']);

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/s, '$2');
}

function basename(word: string): string {
  const w = unquote(word);
  return w.slice(w.lastIndexOf('/') + 1);
}

/**
 * The text with the insides of `$(…)` and backquotes blanked with `_` (same length), so
 * `GOARCH=$(echo $p | cut -d/ -f2) go build` stays one simple command.
 */
function blankSubstitutions(text: string): string {
  const chars = text.split('');
  let depth = 0;
  let inBackquote = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '`') {
      inBackquote = !inBackquote;
      continue;
    }
    if (c === '$' && chars[i + 1] === '(') {
      if (depth > 0 || inBackquote) chars[i] = '_';
      depth++;
      i++;
      chars[i] = '_';
      continue;
    }
    if (depth > 0) {
      if (c === '(') depth++;
      else if (c === ')') depth--;
      if (c !== '\n') chars[i] = '_';
    } else if (inBackquote && c !== '\n') chars[i] = '_';
  }
  return chars.join('');
}

/** Compile commands in a shell text (the scanned instruction text, comments blanked). */
export function findCompiles(shell: string): Compile[] {
  const out: Compile[] = [];
  const text = blankSubstitutions(shell);
  const bounds: number[] = [0];
  SEPARATOR.lastIndex = 0;
  for (let m = SEPARATOR.exec(text); m; m = SEPARATOR.exec(text)) bounds.push(m.index, m.index + m[0].length);
  bounds.push(text.length);
  for (let b = 0; b + 1 < bounds.length; b += 2) {
    const segStart = bounds[b];
    const segEnd = bounds[b + 1];
    const segment = text.slice(segStart, segEnd);
    const words: { text: string; start: number }[] = [];
    WORD.lastIndex = 0;
    for (let w = WORD.exec(segment); w && words.length < 64; w = WORD.exec(segment)) words.push({ text: w[0], start: segStart + w.index });
    const assigned = new Map<string, string>();
    let i = 0;
    for (; i < words.length; i++) {
      const a = ASSIGNMENT.exec(words[i].text);
      if (a) assigned.set(a[1], unquote(a[2]));
      // RUN flags (`--mount=…`, `--network=…`) come first in the instruction text; `env -i`.
      else if (
        !PREFIX_WORDS.has(words[i].text) &&
        !words[i].text.startsWith('--') &&
        !(words[i].text.startsWith('-') && i > 0 && words[i - 1].text === 'env')
      )
        break;
    }
    if (i >= words.length) continue;
    const command = words[i];
    const name = basename(command.text);
    const rest = words.slice(i + 1).map((w) => unquote(w.text));
    const firstArg = rest.find((r) => !r.startsWith('-'));
    const found = (toolchain: Toolchain, labelEnd: number, label: string, subcommand?: string): void => {
      out.push({ toolchain, label, start: command.start, labelEnd, end: segStart + segment.trimEnd().length, assigned, subcommand });
    };
    if (name === 'go') {
      const sub = words.slice(i + 1).find((w) => !w.text.startsWith('-'));
      if (sub && (sub.text === 'build' || sub.text === 'install')) found('go', sub.start + sub.text.length, `go ${sub.text}`, sub.text);
      continue;
    }
    if (rest.some((r) => VERSION_FLAGS.has(r)) && (name !== 'make' || rest.length === 1)) continue;
    const labelOf = (n: number): [number, string] => {
      const last = words[Math.min(i + n, words.length - 1)];
      return [
        last.start + last.text.length,
        words
          .slice(i, i + n + 1)
          .map((w) => unquote(w.text))
          .join(' '),
      ];
    };
    if (name === 'cargo') {
      if ((firstArg === 'build' || firstArg === 'install' || firstArg === 'rustc') && !rest.some((r) => r.startsWith('--target'))) {
        found('cargo', ...labelOf(1), firstArg);
      }
    } else if (
      C_COMPILERS.test(name) &&
      !/-linux-|-w64-|-apple-/.test(name) &&
      rest.length > 0 &&
      !rest.some((r) => r === '-E' || r.startsWith('--target') || r.startsWith('-target'))
    ) {
      found('c', ...labelOf(0));
    } else if (
      (name === 'make' || name === 'gmake') &&
      !rest.some((r) => /^(?:CC|CROSS_COMPILE|ARCH|CROSS)=/.test(r)) &&
      !['clean', 'help', 'distclean', 'test', 'check', 'docs', 'doc', 'lint', 'fmt', 'format'].includes(firstArg ?? '')
    ) {
      found('c', ...labelOf(0));
    } else if (name === 'cmake' && rest.includes('--build')) {
      found('c', ...labelOf(1));
    } else if (
      (name === 'mvn' || name === 'mvnw' || name === 'gradle' || name === 'gradlew') &&
      firstArg !== undefined &&
      !/^dependency:|^help:/.test(firstArg)
    ) {
      found('java', ...labelOf(0));
    }
  }
  return out;
}

/**
 * The scanned text with the newlines of continued lines (`\` at the end, or a blanked comment
 * line inside a continuation) turned into blanks, so newlines left separate commands.
 */
function joinContinuations(model: DockerfileModel, scanned: ScannedInstruction): string {
  const { text, offset } = scanned;
  const escape = model.escapeCharacter;
  let out = '';
  let lineStart = 0;
  for (let p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', lineStart)) {
    const original = model.text.slice(offset + lineStart, offset + p).trimEnd();
    const blank = text.slice(lineStart, p).trim() === '';
    out += text.slice(lineStart, p) + (blank || original.endsWith(escape) ? ' ' : '\n');
    lineStart = p + 1;
  }
  return out + text.slice(lineStart);
}

/** True when some RUN of the stage compiles (GC104 then prefers $BUILDPLATFORM to removing a constant platform). */
export function stageCompiles(model: DockerfileModel, stage: Stage): boolean {
  return stage.instructions.some((ins) => {
    if (ins.getKeyword().toUpperCase() !== 'RUN') return false;
    const exec = execFormStrings(ins);
    if (exec) return basename(exec[0] ?? '') === 'go' && (exec[1] === 'build' || exec[1] === 'install');
    return findCompiles(joinContinuations(model, scanInstruction(model, ins))).length > 0;
  });
}

/** The effective `--platform` of a stage: its own flag or its FROM parents'; undefined for the target platform. */
function stagePlatform(model: DockerfileModel, stage: Stage): string | undefined {
  const seen = new Set<number>();
  let current: Stage | undefined = stage;
  while (current && !seen.has(current.index)) {
    seen.add(current.index);
    const flag = current.platformFlag;
    if (flag && !isTargetPlatformValue(flag.value)) return flag.value;
    const parent: number | undefined = current.base.stageIndex;
    current = parent !== undefined && parent < current.index ? model.stages[parent] : undefined;
  }
  return undefined;
}

/** Stages that are the image: the last stage and the stages it is built FROM. */
function imageChain(model: DockerfileModel): Set<number> {
  const out = new Set<number>();
  let current: Stage | undefined = model.stages[model.stages.length - 1];
  while (current && !out.has(current.index)) {
    out.add(current.index);
    const parent: number | undefined = current.base.stageIndex;
    current = parent !== undefined && parent < current.index ? model.stages[parent] : undefined;
  }
  return out;
}

/** How later stages use a stage: copied from, built FROM, mounted. */
function usesOf(model: DockerfileModel, stage: Stage): { copied: boolean; other: boolean } {
  let copied = false;
  let other = false;
  const names = new Set([String(stage.index), ...(stage.name ? [stage.name] : [])]);
  for (const s of model.stages) {
    if (s.index === stage.index || !stageUse(model, s).reached) continue;
    if (s.base.stageIndex === stage.index) other = true;
    for (const ins of s.instructions) {
      const keyword = ins.getKeyword().toUpperCase();
      const flags = (ins as Partial<{ getFlags(): { getName(): string; getValue(): string | null }[] }>).getFlags?.() ?? [];
      for (const f of flags) {
        const name = f.getName().toLowerCase();
        const value = (f.getValue() ?? '').trim().toLowerCase();
        if ((keyword === 'COPY' || keyword === 'ADD') && name === 'from') {
          if (names.has(unquote(value))) copied = true;
          else if (value.includes('$')) other = true;
        } else if (keyword === 'RUN' && name === 'mount' && /(?:^|,)from=/.test(value)) {
          const from = /(?:^|,)from=([^,]*)/.exec(value)?.[1] ?? '';
          if (names.has(unquote(from)) || from.includes('$')) other = true;
        }
      }
    }
  }
  return { copied, other };
}

const CGO_ON = /\bCGO_ENABLED=["']?1\b/;
const C_PACKAGES =
  /\b(?:apk\s+(?:--[a-z-]+\s+)*add|apt-get\s+(?:-[a-zA-Z-]+\s+)*install|apt\s+install|yum\s+install|dnf\s+install)\b[^\n;&|]*?(?:\s)(?:gcc|g\+\+|build-base|build-essential|musl-dev|libc6?-dev|clang|[a-z0-9.+-]+-dev(?:el)?)(?=\s|$)/;
const CGO_FLAGS = /\s-race\b|-linkmode[ =]+["']?external|\bCGO_(?:CFLAGS|LDFLAGS|CPPFLAGS)=/;

/** Why a stage needs cgo (a short reason), or undefined. */
function cgoReason(model: DockerfileModel, stage: Stage): string | undefined {
  for (const ins of stage.instructions) {
    const text = model.document.getText(ins.getRange());
    if (CGO_ON.test(text)) return 'CGO_ENABLED=1 is set';
    if (ins.getKeyword().toUpperCase() !== 'RUN') continue;
    if (C_PACKAGES.test(text.replace(/\\\r?\n/g, ' '))) return 'it installs a C toolchain or C libraries';
    if (CGO_FLAGS.test(text)) return 'it builds with -race, external linking or CGO_ flags';
  }
  return undefined;
}

/** True when the stage (or its parents) sets NAME with ENV/ARG. */
function stageSets(model: DockerfileModel, stage: Stage, name: string): string | undefined {
  for (const ins of stage.instructions) {
    const keyword = ins.getKeyword().toUpperCase();
    if (keyword === 'ARG') {
      for (const d of argDeclarations(model.document, ins)) if (d.name === name) return d.value ?? '';
    } else if (keyword === 'ENV') {
      const m = new RegExp(`(?:^|\\s)${name}[= ]["']?([^\\s"']*)`).exec(model.document.getText(ins.getRange()).slice(3));
      if (m) return m[1];
    }
  }
  return undefined;
}

const ADVICE: Record<Exclude<Toolchain, 'go'>, string> = {
  cargo:
    "Cross-compile instead: 'cargo build --target <triple>' in a FROM --platform=$BUILDPLATFORM stage (or tonistiigi/xx's xx-cargo) and COPY the binary.",
  c: 'Cross-compile instead: a cross toolchain in a FROM --platform=$BUILDPLATFORM stage (tonistiigi/xx, or crossbuild-essential-<arch>) and COPY the result.',
  java: 'Bytecode is the same on every platform: build the jar once in a FROM --platform=$BUILDPLATFORM stage and COPY it into this one.',
};

export const GC110: Rule = {
  code: 'GC110',
  title: 'Compile step runs under emulation',
  description:
    'A compile step in a stage that runs on the target platform runs under QEMU emulation for every foreign target; cross-compile in a FROM --platform=$BUILDPLATFORM stage instead.',
  defaultSeverity: 'warning',
  check(context) {
    const { model, platforms } = context;
    if (new Set(platforms.map((p) => `${p.os}/${p.architecture}`)).size < 2) return [];
    const findings: Finding[] = [];
    const uses = stageUses(model);
    let chain: Set<number> | undefined;
    for (const stage of model.stages) {
      const use = uses[stage.index];
      if (use && (!use.reached || use.windows)) continue;
      if (stagePlatform(model, stage) !== undefined) continue;
      if (
        /\bxx-(?:go|cargo|clang|apk|apt-get|info)\b/.test(
          model.document.getText({ start: stage.from.getRange().start, end: { line: stage.endLine + 1, character: 0 } }),
        )
      )
        continue;
      const runs: { instruction: Instruction; scanned: ScannedInstruction; compiles: Compile[] }[] = [];
      const goArchSet = stageSets(model, stage, 'GOARCH') !== undefined || stageSets(model, stage, 'GOOS') !== undefined;
      for (const instruction of stage.instructions) {
        if (instruction.getKeyword().toUpperCase() !== 'RUN') continue;
        const exec = execFormStrings(instruction);
        if (exec) {
          const name = basename(exec[0] ?? '');
          if (name === 'go' && (exec[1] === 'build' || exec[1] === 'install') && !goArchSet) {
            const scanned = scanInstruction(model, instruction);
            runs.push({
              instruction,
              scanned,
              compiles: [
                { toolchain: 'go', label: `go ${exec[1]}`, start: -1, labelEnd: -1, end: -1, assigned: new Map(), subcommand: exec[1] },
              ],
            });
          }
          continue;
        }
        const scanned = scanInstruction(model, instruction);
        const compiles = findCompiles(joinContinuations(model, scanned)).filter(
          (c) =>
            !(c.toolchain === 'go' && (goArchSet || c.assigned.has('GOARCH') || c.assigned.has('GOOS'))) &&
            !(c.toolchain === 'c' && [...c.assigned.keys()].some((k) => k === 'CC' || k === 'CROSS_COMPILE' || k === 'CXX')) &&
            !(c.toolchain === 'cargo' && c.assigned.has('CARGO_BUILD_TARGET')),
        );
        if (compiles.length > 0) runs.push({ instruction, scanned, compiles });
      }
      if (runs.length === 0) continue;
      chain ??= imageChain(model);
      const goRuns = runs.filter((r) => r.compiles.some((c) => c.toolchain === 'go'));
      // The point first (the Problems panel shows the start); why and how in docs/rules/GC110.md.
      const emulated = (label: string) =>
        `'${label}' compiles under QEMU emulation, several times slower, for every target platform foreign to the build machine.`;
      if (goRuns.length > 0) {
        const fix = goFix(context, stage, goRuns, chain);
        for (const run of goRuns) {
          const compile = run.compiles.find((c) => c.toolchain === 'go') as Compile;
          const doc = model.document;
          const range =
            compile.start < 0
              ? run.instruction.getRange()
              : { start: doc.positionAt(run.scanned.offset + compile.start), end: doc.positionAt(run.scanned.offset + compile.labelEnd) };
          findings.push({
            range,
            message: `${emulated(compile.label)} ${fix.advice}`,
            instruction: run.instruction,
            fixes: fix.fix ? [fix.fix] : [],
          });
        }
      }
      for (const run of runs) {
        const compile = run.compiles.find((c) => c.toolchain !== 'go');
        if (!compile || compile.toolchain === 'go') continue;
        const doc = model.document;
        findings.push({
          range: { start: doc.positionAt(run.scanned.offset + compile.start), end: doc.positionAt(run.scanned.offset + compile.labelEnd) },
          message: `${emulated(compile.label)} ${ADVICE[compile.toolchain]}`,
          instruction: run.instruction,
          severity: 'info',
        });
      }
    }
    return findings;
  },
};

/** The advice for a Go stage and, when it is safe, the fix. */
function goFix(
  { model, platforms }: RuleContext,
  stage: Stage,
  runs: readonly { instruction: Instruction; scanned: ScannedInstruction; compiles: Compile[] }[],
  chain: ReadonlySet<number>,
): { advice: string; fix?: Fix } {
  const split = 'compile in a separate FROM --platform=$BUILDPLATFORM stage with GOOS=$TARGETOS GOARCH=$TARGETARCH and COPY --from it.';
  if (chain.has(stage.index)) return { advice: `This stage is the image itself: ${split}` };
  const { copied, other } = usesOf(model, stage);
  if (!copied || other)
    return {
      advice: `Later stages use this one other than by COPY --from: ${split}`,
    };
  const cgo = cgoReason(model, stage);
  if (cgo) {
    return {
      advice: `It appears to need cgo (${cgo}): cross-compile with a C cross toolchain (tonistiigi/xx: xx-go); no automatic fix.`,
    };
  }
  const manual = 'Cross-compile instead: FROM --platform=$BUILDPLATFORM and GOOS=$TARGETOS GOARCH=$TARGETARCH on the compile commands';
  if (stage.base.stageIndex !== undefined) return { advice: `${manual}, and move its base stage too (no automatic fix).` };
  const compiles = runs.flatMap((r) => r.compiles.filter((c) => c.toolchain === 'go').map((c) => ({ run: r, compile: c })));
  if (compiles.some((c) => c.compile.start < 0)) return { advice: `${manual} (exec-form RUN: no automatic fix).` };
  const gobin = stageSets(model, stage, 'GOBIN') !== undefined || compiles.some((c) => c.compile.assigned.has('GOBIN'));
  if (gobin && compiles.some((c) => c.compile.subcommand === 'install')) {
    return { advice: `${manual}, with 'go build -o' (Go does not install cross-compiled binaries into GOBIN; no automatic fix).` };
  }
  const doc = model.document;
  const edits: TextEdit[] = [];
  // 1. FROM --platform=$BUILDPLATFORM
  if (stage.platformFlag) edits.push({ range: stage.platformFlag.valueRange, newText: '$BUILDPLATFORM' });
  else {
    const fromText = doc.getText(stage.from.getRange());
    const keyword = /^\s*FROM[ \t]+/i.exec(fromText);
    if (!keyword) return { advice: `${manual}.` };
    const at = doc.positionAt(doc.offsetAt(stage.from.getRange().start) + keyword[0].length);
    edits.push({ range: { start: at, end: at }, newText: '--platform=$BUILDPLATFORM ' });
  }
  // 2. ARG TARGETOS TARGETARCH [TARGETVARIANT]
  const variant = platforms.some((p) => p.architecture === 'arm' && (p.variant === 'v6' || p.variant === 'v7'));
  const scope = stageScope(model, stage);
  const first = runs[0].instruction;
  const missing = ['TARGETOS', 'TARGETARCH', ...(variant ? ['TARGETVARIANT'] : [])].filter((n) => !scope.definedBefore(n, first));
  if (missing.length > 0) {
    const line = stage.from.getRange().end.line;
    const eol = eolOf(model, line);
    const next = stage.instructions[0];
    const indent = next
      ? (/^[ \t]*/.exec(doc.getText({ start: { line: next.getRange().start.line, character: 0 }, end: next.getRange().start }))?.[0] ?? '')
      : '';
    if (line + 1 < doc.lineCount) {
      const at = { line: line + 1, character: 0 };
      edits.push({ range: { start: at, end: at }, newText: `${indent}ARG ${missing.join(' ')}${eol}` });
    } else {
      const at = doc.positionAt(model.text.length);
      edits.push({ range: { start: at, end: at }, newText: `${eol}ARG ${missing.join(' ')}` });
    }
  }
  // 3. GOOS/GOARCH (+GOARM, CGO_ENABLED=0) on each compile; move `go install` output back to $GOPATH/bin.
  const cgoSet = stageSets(model, stage, 'CGO_ENABLED') !== undefined;
  for (const { run, compile } of compiles) {
    const vars = ['GOOS=$TARGETOS', 'GOARCH=$TARGETARCH', ...(variant ? ['GOARM=${TARGETVARIANT#v}'] : [])];
    if (!cgoSet && !compile.assigned.has('CGO_ENABLED')) vars.unshift('CGO_ENABLED=0');
    const at = doc.positionAt(run.scanned.offset + compile.start);
    edits.push({ range: { start: at, end: at }, newText: `${vars.join(' ')} ` });
    if (compile.subcommand === 'install') {
      const end = doc.positionAt(run.scanned.offset + compile.end);
      const dir = '"$(go env GOPATH)/bin/${TARGETOS}_${TARGETARCH}"';
      edits.push({ range: { start: end, end }, newText: ` && { [ ! -d ${dir} ] || mv ${dir}/* "$(go env GOPATH)/bin/"; }` });
    }
  }
  return {
    advice: `${manual} (the quick fix does it).`,
    fix: { title: 'Cross-compile on the build platform', edits, isPreferred: true },
  };
}
