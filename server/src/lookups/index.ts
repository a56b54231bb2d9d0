/**
 * Registry lookups: which platforms an image reference really has. The API other features
 * (Dockerfile rules GC108/GC109, hovers, the CLI, Kubernetes/Compose checks) use:
 *
 *   const service = new LookupService({ cacheDirectory, tagTtlMs, insecureHosts, log });
 *   const result = await service.lookup('alpine:3.20');            // never throws
 *   if (result.status === 'ok') coverageOf(result, targets).missing …
 *   formatLookupMarkdown(result, { targets })                       // hover text
 *
 * Only `status: 'ok'` answers may become diagnostics. No `vscode` import.
 */
export * from './types';
export { LookupService, lookupPlatforms, describeCredentialsSource, DEFAULT_TAG_TTL_MS, type LookupServiceOptions } from './service';
export {
  coverageOf,
  platformCovers,
  formatLookupMarkdown,
  describeUnavailable,
  describeLookupPlatform,
  formatSize,
  type Coverage,
  type HoverFormatOptions,
} from './format';
export { LookupNotes } from './notes';
export { LookupCache, CACHE_FILE, defaultCacheDirectory } from './cache';
export { baseReferences, lookupBases, withRegistryFindings, hoverBase, REGISTRY_RULES, type BaseHover } from './dockerfile';
