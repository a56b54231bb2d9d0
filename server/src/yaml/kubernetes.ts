/** Kubernetes workloads: Pod specs, their images, and where scheduling constraints let them land. */
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Platform } from '../../../core/src/platforms';
import { WORKLOAD_KINDS, type Constraint, type ImageUse, type Workload } from './model';
import { deref, get, keyName, nodeSpan, pairOf, resolveTemplated, stringOf, valueSpan } from './nodes';

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

export function kubernetesWorkloads(
  doc: Document,
  text: string,
  root: Node,
  targets: readonly Platform[],
  out: Workload[],
  depth = 0,
): void {
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
