/**
 * A model of Kubernetes manifests and Compose files for the GC3xx rules: the workloads, the
 * images they run (with their offsets in the text), and the platforms each workload can land on.
 *
 * Which YAML is ours:
 * - Compose files by name (`compose.yaml`, `docker-compose.*.yml` …) or language id `dockercompose`;
 * - Kubernetes documents (a map with `apiVersion` and `kind`) of the kinds that hold a Pod
 *   template, in any YAML file, multi-document files included;
 * - anything else (CI workflows, Helm values, ConfigMaps) yields no workload.
 *
 * Pure: no connection, file system or network. Never throws on any input (malformed YAML,
 * alias loops, huge files); documents with YAML errors are skipped.
 */
import { parseAllDocuments, type Document } from 'yaml';
import { composeWorkloads } from './compose';
import { kubernetesWorkloads } from './kubernetes';
import { deref, get, stringOf } from './nodes';

export { resolveTemplated } from './nodes';
import { parsePlatformList, type Platform } from '../../../core/src/platforms';

/** Files larger than this are not linted (the CLI notes them; the server stays responsive). */
export const MAX_YAML_BYTES = 1024 * 1024;

export type YamlFlavour = 'compose' | 'kubernetes';

/** `compose.yaml`, `compose.yml`, `docker-compose.yaml`, `docker-compose.prod.yml`, `compose.override.yaml` … */
export const COMPOSE_FILE_NAME = /^(?:docker-)?compose(?:\.[^/\\]+)?\.ya?ml$/i;

/** True when the path's last component is a Compose file name. */
export function isComposeFileName(path: string): boolean {
  const base = path.split(/[/\\]/).pop() ?? path;
  return COMPOSE_FILE_NAME.test(base);
}

/** Kinds whose documents hold a Pod spec (Pod) or Pod templates (the others). */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Pod',
  'PodTemplate',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
]);

/** A half-open span of offsets in the text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface ImageUse {
  /** The image reference (a Compose `${VAR:-default}` replaced by its default). */
  readonly image: string;
  /** The value's text span, inside the quotes when quoted. */
  readonly span: Span;
  /** The value as written equals `image`, so offsets inside `image` map to `span.start + i`. */
  readonly literal: boolean;
  /** Offset of the scalar's CST token (the quote when quoted), for edits. */
  readonly tokenOffset: number;
  /** `container 'web'`, `init container 'migrate'`, `service 'db'`. */
  readonly where: string;
}

/** A scheduling constraint that narrows the platforms (`nodeSelector kubernetes.io/arch: arm64`). */
export interface Constraint {
  readonly description: string;
  readonly span: Span;
  /** `arch` constraints pin the architecture; `os` ones the operating system. */
  readonly label: 'arch' | 'os';
  /** A `nodeSelector` entry (the only kind of pin GC303's quick fix removes). */
  readonly nodeSelectorKeyOffset?: number;
}

export interface Workload {
  readonly flavour: YamlFlavour;
  /** `Deployment 'web'`, `service 'db'`. */
  readonly name: string;
  /** The span diagnostics about the whole workload point at (its name or kind). */
  readonly span: Span;
  /** `greenCloud.platforms` or the file's `# platforms=` (before any narrowing). */
  readonly targets: readonly Platform[];
  /** Where the workload can land, after scheduling constraints or Compose's `platform`. */
  readonly platforms: readonly Platform[];
  /** The constraints that narrowed `targets` to `platforms`. */
  readonly constraints: readonly Constraint[];
  /** A constraint could not be read (templated value): platform findings are skipped. */
  readonly uncertain: boolean;
  readonly images: readonly ImageUse[];
  /** Kubernetes: offset of the Pod spec's map token, for the nodeSelector quick fix. */
  readonly podSpecOffset?: number;
  /** Kubernetes: the Pod spec is a block map (quick fixes only edit block maps). */
  readonly podSpecBlock?: boolean;
  /** Kubernetes: the Pod spec already has a `kubernetes.io/arch` nodeSelector entry. */
  readonly hasArchSelector?: boolean;
  /** Kubernetes: offset of the existing `nodeSelector` map token (block map), if any. */
  readonly nodeSelectorOffset?: number;
  /** Kubernetes: offset of the `nodeSelector` key token, and how many entries its map has. */
  readonly nodeSelectorKeyOffset?: number;
  readonly nodeSelectorSize?: number;
  /** Compose: the service's `platform` value. */
  readonly platformValue?: {
    readonly value: string;
    readonly span: Span;
    readonly constant: boolean;
    readonly keyOffset: number;
    readonly inherited: boolean;
  };
  /** Compose: the service builds its image (`build:`); `image` then names the result. */
  readonly builds?: boolean;
}

export interface YamlModel {
  readonly text: string;
  readonly flavour: YamlFlavour | undefined;
  readonly workloads: readonly Workload[];
  /** The file's `# platforms=` directive, when present and valid. */
  readonly directivePlatforms?: readonly Platform[];
}

export interface YamlModelOptions {
  /** The document's file name or URI (Compose files are recognised by name). */
  readonly fileName?: string;
  /** The editor's language id (`dockercompose` marks a Compose file). */
  readonly languageId?: string;
  /** `greenCloud.platforms`. */
  readonly platforms: readonly Platform[];
}

// ---------------------------------------------------------------------------------------------
// Directive

/** `# platforms=linux/amd64,linux/arm64` among the comments at the top of the file. */
export function findYamlPlatformsDirective(text: string): Platform[] | undefined {
  const lines = text.slice(0, 64 * 1024).split(/\r?\n/);
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed === '---') continue;
    if (!trimmed.startsWith('#')) return undefined;
    const value = /^#\s*platforms\s*=\s*(.*)$/i.exec(trimmed)?.[1];
    if (value === undefined) continue;
    try {
      const list = parsePlatformList(value);
      return list.length > 0 ? list : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

/** The flavour a file has by name or language id alone (Kubernetes is recognised by content). */
export function flavourByName(fileName: string | undefined, languageId: string | undefined): YamlFlavour | undefined {
  if (languageId === 'dockercompose') return 'compose';
  if (fileName === undefined) return undefined;
  let path = fileName.replace(/[?#].*$/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // a malformed %-escape: match the name as written
  }
  if (isComposeFileName(path)) return 'compose';
  return undefined;
}

/** True when the text has a document with `apiVersion` and `kind` of a Pod-bearing kind (cheap pre-check, then a parse). */
export function looksLikeKubernetes(text: string): boolean {
  if (!/^\s*apiVersion\s*:/m.test(text) || !/^\s*kind\s*:/m.test(text)) return false;
  const model = buildYamlModel(text, { platforms: [] });
  return model.flavour === 'kubernetes';
}

export function buildYamlModel(text: string, options: YamlModelOptions): YamlModel {
  const empty: YamlModel = { text, flavour: undefined, workloads: [] };
  if (text.length > MAX_YAML_BYTES) return empty;
  const byName = flavourByName(options.fileName, options.languageId);
  const directivePlatforms = findYamlPlatformsDirective(text);
  const targets = directivePlatforms ?? options.platforms;
  let docs: Document[];
  try {
    const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, strict: false, merge: true });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch {
    return empty;
  }
  const workloads: Workload[] = [];
  let kubernetes = false;
  for (const doc of docs) {
    if (doc.errors.length > 0) continue;
    try {
      if (byName === 'compose') {
        composeWorkloads(doc, text, targets, workloads);
      } else {
        const before = workloads.length;
        const root = deref(doc, doc.contents);
        if (root && stringOf(get(doc, root, 'apiVersion')) !== undefined && stringOf(get(doc, root, 'kind')) !== undefined) {
          kubernetesWorkloads(doc, text, root, targets, workloads);
          if (workloads.length > before) kubernetes = true;
        }
      }
    } catch {
      // a document we cannot walk contributes nothing
    }
  }
  const flavour = byName ?? (kubernetes ? 'kubernetes' : undefined);
  return { text, flavour, workloads, directivePlatforms };
}
