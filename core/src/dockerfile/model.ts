/**
 * A model of a Dockerfile for the rules: stages with their resolved base images, platform
 * flags, instructions and ARG scopes, plus the comment lines (pragmas) that sit between
 * instructions. Built once per lint on top of dockerfile-ast; pure (no I/O, no `vscode`).
 */
import { Arg, From, Instruction, JSONInstruction } from 'dockerfile-ast';
import type { Dockerfile } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseImageReference, type ImageReference } from '../imageRef';
import './astCache';
import { parseDockerfile } from './incrementalParse';

export interface PlatformFlag {
  /** The flag's value as written (`linux/arm64`, `$BUILDPLATFORM`). */
  readonly value: string;
  /** Range of the whole flag, `--platform=…`. */
  readonly range: Range;
  /** Range of the value only (empty range after `=` when the value is empty). */
  readonly valueRange: Range;
  /** True when the value contains a variable reference. */
  readonly hasVariable: boolean;
}

export interface BaseImage {
  /** The image as written in the FROM (may contain variables). */
  readonly written: string;
  /** Range of the written image argument in the FROM line. */
  readonly range: Range;
  /** The image with ARG defaults substituted, or undefined when a variable has no default. */
  readonly resolved?: string;
  /** True when the written image contains a variable reference. */
  readonly viaVariable: boolean;
  /** Parsed reference of the resolved image, when it parses. */
  readonly reference?: ImageReference;
  /** The repository path as written/resolved without registry (`arm64v8/alpine`), when known. */
  readonly path?: string;
  /** The registry host when written (`127.0.0.1:5000`). */
  readonly registry?: string;
  readonly tag?: string;
  readonly digest?: string;
  /**
   * Ranges of the name and tag inside the document. Only set when the image is written
   * literally (no variable); otherwise diagnostics point at `range`.
   */
  readonly nameRange?: Range;
  readonly tagRange?: Range;
  /** The index of an earlier stage this FROM refers to by name (`FROM build AS final`). */
  readonly stageIndex?: number;
  /** `FROM scratch`. */
  readonly scratch: boolean;
  /**
   * True when a variable without a value leaves the tag or digest unknown but the repository
   * is known (`arm32v6/alpine:$alpine_version`): `path` and `reference` (without tag) are set,
   * `resolved` and `tag` are not.
   */
  readonly tagUnresolved?: boolean;
}

export interface Stage {
  readonly index: number;
  readonly from: From;
  /** The stage name from `AS name` (lower-cased as BuildKit does), if any. */
  readonly name?: string;
  readonly nameRange?: Range;
  readonly base: BaseImage;
  readonly platformFlag?: PlatformFlag;
  /** Instructions of the stage after its FROM, in order. */
  readonly instructions: readonly Instruction[];
  /** Names declared with `ARG NAME` in this stage (upper-case kept as written). */
  readonly declaredArgs: ReadonlySet<string>;
  /** The line of the last line of the stage (inclusive). */
  readonly endLine: number;
}

export interface CommentLine {
  /** 0-based line number. */
  readonly line: number;
  /** Text after `#`, trimmed. */
  readonly content: string;
  readonly range: Range;
}

export interface DockerfileModel {
  readonly document: TextDocument;
  readonly text: string;
  readonly dockerfile: Dockerfile;
  readonly escapeCharacter: string;
  /** ARGs declared before the first FROM: name → default value (undefined when none). */
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
  /** The last declaration of each global ARG (for fixes that edit a default value). */
  readonly globalArgDeclarations: ReadonlyMap<string, ArgDeclaration>;
  readonly stages: readonly Stage[];
  /** All instructions, in order (including global ARGs and FROMs). */
  readonly instructions: readonly Instruction[];
  /** Comment lines that stand on their own between instructions. */
  readonly comments: readonly CommentLine[];
  /** Line of the first instruction, or the number of lines when there is none. */
  readonly firstInstructionLine: number;
}

const VARIABLE_RE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** True when the text contains a `$VAR` or `${VAR…}` reference. */
export function hasVariableReference(text: string): boolean {
  VARIABLE_RE.lastIndex = 0;
  return VARIABLE_RE.test(text);
}

/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` with values from
 * `lookup`. Returns undefined when a variable has no value and no default.
 */
export function expandVariables(text: string, lookup: (name: string) => string | undefined): string | undefined {
  let failed = false;
  const out = text.replace(
    VARIABLE_RE,
    (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare) as string;
      const value = lookup(name);
      if (op === '-') return value !== undefined && value !== '' ? value : (word ?? '');
      if (op === '+') return value !== undefined && value !== '' ? (word ?? '') : '';
      if (value === undefined) {
        failed = true;
        return '';
      }
      return value;
    },
  );
  return failed ? undefined : out;
}

export interface ArgDeclaration {
  readonly name: string;
  /** The default value (quotes removed), undefined for `ARG NAME`. */
  readonly value?: string;
  readonly instruction: Instruction;
  /** Range of the default value as written (inside quotes when quoted). */
  readonly valueRange?: Range;
}

/** The declarations of an ARG instruction (`ARG A=1 B`, `ARG LIST="a b"`). */
export function argDeclarations(document: TextDocument, instruction: Instruction): ArgDeclaration[] {
  const out: ArgDeclaration[] = [];
  // Quoted values with blanks (`LIST="a b"`) span several arguments: read them as properties.
  const properties = new Map<string, { value: string; range: Range }>();
  const inside: [number, number][] = [];
  if (instruction instanceof Arg) {
    for (const property of instruction.getProperties()) {
      const value = property.getValue();
      const range = property.getValueRange();
      if (value === null || !range) continue;
      properties.set(property.getName(), { value, range });
    }
  }
  for (const arg of instruction.getArguments()) {
    const argStart = document.offsetAt(arg.getRange().start);
    if (inside.some(([s, e]) => argStart > s && argStart < e)) continue;
    const text = arg.getValue();
    const eq = text.indexOf('=');
    const name = eq >= 0 ? text.slice(0, eq) : text;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    if (eq < 0) {
      out.push({ name, instruction });
      continue;
    }
    const property = properties.get(name);
    if (property && /^["']/.test(text.slice(eq + 1)) && !/^(["']).*\1$/s.test(text.slice(eq + 1))) {
      const raw = document.getText(property.range);
      let valueRange: Range | undefined;
      if (raw.length === property.value.length + 2 && raw.slice(1, -1) === property.value) {
        const start = document.offsetAt(property.range.start) + 1;
        valueRange = offsetRange(document, start, start + property.value.length);
      }
      out.push({ name, value: property.value, instruction, valueRange });
      inside.push([document.offsetAt(property.range.start), document.offsetAt(property.range.end)]);
      continue;
    }
    let value = text.slice(eq + 1);
    let valueStart = argStart + eq + 1;
    // Only trust the range when the argument is written on one line exactly as its value.
    const literal = document.getText(arg.getRange()) === text;
    if (value.length >= 2 && /^(["']).*\1$/.test(value)) {
      value = value.slice(1, -1);
      valueStart += 1;
    }
    out.push({ name, value, instruction, valueRange: literal ? offsetRange(document, valueStart, valueStart + value.length) : undefined });
  }
  return out;
}

function offsetRange(document: TextDocument, start: number, end: number): Range {
  return { start: document.positionAt(start), end: document.positionAt(end) };
}

function buildBaseImage(
  document: TextDocument,
  from: From,
  globalArgs: ReadonlyMap<string, string | undefined>,
  stageNames: ReadonlyMap<string, number>,
): BaseImage {
  const imageRange = from.getImageRange();
  const written = from.getImage() ?? '';
  const range = imageRange ?? from.getInstructionRange();
  const viaVariable = hasVariableReference(written);
  const resolved = viaVariable ? expandVariables(written, (n) => globalArgs.get(n)) : written;
  // A variable with no value in the tag or digest only (`arm32v6/alpine:$alpine_version`) still
  // leaves the repository known: the namespace or name alone can pin the image.
  const nameOnly = resolved === undefined ? repositoryOfUnresolved(written, globalArgs) : undefined;
  const scratch = resolved?.toLowerCase() === 'scratch';
  const stageIndex = resolved !== undefined ? stageNames.get(resolved.toLowerCase()) : undefined;
  let reference: ImageReference | undefined;
  let path: string | undefined;
  let registry: string | undefined;
  let tag: string | undefined;
  let digest: string | undefined;
  if (nameOnly !== undefined) {
    try {
      reference = parseImageReference(nameOnly.name);
    } catch {
      reference = undefined;
    }
    const first = nameOnly.name.split('/')[0];
    let rest = nameOnly.name;
    if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
      registry = first;
      rest = rest.slice(first.length + 1);
    }
    path = rest.toLowerCase();
  } else if (resolved && !scratch && stageIndex === undefined) {
    try {
      reference = parseImageReference(resolved);
    } catch {
      reference = undefined;
    }
    // Split the written form ourselves: the path as the user wrote it (no `library/`).
    let rest = resolved;
    const at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.slice(at + 1);
      rest = rest.slice(0, at);
    }
    const slash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
    const first = rest.split('/')[0];
    if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
      registry = first;
      rest = rest.slice(first.length + 1);
    }
    path = rest.toLowerCase();
  }
  let nameRange: Range | undefined;
  let tagRange: Range | undefined;
  if ((!viaVariable || nameOnly?.literal) && imageRange && path !== undefined) {
    const startOffset = document.offsetAt(imageRange.start);
    const text = document.getText(imageRange);
    if (text === written) {
      const nameStart = registry ? registry.length + 1 : 0;
      nameRange = offsetRange(document, startOffset + nameStart, startOffset + nameStart + path.length);
      if (tag !== undefined && !viaVariable) {
        const tagStart = nameStart + path.length + 1;
        tagRange = offsetRange(document, startOffset + tagStart, startOffset + tagStart + tag.length);
      }
    }
  }
  return {
    written,
    range,
    resolved,
    viaVariable,
    reference,
    path,
    registry,
    tag,
    digest,
    nameRange,
    tagRange,
    stageIndex,
    scratch,
    tagUnresolved: nameOnly !== undefined,
  };
}

/**
 * The repository of an image whose tag or digest holds a variable without a value
 * (`arm32v6/alpine:$alpine_version`, `resin/rpi-raspbian:${t}`), when the name part itself
 * resolves. `literal` says the name part is written without variables.
 */
function repositoryOfUnresolved(
  written: string,
  globalArgs: ReadonlyMap<string, string | undefined>,
): { name: string; literal: boolean } | undefined {
  if (written.length > 512) return undefined;
  let cut = written.indexOf('@');
  if (cut < 0) {
    const slash = written.lastIndexOf('/');
    const colon = written.lastIndexOf(':');
    // `${A:-x}` holds a colon too; an unresolved reference never does (`$A`, `${A}`).
    cut = colon > slash && !/\$\{[^}]*$/.test(written.slice(0, colon)) ? colon : -1;
  }
  if (cut <= 0) return undefined;
  const namePart = written.slice(0, cut);
  if (hasVariableReference(namePart)) {
    const name = expandVariables(namePart, (n) => globalArgs.get(n));
    return name && !hasVariableReference(name) && name !== '' ? { name, literal: false } : undefined;
  }
  return { name: namePart, literal: true };
}

function buildPlatformFlag(from: From): PlatformFlag | undefined {
  const flag = from.getPlatformFlag();
  if (!flag) return undefined;
  const value = flag.getValue() ?? '';
  const flagRange = flag.getRange();
  const valueRange = flag.getValueRange() ?? { start: flagRange.end, end: flagRange.end };
  return { value, range: flagRange, valueRange, hasVariable: hasVariableReference(value) };
}

/** Splits the text into comment lines that are not part of an instruction. */
function collectComments(document: TextDocument, instructions: readonly Instruction[]): CommentLine[] {
  const lineCount = document.lineCount;
  const inside = new Uint8Array(lineCount);
  for (const ins of instructions) {
    const r = ins.getRange();
    for (let l = r.start.line; l <= r.end.line && l < lineCount; l++) inside[l] = 1;
  }
  const out: CommentLine[] = [];
  const all = document.getText();
  for (let line = 0; line < lineCount; line++) {
    if (inside[line] === 1) continue;
    const start = document.offsetAt({ line, character: 0 });
    const end = line + 1 < lineCount ? document.offsetAt({ line: line + 1, character: 0 }) : all.length;
    // Most lines are blank or plain text: skip those whose first character after blanks is ASCII
    // and neither `#` nor other whitespace without building their text (the regex below
    // cannot match them).
    let j = start;
    while (j < end && (all.charCodeAt(j) === 32 || all.charCodeAt(j) === 9)) j++;
    const first = j < end ? all.charCodeAt(j) : 10;
    if (first !== 35 && first !== 11 && first !== 12 && first < 128) continue;
    // Guard against pathological lines: pragmas are short.
    const raw = document.getText(offsetRange(document, start, Math.min(end, start + 4096))).replace(/\r?\n$/, '');
    const m = /^(\s*)#(.*)$/.exec(raw);
    if (!m) continue;
    out.push({
      line,
      content: m[2].trim(),
      range: { start: { line, character: m[1].length }, end: { line, character: raw.length } },
    });
  }
  return out;
}

/** Parses the text into the model. Never throws on any input. */
export function buildModel(text: string, uri = 'untitled:Dockerfile'): DockerfileModel {
  const document = TextDocument.create(uri, 'dockerfile', 0, text);
  const dockerfile = parseDockerfile(text);
  const instructions = dockerfile.getInstructions();
  const globalArgs = new Map<string, string | undefined>();
  const globalArgDeclarations = new Map<string, ArgDeclaration>();
  for (const arg of dockerfile.getInitialARGs()) {
    for (const decl of argDeclarations(document, arg)) {
      const { name, value } = decl;
      globalArgs.set(name, value !== undefined ? (expandVariables(value, (n) => globalArgs.get(n)) ?? value) : undefined);
      globalArgDeclarations.set(name, decl);
    }
  }
  const stages: Stage[] = [];
  const stageNames = new Map<string, number>();
  // Positions of the FROMs in one pass (indexOf per stage was quadratic on many-stage files).
  const fromIndexes: number[] = [];
  for (let i = 0; i < instructions.length; i++) if (instructions[i] instanceof From) fromIndexes.push(i);
  const froms = fromIndexes.map((i) => instructions[i] as From);
  for (let s = 0; s < froms.length; s++) {
    const from = froms[s];
    const fromIndex = fromIndexes[s];
    const nextFrom = s + 1 < froms.length ? fromIndexes[s + 1] : instructions.length;
    const body = instructions.slice(fromIndex + 1, nextFrom);
    const declaredArgs = new Set<string>();
    for (const ins of body) {
      if (ins.getKeyword() === 'ARG') for (const { name } of argDeclarations(document, ins)) declaredArgs.add(name);
    }
    const name = from.getBuildStage() ?? undefined;
    const base = buildBaseImage(document, from, globalArgs, stageNames);
    const endLine = s + 1 < froms.length ? froms[s + 1].getRange().start.line - 1 : Math.max(0, document.lineCount - 1);
    stages.push({
      index: s,
      from,
      name: name?.toLowerCase(),
      nameRange: from.getBuildStageRange() ?? undefined,
      base,
      platformFlag: buildPlatformFlag(from),
      instructions: body,
      declaredArgs,
      endLine,
    });
    if (name) stageNames.set(name.toLowerCase(), s);
  }
  return {
    document,
    text,
    dockerfile,
    escapeCharacter: dockerfile.getEscapeCharacter(),
    globalArgs,
    globalArgDeclarations,
    stages,
    instructions,
    comments: collectComments(document, instructions),
    firstInstructionLine: instructions.length > 0 ? instructions[0].getRange().start.line : document.lineCount,
  };
}

/** The exec-form strings of an instruction (`RUN ["a", "b"]`), or undefined for shell form. */
export function execFormStrings(instruction: Instruction): string[] | undefined {
  if (!(instruction instanceof JSONInstruction)) return undefined;
  if (instruction.getOpeningBracket() === null || instruction.getClosingBracket() === null) return undefined;
  const strings = instruction.getJSONStrings();
  if (strings.length === 0) return undefined;
  return strings.map((s) => s.getJSONValue());
}

const STAGE_INDEX = new WeakMap<DockerfileModel, Map<Instruction, Stage>>();

/** The stage that contains an instruction, if any (constant time after the first call per model). */
export function stageOf(model: DockerfileModel, instruction: Instruction): Stage | undefined {
  let index = STAGE_INDEX.get(model);
  if (!index) {
    index = new Map();
    for (const stage of model.stages) {
      index.set(stage.from, stage);
      for (const ins of stage.instructions) index.set(ins, stage);
    }
    STAGE_INDEX.set(model, index);
  }
  return index.get(instruction);
}
