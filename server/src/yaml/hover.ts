/**
 * The hover on an image value of a Kubernetes manifest or Compose file: the same platform table
 * as on a Dockerfile's FROM (`formatLookupMarkdown`), checked against where the workload can land.
 */
import { formatLookupMarkdown } from '../lookups/format';
import type { LookupResult } from '../lookups/types';
import type { LintSettings } from '../../../core/src/settings';
import { buildYamlModel, type Span } from './model';
import { platformSource } from './platformSets';

export interface YamlHover {
  readonly image: string;
  readonly span: Span;
  /** The Markdown for the lookup's answer. */
  markdown(result: LookupResult): string;
}

/** The image value under `offset`, or undefined (templated values are never looked up). */
export function yamlHover(
  text: string,
  offset: number,
  settings: LintSettings,
  options: { fileName?: string; languageId?: string },
): YamlHover | undefined {
  const model = buildYamlModel(text, { ...options, platforms: settings.platforms });
  for (const workload of model.workloads) {
    for (const use of workload.images) {
      if (offset < use.span.start || offset > use.span.end) continue;
      return {
        image: use.image,
        span: use.span,
        markdown: (result) =>
          formatLookupMarkdown(result, {
            targets: workload.uncertain ? undefined : workload.platforms,
            targetsSource: `where ${workload.name} can land: ${platformSource(workload, model.directivePlatforms !== undefined)}`,
          }),
      };
    }
  }
  return undefined;
}
