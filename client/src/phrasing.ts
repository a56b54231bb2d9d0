/**
 * The core's structured errors in the editor's words: the setting that carried the bad input,
 * or the setting that is the next step. (The CLI phrases the same errors with its flags:
 * cli/src/phrasing.ts.) No `vscode` import; unit-tested.
 */
import { BuildRequestError } from '../../core/src/imageBuild/types';
import type { PlatformResult } from '../../core/src/imageBuild/types';
import { ManifestListError, RegistryError, type RegistryRemedy } from '../../core/src/registry/errors';

/** Any error's text, with the setting named when the core says which input or next step it is about. */
export function phraseError(error: unknown): string {
  if (error instanceof BuildRequestError) return phraseRequestError(error);
  if (error instanceof RegistryError || error instanceof ManifestListError) return phraseRegistryError(error);
  return error instanceof Error ? error.message : String(error);
}

/** The planner's refusal, naming the setting that carried the bad input. */
export function phraseRequestError(error: BuildRequestError): string {
  if (error.input === 'builders' && error.key !== undefined) return `greenCloud.builders["${error.key}"]: ${error.message}`;
  return error.message;
}

/** A registry or manifest list failure, with the setting that is the next step when there is one. */
export function phraseRegistryError(error: RegistryError | ManifestListError): string {
  const remedy = remedyText(error.remedy);
  return remedy ? `${sentence(error.message)} ${remedy}` : error.message;
}

/** A platform's failure reason, with where another engine is set when the engine could not be reached. */
export function phrasePlatformError(result: PlatformResult): string | undefined {
  if (result.error === undefined || !result.engineUnreachable) return result.error;
  return `${sentence(result.error)} ${ENGINE_ELSEWHERE}`;
}

/** Where the editor sets another engine (the CLI names DOCKER_HOST and --builder instead). */
export const ENGINE_ELSEWHERE =
  'To build elsewhere, set greenCloud.docker.host, or map the platform to another engine in greenCloud.builders.';

function remedyText(remedy: RegistryRemedy | undefined): string | undefined {
  switch (remedy?.kind) {
    case 'insecure-host':
      return `If so, add ${remedy.registry} to greenCloud.registry.insecureHosts.`;
    case 'oci-format':
      return 'Push it as an OCI image index.';
    case 'replace-not-amend':
      return 'Replace it instead.';
    default:
      return undefined;
  }
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
