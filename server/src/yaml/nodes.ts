/** YAML node helpers for the model: templated values, aliases, merge keys, value spans. Never throw. */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Span } from './model';

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
      const fallback = /^[A-Za-z_][A-Za-z0-9_]*(:?-)(.*)$/s.exec(body)?.[2];
      if (fallback === undefined || fallback.includes('$')) return undefined;
      out += fallback;
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

export function deref(doc: Document, node: unknown, depth = 0): Node | undefined {
  let current = node;
  for (let i = 0; i < 8 && isAlias(current); i++) current = current.resolve(doc);
  if (depth > MAX_DEPTH || current === null || current === undefined || isAlias(current)) return undefined;
  return current as Node;
}

export function keyName(pair: Pair): string | undefined {
  // With `merge: true` the `<<` key is a Scalar holding Symbol('<<').
  if (isScalar(pair.key) && typeof pair.key.value === 'symbol') return pair.key.value.description === '<<' ? '<<' : undefined;
  return isScalar(pair.key) && (typeof pair.key.value === 'string' || typeof pair.key.value === 'number')
    ? String(pair.key.value)
    : undefined;
}

/** The pair for `key` in a map, following `<<` merge keys (one level of aliases). */
export function pairOf(doc: Document, map: YAMLMap, key: string, depth = 0): Pair | undefined {
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

export function get(doc: Document, map: unknown, key: string): Node | undefined {
  const m = deref(doc, map);
  if (!isMap(m)) return undefined;
  const pair = pairOf(doc, m, key);
  return pair ? deref(doc, pair.value) : undefined;
}

export function stringOf(node: Node | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** The text span of a scalar's value (inside quotes when quoted) and whether the source equals the value. */
export function valueSpan(text: string, node: Node): { span: Span; literal: boolean; tokenOffset: number } | undefined {
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

export function nodeSpan(node: Node | undefined, fallback: Span): Span {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : fallback;
}
