/** Every rule, in code order. A rule is one file named by its code. */
import { GC001 } from './GC001';
import { GC101 } from './GC101';
import type { Rule } from './types';

export const RULES: readonly Rule[] = [GC001, GC101];

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((r) => r.code === code);
}
