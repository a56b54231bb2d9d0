/**
 * Kubernetes and Compose files: the model (which files, workloads, images, where they can land)
 * and the registry answers the GC3xx rules read. The lint itself is server/src/yamlLinter.ts,
 * the registry adapter and hover server/src/yamlLookups.ts.
 */
export { COMPOSE_FILE_NAME, isComposeFileName, looksLikeKubernetes, MAX_YAML_BYTES } from './model';
export { lookUpAll, type ImagePlatformsAnswer, type ImagePlatformsLookup, type ImagePlatformsTable } from './imagePlatforms';
