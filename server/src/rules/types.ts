/** The contract between the lint engine and the rules. */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { Instruction } from 'dockerfile-ast';
import type { Platform } from '../../../core/src/platforms';
import type { DockerfileModel } from '../../../core/src/dockerfile/model';
import type { RegistryAnswers } from '../lookups/types';
import type { LintSettings, SeverityName } from '../../../core/src/settings';

export type RuleCode = `GC${number}`;

/** A quick fix: a title and the text edits that apply it. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** Mark the fix VS Code should apply with "Auto Fix" / Ctrl+. Enter. */
  readonly isPreferred?: boolean;
}

export interface Finding {
  readonly range: Range;
  readonly message: string;
  /** The instruction the finding belongs to (for `# green-cloud ignore=` and the ignore fix). */
  readonly instruction?: Instruction;
  readonly fixes?: readonly Fix[];
  /** Overrides the rule's default severity for this finding (e.g. GC207 error vs info). */
  readonly severity?: Exclude<SeverityName, 'off'>;
}

export interface RuleContext {
  readonly model: DockerfileModel;
  /** Target platforms after the per-file `# platforms=` directive. */
  readonly platforms: readonly Platform[];
  readonly settings: LintSettings;
  /** Registry answers by base reference (server/src/lookups), when lookups ran: GC108/GC109 and GC101–GC103's confirmation. */
  readonly registry?: RegistryAnswers;
}

export interface Rule {
  readonly code: RuleCode;
  /** A short name, e.g. "Architecture namespace in base image". */
  readonly title: string;
  /** One sentence for SARIF `shortDescription` and the README. */
  readonly description: string;
  readonly defaultSeverity: Exclude<SeverityName, 'off'>;
  /** Diagnostic tags (1 = Unnecessary, 2 = Deprecated). */
  readonly tags?: readonly (1 | 2)[];
  /** Peer pragmas that suppress this rule: `hadolint:DL3029`, `buildkit:FromPlatformFlagConstDisallowed`. */
  readonly peerCodes?: readonly string[];
  check(context: RuleContext): Finding[];
}
