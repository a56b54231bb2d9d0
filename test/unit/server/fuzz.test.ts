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
 * - finish within a generous bound (a hang catcher, not a performance assertion: see
 *   `npm run bench` for performance).
 * fast-check runs with a fixed seed so a failure reproduces; the counterexample is printed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';
import { lint, type GreenCloudDiagnostic } from '../../../server/src/linter';
import { DEFAULT_SETTINGS } from '../../../core/src/settings';
import { sanitizeSettings } from '../../../core/src/settings';

/** Fixed for reproducibility; GREEN_CLOUD_FUZZ_SEED=n explores other inputs locally. */
const SEED = Number(process.env.GREEN_CLOUD_FUZZ_SEED ?? 20261124);
/** Per-input bound for one lint: catches hangs and runaway backtracking, not slowness. */
const HANG_BOUND_MS = 2000;
/** Bound for the largest inputs (1 MB, 10,000 instructions) on a loaded 2-core CI machine. */
const LARGE_HANG_BOUND_MS = 10_000;

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

function lintChecked(text: string, settings = MULTI, bound = HANG_BOUND_MS): GreenCloudDiagnostic[] {
  const failures: string[] = [];
  const started = performance.now();
  let diagnostics: GreenCloudDiagnostic[] = [];
  assert.doesNotThrow(
    () => {
      diagnostics = lint(text, settings, {
        onRuleError: (code, e) => failures.push(`${code}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
      });
    },
    `lint threw on ${show(text)}`,
  );
  const elapsed = performance.now() - started;
  assert.deepEqual(failures, [], `a rule failed on ${show(text)}`);
  assert.ok(elapsed < bound, `lint took ${elapsed.toFixed(0)} ms (bound ${bound} ms) on ${show(text)}`);
  assert.ok(Array.isArray(diagnostics));
  return diagnostics;
}

/** The whole property for one input. `refix` re-lints each fixed text (skipped for huge inputs). */
function checkInput(text: string, options: { settings?: typeof MULTI; bound?: number; refix?: boolean } = {}): GreenCloudDiagnostic[] {
  const diagnostics = lintChecked(text, options.settings ?? MULTI, options.bound);
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
    assert.ok(Array.isArray(d.data?.fixes), `${what}: data.fixes`);
    for (const fix of d.data.fixes) {
      const fixWhat = `${what} fix '${fix.title}'`;
      assert.ok(typeof fix.title === 'string' && fix.title.length > 0, fixWhat);
      checkEdits(fix.edits, document, lengths, fixWhat);
      if (options.refix !== false) {
        const fixed = TextDocument.applyEdits(document, [...fix.edits]);
        const after = lintChecked(fixed, options.settings ?? MULTI, options.bound);
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
  const MB = 1024 * 1024;
  const cases: [string, () => string, number?][] = [
    ['an empty file', () => ''],
    ['a single newline', () => '\n'],
    ['only white space', () => ' \t \r\n\t\n   '],
    ['only comments', () => '# a comment\n#\n# platforms=linux/amd64\n# green-cloud global ignore=GC101\n'],
    ['only a comment without a final newline', () => '# escape=`'],
    ['NUL bytes', () => 'FROM alp\0ine\nRUN \0\0\0\n\0'],
    ['a file of NUL bytes', () => '\0'.repeat(10_000)],
    ['lone UTF-16 surrogates', () => 'FROM \uD800alpine\uDFFF:3\nRUN echo \uDBFF\nARG A=\uDC00\n'],
    ['a byte-order mark', () => '\uFEFFFROM arm64v8/alpine\nRUN [ "cross-build-start" ]\n'],
    ['Unicode line separators', () => 'FROM alpine\u2028RUN x\u2029RUN y\u0085\n'],
    ['a bare CR as line end', () => 'FROM resin/armv7hf-debian\rRUN [ "cross-build-start" ]\rRUN apt-get update\r'],
    [
      'CRLF everywhere',
      () =>
        'FROM --platform=linux/arm64 arm64v8/alpine:3.7 AS a\r\nARG TARGETARCH\r\nRUN [ "cross-build-start" ]\r\nRUN echo $TARGETARCH \\\r\n  && true\r\n',
    ],
    ['tabs everywhere', () => '\tFROM\t\tarm64v8/alpine:3.7\tAS\tx\n\tRUN\t["cross-build-start"]\n\t\tRUN\tapk add\t\tcurl\n'],
    [
      'unterminated JSON in exec form',
      () => 'FROM resin/armv7hf-debian\nRUN [ "cross-build-start"\nRUN ["cross-build-end\nCMD ["a", \nENTRYPOINT [\nSHELL ["/bin/sh", "-c"',
    ],
    [
      'JSON with escapes and unicode',
      () => 'FROM resin/armv7hf-debian\nRUN [ "cross-build-start\\u0000", "\\"", "\\\\" ]\nRUN ["\\uD800"]\n',
    ],
    [
      'heredocs',
      () =>
        'FROM resin/armv7hf-debian\nRUN [ "cross-build-start" ]\nRUN <<EOF\napt-get update\nRUN [ "cross-build-end" ]\nEOF\nRUN <<-EOT bash\n\tcurl https://example.invalid/linux/amd64/kubectl\n\tEOT\nCOPY <<EOF /etc/x\nFROM arm64v8/alpine\nEOF\n',
    ],
    ['an unterminated heredoc', () => 'FROM alpine\nRUN <<EOF\napt-get update\nFROM arm64v8/alpine\n'],
    [
      '# escape=` with backtick continuations',
      () =>
        '# escape=`\nFROM arm64v8/alpine:3.7 `\n  AS a\nRUN [ "cross-build-start" ]\nRUN echo `\n  hello\\\nRUN [ "cross-build-end" ]\n',
    ],
    ['# escape=\\ directive', () => '# escape=\\\nFROM resin/armv7hf-debian\nRUN [ "cross-build-start" ]\nRUN a \\\n  b\n'],
    ['a trailing escape character at end of file', () => 'FROM alpine\nRUN echo \\'],
    ['10,000 line continuations', () => `FROM alpine\nRUN echo ${'a \\\n'.repeat(10_000)}`],
    ['deeply nested variables', () => `ARG A=${'${'.repeat(5000)}x${'}'.repeat(5000)}\nFROM $A\n`],
    ['10,000 opening brackets', () => `FROM resin/armv7hf-debian\nRUN ${'['.repeat(10_000)}\n`],
    ['10,000 quotes', () => `FROM alpine\nRUN ["${'"'.repeat(10_000)}]\n`],
    [
      'a 1 MB RUN line',
      () => `FROM resin/armv7hf-debian\nRUN [ "cross-build-start" ]\nRUN echo ${'x86_64 '.repeat(MB / 7)}\nRUN [ "cross-build-end" ]\n`,
      LARGE_HANG_BOUND_MS,
    ],
    ['a 1 MB image name', () => `FROM ${'a'.repeat(MB)}:arm64\nRUN true\n`, LARGE_HANG_BOUND_MS],
    ['a 1 MB comment line', () => `# platforms=${'linux/amd64,'.repeat(MB / 12)}\nFROM alpine\n`, LARGE_HANG_BOUND_MS],
    ['a 1 MB line without a newline', () => `FROM alpine\nRUN ${'$'.repeat(MB)}`, LARGE_HANG_BOUND_MS],
    ['a 1 MB platform flag', () => `FROM --platform=${'linux/arm64'.repeat(MB / 11)} alpine\n`, LARGE_HANG_BOUND_MS],
    ['a 1 MB ARG default', () => `ARG BASE=${'arm64v8/'.repeat(MB / 8)}alpine\nFROM $BASE\n`, LARGE_HANG_BOUND_MS],
    [
      '1 MB of junk code units',
      () => Array.from({ length: MB }, (_, i) => String.fromCharCode((i * 7919) % 0xffff)).join(''),
      LARGE_HANG_BOUND_MS,
    ],
    [
      '10,000 instructions in 500 stages',
      () => {
        const lines = ['# platforms=linux/amd64,linux/arm64,linux/arm/v7', 'ARG BASE=arm64v8/alpine:3.7'];
        for (let s = 0; lines.length < 10_000; s++) {
          lines.push(
            s % 3 === 0
              ? `FROM --platform=linux/arm64 $BASE AS s${s}`
              : s % 3 === 1
                ? `FROM resin/armv7hf-debian AS s${s}`
                : `FROM --platform=$BUILDPLATFORM golang:1.22 AS s${s}`,
          );
          lines.push(
            'RUN [ "cross-build-start" ]',
            `RUN curl -o /k https://example.invalid/linux/amd64/kubectl-${s}`,
            'RUN echo $TARGETARCH',
            'COPY --from=0 /a /b',
          );
          lines.push(
            '# green-cloud ignore=GC101',
            'ENV A=x86_64',
            'RUN [ "/usr/bin/qemu-aarch64-static", "true" ]',
            'RUN [ "cross-build-end" ]',
            'RUN true',
          );
          lines.push(
            'ARG TARGETARCH',
            'RUN echo ${TARGETARCH}',
            'LABEL a=b',
            'WORKDIR /w',
            'CMD ["x"]',
            'RUN [ "cross-build-start" ]',
            'RUN x',
            'RUN y',
            'EXPOSE 1',
          );
        }
        return lines.join('\n');
      },
      LARGE_HANG_BOUND_MS,
    ],
    [
      '10,000 FROM lines',
      () => Array.from({ length: 10_000 }, (_, i) => `FROM arm64v8/alpine:3.${i} AS s${i}`).join('\n'),
      LARGE_HANG_BOUND_MS,
    ],
    [
      '10,000 comment lines between two instructions',
      () => `FROM alpine\n${'# green-cloud ignore=GC101\n'.repeat(10_000)}RUN true\n`,
      LARGE_HANG_BOUND_MS,
    ],
  ];
  for (const [name, make, bound] of cases) {
    it(name, () => {
      const text = make();
      const large = text.length > 100_000 || text.split('\n').length > 5000;
      checkInput(text, { bound: bound ?? HANG_BOUND_MS, refix: !large });
      checkInput(text.replace(/\n/g, '\r\n'), { bound: bound ?? HANG_BOUND_MS, refix: false, settings: SINGLE });
    });
  }
  it('default settings lint the pathological files too', () => {
    for (const [, make] of cases.slice(0, 20)) checkInput(make(), { settings: DEFAULT_SETTINGS });
  });
});
