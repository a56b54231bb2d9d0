/**
 * The Kubernetes and Compose lint's public API, for the language server and the CLI:
 * `lintYaml` (GC301–GC304), what to look up, how to recognise the files, and the registry adapter.
 */
export { isYamlDocument, lintYaml, yamlImagesToLookUp, type YamlLintOptions } from './lint';
export { COMPOSE_FILE_NAME, isComposeFileName, looksLikeKubernetes, MAX_YAML_BYTES } from './model';
export { lookUpAll, type ImagePlatformsAnswer, type ImagePlatformsLookup, type ImagePlatformsTable } from './imagePlatforms';
export { answerOf, serviceLookup } from './registry';
export { yamlHover, type YamlHover } from './hover';
