/**
 * Registry lookups for Dockerfiles, as the language server and the CLI use them: which base
 * references to look up (never stage names, `scratch` or unresolved variables), the registry
 * findings (GC108/GC109, and GC101–GC103 with the registry's confirmation) merged into the
 * syntactic diagnostics, and the hover on a FROM. No connection, no `vscode`: the server
 * passes callbacks.
 */
import type { Position } from 'vscode-languageserver-types';
import { createContext, lint, type GreenCloudDiagnostic, type LintOptions } from '../linter';
import { buildModel, type DockerfileModel, type Stage } from '../../../core/src/dockerfile/model';
import { GC101 } from '../rules/GC101';
import { GC102 } from '../rules/GC102';
import { GC103 } from '../rules/GC103';
import { GC108 } from '../rules/GC108';
import { GC109, onBuildPlatform } from '../rules/GC109';
import { architectureWord, lookupReferenceOf, publishedPlatforms, requiredPlatforms } from '../rules/registryFacts';
import type { LintSettings } from '../../../core/src/settings';
import { formatLookupMarkdown } from './format';
import type { LookupService } from './service';
import type { LookupOptions, LookupResult, RegistryAnswers } from './types';

/** The rules whose result depends on registry answers. */
export const REGISTRY_RULES = [GC101, GC102, GC103, GC108, GC109] as const;
const REGISTRY_CODES = new Set<string>(REGISTRY_RULES.map((r) => r.code));

/** The distinct base references of a Dockerfile to look up. */
export function baseReferences(model: DockerfileModel): string[] {
  const out = new Set<string>();
  for (const stage of model.stages) {
    const reference = lookupReferenceOf(stage);
    if (reference !== undefined) out.add(reference);
  }
  return [...out];
}

/** Looks up every base of the file (concurrently; the service bounds and deduplicates). */
export async function lookupBases(
  model: DockerfileModel,
  service: LookupService,
  options: LookupOptions = {},
): Promise<Map<string, LookupResult>> {
  const references = baseReferences(model);
  return new Map(await Promise.all(references.map(async (r) => [r, await service.lookup(r, options)] as const)));
}

/**
 * The diagnostics with the registry's findings: the syntactic ones minus GC101–GC103, plus
 * GC101–GC103 and GC108/GC109 re-run with the answers (only the rules that use them run again).
 */
export function withRegistryFindings(
  text: string,
  syntactic: readonly GreenCloudDiagnostic[],
  settings: LintSettings,
  registry: RegistryAnswers,
  options: Omit<LintOptions, 'registry' | 'rules'> = {},
): GreenCloudDiagnostic[] {
  const registryDiagnostics = lint(text, settings, { ...options, registry, rules: REGISTRY_RULES });
  const out = [...syntactic.filter((d) => !REGISTRY_CODES.has(d.code)), ...registryDiagnostics];
  out.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code),
  );
  return out;
}

/** True when the registry changed anything (a new diagnostic or a message with the confirmation). */
export function sameDiagnostics(a: readonly GreenCloudDiagnostic[], b: readonly GreenCloudDiagnostic[]): boolean {
  return a.length === b.length && a.every((d, i) => d.code === b[i]?.code && d.message === b[i]?.message);
}

function contains(range: { start: Position; end: Position }, p: Position): boolean {
  const after = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const before = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return after && before;
}

/** The stage whose FROM image (as written) is at `position`. */
export function stageAt(model: DockerfileModel, position: Position): Stage | undefined {
  return model.stages.find((s) => contains(s.base.range, position));
}

export interface BaseHover {
  readonly markdown: string;
  readonly range: { start: Position; end: Position };
}

/**
 * The hover on a FROM's image: the lookup (waited for), described against the stage's platforms.
 * Undefined where there is nothing to look up (not on an image, a stage name, `scratch`, an
 * unresolved variable).
 */
export async function hoverBase(
  text: string,
  position: Position,
  settings: LintSettings,
  service: LookupService,
  options: LookupOptions = {},
): Promise<BaseHover | undefined> {
  const model = buildModel(text);
  const stage = stageAt(model, position);
  if (!stage) return undefined;
  const reference = lookupReferenceOf(stage);
  if (reference === undefined) return undefined;
  const result = await service.lookup(reference, options);
  const context = createContext(model, settings);
  const required = requiredPlatforms(context, stage);
  const flag = stage.platformFlag;
  const targetsSource = required?.constant
    ? `--platform=${flag?.value ?? ''}`
    : model.comments.some((c) => /^platforms\s*=/i.test(c.content) && c.line < model.firstInstructionLine)
      ? '# platforms='
      : 'greenCloud.platforms';
  let markdown = formatLookupMarkdown(result, { targets: required?.platforms, targetsSource });
  if (!required && flag) {
    markdown += `\n\nThis stage runs on the build machine (\`--platform=${flag.value.replace(/`/g, "'")}\`): not checked against the targets.`;
    if (result.status === 'ok' && result.kind === 'image' && result.pinnedDigest && onBuildPlatform(stage)) {
      const arch = architectureWord(result);
      markdown += ` But the digest pins a single ${publishedPlatforms(result)} image, which wins over the platform: every builder runs ${arch} binaries here, natively only on ${arch} builders (GC109).`;
    }
  }
  if (stage.base.viaVariable) markdown = `\`${stage.base.written.replace(/`/g, "'")}\` → ${markdown}`;
  return { markdown, range: stage.base.range };
}
