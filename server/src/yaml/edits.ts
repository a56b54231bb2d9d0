/**
 * Quick-fix edits on YAML through the `yaml` package's CST: the text is parsed into source
 * tokens, one token or collection item is changed, the tokens are stringified again (the CST
 * round-trips every byte: comments, quotes, flow style, CRLF), and the change is returned as the
 * one text edit between the old and the new text. Never edits lines as strings.
 */
import { CST, Parser } from 'yaml';

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
  return editTokens(text, (documents) => {
    const target = findBlockMap(documents, nodeSelectorOffset ?? podSpecOffset);
    if (!target || target.items.length === 0) return false;
    const last = target.items[target.items.length - 1] as Item;
    // The new entry starts on its own line: the last entry must end with a line break.
    if (!CST.stringify(last).endsWith('\n')) return false;
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
}
