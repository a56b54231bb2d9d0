/**
 * The constant values of ARG and ENV variables inside a stage: what a variable holds where an
 * instruction reads it, when the Dockerfile fixes it (a scope analysis beside platformArgs.ts).
 */
import { Env, type Instruction } from 'dockerfile-ast';
import { argDeclarations, type ArgDeclaration, type DockerfileModel, type Stage } from './model';
import { isPlatformArg } from './platformArgs';

/**
 * A variable's constant value in an instruction of a stage: the default of the ARG that defines
 * it (the stage's own `ARG NAME=value`, or `ARG NAME` taking the global default), or an ENV
 * value. Undefined when the value can differ per build: a platform ARG, an ARG without any
 * default (set with --build-arg), a value with variables, or a name the stage does not define.
 */
export interface ConstantValue {
  readonly value: string;
  /** The ARG declaration holding the value (undefined for ENV). */
  readonly declaration?: ArgDeclaration;
  /** The stage the declaration belongs to (undefined for a global ARG). */
  readonly stage?: Stage;
}

interface Definition {
  /** Position of the defining instruction in the stage. */
  readonly at: number;
  /** The ARG declaration, or undefined for an ENV. */
  readonly declaration?: ArgDeclaration;
}

interface StageDefinitions {
  readonly position: Map<Instruction, number>;
  readonly byName: Map<string, Definition[]>;
}

const DEFINITIONS = new WeakMap<Stage, StageDefinitions>();

/** The ARG and ENV definitions of a stage, by name, in order (built once per stage). */
function definitionsOf(model: DockerfileModel, stage: Stage): StageDefinitions {
  let defs = DEFINITIONS.get(stage);
  if (!defs) {
    const position = new Map<Instruction, number>();
    const byName = new Map<string, Definition[]>();
    const add = (name: string, definition: Definition): void => {
      const list = byName.get(name);
      if (list) list.push(definition);
      else byName.set(name, [definition]);
    };
    stage.instructions.forEach((ins, at) => {
      position.set(ins, at);
      if (ins instanceof Env) for (const p of ins.getProperties()) add(p.getName(), { at });
      else if (ins.getKeyword().toUpperCase() === 'ARG')
        for (const d of argDeclarations(model.document, ins)) add(d.name, { at, declaration: d });
    });
    defs = { position, byName };
    DEFINITIONS.set(stage, defs);
  }
  return defs;
}

/** The constant value of `name` where `instruction` of `stage` reads it (see ConstantValue), or undefined. */
export function constantValueOf(model: DockerfileModel, stage: Stage, instruction: Instruction, name: string): ConstantValue | undefined {
  if (isPlatformArg(name)) return undefined;
  const { position, byName } = definitionsOf(model, stage);
  const list = byName.get(name);
  const at = position.get(instruction);
  if (!list || at === undefined) return undefined;
  let last: Definition | undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].at < at) {
      last = list[i];
      break;
    }
  }
  // ENV values are checked where they are written; no definition: empty, or inherited (not ours).
  if (!last?.declaration) return undefined;
  let found: ConstantValue | undefined;
  if (last.declaration.value !== undefined) found = { value: last.declaration.value, declaration: last.declaration, stage };
  else {
    const global = model.globalArgDeclarations.get(name);
    if (global?.value !== undefined) found = { value: global.value, declaration: global };
  }
  if (!found || found.value.includes('$')) return undefined;
  return found;
}
