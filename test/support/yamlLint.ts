/** Test helpers for the YAML lint (GC3xx): strict lint, registry-answer tables, YAML validity. */
import { readFileSync } from 'node:fs';
import { Lexer, parseAllDocuments } from 'yaml';
import { parsePlatform, type Platform } from '../../core/src/platforms';
import type { GreenCloudDiagnostic } from '../../server/src/linter';
import { DEFAULT_SETTINGS, type LintSettings } from '../../core/src/settings';
import type { ImagePlatformsAnswer } from '../../server/src/yaml/imagePlatforms';
import { lintYaml, type YamlLintOptions } from '../../server/src/yamlLinter';
import { answerOf } from '../../server/src/yamlLookups';
import { registryAnswers } from './lint';

/** Lints YAML and throws if any rule failed. */
export function lintYamlStrict(
  text: string,
  options: YamlLintOptions = {},
  settings: LintSettings = DEFAULT_SETTINGS,
): GreenCloudDiagnostic[] {
  const errors: string[] = [];
  const out = lintYaml(text, settings, {
    ...options,
    onRuleError: (code, e) => errors.push(`${code}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  });
  if (errors.length > 0) throw new Error(`rules failed:\n${errors.join('\n')}`);
  return out;
}

function platformOf(text: string): Platform {
  return text === 'unknown/unknown' ? { os: 'unknown', architecture: 'unknown' } : parsePlatform(text);
}

/** A table of registry answers: `{ "ref": { "platforms": ["linux/amd64"], "multiPlatform": false } }`. */
export function imageTable(entries: Record<string, { platforms: string[]; multiPlatform: boolean }>): Map<string, ImagePlatformsAnswer> {
  return new Map(
    Object.entries(entries).map(([ref, v]) => [
      ref,
      { kind: 'found', platforms: v.platforms.map(platformOf), multiPlatform: v.multiPlatform },
    ]),
  );
}

/**
 * A fixture's `bad-x.registry.json` (the compact registry answers of test/support/lint.ts, shared
 * with the Dockerfile fixtures) as the YAML rules see them, through the same adapter as the server.
 */
export function loadImageTable(path: string): Map<string, ImagePlatformsAnswer> {
  const answers = registryAnswers(JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown>>);
  return new Map([...answers].map(([reference, result]) => [reference, answerOf(result)]));
}

/** The YAML errors of a text (empty when every document parses). */
export function yamlErrors(text: string): string[] {
  return parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors.map((e) => e.message) : []));
}

/** The comments of a YAML text, in order (to check a fix keeps them). */
export function yamlComments(text: string): string[] {
  return [...new Lexer().lex(text)].filter((t) => t.startsWith('#')).map((t) => t.trim());
}

/** The comments of a YAML text without Green Cloud pragmas (an ignore fix adds or extends one). */
export function yamlCommentsExceptPragmas(text: string): string[] {
  return yamlComments(text).filter((c) => !/^#\s*green-cloud\s+(global\s+)?ignore\s*=/i.test(c));
}

/** The data of every document (to check a fix that adds a comment changes nothing else). */
export function yamlValues(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => {
    try {
      return 'toJS' in d ? (d.toJS({ maxAliasCount: -1 }) as unknown) : undefined;
    } catch (error) {
      return `not convertible: ${error instanceof Error ? error.message : String(error)}`; // e.g. an alias before its anchor
    }
  });
}
