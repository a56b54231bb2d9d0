/**
 * Robustness: `lint()` must survive any input (RULES.md, "Must never happen"). For random
 * strings, Dockerfile-ish token soup, structured random Dockerfiles, mutations of the rule
 * fixtures and a set of pathological files it must
 * - not throw, and no rule may fail (onRuleError never fires);
 * - return well-formed diagnostics: ranges inside the document with start <= end, a `GCnnn`
 *   code, source `green-cloud`, a `codeDescription.href` to the code's doc page, a message and
 *   an LSP severity;
 * - offer quick fixes whose edits lie inside the document and do not overlap, and whose result
 *   lints again without failure;
 * Time is not asserted here: the pathological inputs are timed by `npm run bench`
 * (scripts/bench/lint.mjs), which is where performance is measured.
 * fast-check runs with a fixed seed so a failure reproduces; the counterexample is printed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';
import { lint, type GreenCloudDiagnostic } from '../../../server/src/linter';
import { DEFAULT_SETTINGS } from '../../../core/src/settings';
import { sanitizeSettings } from '../../../core/src/settings';
import { PATHOLOGICAL_DOCKERFILES } from '../../support/pathologicalDockerfiles';

/** Fixed for reproducibility; GREEN_CLOUD_FUZZ_SEED=n explores other inputs locally. */
const SEED = Number(process.env.GREEN_CLOUD_FUZZ_SEED ?? 20261124);

const MULTI = sanitizeSettings({ platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] });
const SINGLE = sanitizeSettings({ platforms: ['linux/arm64'], rules: { GC101: 'error', GC201: 'hint' } });

function lineLengths(document: TextDocument): number[] {
  const out: number[] = [];
  for (let line = 0; line < document.lineCount; line++) {
    const start = document.offsetAt({ line, character: 0 });
    const end = line + 1 < document.lineCount ? document.offsetAt({ line: line + 1, character: 0 }) : document.getText().length;
    const text = document.getText().slice(start, end);
    out.push(text.replace(/(\r\n|\r|\n)$/, '').length);
  }
  return out;
}

function show(text: string): string {
  return JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…(${text.length} chars)` : text);
}

function checkPosition(p: Position, lengths: number[], what: string): void {
  assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character), `${what}: non-integer position ${JSON.stringify(p)}`);
  assert.ok(p.line >= 0 && p.line < lengths.length, `${what}: line ${p.line} outside the document (${lengths.length} lines)`);
  assert.ok(
    p.character >= 0 && p.character <= lengths[p.line],
    `${what}: character ${p.character} outside line ${p.line} (length ${lengths[p.line]})`,
  );
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function checkRange(r: Range, lengths: number[], what: string): void {
  checkPosition(r.start, lengths, `${what} start`);
  checkPosition(r.end, lengths, `${what} end`);
  assert.ok(before(r.start, r.end), `${what}: start after end ${JSON.stringify(r)}`);
}

function checkEdits(edits: readonly TextEdit[], document: TextDocument, lengths: number[], what: string): void {
  assert.ok(edits.length > 0, `${what}: a fix without edits`);
  const spans = edits.map((e, i) => {
    checkRange(e.range, lengths, `${what} edit ${i}`);
    assert.equal(typeof e.newText, 'string', `${what} edit ${i}: newText`);
    return { start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), i };
  });
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let k = 1; k < spans.length; k++) {
    assert.ok(spans[k].start >= spans[k - 1].end, `${what}: edits ${spans[k - 1].i} and ${spans[k].i} overlap`);
  }
}

function lintChecked(text: string, settings = MULTI): GreenCloudDiagnostic[] {
  const failures: string[] = [];
  let diagnostics: GreenCloudDiagnostic[] = [];
  assert.doesNotThrow(
    () => {
      diagnostics = lint(text, settings, {
        onRuleError: (code, e) => failures.push(`${code}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
      });
    },
    `lint threw on ${show(text)}`,
  );
  assert.deepEqual(failures, [], `a rule failed on ${show(text)}`);
  assert.ok(Array.isArray(diagnostics));
  return diagnostics;
}

/** The whole property for one input. `refix` re-lints each fixed text (skipped for huge inputs). */
function checkInput(text: string, options: { settings?: typeof MULTI; refix?: boolean } = {}): GreenCloudDiagnostic[] {
  const diagnostics = lintChecked(text, options.settings ?? MULTI);
  const document = TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text);
  const lengths = lineLengths(document);
  for (const [n, d] of diagnostics.entries()) {
    const what = `diagnostic ${n} (${d.code}) on ${show(text)}`;
    checkRange(d.range, lengths, what);
    assert.match(d.code, /^GC\d{3}$/, what);
    assert.equal(d.source, 'green-cloud', what);
    assert.ok(
      d.codeDescription && d.codeDescription.href.endsWith(`/${d.code}.md`),
      `${what}: codeDescription.href ${d.codeDescription?.href}`,
    );
    assert.ok(typeof d.message === 'string' && d.message.trim().length > 0, `${what}: empty message`);
    assert.ok([1, 2, 3, 4].includes(d.severity ?? 0), `${what}: severity ${d.severity}`);
    // (assert.equal: assert.ok(Array.isArray(…)) would narrow the fixes to any[])
    assert.equal(Array.isArray(d.data?.fixes), true, `${what}: data.fixes`);
    for (const fix of d.data.fixes) {
      const fixWhat = `${what} fix '${fix.title}'`;
      assert.ok(typeof fix.title === 'string' && fix.title.length > 0, fixWhat);
      checkEdits(fix.edits, document, lengths, fixWhat);
      if (options.refix !== false) {
        const fixed = TextDocument.applyEdits(document, [...fix.edits]);
        const after = lintChecked(fixed, options.settings ?? MULTI);
        // The engine's own ignore fixes must work on any input.
        const count = (list: GreenCloudDiagnostic[]) => list.filter((x) => x.code === d.code).length;
        if (fix.title === `Ignore ${d.code} for this file`) {
          assert.equal(count(after), 0, `${fixWhat} left ${d.code} in ${show(fixed)}`);
        } else if (fix.title === `Ignore ${d.code} for this instruction`) {
          assert.ok(count(after) < count(diagnostics), `${fixWhat} did not remove ${d.code} in ${show(fixed)}`);
        }
      }
    }
  }
  return diagnostics;
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Any UTF-16 code unit, including NUL and lone surrogates. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const junk = fc.string({ unit: fc.oneof(anyCodeUnit, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 200 });

const KEYWORDS = [
  'FROM',
  'RUN',
  'ARG',
  'COPY',
  'ADD',
  'ENV',
  'CMD',
  'ENTRYPOINT',
  'LABEL',
  'ONBUILD',
  'SHELL',
  'HEALTHCHECK',
  'WORKDIR',
  'USER',
  'EXPOSE',
  'VOLUME',
  'STOPSIGNAL',
  'MAINTAINER',
  'from',
  'run',
  'Arg',
  'AS',
  'as',
];
const FLAGS = [
  '--platform=',
  '--platform=$BUILDPLATFORM',
  '--platform=$TARGETPLATFORM',
  '--platform=${TARGETPLATFORM}',
  '--platform=linux/arm64',
  '--platform=linux/arm/v7',
  '--platform=linux/amd64,linux/arm64',
  '--platform',
  '--from=build',
  '--from=0',
  '--chmod=755',
  '--mount=type=cache,target=/root/.cache',
  '--network=none',
  '--link',
  '--',
];
const IMAGES = [
  'alpine',
  'alpine:3.19',
  'arm64v8/alpine:3.7',
  'arm32v7/debian',
  'amd64/ubuntu',
  'aarch64/ubuntu',
  'armhf/debian',
  'resin/armv7hf-debian',
  'resin/rpi-raspbian',
  'balenalib/raspberrypi3-debian',
  'balenalib/aarch64-debian:bookworm',
  'project31/aarch64-alpine-qemu',
  'multiarch/alpine:arm64-latest-stable',
  'multiarch/alpine:armhf-v3.7',
  'node:20-arm64',
  'postgres:16-alpine3.19',
  'scratch',
  'build',
  '$BASE',
  '${BASE}',
  '${BASE:-arm64v8/alpine}',
  '${BASE:+x}',
  '127.0.0.1:5000/x:arm64-1',
  '[::1]:5000/y',
  `alpine@sha256:${'a'.repeat(64)}`,
  'UPPER/Case',
  ':bad',
  'a@b',
];
const MARKERS = [
  'cross-build-start',
  'cross-build-end',
  '[ "cross-build-start" ]',
  '["cross-build-end"]',
  '[ "/usr/bin/qemu-arm-static", "apt-get", "update" ]',
  '["/usr/bin/qemu-aarch64-static", "/bin/sh", "-c", "uname -m"]',
  '/usr/bin/qemu-x86_64-static',
  'qemu-foo-static',
  'resin-xbuild',
];
const JSONISH = [
  '[',
  ']',
  '"',
  '",',
  '", "',
  '{',
  '}',
  '["a", "b"]',
  '["unterminated',
  '[ "a" ',
  '["\\u00',
  '"\\"',
  '[]',
  '[""]',
  '[1, 2]',
  '\\"',
  "['single']",
];
const VARIABLES = [
  '$TARGETARCH',
  '${TARGETARCH}',
  '$TARGETPLATFORM',
  '${TARGETOS}',
  '$BUILDPLATFORM',
  '${BUILDARCH:-amd64}',
  '${TARGETVARIANT:+-$TARGETVARIANT}',
  '$',
  '${',
  '${}',
  '${A',
  '$1',
  '$$',
  '${A:-${B:-${C}}}',
];
const COMMENTS = [
  '#',
  '# platforms=linux/amd64,linux/arm64',
  '# platforms=',
  '# platforms=linux/amd46',
  '# platforms=,,',
  '# green-cloud ignore=GC101',
  '# green-cloud ignore=GC101,GC201',
  '# green-cloud global ignore=all',
  '# green-cloud ignore=',
  '# hadolint ignore=DL3029',
  '# hadolint global ignore=DL3065',
  '# check=skip=all',
  '# check=skip=FromPlatformFlagConstDisallowed;error=true',
  '# escape=`',
  '# escape=\\',
  '# escape=',
  '# syntax=docker/dockerfile:1',
  '# dockerfile-utils: ignore',
];
const SHELL = [
  '<<EOF',
  '<<-EOT',
  '<<"EOF"',
  'EOF',
  'EOT',
  'apt-get update',
  '&&',
  '||',
  ';',
  'curl -fsSL https://example.invalid/linux/amd64/kubectl',
  'tool-x86_64.tar.gz',
  'go_linux_arm64.tgz',
  '$(uname -m)',
  '`uname -m`',
  'case "$(dpkg --print-architecture)" in',
  'amd64) A=x86_64 ;;',
  'esac',
  'apk --print-arch',
  'x86_64',
  'aarch64',
  'armv7',
  'GOARCH=$TARGETARCH',
  '/bin/sh',
  '-c',
];
const PUNCT = [
  '\\',
  '`',
  '=',
  ' ',
  '  ',
  '\t',
  '\0',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u2028',
  '\r',
  '\f',
  '\v',
  'é',
  '😀',
  ',',
  ':',
  '@',
  '/',
  '-',
  '"',
  "'",
];
const SEPARATORS = [' ', ' ', ' ', '\n', '\n', '\r\n', '\t', '\\\n', '\\\r\n', '`\n', '', '\r'];

const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KEYWORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...FLAGS) },
  { weight: 3, arbitrary: fc.constantFrom(...IMAGES) },
  { weight: 2, arbitrary: fc.constantFrom(...MARKERS) },
  { weight: 2, arbitrary: fc.constantFrom(...JSONISH) },
  { weight: 2, arbitrary: fc.constantFrom(...VARIABLES) },
  { weight: 2, arbitrary: fc.constantFrom(...COMMENTS) },
  { weight: 2, arbitrary: fc.constantFrom(...SHELL) },
  { weight: 1, arbitrary: fc.constantFrom(...PUNCT) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const soup = fc
  .array(fc.tuple(token, fc.constantFrom(...SEPARATORS)), { maxLength: 80 })
  .map((parts) => parts.map(([t, s]) => t + s).join(''));

/** A line that is a plausible instruction: keyword, flags, arguments. */
const instructionLine = fc
  .tuple(
    fc.constantFrom(...KEYWORDS),
    fc.array(fc.constantFrom(...FLAGS), { maxLength: 2 }),
    fc.array(
      fc.oneof(
        fc.constantFrom(...IMAGES),
        fc.constantFrom(...MARKERS),
        fc.constantFrom(...VARIABLES),
        fc.constantFrom(...SHELL),
        fc.constantFrom(...JSONISH),
      ),
      { minLength: 0, maxLength: 6 },
    ),
    fc.constantFrom('', ' AS build', ' AS build-arm64', ' as final', ' AS'),
  )
  .map(([k, flags, args, alias]) => [k, ...flags, ...args].join(' ') + (k.toUpperCase() === 'FROM' ? alias : ''));
const structured = fc
  .tuple(
    fc.array(fc.constantFrom(...COMMENTS), { maxLength: 3 }),
    fc.array(
      fc.oneof(
        { weight: 5, arbitrary: instructionLine },
        { weight: 1, arbitrary: fc.constantFrom(...COMMENTS) },
        { weight: 1, arbitrary: fc.constant('') },
      ),
      { maxLength: 30 },
    ),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([head, body, eol, finalEol]) => [...head, ...body].join(eol) + (finalEol ? eol : ''));

// Real Dockerfiles to mutate: the rule fixtures (other rules' authors keep adding them) and the examples.
const repo = join(__dirname, '../../..');
function dockerfilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return dockerfilesUnder(path);
      return /Dockerfile|Containerfile/.test(name) && !name.endsWith('.json') ? [readFileSync(path, 'utf8')] : [];
    });
}
const REAL = [...dockerfilesUnder(join(repo, 'test/fixtures/rules')), ...dockerfilesUnder(join(repo, 'examples'))];
const FALLBACK = 'FROM arm64v8/alpine:3.7\nRUN [ "cross-build-start" ]\nRUN apk add curl\nRUN [ "cross-build-end" ]\n';

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'crlf' }
  | { kind: 'truncate'; at: number }
  | { kind: 'swapLines'; a: number; b: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(token, junk, fc.constantFrom(...SEPARATORS)) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('crlf' as const) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  const at = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'duplicate': {
      const s = at(m.at);
      return text.slice(0, s) + text.slice(s, s + m.length) + text.slice(s);
    }
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'swapLines': {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
  }
}
const mutated = fc
  .tuple(fc.constantFrom(...(REAL.length > 0 ? REAL : [FALLBACK])), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([text, ms]) => ms.reduce(mutate, text));

function property(arbitrary: fc.Arbitrary<string>, numRuns: number, settings = MULTI): void {
  fc.assert(
    fc.property(arbitrary, (text) => {
      checkInput(text, { settings });
    }),
    { seed: SEED, numRuns, endOnFailure: false },
  );
}

// ---------------------------------------------------------------------------------------------

describe('lint never throws and returns well-formed diagnostics (property, fixed seed)', () => {
  it('random strings (any UTF-16 code unit: NUL, lone surrogates, control characters)', () => property(junk, 1000));
  it('random ASCII strings', () => property(fc.string({ unit: 'binary-ascii', maxLength: 300 }), 500));
  it('Dockerfile-ish token soup (instructions, flags, markers, JSON fragments, pragmas, heredocs)', () => property(soup, 1500));
  it('token soup with one target platform and custom severities', () => property(soup, 500, SINGLE));
  it('structured random Dockerfiles (LF and CRLF)', () => property(structured, 1200));
  it(`mutations of the ${REAL.length} real Dockerfiles under test/fixtures/rules and examples/`, () => {
    assert.ok(REAL.length > 0, 'no fixture found under test/fixtures/rules or examples/');
    property(mutated, 1500);
  });
  it('every real Dockerfile as is, and with CRLF line ends', () => {
    for (const text of REAL) {
      checkInput(text);
      checkInput(text.replace(/\r?\n/g, '\r\n'));
    }
  });
});

describe('lint survives pathological files', () => {
  const cases = PATHOLOGICAL_DOCKERFILES;
  for (const [name, make] of cases) {
    it(name, () => {
      const text = make();
      const large = text.length > 100_000 || text.split('\n').length > 5000;
      checkInput(text, { refix: !large });
      checkInput(text.replace(/\n/g, '\r\n'), { refix: false, settings: SINGLE });
    });
  }
  it('default settings lint the pathological files too', () => {
    for (const [, make] of cases.slice(0, 20)) checkInput(make(), { settings: DEFAULT_SETTINGS });
  });
});
