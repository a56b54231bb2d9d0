/** Every rule, in code order. A rule is one file named by its code. */
import { GC001 } from './GC001';
import { GC101 } from './GC101';
import { GC102 } from './GC102';
import { GC103 } from './GC103';
import { GC104 } from './GC104';
import { GC105 } from './GC105';
import { GC106 } from './GC106';
import { GC107 } from './GC107';
import { GC108 } from './GC108';
import { GC109 } from './GC109';
import { GC110 } from './GC110';
import { GC201 } from './GC201';
import { GC202 } from './GC202';
import { GC203 } from './GC203';
import { GC204 } from './GC204';
import { GC205 } from './GC205';
import { GC206 } from './GC206';
import { GC207 } from './GC207';
import { GC301 } from './GC301';
import { GC302 } from './GC302';
import { GC303 } from './GC303';
import { GC304 } from './GC304';
import type { YamlRule } from '../yaml/types';
import type { Rule } from './types';

export const RULES: readonly Rule[] = [
  GC001,
  GC101,
  GC102,
  GC103,
  GC104,
  GC105,
  GC106,
  GC107,
  GC108,
  GC109,
  GC110,
  GC201,
  GC202,
  GC203,
  GC204,
  GC205,
  GC206,
  GC207,
];

/** The Kubernetes and Compose rules (server/src/yaml/), run by `lintYaml`. */
export const YAML_RULES: readonly YamlRule[] = [GC301, GC302, GC303, GC304];

/** What the CLI (`--rule`, SARIF) and the docs need of any rule, Dockerfile or YAML. */
export type RuleInfo = Pick<Rule, 'code' | 'title' | 'description' | 'defaultSeverity'>;

/** Every rule, Dockerfile and YAML, in code order. */
export const ALL_RULES: readonly RuleInfo[] = [...RULES, ...YAML_RULES];

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((r) => r.code === code);
}

/** A rule of either kind by code. */
export function anyRuleByCode(code: string): RuleInfo | undefined {
  return ALL_RULES.find((r) => r.code === code);
}
