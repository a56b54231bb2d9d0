/**
 * The external programs a TypeScript/JavaScript file starts, found in its syntax tree: the first
 * argument of spawn/spawnSync/execFile/execFileSync/exec/execSync (and of the file's own wrappers
 * around them, such as `run(command, args)` or `promisify(execFile)`), and every
 * `ensureCommand('cmd', 'package')` check. An argument is resolved through string literals,
 * constants of the same file, `process.execPath` (node) and `join(…, 'scripts/…')` (a project
 * script); what cannot be resolved is reported as such, never dropped.
 */
import * as ts from 'typescript';

export type Spawned =
  | { kind: 'command'; command: string; line: number; via: string }
  | { kind: 'project'; path: string; line: number; via: string }
  | { kind: 'unresolved'; expression: string; line: number; via: string }
  | { kind: 'ensure'; command: string; aptPackage: string; line: number };

const SPAWNERS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync']);
/** exec/execSync take a shell command line: its first word is the program. */
const SHELL_LINE = new Set(['exec', 'execSync']);

function calleeName(call: ts.CallExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && /^(child_process|cp|childProcess)$/.test(e.expression.text))
    return e.name.text;
  return undefined;
}

/** The function-like node that declares `name` as a parameter, if any encloses `node`. */
function parameterIndex(node: ts.Node, name: string): { fn: ts.SignatureDeclaration; index: number } | undefined {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) {
      const index = p.parameters.findIndex((param) => ts.isIdentifier(param.name) && param.name.text === name);
      if (index >= 0) return { fn: p, index };
    }
  }
  return undefined;
}

/** The name a function-like node is called by in this file (declaration or `const x = () => …`). */
function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name))
    return fn.parent.name.text;
  return undefined;
}

export function spawnedCommands(fileName: string, text: string): Spawned[] {
  const source = ts.createSourceFile(
    fileName,
    text,
    ts.ScriptTarget.ES2022,
    true,
    /\.m?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS,
  );
  const line = (n: ts.Node) => source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1;

  // Every `const/let NAME = …` of the file (all scopes), and `for (const NAME of [a, b])`.
  const declarations = new Map<string, ts.Expression[]>();
  const visitDeclarations = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) {
      const list = declarations.get(n.name.text) ?? [];
      if (n.initializer) list.push(n.initializer);
      else if (
        ts.isVariableDeclarationList(n.parent) &&
        ts.isForOfStatement(n.parent.parent) &&
        ts.isArrayLiteralExpression(n.parent.parent.expression)
      )
        list.push(...n.parent.parent.expression.elements);
      declarations.set(n.name.text, list);
    }
    ts.forEachChild(n, visitDeclarations);
  };
  visitDeclarations(source);

  // Wrappers: name → index of the parameter that becomes the program. Seeded with the spawners
  // and `promisify(execFile)`; grown to a fixpoint with functions that pass a parameter on.
  const wrappers = new Map<string, number>([...SPAWNERS].map((s) => [s, 0]));
  for (const [name, inits] of declarations) {
    if (
      inits.some(
        (e) =>
          ts.isCallExpression(e) &&
          ts.isIdentifier(e.expression) &&
          e.expression.text === 'promisify' &&
          e.arguments[0] &&
          ts.isIdentifier(e.arguments[0]) &&
          SPAWNERS.has(e.arguments[0].text),
      )
    )
      wrappers.set(name, 0);
  }
  const calls: ts.CallExpression[] = [];
  const visitCalls = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) calls.push(n);
    ts.forEachChild(n, visitCalls);
  };
  visitCalls(source);
  for (let changed = true; changed;) {
    changed = false;
    for (const call of calls) {
      const name = calleeName(call);
      const at = name === undefined ? undefined : wrappers.get(name);
      const arg = at === undefined ? undefined : call.arguments[at];
      if (!arg || !ts.isIdentifier(arg)) continue;
      const param = parameterIndex(call, arg.text);
      const wrapper = param && functionName(param.fn);
      if (wrapper && !wrappers.has(wrapper) && !SPAWNERS.has(wrapper)) {
        wrappers.set(wrapper, param.index);
        changed = true;
      }
    }
  }

  const resolve = (
    e: ts.Expression,
    seen: Set<string>,
  ): ({ kind: 'command'; command: string } | { kind: 'project'; path: string } | { kind: 'unresolved' })[] => {
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [{ kind: 'command', command: e.text }];
    if (ts.isPropertyAccessExpression(e) && e.getText(source) === 'process.execPath') return [{ kind: 'command', command: 'node' }];
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) return resolve(e.expression, seen);
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /^(join|resolve)$/.test(e.expression.text)) {
      const parts = e.arguments.filter((a): a is ts.StringLiteral => ts.isStringLiteral(a)).map((a) => a.text);
      const path = parts.join('/');
      if (/^(scripts|test|\.ci)\//.test(path)) return [{ kind: 'project', path }];
      return [{ kind: 'unresolved' }];
    }
    if (ts.isIdentifier(e) && !seen.has(e.text)) {
      const inits = declarations.get(e.text) ?? [];
      if (inits.length > 0) return inits.flatMap((i) => resolve(i, new Set([...seen, e.text])));
    }
    return [{ kind: 'unresolved' }];
  };

  const out: Spawned[] = [];
  for (const call of calls) {
    const name = calleeName(call);
    if (name === 'ensureCommand' && call.arguments.length >= 2) {
      const [c, p] = call.arguments;
      if (
        (ts.isStringLiteral(c) || ts.isNoSubstitutionTemplateLiteral(c)) &&
        (ts.isStringLiteral(p) || ts.isNoSubstitutionTemplateLiteral(p))
      )
        out.push({ kind: 'ensure', command: c.text, aptPackage: p.text, line: line(call) });
      else if (!parameterIndex(call, ts.isIdentifier(c) ? c.text : ''))
        out.push({ kind: 'unresolved', expression: call.getText(source), line: line(call), via: 'ensureCommand' });
      continue;
    }
    const at = name === undefined ? undefined : wrappers.get(name);
    const arg = at === undefined ? undefined : call.arguments[at];
    if (!name || !arg) continue;
    // Inside a wrapper, the parameter is resolved at the wrapper's call sites instead.
    if (
      ts.isIdentifier(arg) &&
      parameterIndex(call, arg.text) &&
      functionName(parameterIndex(call, arg.text)!.fn) &&
      wrappers.has(functionName(parameterIndex(call, arg.text)!.fn)!)
    )
      continue;
    for (const r of resolve(arg, new Set())) {
      if (r.kind === 'command') {
        const command = SHELL_LINE.has(name) ? (r.command.trim().split(/\s+/)[0] ?? '') : r.command;
        out.push({ kind: 'command', command, line: line(call), via: name });
      } else if (r.kind === 'project') out.push({ kind: 'project', path: r.path, line: line(call), via: name });
      else out.push({ kind: 'unresolved', expression: arg.getText(source), line: line(call), via: name });
    }
  }
  return out;
}
