/**
 * The source tree's shape: no folder-level import cycles and no source file over 500 lines.
 * (Which layer may import which is checked by ESLint's no-restricted-imports: eslint.config.mjs.)
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(__dirname, '../..');
const SOURCE_ROOTS = ['core/src', 'server/src', 'client/src', 'cli/src'];
const MAX_LINES = 500;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = SOURCE_ROOTS.flatMap(sourceFiles);

/**
 * The node a source file belongs to: its folder. The top level of a layer holds its entry point
 * and the modules its folders share (client/src/extension.ts, client/src/config.ts): each of
 * those files is a node of its own.
 */
function nodeOf(file: string): string {
  const folder = dirname(file);
  return SOURCE_ROOTS.includes(folder) ? file.replace(/\.ts$/, '') : folder;
}

/** Folder → the folders its files import from (relative imports only). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = nodeOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)) {
      const target = relative(root, resolve(root, dirname(file), match[1] ?? ''));
      const to = files.includes(`${target}.ts`)
        ? nodeOf(`${target}.ts`)
        : files.includes(`${target}/index.ts`)
          ? nodeOf(`${target}/index.ts`)
          : target;
      if (to !== from && !to.endsWith('.json') && !to.startsWith('node_modules')) edges.add(to);
    }
  }
  return graph;
}

/** The strongly connected components with more than one folder (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, indices.get(w) ?? 0));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return out;
}

describe('source layout', () => {
  it('has no folder-level import cycles', () => {
    assert.deepEqual(cycles(folderGraph()), [], 'these folders import each other: move the shared part into one of them or below both');
  });

  it('core/ names no editor setting outside comments (the client and the CLI phrase its errors)', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
    };
    const sections = [manifest.contributes.configuration].flat();
    const settings = sections.flatMap((section) => Object.keys(section.properties));
    const found: string[] = [];
    for (const file of files.filter((f) => f.startsWith('core/'))) {
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
          for (const setting of settings) if (line.includes(setting)) found.push(`${file}:${index + 1}: ${setting}`);
        });
    }
    assert.deepEqual(found, []);
  });

  it(`has no source file over ${MAX_LINES} lines`, () => {
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(root, file), 'utf8').split('\n').length }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file} (${f.lines} lines)`);
    assert.deepEqual(long, [], 'split these files by responsibility');
  });
});
