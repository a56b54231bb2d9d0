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
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
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
// Templates and variables

/** Helm/Go templates anywhere in the value. */
const GO_TEMPLATE = /\{\{|\}\}/;

/**
 * Substitutes Compose/shell variables that have a default (`${TAG:-1.0}`, `${TAG-1.0}`).
 * Undefined when a variable has no default (`${TAG}`, `$TAG`, `${TAG:?error}`) or a Helm
 * template is present: such values are skipped.
 */
export function resolveTemplated(value: string): string | undefined {
  if (GO_TEMPLATE.test(value)) return undefined;
  if (!value.includes('$')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = value.indexOf('}', i + 2);
      if (close < 0) return undefined;
      const body = value.slice(i + 2, close);
      const m = /^[A-Za-z_][A-Za-z0-9_]*(:?-)(.*)$/s.exec(body);
      if (!m || m[2].includes('$')) return undefined;
      out += m[2];
      i = close + 1;
      continue;
    }
    return undefined; // `$VAR` or a stray `$`
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Navigation helpers (aliases resolved, merge keys followed, loops bounded)

const MAX_DEPTH = 64;

function deref(doc: Document, node: unknown, depth = 0): Node | undefined {
  let current = node;
  for (let i = 0; i < 8 && isAlias(current); i++) current = current.resolve(doc);
  if (depth > MAX_DEPTH || current === null || current === undefined || isAlias(current)) return undefined;
  return current as Node;
}

function keyName(pair: Pair): string | undefined {
  // With `merge: true` the `<<` key is a Scalar holding Symbol('<<').
  if (isScalar(pair.key) && typeof pair.key.value === 'symbol') return pair.key.value.description === '<<' ? '<<' : undefined;
  return isScalar(pair.key) && (typeof pair.key.value === 'string' || typeof pair.key.value === 'number')
    ? String(pair.key.value)
    : undefined;
}

/** The pair for `key` in a map, following `<<` merge keys (one level of aliases). */
function pairOf(doc: Document, map: YAMLMap, key: string, depth = 0): Pair | undefined {
  for (const item of map.items) if (keyName(item) === key) return item;
  if (depth > 4) return undefined;
  for (const item of map.items) {
    if (keyName(item) !== '<<') continue;
    const sources = deref(doc, item.value);
    const list = isSeq(sources) ? sources.items : [sources];
    for (const source of list) {
      const m = deref(doc, source);
      if (isMap(m)) {
        const found = pairOf(doc, m, key, depth + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function get(doc: Document, map: unknown, key: string): Node | undefined {
  const m = deref(doc, map);
  if (!isMap(m)) return undefined;
  const pair = pairOf(doc, m, key);
  return pair ? deref(doc, pair.value) : undefined;
}

function stringOf(node: Node | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** The text span of a scalar's value (inside quotes when quoted) and whether the source equals the value. */
function valueSpan(text: string, node: Node): { span: Span; literal: boolean; tokenOffset: number } | undefined {
  const range = node.range;
  if (!range || !isScalar(node)) return undefined;
  const [start, valueEnd] = range;
  const source = text.slice(start, valueEnd);
  const value = stringOf(node) ?? '';
  if (source === value) return { span: { start, end: valueEnd }, literal: true, tokenOffset: start };
  if ((source.startsWith('"') || source.startsWith("'")) && source.length >= 2 && source.slice(1, -1) === value) {
    return { span: { start: start + 1, end: valueEnd - 1 }, literal: true, tokenOffset: start };
  }
  return { span: { start, end: valueEnd }, literal: false, tokenOffset: start };
}

function nodeSpan(node: Node | undefined, fallback: Span): Span {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : fallback;
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
    const m = /^#\s*platforms\s*=\s*(.*)$/i.exec(trimmed);
    if (!m) continue;
    try {
      const list = parsePlatformList(m[1]);
      return list.length > 0 ? list : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

const ARCH_LABELS = new Set(['kubernetes.io/arch', 'beta.kubernetes.io/arch']);
const OS_LABELS = new Set(['kubernetes.io/os', 'beta.kubernetes.io/os']);

function labelOf(key: string): 'arch' | 'os' | undefined {
  return ARCH_LABELS.has(key) ? 'arch' : OS_LABELS.has(key) ? 'os' : undefined;
}

function matchesLabel(p: Platform, label: 'arch' | 'os', value: string): boolean {
  return label === 'arch' ? p.architecture === value.toLowerCase() : p.os === value.toLowerCase();
}

interface Narrowed {
  platforms: Platform[];
  constraints: Constraint[];
  uncertain: boolean;
}

function narrowByScheduling(
  doc: Document,
  podSpec: Node,
  targets: readonly Platform[],
): Narrowed & { hasArchSelector: boolean; nodeSelectorOffset?: number; nodeSelectorKeyOffset?: number; nodeSelectorSize: number } {
  let platforms = [...targets];
  const constraints: Constraint[] = [];
  let uncertain = false;
  let hasArchSelector = false;
  let nodeSelectorOffset: number | undefined;
  const selectorPair = isMap(podSpec) ? pairOf(doc, podSpec, 'nodeSelector') : undefined;
  const nodeSelectorKeyOffset = (selectorPair?.key as Node | null | undefined)?.range?.[0];
  const selector = selectorPair ? deref(doc, selectorPair.value) : undefined;
  const nodeSelectorSize = isMap(selector) ? selector.items.length : 0;
  if (isMap(selector)) {
    if (!selector.flow && selector.range) nodeSelectorOffset = selector.range[0];
    for (const pair of selector.items) {
      const key = keyName(pair);
      const label = key ? labelOf(key) : undefined;
      if (!label || !key) continue;
      if (label === 'arch') hasArchSelector = true;
      const valueNode = deref(doc, pair.value);
      const raw = stringOf(valueNode);
      const value = raw === undefined ? undefined : resolveTemplated(raw);
      if (value === undefined) {
        uncertain = true;
        continue;
      }
      platforms = platforms.filter((p) => matchesLabel(p, label, value));
      const keyRange = (pair.key as Node | null)?.range;
      const start = keyRange ? keyRange[0] : 0;
      const end = valueNode?.range?.[1] ?? keyRange?.[1] ?? start;
      constraints.push({
        description: `nodeSelector '${key}: ${value}'`,
        span: { start, end },
        label,
        nodeSelectorKeyOffset: keyRange ? keyRange[0] : undefined,
      });
    }
  }
  const terms = get(
    doc,
    get(doc, get(doc, get(doc, podSpec, 'affinity'), 'nodeAffinity'), 'requiredDuringSchedulingIgnoredDuringExecution'),
    'nodeSelectorTerms',
  );
  if (isSeq(terms) && terms.items.length > 0) {
    // Terms are ORed; the expressions of one term are ANDed.
    const union: Platform[] = [];
    const termConstraints: Constraint[] = [];
    let anyUnconstrained = false;
    for (const termNode of terms.items) {
      const expressions = get(doc, termNode, 'matchExpressions');
      let allowed = [...platforms];
      let constrained = false;
      if (isSeq(expressions)) {
        for (const exprNode of expressions.items) {
          const expr = deref(doc, exprNode);
          const key = stringOf(get(doc, expr, 'key'));
          const operator = stringOf(get(doc, expr, 'operator'));
          const label = key ? labelOf(key) : undefined;
          if (!label || !key || (operator !== 'In' && operator !== 'NotIn')) continue;
          const valuesNode = get(doc, expr, 'values');
          const values = isSeq(valuesNode) ? valuesNode.items.map((v) => stringOf(deref(doc, v))) : [];
          const resolved = values.map((v) => (v === undefined ? undefined : resolveTemplated(v)));
          if (resolved.length === 0 || resolved.some((v) => v === undefined)) {
            uncertain = true;
            continue;
          }
          const list = resolved as string[];
          constrained = true;
          allowed = allowed.filter((p) =>
            operator === 'In' ? list.some((v) => matchesLabel(p, label, v)) : !list.some((v) => matchesLabel(p, label, v)),
          );
          termConstraints.push({
            description: `required nodeAffinity '${key} ${operator} (${list.join(', ')})'`,
            span: nodeSpan(expr, { start: 0, end: 0 }),
            label,
          });
        }
      }
      if (!constrained) anyUnconstrained = true;
      for (const p of allowed)
        if (!union.some((q) => q.os === p.os && q.architecture === p.architecture && q.variant === p.variant)) union.push(p);
    }
    if (!anyUnconstrained) {
      platforms = platforms.filter((p) => union.some((q) => q.os === p.os && q.architecture === p.architecture && q.variant === p.variant));
      constraints.push(...termConstraints);
    }
  }
  return { platforms, constraints, uncertain, hasArchSelector, nodeSelectorOffset, nodeSelectorKeyOffset, nodeSelectorSize };
}

const CONTAINER_LISTS: readonly [string, string][] = [
  ['initContainers', 'init container'],
  ['containers', 'container'],
  ['ephemeralContainers', 'ephemeral container'],
];

function imagesOfPodSpec(doc: Document, text: string, podSpec: Node): ImageUse[] {
  const out: ImageUse[] = [];
  for (const [list, label] of CONTAINER_LISTS) {
    const seq = get(doc, podSpec, list);
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      const container = deref(doc, item);
      const imageNode = get(doc, container, 'image');
      const written = stringOf(imageNode);
      if (written === undefined || !imageNode) continue;
      const image = resolveTemplated(written.trim());
      const located = valueSpan(text, imageNode);
      if (image === undefined || image === '' || !located) continue;
      const name = stringOf(get(doc, container, 'name'));
      out.push({
        image,
        span: located.span,
        literal: located.literal && image === written,
        tokenOffset: located.tokenOffset,
        where: name ? `${label} '${name}'` : label,
      });
    }
  }
  return out;
}

/** Pod specs of a workload document: `spec` of a Pod, the `template.spec` nested anywhere under the others. */
function podSpecsOf(doc: Document, root: Node, kind: string): Node[] {
  const spec = get(doc, root, 'spec');
  if (kind === 'Pod') return spec ? [spec] : [];
  if (kind === 'PodTemplate') {
    const s = get(doc, get(doc, root, 'template'), 'spec');
    return s ? [s] : [];
  }
  const out: Node[] = [];
  const seen = new Set<Node>();
  const walk = (node: Node | undefined, depth: number): void => {
    if (!node || depth > 6 || seen.has(node) || !isMap(node)) return;
    seen.add(node);
    const template = get(doc, node, 'template');
    const templateSpec = get(doc, template, 'spec');
    if (isMap(templateSpec)) {
      out.push(templateSpec);
      return;
    }
    for (const pair of node.items) {
      const name = keyName(pair);
      if (name === 'spec' || name === 'jobTemplate' || name === 'template') walk(deref(doc, pair.value), depth + 1);
    }
  };
  walk(spec, 0);
  return out;
}

function kubernetesWorkloads(doc: Document, text: string, root: Node, targets: readonly Platform[], out: Workload[], depth = 0): void {
  if (depth > 2) return;
  const apiVersion = stringOf(get(doc, root, 'apiVersion'));
  const kindNode = get(doc, root, 'kind');
  const kind = stringOf(kindNode);
  if (apiVersion === undefined || kind === undefined) return;
  if (kind === 'List' || kind.endsWith('List')) {
    const items = get(doc, root, 'items');
    if (isSeq(items)) for (const item of items.items) kubernetesWorkloads(doc, text, deref(doc, item) as Node, targets, out, depth + 1);
    return;
  }
  if (!WORKLOAD_KINDS.has(kind)) return;
  const nameNode = get(doc, get(doc, root, 'metadata'), 'name');
  const name = stringOf(nameNode);
  const span = nodeSpan(isScalar(nameNode) ? nameNode : kindNode, { start: 0, end: 0 });
  for (const podSpec of podSpecsOf(doc, root, kind)) {
    const narrowed = narrowByScheduling(doc, podSpec, targets);
    out.push({
      flavour: 'kubernetes',
      name: name ? `${kind} '${name}'` : kind,
      span,
      targets,
      platforms: narrowed.platforms,
      constraints: narrowed.constraints,
      uncertain: narrowed.uncertain,
      images: imagesOfPodSpec(doc, text, podSpec),
      podSpecOffset: podSpec.range?.[0],
      podSpecBlock: isMap(podSpec) && !podSpec.flow,
      hasArchSelector: narrowed.hasArchSelector,
      nodeSelectorOffset: narrowed.nodeSelectorOffset,
      nodeSelectorKeyOffset: narrowed.nodeSelectorKeyOffset,
      nodeSelectorSize: narrowed.nodeSelectorSize,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Compose

function composeWorkloads(doc: Document, text: string, targets: readonly Platform[], out: Workload[]): void {
  const services = get(doc, doc.contents, 'services');
  if (!isMap(services)) return;
  for (const pair of services.items) {
    const serviceName = keyName(pair);
    const service = deref(doc, pair.value);
    if (!serviceName || !isMap(service)) continue;
    const where = `service '${serviceName}'`;
    const images: ImageUse[] = [];
    const imageNode = get(doc, service, 'image');
    const written = stringOf(imageNode);
    if (written !== undefined && imageNode) {
      const image = resolveTemplated(written.trim());
      const located = valueSpan(text, imageNode);
      if (image !== undefined && image !== '' && located) {
        images.push({ image, span: located.span, literal: located.literal && image === written, tokenOffset: located.tokenOffset, where });
      }
    }
    const build = get(doc, service, 'build');
    let platformValue: Workload['platformValue'];
    let platforms: Platform[] = [...targets];
    let uncertain = false;
    const platformPair = pairOf(doc, service, 'platform');
    const platformNode = platformPair ? deref(doc, platformPair.value) : undefined;
    const platformWritten = stringOf(platformNode);
    if (platformPair && platformNode && platformWritten !== undefined) {
      const resolved = resolveTemplated(platformWritten.trim());
      const located = valueSpan(text, platformNode);
      const keyOffset = (platformPair.key as Node | null)?.range?.[0];
      if (resolved === undefined) uncertain = true;
      else {
        try {
          const list = parsePlatformList(resolved);
          if (list.length === 1) platforms = list;
          else uncertain = true;
        } catch {
          uncertain = true;
        }
      }
      if (located && keyOffset !== undefined) {
        platformValue = {
          value: platformWritten,
          span: located.span,
          constant: resolved === platformWritten,
          keyOffset,
          inherited: !service.items.includes(platformPair),
        };
      }
    } else if (build !== undefined) {
      const buildPlatforms = get(doc, build, 'platforms');
      if (isSeq(buildPlatforms)) {
        const values = buildPlatforms.items.map((v) => stringOf(deref(doc, v)));
        try {
          if (values.every((v) => v !== undefined && resolveTemplated(v) === v)) {
            const list = parsePlatformList((values as string[]).join(','));
            if (list.length > 0) platforms = list;
          }
        } catch {
          uncertain = true;
        }
      }
    }
    out.push({
      flavour: 'compose',
      name: where,
      span: nodeSpan(pair.key as Node, { start: 0, end: 0 }),
      targets,
      platforms,
      constraints: [],
      uncertain,
      images,
      platformValue,
      builds: build !== undefined,
    });
  }
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
