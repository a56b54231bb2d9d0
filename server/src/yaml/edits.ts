/**
 * Quick-fix edits on YAML through the `yaml` package's CST: the text is parsed into source
 * tokens, one token or collection item is changed, the tokens are stringified again (the CST
 * round-trips every byte: comments, quotes, flow style, CRLF), and the change is returned as the
 * one text edit between the old and the new text. Never edits lines as strings.
 */
import { CST, parseAllDocuments, Parser } from 'yaml';

/** A replacement of `[start, end)` offsets of the original text. */
export interface OffsetEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

type Item = CST.CollectionItem;
type Collection = CST.BlockMap | CST.BlockSequence | CST.FlowCollection;

/** The smallest single edit that turns `before` into `after`. */
export function diffEdit(before: string, after: string): OffsetEdit | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start: prefix, end: before.length - suffix, newText: after.slice(prefix, after.length - suffix) };
}

/** Parses `text` into CST tokens, lets `mutate` change them, and returns the resulting edit. */
function editTokens(text: string, mutate: (documents: CST.Document[]) => boolean): OffsetEdit | undefined {
  const tokens = [...new Parser().parse(text)];
  if (tokens.some((t) => t.type === 'error')) return undefined;
  const documents = tokens.filter((t): t is CST.Document => t.type === 'document');
  if (!mutate(documents)) return undefined;
  const after = tokens.map((t) => CST.stringify(t)).join('');
  return diffEdit(text, after);
}

/** Finds the collection item whose key (or, with `value`, whose value) token starts at `offset`. */
function findItem(
  documents: CST.Document[],
  offset: number,
  part: 'key' | 'value',
): { collection: Collection; index: number; item: Item } | undefined {
  for (const doc of documents) {
    let found: { collection: Collection; index: number; item: Item } | undefined;
    CST.visit(doc, (item, path) => {
      const token = part === 'key' ? item.key : item.value;
      if (token && token.offset === offset) {
        const collection = CST.visit.parentCollection(doc, path);
        const index = path[path.length - 1]?.[1] ?? 0;
        found = { collection, index, item };
        return CST.visit.BREAK;
      }
      return undefined;
    });
    if (found) return found;
    // A scalar document value (`image` as the whole document) is never one of ours.
  }
  return undefined;
}

/** Finds a block map token that starts at `offset`. */
function findBlockMap(documents: CST.Document[], offset: number): CST.BlockMap | undefined {
  for (const doc of documents) {
    if (doc.value?.type === 'block-map' && doc.value.offset === offset) return doc.value;
    let found: CST.BlockMap | undefined;
    CST.visit(doc, (item) => {
      for (const token of [item.key, item.value]) {
        if (token && token.type === 'block-map' && token.offset === offset) {
          found = token;
          return CST.visit.BREAK;
        }
      }
      return undefined;
    });
    if (found) return found;
  }
  return undefined;
}

/** Replaces the scalar whose token starts at `tokenOffset` (a map value) with `value`, keeping its quoting. */
export function replaceScalarEdit(text: string, tokenOffset: number, value: string): OffsetEdit | undefined {
  return editTokens(text, (documents) => {
    const hit = findItem(documents, tokenOffset, 'value');
    const token = hit?.item.value;
    if (!token || (token.type !== 'scalar' && token.type !== 'double-quoted-scalar' && token.type !== 'single-quoted-scalar')) return false;
    CST.setScalarValue(token, value, { inFlow: hit.collection.type === 'flow-collection' });
    return true;
  });
}

function isComment(t: CST.SourceToken): boolean {
  return t.type === 'comment';
}

/** The token list that ends a token's text (where a line break closes it), for appending lines after it. */
function trailingTokens(token: CST.Token | undefined): CST.SourceToken[] | undefined {
  if (!token) return undefined;
  switch (token.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'alias':
      token.end ??= [];
      return token.end;
    case 'flow-collection':
      return token.end;
    case 'block-map':
    case 'block-seq': {
      const last = token.items[token.items.length - 1] as Item | undefined;
      return trailingTokens(last?.value ?? undefined);
    }
    default:
      return undefined;
  }
}

/**
 * Makes an entry end with a line break, so that a new one can follow on its own line: the last
 * entry of a file without a final newline gets one. False when that is not possible.
 */
function endWithBreak(item: Item, eol: string): boolean {
  if (CST.stringify(item).endsWith('\n')) return true;
  const end = trailingTokens(item.value ?? undefined);
  if (!end) return false;
  end.push({ type: 'newline', offset: 0, indent: 0, source: eol });
  return CST.stringify(item).endsWith('\n');
}

/**
 * Removes the map entry whose key token starts at `keyOffset`. Comments on the lines above the
 * entry stay (they move to the next entry); an entry that is the only one of its map is not removed.
 */
export function removeEntryEdit(text: string, keyOffset: number): OffsetEdit | undefined {
  return editTokens(text, (documents) => {
    const hit = findItem(documents, keyOffset, 'key');
    if (!hit || hit.collection.type === 'block-seq') return false;
    const { collection, index, item } = hit;
    const items = collection.items as Item[];
    if (items.length < 2) return false;
    const next = items[index + 1] as Item | undefined;
    if (collection.type === 'block-map') {
      if (index === 0) {
        // The first entry's indentation lives in the parent; the next entry's own becomes redundant.
        if (next && next.start[0]?.type === 'space') next.start.shift();
      } else if (next && item.start.some(isComment)) {
        next.start = [...item.start];
      } else if (!next && item.start.some(isComment)) {
        // The last entry: its comment lines follow the previous entry instead.
        const end = trailingTokens(items[index - 1]?.value ?? undefined);
        const lines = item.start.slice(0, item.start.map((t) => t.type).lastIndexOf('newline') + 1);
        if (
          !end ||
          !end
            .map((t) => t.source)
            .join('')
            .endsWith('\n')
        )
          return false;
        end.push(...lines);
      }
    } else if (index === 0 && next) {
      // Flow map: `{platform: x, image: y}` → `{image: y}`.
      while (next.start[0]?.type === 'comma' || next.start[0]?.type === 'space') next.start.shift();
    }
    items.splice(index, 1);
    return true;
  });
}

/**
 * Adds `kubernetes.io/arch: <arch>` to a Pod spec (the block map whose token starts at
 * `podSpecOffset`): into its existing `nodeSelector` block map (token at `nodeSelectorOffset`),
 * or as a new `nodeSelector` entry at the end of the Pod spec.
 */
export function addArchSelectorEdit(
  text: string,
  podSpecOffset: number,
  nodeSelectorOffset: number | undefined,
  arch: string,
): OffsetEdit | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edit = editTokens(text, (documents) => {
    const target = findBlockMap(documents, nodeSelectorOffset ?? podSpecOffset);
    if (!target || target.items.length === 0) return false;
    const last = target.items[target.items.length - 1] as Item;
    // The new entry starts on its own line: the last entry must end with a line break.
    if (!endWithBreak(last, eol)) return false;
    const indent = ' '.repeat(target.indent);
    const snippet =
      nodeSelectorOffset !== undefined
        ? `${indent}kubernetes.io/arch: ${arch}${eol}`
        : `${indent}nodeSelector:${eol}${indent}  kubernetes.io/arch: ${arch}${eol}`;
    const parsed = [...new Parser().parse(snippet)].find((t): t is CST.Document => t.type === 'document');
    const map = parsed?.value;
    if (!parsed || map?.type !== 'block-map' || map.items.length !== 1) return false;
    const entry = map.items[0] as Item;
    entry.start = [{ type: 'space', offset: 0, indent: 0, source: indent }];
    target.items.push(entry as CST.BlockMap['items'][number]);
    return true;
  });
  return edit && parsesAfter(text, edit) ? edit : undefined;
}

function hasErrors(text: string, uniqueKeys: boolean): boolean {
  try {
    return parseAllDocuments(text, { uniqueKeys }).some((d) => d.errors.length > 0);
  } catch {
    return true;
  }
}

/**
 * True when `text` with `edit` applied is YAML without errors (a fix must never break the file);
 * duplicate keys count unless the text already had some.
 */
function parsesAfter(text: string, edit: OffsetEdit): boolean {
  const after = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  return !hasErrors(after, !hasErrors(text, true));
}

// ---------------------------------------------------------------------------------------------
// Required node affinity on kubernetes.io/arch (GC301's fix when the images share several architectures)

const ARCH_KEYS = new Set(['kubernetes.io/arch', 'beta.kubernetes.io/arch']);
const AFFINITY_PATH = ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'] as const;

function scalarText(token: CST.Token | null | undefined): string | undefined {
  if (!token || (token.type !== 'scalar' && token.type !== 'single-quoted-scalar' && token.type !== 'double-quoted-scalar'))
    return undefined;
  try {
    return CST.resolveAsScalar(token).value;
  } catch {
    return undefined;
  }
}

/** An anchor or tag on an item's value: shared or typed content the fix must not change. */
function hasProps(item: Item): boolean {
  return [...item.start, ...(item.sep ?? [])].some((t) => t.type === 'anchor' || t.type === 'tag');
}

/** The entry of a block or flow map whose key reads `key`. */
function entryOf(map: CST.BlockMap | CST.FlowCollection, key: string): Item | undefined {
  return (map.items as Item[]).find((item) => scalarText(item.key) === key);
}

function isFlowMap(token: CST.Token | null | undefined): token is CST.FlowCollection {
  return token?.type === 'flow-collection' && token.start.source === '{';
}

function isFlowSeq(token: CST.Token | null | undefined): token is CST.FlowCollection {
  return token?.type === 'flow-collection' && token.start.source === '[';
}

/**
 * A collection item that holds only comment lines (the CST's place for comments after a
 * collection's last entry, at a smaller indentation): no key, no value, no `-`.
 */
function isCommentsOnly(item: Item): boolean {
  return !item.key && !item.value && !item.start.some((t) => t.type === 'seq-item-ind' || t.type === 'explicit-key-ind');
}

/** Parses a snippet (one entry or sequence item, written at its final columns) and appends it to `target`. */
function appendParsed(target: CST.BlockMap | CST.BlockSequence, snippet: string): boolean {
  const items = target.items as Item[];
  // After the last entry, before comment lines that close the collection.
  let at = items.length;
  for (let previous = items[at - 1]; previous && isCommentsOnly(previous); previous = items[at - 1]) at--;
  const last = items[at - 1] as Item | undefined;
  // The new entry starts on its own line: the last one must end with a line break.
  if (!last || !endWithBreak(last, snippet.endsWith('\r\n') ? '\r\n' : '\n')) return false;
  const parsed = [...new Parser().parse(snippet)].find((t): t is CST.Document => t.type === 'document');
  const value = parsed?.value;
  if (!value || value.type !== target.type || value.items.length !== 1) return false;
  const item = value.items[0] as Item;
  while (item.start[0]?.type === 'space') item.start.shift();
  item.start.unshift({ type: 'space', offset: 0, indent: 0, source: ' '.repeat(target.indent) });
  items.splice(at, 0, item);
  return true;
}

/** The trailing tokens of a token that may hold comment lines after it (block collections: of their last item). */
function endOf(token: CST.Token | null | undefined): CST.SourceToken[] | undefined {
  return trailingTokens(token ?? undefined);
}

/**
 * Removes the items at `indexes` from a block or flow sequence (not all of them). Comment lines
 * above a removed block item move to the item after it, comment lines after the last one stay
 * after the sequence; a removed item's own line (and a comment on it) goes with it.
 */
function removeSeqItems(seq: CST.BlockSequence | CST.FlowCollection, indexes: ReadonlySet<number>): boolean {
  const items = seq.items as Item[];
  if (indexes.size === 0) return true;
  if (indexes.size >= items.filter((item) => !isCommentsOnly(item)).length) return false;
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (!indexes.has(index) || !item) continue;
    const next = items[index + 1] as Item | undefined;
    if (seq.type === 'block-seq') {
      if (index === 0) {
        if (next && next.start[0]?.type === 'space') next.start.shift();
      } else if (next && item.start.some(isComment)) {
        const own = next.start.findIndex((t) => t.type === 'seq-item-ind');
        const beforeOwn = own > 0 ? next.start[own - 1] : undefined;
        const ownIndent = beforeOwn?.type === 'space' ? beforeOwn : undefined;
        const above = item.start.slice(0, item.start.map((t) => t.type).lastIndexOf('newline') + 1);
        next.start = [...above, ...(ownIndent ? [ownIndent] : []), ...next.start.slice(own)];
      } else if (!next) {
        // The last item: comment lines above it and after its line stay, after the previous item.
        const end = endOf(item.value) ?? [];
        const firstBreak = end.findIndex((t) => t.type === 'newline');
        const after = firstBreak >= 0 ? end.slice(firstBreak + 1) : [];
        const above = item.start.slice(0, item.start.map((t) => t.type).lastIndexOf('newline') + 1);
        if (above.some(isComment) || after.some(isComment)) {
          const previous = endOf(items[index - 1]?.value);
          if (
            !previous ||
            !previous
              .map((t) => t.source)
              .join('')
              .endsWith('\n')
          )
            return false;
          previous.push(...above, ...after);
        }
      }
    } else if (index === 0 && next) {
      while (next.start[0]?.type === 'comma' || next.start[0]?.type === 'space') next.start.shift();
    }
    items.splice(index, 1);
  }
  return true;
}

/** `- key: kubernetes.io/arch / operator: In / values: [...]` as a sequence item at column `col`. */
function expressionLines(col: number, archs: readonly string[]): string[] {
  const pad = (n: number): string => ' '.repeat(n);
  return [
    `${pad(col)}- key: kubernetes.io/arch`,
    `${pad(col + 2)}operator: In`,
    `${pad(col + 2)}values:`,
    ...archs.map((a) => `${pad(col + 4)}- ${a}`),
  ];
}

/** What one nodeSelectorTerm does to the architectures: narrowed in place, removed, or given a new expression. */
function restrictTerm(term: CST.BlockMap, archs: readonly string[], eol: string): 'kept' | 'remove' | 'fail' {
  const expressionsEntry = entryOf(term, 'matchExpressions');
  if (expressionsEntry && hasProps(expressionsEntry)) return 'fail';
  const expressions = expressionsEntry?.value;
  if (expressionsEntry && expressions?.type !== 'block-seq' && !isFlowSeq(expressions)) return 'fail';
  const notIn = new Set<string>();
  let narrowed = false;
  for (const exprItem of expressions?.type === 'block-seq' || isFlowSeq(expressions) ? expressions.items : []) {
    if (isCommentsOnly(exprItem)) continue;
    const expr = exprItem.value;
    if (hasProps(exprItem) || (expr?.type !== 'block-map' && !isFlowMap(expr))) return 'fail';
    const key = scalarText(entryOf(expr, 'key')?.value);
    if (key === undefined || !ARCH_KEYS.has(key)) continue;
    const operator = scalarText(entryOf(expr, 'operator')?.value);
    const valuesEntry = entryOf(expr, 'values');
    const values = valuesEntry?.value;
    if (!valuesEntry || hasProps(valuesEntry) || (values?.type !== 'block-seq' && !isFlowSeq(values))) {
      if (operator === 'In' || operator === 'NotIn') return 'fail';
      continue; // Exists / DoesNotExist say nothing about which architecture
    }
    const written = (values.items as Item[]).map((v) => (isCommentsOnly(v) ? null : scalarText(v.value)));
    if (written.some((v) => v === undefined)) return 'fail';
    const real = written.filter((v): v is string => typeof v === 'string');
    if (operator === 'NotIn') {
      for (const v of real) notIn.add(v.toLowerCase());
      continue;
    }
    if (operator !== 'In') continue;
    narrowed = true;
    const drop = new Set<number>();
    written.forEach((v, i) => {
      if (typeof v === 'string' && !archs.includes(v.toLowerCase())) drop.add(i);
    });
    if (drop.size === real.length) return 'remove'; // the term only admits architectures the images lack
    if (!removeSeqItems(values, drop)) return 'fail';
  }
  if (narrowed) return 'kept';
  const allowed = archs.filter((a) => !notIn.has(a));
  if (allowed.length === 0) return 'remove';
  if (!expressionsEntry) {
    const col = term.indent;
    const snippet = [`${' '.repeat(col)}matchExpressions:`, ...expressionLines(col + 2, allowed)].join(eol) + eol;
    return appendParsed(term, snippet) ? 'kept' : 'fail';
  }
  if (expressions?.type !== 'block-seq') return 'fail'; // a flow sequence of expressions: not rewritten
  return appendParsed(expressions, expressionLines(expressions.indent, allowed).join(eol) + eol) ? 'kept' : 'fail';
}

/**
 * Restricts a Pod spec (the block map whose token starts at `podSpecOffset`) to the architectures
 * `archs` with a required node affinity on `kubernetes.io/arch`:
 * - without `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`,
 *   the missing part is added with one term `matchExpressions: [{key: kubernetes.io/arch, operator: In, values: archs}]`;
 * - with terms (ORed), every term is restricted: an `In` expression on the architecture is
 *   narrowed to `archs` (never duplicated), a term without one gets the expression (less its
 *   `NotIn` values), and a term that only admits other architectures is removed.
 * Undefined (no fix) where the YAML is not plain block style along that path, a value is shared
 * (anchor, alias, `<<` merge key) or tagged, or the result would not parse.
 */
export function addArchAffinityEdit(text: string, podSpecOffset: number, archs: readonly string[]): OffsetEdit | undefined {
  if (archs.length === 0) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edit = editTokens(text, (documents) => {
    const podSpec = findBlockMap(documents, podSpecOffset);
    if (!podSpec || podSpec.items.length === 0 || entryOf(podSpec, '<<')) return false;
    let map: CST.BlockMap = podSpec;
    for (const [level, key] of AFFINITY_PATH.entries()) {
      const entry = entryOf(map, key);
      if (!entry) {
        // Add the missing rest of the path, one term with the expression.
        const lines: string[] = [];
        let col = map.indent;
        for (let rest = level; rest < AFFINITY_PATH.length; rest++, col += 2) lines.push(`${' '.repeat(col)}${AFFINITY_PATH[rest]}:`);
        lines.push(`${' '.repeat(col)}- matchExpressions:`, ...expressionLines(col + 4, archs));
        return appendParsed(map, lines.join(eol) + eol);
      }
      if (hasProps(entry) || entryOf(map, '<<')) return false;
      if (level === AFFINITY_PATH.length - 1) {
        const terms = entry.value;
        if (terms?.type !== 'block-seq' || terms.items.length === 0) return false;
        const remove = new Set<number>();
        for (const [index, termItem] of (terms.items as Item[]).entries()) {
          if (isCommentsOnly(termItem)) continue;
          if (hasProps(termItem) || termItem.value?.type !== 'block-map') return false;
          const outcome = restrictTerm(termItem.value, archs, eol);
          if (outcome === 'fail') return false;
          if (outcome === 'remove') remove.add(index);
        }
        return removeSeqItems(terms, remove);
      }
      if (entry.value?.type !== 'block-map') return false;
      map = entry.value;
    }
    return false;
  });
  // The CST round-trips every byte, but a moved token could still misplace a line: check.
  return edit && parsesAfter(text, edit) ? edit : undefined;
}
