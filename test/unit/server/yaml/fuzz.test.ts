/**
 * Robustness of the YAML lint (RULES.md, "Must never happen"): for random YAML — random text,
 * token soup, and random Kubernetes/Compose structures (anchors, aliases, flow style, comments,
 * CRLF, templates) — `lintYaml` never throws, no rule fails, every range and every quick-fix edit
 * lies inside the document, and every fix leaves text that lints again without failure; an
 * "Ignore GCnnn" fix leaves valid YAML with the same data.
 * Fixed seed; GREEN_CLOUD_FUZZ_SEED=n explores other inputs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { applyEdits } from '../../../support/lint';
import { imageTable, lintYamlStrict, yamlErrors, yamlValues } from '../../../support/yamlLint';

const SEED = Number(process.env.GREEN_CLOUD_FUZZ_SEED ?? 20261130);

const images = imageTable({
  'acme/tool:1': { platforms: ['linux/amd64'], multiPlatform: false },
  'postgres:16': { platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'], multiPlatform: true },
  'acme/two:2': { platforms: ['linux/amd64', 'linux/arm64', 'unknown/unknown'], multiPlatform: true },
});

function inside(document: TextDocument, p: Position): boolean {
  if (p.line < 0 || p.character < 0 || p.line >= document.lineCount) return false;
  const start = document.offsetAt({ line: p.line, character: 0 });
  const end = p.line + 1 < document.lineCount ? document.offsetAt({ line: p.line + 1, character: 0 }) : document.getText().length;
  return p.character <= end - start;
}

function check(text: string, fileName: string): void {
  const languageId = fileName.includes('compose') ? 'dockercompose' : 'yaml';
  const diagnostics = lintYamlStrict(text, { fileName, languageId, images });
  const document = TextDocument.create('file:///x.yaml', 'yaml', 0, text);
  for (const d of diagnostics) {
    assert.ok(inside(document, d.range.start) && inside(document, d.range.end), `range outside: ${JSON.stringify(d.range)}`);
    assert.ok(document.offsetAt(d.range.start) <= document.offsetAt(d.range.end));
    assert.match(d.code, /^GC3\d\d$/);
    for (const fix of d.data.fixes) {
      for (const e of fix.edits)
        assert.ok(inside(document, e.range.start) && inside(document, e.range.end), `edit outside: ${JSON.stringify(e.range)}`);
      const fixed = applyEdits(text, fix.edits);
      const after = lintYamlStrict(fixed, { fileName, languageId, images });
      if (fix.title.startsWith('Run ') && yamlErrors(text).length === 0) {
        // GC301's scheduling fixes: valid YAML, and one GC301 fewer at least.
        assert.deepEqual(yamlErrors(fixed), [], `'${fix.title}' broke the YAML:\n${fixed}`);
        const count = (list: readonly { code: string }[]): number => list.filter((x) => x.code === 'GC301').length;
        assert.ok(count(after) < count(diagnostics), `'${fix.title}' left every GC301:\n${fixed}`);
      }
      if (fix.title.startsWith('Ignore ')) {
        // A pragma is a comment: the YAML and its data stay the same, and the finding is gone.
        assert.deepEqual(yamlErrors(fixed), [], `'${fix.title}' broke the YAML:\n${fixed}`);
        assert.deepEqual(yamlValues(fixed), yamlValues(text), `'${fix.title}' changed the data:\n${fixed}`);
        if (fix.title.endsWith('for this file')) assert.ok(!after.some((a) => a.code === d.code), `'${fix.title}' left ${d.code}`);
      }
    }
  }
}

const image = fc.constantFrom(
  'acme/tool:1',
  'postgres:16',
  'acme/two:2',
  'arm64v8/postgres:16',
  'multiarch/alpine:armhf-v3.7',
  '"{{ .Values.image }}"',
  '${IMG:-arm32v7/nginx}',
  '${IMG}',
  "'quoted:1'",
  '*img',
  '',
);
const key = fc.constantFrom(
  'image',
  'platform',
  'name',
  'nodeSelector',
  'kubernetes.io/arch',
  'containers',
  'spec',
  'template',
  '<<',
  'services',
  'build',
  'platforms',
  'affinity',
);
const scalar = fc.oneof(
  image,
  fc.constantFrom('linux/amd64', 'arm64', 'In', 'NotIn', '[amd64, arm]', '{}', '[]', '&img x:1', '|', '>-', '~', '"unterminated'),
  fc.string({ maxLength: 8 }),
);
const indent = fc.integer({ min: 0, max: 12 }).map((n) => ' '.repeat(n));
const line = fc.oneof(
  fc.tuple(indent, key, scalar).map(([i, k, v]) => `${i}${k}: ${v}`),
  fc.tuple(indent, key).map(([i, k]) => `${i}${k}:`),
  fc.tuple(indent, scalar).map(([i, v]) => `${i}- ${v}`),
  fc.tuple(indent, key, image).map(([i, k, v]) => `${i}- {${k}: ${v}, name: c}`),
  fc.constantFrom(
    '---',
    '# platforms=linux/amd64,linux/arm64',
    '# green-cloud ignore=GC302',
    '  # comment',
    '...',
    '{{- if .Values.enabled }}',
    '',
  ),
);

function pod(lines: string[], eol: string): string {
  return ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: w}', 'spec:', '  template:', '    spec:', ...lines].join(eol) + eol;
}

describe('YAML lint fuzz', () => {
  it('survives random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('a.yaml', 'compose.yaml'), (text, name) => check(text, name)),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('survives random Kubernetes-shaped YAML (LF and CRLF)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => check(pod(lines, eol), 'deploy.yaml')),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('survives random Compose-shaped YAML', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), (lines, eol) =>
        check(['services:', '  s:', ...lines].join(eol), 'compose.yaml'),
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('survives random well-formed workloads built from real shapes', () => {
    const container = fc
      .tuple(image, fc.boolean())
      .map(([img, flow]) => (flow ? `        - {name: c, image: ${img}}` : `        - name: c\n          image: ${img}`));
    const selector = fc.constantFrom(
      '',
      '      nodeSelector:\n        kubernetes.io/arch: arm64\n',
      '      nodeSelector: {kubernetes.io/arch: amd64}\n',
      '      nodeSelector:\n        disktype: ssd\n',
      '      nodeSelector: {disktype: ssd}\n',
      '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n' +
        '              - matchExpressions:\n                  - key: kubernetes.io/arch\n                    operator: In\n                    values:\n                      - arm # boards\n                      - amd64\n                      - arm64\n' +
        '              # by zone\n              - matchExpressions:\n                  - {key: zone, operator: In, values: [a]}\n',
      '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n' +
        '              - matchExpressions:\n                  - {key: kubernetes.io/arch, operator: In, values: [arm, amd64]}\n                  - key: disktype\n                    operator: Exists\n' +
        '              - matchExpressions:\n                  - key: kubernetes.io/arch\n                    operator: NotIn\n                    values: [amd64]\n          # end\n',
      '      affinity:\n        podAntiAffinity: {}\n',
    );
    fc.assert(
      fc.property(selector, fc.array(container, { minLength: 1, maxLength: 4 }), fc.boolean(), (sel, cs, crlf) => {
        const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n${sel}      containers:\n${cs.join('\n')}\n`;
        check(crlf ? text.replace(/\n/g, '\r\n') : text, 'd.yaml');
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
