/**
 * Memoises dockerfile-ast's `Instruction#getRawArguments`.
 *
 * dockerfile-ast re-tokenises an instruction's arguments on every `getArguments()` call, and
 * calls it several times per instruction while parsing (JSONInstruction's constructor, flags,
 * heredocs) and the rules call it again (image, flags, ARG names …). Profiling `npm run bench`
 * showed this re-tokenising (and the garbage it makes) as the largest cost of a lint.
 *
 * The result depends only on fields fixed in the constructor (document, ranges, escape
 * character), so it is cached per instance. Callers get a fresh copy of the array because
 * dockerfile-ast itself shifts flags off the returned array (`ModifiableInstruction`); the
 * Argument objects are immutable and shared. Only the copy of dockerfile-ast bundled with our
 * server is affected. If a future dockerfile-ast renames the method, nothing is patched and
 * everything still works, only slower.
 */
import { Instruction, type Argument } from 'dockerfile-ast';

const CACHE = Symbol('greenCloud.rawArguments');
const PATCHED = Symbol.for('greenCloud.getRawArgumentsMemoised');

interface Patchable {
  getRawArguments?: (this: CachedInstruction) => Argument[];
  [PATCHED]?: boolean;
}
interface CachedInstruction {
  [CACHE]?: Argument[];
}

export function memoiseInstructionArguments(): boolean {
  const proto = Instruction.prototype as unknown as Patchable;
  if (proto[PATCHED]) return true;
  const original = proto.getRawArguments;
  if (typeof original !== 'function') return false;
  proto.getRawArguments = function getRawArguments(this: CachedInstruction): Argument[] {
    let args = this[CACHE];
    if (args === undefined) {
      args = original.call(this);
      this[CACHE] = args;
    }
    return args.slice();
  };
  proto[PATCHED] = true;
  return true;
}

memoiseInstructionArguments();
