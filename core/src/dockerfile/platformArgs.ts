/**
 * The automatic platform build arguments (TARGETARCH …) and their scope: defined in the global
 * scope only, so a stage sees them only after `ARG NAME` in that stage or in a stage it is
 * built FROM (directly or through its parents). Shared by GC105, GC106
 * and GC107 (and by helpers.isDeliberatelyPerArch).
 */
import { Env, type Instruction } from 'dockerfile-ast';
import type { TextEdit } from 'vscode-languageserver-types';
import { argDeclarations, type DockerfileModel, type Stage } from './model';

export const PLATFORM_ARGS: readonly string[] = [
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
];

const PLATFORM_ARG_SET = new Set(PLATFORM_ARGS);

export function isPlatformArg(name: string): boolean {
  return PLATFORM_ARG_SET.has(name);
}

/** `$TARGETPLATFORM`, `${TARGETPLATFORM}` (optionally quoted): the value every stage has by default. */
export function isTargetPlatformValue(value: string): boolean {
  let v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1);
  return v === '$TARGETPLATFORM' || v === '${TARGETPLATFORM}';
}

/** The line terminator that ends `line` (the file's usual one when the line is the last). */
export function eolOf(model: DockerfileModel, line: number): string {
  const doc = model.document;
  if (line + 1 < doc.lineCount) {
    const next = doc.offsetAt({ line: line + 1, character: 0 });
    return model.text[next - 2] === '\r' ? '\r\n' : '\n';
  }
  return model.text.includes('\r\n') ? '\r\n' : '\n';
}

function indentationAt(model: DockerfileModel, line: number): string {
  const text = model.document.getText({ start: { line, character: 0 }, end: { line, character: 200 } });
  return /^[ \t]*/.exec(text)?.[0] ?? '';
}

/**
 * An edit that inserts `ARG NAME` on its own line right after the stage's FROM (indented like
 * the stage's first instruction, with the FROM line's own line ending).
 */
export function insertArgAfterFrom(model: DockerfileModel, stage: Stage, name: string): TextEdit {
  const line = stage.from.getRange().end.line;
  const eol = eolOf(model, line);
  const firstInstruction = stage.instructions[0];
  const indent = indentationAt(model, firstInstruction ? firstInstruction.getRange().start.line : stage.from.getRange().start.line);
  if (line + 1 < model.document.lineCount) {
    const at = { line: line + 1, character: 0 };
    return { range: { start: at, end: at }, newText: `${indent}ARG ${name}${eol}` };
  }
  const at = model.document.positionAt(model.text.length);
  return { range: { start: at, end: at }, newText: `${eol}${indent}ARG ${name}` };
}

/** Which names are defined (ARG or ENV in the stage, or inherited from its parent stages) before an instruction. */
export interface StageScope {
  /** True when `name` has a value from `ARG`/`ENV` before `instruction` (or ARG/ENV inherited from a parent stage). */
  definedBefore(name: string, instruction: Instruction): boolean;
}

function envNames(instruction: Instruction): string[] {
  if (!(instruction instanceof Env)) return [];
  return instruction.getProperties().map((p) => p.getName());
}

/**
 * Names a stage passes on to stages built FROM it (through its own parents too): its ENV
 * variables and its ARGs. BuildKit copies a stage's build arguments to the stages based on it
 * (the Dockerfile reference: an ARG "is automatically inherited by other stages based on that
 * stage"), so `FROM base AS child` sees the `ARG TARGETARCH` that `base` declared.
 */
export function inheritedNames(model: DockerfileModel, stage: Stage): ReadonlySet<string> {
  let all = INHERITED.get(model);
  if (!all) {
    all = [];
    const declared = model.stages.map((s) => declaredNames(model, s));
    for (const s of model.stages) {
      const p = s.base.stageIndex;
      if (p === undefined || p >= s.index) all.push(NOTHING);
      else if (declared[p].length === 0)
        all.push(all[p]); // shared, not copied: deep chains stay linear
      else all.push(new Set([...all[p], ...declared[p]]));
    }
    INHERITED.set(model, all);
  }
  return all[stage.index] ?? NOTHING;
}

const NOTHING: ReadonlySet<string> = new Set();
const INHERITED = new WeakMap<DockerfileModel, ReadonlySet<string>[]>();

/** ARG and ENV names a stage declares itself. */
function declaredNames(model: DockerfileModel, stage: Stage): string[] {
  const out: string[] = [];
  for (const ins of stage.instructions) {
    const keyword = ins.getKeyword().toUpperCase();
    if (keyword === 'ARG') for (const d of argDeclarations(model.document, ins)) out.push(d.name);
    else if (keyword === 'ENV') out.push(...envNames(ins));
  }
  return out;
}

export function stageScope(model: DockerfileModel, stage: Stage): StageScope {
  const inherited = inheritedNames(model, stage);
  const firstDefinition = new Map<string, number>();
  const position = new Map<Instruction, number>();
  stage.instructions.forEach((ins, i) => {
    position.set(ins, i);
    const keyword = ins.getKeyword().toUpperCase();
    const names = keyword === 'ARG' ? argDeclarations(model.document, ins).map((d) => d.name) : keyword === 'ENV' ? envNames(ins) : [];
    for (const n of names) if (!firstDefinition.has(n)) firstDefinition.set(n, i);
  });
  return {
    definedBefore(name, instruction) {
      if (inherited.has(name)) return true;
      const at = position.get(instruction);
      const defined = firstDefinition.get(name);
      return at !== undefined && defined !== undefined && defined < at;
    },
  };
}

/** Removes the whole `--platform=…` flag plus the blanks that follow it on the same line. */
export function removePlatformFlagEdit(model: DockerfileModel, stage: Stage): TextEdit | undefined {
  const flag = stage.platformFlag;
  if (!flag) return undefined;
  const doc = model.document;
  let end = doc.offsetAt(flag.range.end);
  const text = model.text;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return { range: { start: flag.range.start, end: doc.positionAt(end) }, newText: '' };
}
