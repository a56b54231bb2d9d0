import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, summary } from '../../../support/lint';
import { imageTable, lintYamlStrict, yamlComments, yamlErrors } from '../../../support/yamlLint';

const images = imageTable({
  'acme/tool:1': { platforms: ['linux/amd64'], multiPlatform: false },
  'acme/agent:2': { platforms: ['linux/amd64', 'linux/arm64', 'unknown/unknown'], multiPlatform: true },
  'acme/all:3': { platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'], multiPlatform: true },
});

const pod = (spec: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;

describe('GC301 image lacks a platform the workload can land on', () => {
  it('names the missing and available platforms and what happens there', () => {
    const text = pod('  containers:\n    - name: tool\n      image: acme/tool:1\n');
    const [d, ...rest] = lintYamlStrict(text, { images });
    assert.equal(rest.length, 0);
    assert.equal(summary(d), 'GC301 warning 7:13-7:24');
    assert.equal(
      d.message,
      "Image 'acme/tool:1' (container 'tool' of Pod 'p') is published for linux/amd64 only; the workload can land on linux/amd64, linux/arm64 and linux/arm/v7 (the target platforms), and on linux/arm64 and linux/arm/v7 it is a single-platform image, so containers there fail with 'exec format error'. Use an image published for linux/arm64 and linux/arm/v7, or keep Pod 'p' on linux/amd64 nodes with a kubernetes.io/arch nodeSelector.",
    );
  });

  it('says a list without the platform fails the pull, ignoring attestation entries', () => {
    const [d] = lintYamlStrict(pod('  containers:\n    - name: a\n      image: acme/agent:2\n'), { images });
    assert.match(
      d.message,
      /published for linux\/amd64 and linux\/arm64 only;.*pulling it there fails with 'no matching manifest for linux\/arm\/v7'/,
    );
  });

  it('names the constraint that narrowed the set (NotIn affinity, os selector)', () => {
    const spec =
      '  nodeSelector: {kubernetes.io/os: linux}\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n' +
      '          - matchExpressions:\n              - key: kubernetes.io/arch\n                operator: NotIn\n                values: [arm]\n  containers:\n    - name: tool\n      image: acme/tool:1\n';
    const [d] = lintYamlStrict(pod(spec), { images });
    assert.match(
      d.message,
      /can land on linux\/amd64 and linux\/arm64 \(the target platforms, narrowed by nodeSelector 'kubernetes.io\/os: linux' and required nodeAffinity 'kubernetes.io\/arch NotIn \(arm\)'\)/,
    );
  });

  it('adds a kubernetes.io/arch nodeSelector, keeping comments and CRLF; the result is clean', () => {
    const text = pod('  # the tool\r\n  containers:\r\n    - name: tool\r\n      image: acme/tool:1 # amd64 build\r\n').replace(
      /(?<!\r)\n/g,
      '\r\n',
    );
    const [d] = lintYamlStrict(text, { images });
    const fix = d.data.fixes.find((f) => f.title.includes('nodeSelector'));
    assert.ok(fix, 'no nodeSelector fix');
    const fixed = applyEdits(text, fix.edits);
    assert.ok(fixed.endsWith('  nodeSelector:\r\n    kubernetes.io/arch: amd64\r\n'), JSON.stringify(fixed));
    assert.deepEqual(yamlErrors(fixed), []);
    assert.deepEqual(yamlComments(fixed), yamlComments(text));
    assert.deepEqual(lintYamlStrict(fixed, { images }), []);
  });

  it('adds the entry to an existing nodeSelector', () => {
    const text = pod('  nodeSelector:\n    disktype: ssd\n  containers:\n    - name: tool\n      image: acme/tool:1\n');
    const [d] = lintYamlStrict(text, { images });
    const fixed = applyEdits(text, d.data.fixes[0].edits);
    assert.equal(
      fixed,
      pod('  nodeSelector:\n    disktype: ssd\n    kubernetes.io/arch: amd64\n  containers:\n    - name: tool\n      image: acme/tool:1\n'),
    );
    assert.deepEqual(lintYamlStrict(fixed, { images }), []);
  });

  it('reports nothing without registry answers, for unknown images, templated constraints or builds', () => {
    assert.deepEqual(lintYamlStrict(pod('  containers:\n    - name: tool\n      image: acme/tool:1\n')), []);
    assert.deepEqual(lintYamlStrict(pod('  containers:\n    - name: x\n      image: acme/unknown:1\n'), { images }), []);
    assert.deepEqual(
      lintYamlStrict(
        pod('  nodeSelector:\n    kubernetes.io/arch: "{{ .Values.arch }}"\n  containers:\n    - name: tool\n      image: acme/tool:1\n'),
        { images },
      ),
      [],
    );
    assert.deepEqual(lintYamlStrict('services:\n  t:\n    build: .\n    image: acme/tool:1\n', { fileName: 'compose.yml', images }), []);
    const offline = new Map([['acme/tool:1', { kind: 'unknown' as const, reason: 'offline' }]]);
    assert.deepEqual(lintYamlStrict(pod('  containers:\n    - name: tool\n      image: acme/tool:1\n'), { images: offline }), []);
  });

  it('uses the Compose platform, otherwise the targets', () => {
    const compose =
      'services:\n  a:\n    image: acme/tool:1\n    platform: linux/amd64\n  b:\n    image: acme/all:3\n  c:\n    image: acme/agent:2\n';
    assert.deepEqual(lintYamlStrict(compose, { fileName: 'compose.yaml', images }).map(summary), ['GC301 warning 7:11-7:23']);
  });

  it('follows anchors and aliases, reporting a shared image once', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n    spec:\n      containers: &c\n        - name: tool\n          image: acme/tool:1\n' +
      '  - apiVersion: v1\n    kind: Pod\n    metadata: {name: b}\n    spec:\n      containers: *c\n';
    assert.deepEqual(lintYamlStrict(text, { images }).map(summary), ['GC301 warning 9:17-9:28']);
  });
});
