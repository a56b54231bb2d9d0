/** The contract between the YAML lint (`lintYaml`) and the GC3xx rules. */

import type { LintSettings, SeverityName } from '../../../core/src/settings';
import type { OffsetEdit } from './edits';
import type { ImagePlatformsTable } from './imagePlatforms';
import type { Span, YamlModel } from './model';

export interface YamlFix {
  readonly title: string;
  readonly edits: readonly OffsetEdit[];
  readonly isPreferred?: boolean;
}

export interface YamlFinding {
  readonly span: Span;
  readonly message: string;
  readonly fixes?: readonly YamlFix[];
  readonly severity?: Exclude<SeverityName, 'off'>;
}

export interface YamlRuleContext {
  readonly model: YamlModel;
  readonly settings: LintSettings;
  /** Registry answers by image; undefined when lookups are off or have not arrived yet. */
  readonly images?: ImagePlatformsTable;
}

export interface YamlRule {
  readonly code: `GC${number}`;
  readonly title: string;
  readonly description: string;
  readonly defaultSeverity: Exclude<SeverityName, 'off'>;
  /** The rule reads registry answers (`images`); it reports nothing without them. */
  readonly usesLookups: boolean;
  check(context: YamlRuleContext): YamlFinding[];
}
