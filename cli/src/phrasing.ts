/**
 * The core's structured errors in the terminal's words: the flag that carried the bad input, or
 * the flag that is the next step. (The editor phrases the same errors with its setting names:
 * client/src/ui/phrasing.ts.)
 */
import type { BuildRequestError } from '../../core/src/imageBuild';
import type { ManifestListError, RegistryError, RegistryRemedy } from '../../core/src/registry';
import { describeNetworkCause } from '../../core/src/registry/errors';
import type { LookupFailure } from '../../core/src/registry/lookup';

/**
 * Where the terminal sets another engine, added once after the core's "Cannot reach Docker at …
 * Start Docker there." (the editor names its settings instead: client/src/phrasing.ts).
 */
export const ENGINE_ELSEWHERE = 'To build elsewhere, set DOCKER_HOST, or map the platform with --builder PLATFORM=HOST.';

/** The planner's refusal, naming the flag that carried the bad input. */
export function phraseRequestError(error: BuildRequestError, builders: Readonly<Record<string, string>>): string {
  if (error.input === 'builders' && error.key !== undefined) {
    return `--builder ${error.key}=${builders[error.key] ?? ''}: ${sentence(error.message)} Give --builder PLATFORM=HOST, e.g. --builder linux/arm64=ssh://user@host.`;
  }
  return error.message;
}

/** A registry or manifest list failure, with the flag that is the next step when there is one. */
export function phraseRegistryError(error: RegistryError | ManifestListError): string {
  const remedy = remedyText(error.remedy);
  return remedy ? `${sentence(error.message)} ${remedy}` : error.message;
}

/**
 * One line for a registry whose lookups got no answer (--verbose, once per registry and cause):
 * "docker.io gave no answer (host not found); its images were not checked for platforms. Offline? Pass --offline."
 */
export function phraseLookupFailure(registry: string, failure: LookupFailure | undefined, images: number): string {
  const which = images === 1 ? 'its image was' : `its ${images} images were`;
  const cause = failure?.cause;
  switch (cause) {
    case 'dns':
    case 'unreachable':
    case 'timeout':
    case 'other':
      return `${registry} gave no answer (${describeNetworkCause(cause)}); ${which} not checked for platforms. Offline? Pass --offline.`;
    case 'refused':
      return `${registry} gave no answer (connection refused); ${which} not checked for platforms. Start the registry, or pass --offline.`;
    case 'tls':
      return `${registry} gave no answer (TLS handshake failed); ${which} not checked for platforms. ${
        failure?.code === 'EPROTO' || failure?.code === 'ERR_SSL_WRONG_VERSION_NUMBER'
          ? `If it speaks plain HTTP, pass --insecure-host ${registry}.`
          : 'Check its certificate.'
      }`;
    case 'reset':
      return `${registry} gave no answer (connection reset); ${which} not checked for platforms.`;
    case 'rate-limited':
      return `${registry} is rate-limiting lookups (429); ${which} not checked for platforms. Try again later.`;
    default:
      return `${registry} gave no usable answer; ${which} not checked for platforms.`;
  }
}

function remedyText(remedy: RegistryRemedy | undefined): string | undefined {
  switch (remedy?.kind) {
    case 'insecure-host':
      return `If so, pass --insecure-host ${remedy.registry}.`;
    case 'no-sources':
      return 'Or use --platforms with --template, or --spec.';
    case 'oci-format':
      return 'Use --format oci.';
    case 'replace-not-amend':
      return 'Drop --amend to replace it.';
    default:
      return undefined;
  }
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
