import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TextEdit } from 'vscode-languageserver-types';
import { applyEdits, settings, summary } from '../../../support/lint';
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
      "Image 'acme/tool:1' (container 'tool' of Pod 'p') is published for linux/amd64 only, but the workload can land on linux/arm64 and linux/arm/v7 (per the target platforms): containers there fail with 'exec format error'. Use an image published for linux/arm64 and linux/arm/v7, or keep Pod 'p' on linux/amd64 nodes with a kubernetes.io/arch nodeSelector.",
    );
  });

  it('says a list without the platform fails the pull, ignoring attestation entries', () => {
    const [d] = lintYamlStrict(pod('  containers:\n    - name: a\n      image: acme/agent:2\n'), { images });
    assert.match(
      d.message,
      /published for linux\/amd64 and linux\/arm64 only, but the workload can land on linux\/arm\/v7 .*: pulling it there fails \('no matching manifest'\)/,
    );
  });

  it('names the constraint that narrowed the set (NotIn affinity, os selector)', () => {
    const spec =
      '  nodeSelector: {kubernetes.io/os: linux}\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n' +
      '          - matchExpressions:\n              - key: kubernetes.io/arch\n                operator: NotIn\n                values: [arm]\n  containers:\n    - name: tool\n      image: acme/tool:1\n';
    const [d] = lintYamlStrict(pod(spec), { images });
    assert.match(
      d.message,
      /can land on linux\/arm64 \(per the target platforms, narrowed by nodeSelector 'kubernetes.io\/os: linux' and required nodeAffinity 'kubernetes.io\/arch NotIn \(arm\)'\)/,
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

  describe('quick fix: required node affinity when the images share several architectures', () => {
    const affinityFix = (d: { data: { fixes: readonly { title: string; edits: readonly TextEdit[] }[] } }) => {
      const fix = d.data.fixes.find((f) => f.title.includes('required node affinity'));
      assert.ok(fix, `no affinity fix among ${JSON.stringify(d.data.fixes.map((f) => f.title))}`);
      return fix;
    };
    /** Applies the fix, checks the YAML, its comments and that the re-lint has no GC301. */
    const applyAffinity = (text: string, keptComments = yamlComments(text)): string => {
      const ds = lintYamlStrict(text, { images });
      const d = ds.find((x) => x.code === 'GC301');
      assert.ok(d, 'no GC301');
      const fixed = applyEdits(text, affinityFix(d).edits);
      assert.deepEqual(yamlErrors(fixed), [], fixed);
      assert.deepEqual(yamlComments(fixed), keptComments, fixed);
      assert.deepEqual(
        lintYamlStrict(fixed, { images }).filter((x) => x.code === 'GC301'),
        [],
        fixed,
      );
      return fixed;
    };
    const term = (indent: number, lines: string[]): string => lines.map((l) => `${' '.repeat(indent)}${l}\n`).join('');
    const required = (terms: string): string =>
      `  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n${terms}`;
    const agent = '  containers:\n    - name: a\n      image: acme/agent:2 # amd64 and arm64\n';

    it('adds affinity.nodeAffinity.required… with kubernetes.io/arch In [amd64, arm64] (targets include arm/v7)', () => {
      const text = pod(`  # scheduling\n${agent}`);
      const [d] = lintYamlStrict(text, { images });
      assert.equal(
        affinityFix(d).title,
        "Run Pod 'p' on amd64 and arm64 nodes only (required node affinity kubernetes.io/arch In [amd64, arm64])",
      );
      assert.ok(
        !d.data.fixes.some((f) => f.title.includes('nodeSelector kubernetes.io/arch')),
        'no nodeSelector fix for two architectures',
      );
      assert.match(
        d.message,
        /keep Pod 'p' on linux\/amd64 and linux\/arm64 nodes with a required node affinity on kubernetes\.io\/arch\.$/,
      );
      const fixed = applyAffinity(text);
      assert.equal(
        fixed,
        pod(
          `  # scheduling\n${agent}${required(
            term(10, [
              '- matchExpressions:',
              '    - key: kubernetes.io/arch',
              '      operator: In',
              '      values:',
              '        - amd64',
              '        - arm64',
            ]),
          )}`,
        ),
      );
    });

    it('merges into an existing affinity and nodeAffinity (other keys kept), in a Deployment, with CRLF', () => {
      const spec =
        '      affinity:\n        podAntiAffinity: {} # spread\n        nodeAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution: []\n' +
        '      containers:\n        - name: a\n          image: acme/agent:2\n';
      const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${spec}`.replace(
        /\n/g,
        '\r\n',
      );
      const fixed = applyAffinity(text);
      assert.ok(!/[^\r]\n/.test(fixed), 'a bare LF in a CRLF file');
      assert.ok(
        fixed.includes(
          '        nodeAffinity:\r\n          preferredDuringSchedulingIgnoredDuringExecution: []\r\n          requiredDuringSchedulingIgnoredDuringExecution:\r\n            nodeSelectorTerms:\r\n              - matchExpressions:\r\n                  - key: kubernetes.io/arch\r\n                    operator: In\r\n                    values:\r\n                      - amd64\r\n                      - arm64\r\n      containers:\r\n',
        ),
        fixed,
      );
    });

    it('adds the restriction to EVERY existing term (terms are ORed), not as a new term', () => {
      const terms =
        term(10, ['- matchExpressions:', '    - key: topology.kubernetes.io/zone # zone a', '      operator: In', '      values: [a]']) +
        term(10, ['# by name', '- matchFields:', '    - key: metadata.name', '      operator: In', '      values: [n1]']);
      const text = pod(`${required(terms)}${agent}`);
      const fixed = applyAffinity(text);
      const expected =
        term(10, [
          '- matchExpressions:',
          '    - key: topology.kubernetes.io/zone # zone a',
          '      operator: In',
          '      values: [a]',
          '    - key: kubernetes.io/arch',
          '      operator: In',
          '      values:',
          '        - amd64',
          '        - arm64',
        ]) +
        term(10, [
          '# by name',
          '- matchFields:',
          '    - key: metadata.name',
          '      operator: In',
          '      values: [n1]',
          '  matchExpressions:',
          '    - key: kubernetes.io/arch',
          '      operator: In',
          '      values:',
          '        - amd64',
          '        - arm64',
        ]);
      assert.equal(fixed, pod(`${required(expected)}${agent}`));
    });

    it('narrows an existing kubernetes.io/arch In expression (block and flow values) instead of adding another', () => {
      const block = pod(
        `${required(
          term(10, [
            '- matchExpressions:',
            '    - key: kubernetes.io/arch',
            '      operator: In',
            '      values:',
            '        # the boards',
            '        - arm',
            '        - amd64',
            '        - arm64',
          ]),
        )}${agent}`,
      );
      const fixed = applyAffinity(block);
      assert.ok(
        fixed.includes(
          '                values:\n                  # the boards\n                  - amd64\n                  - arm64\n  containers:',
        ),
        fixed,
      );
      assert.equal((fixed.match(/kubernetes\.io\/arch/g) ?? []).length, 1, 'the expression is narrowed, not duplicated');
      const flow = pod(
        `${required(term(10, ['- matchExpressions:', '    - {key: kubernetes.io/arch, operator: In, values: [amd64, arm, arm64]}']))}${agent}`,
      );
      const fixedFlow = applyAffinity(flow);
      assert.ok(fixedFlow.includes('- {key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}\n'), fixedFlow);
    });

    it('removes a term that only admits architectures the images lack, keeps NotIn and restricts the rest', () => {
      const terms =
        term(10, [
          '- matchExpressions:',
          '    - key: kubernetes.io/arch',
          '      operator: In',
          '      values: [arm]',
          '    - key: disktype',
          '      operator: In',
          '      values: [ssd]',
        ]) + term(10, ['- matchExpressions:', '    - key: kubernetes.io/arch', '      operator: NotIn', '      values: [arm]']);
      const text = pod(`${required(terms)}${agent}`);
      const fixed = applyAffinity(text);
      const expected = term(10, [
        '- matchExpressions:',
        '    - key: kubernetes.io/arch',
        '      operator: NotIn',
        '      values: [arm]',
        '    - key: kubernetes.io/arch',
        '      operator: In',
        '      values:',
        '        - amd64',
        '        - arm64',
      ]);
      assert.equal(fixed, pod(`${required(expected)}${agent}`));
    });

    it('offers no affinity fix on shared (anchored, merged) or flow-style affinity, and never for variants the images lack', () => {
      const anchored = pod(
        `  affinity: &aff\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n          - matchExpressions: [{key: zone, operator: In, values: [a]}]\n${agent}`,
      );
      const [a] = lintYamlStrict(anchored, { images });
      assert.ok(!a.data.fixes.some((f) => f.title.startsWith('Run ')), JSON.stringify(a.data.fixes.map((f) => f.title)));
      const flow = pod(`  affinity: {nodeAffinity: {}}\n${agent}`);
      const [b] = lintYamlStrict(flow, { images });
      assert.ok(!b.data.fixes.some((f) => f.title.startsWith('Run ')));
      // arm/v6 and arm/v7 nodes are both `arm`: an arm/v7-only image cannot be kept off arm/v6 by kubernetes.io/arch.
      const v7 = imageTable({ 'acme/v7:1': { platforms: ['linux/arm/v7'], multiPlatform: false } });
      const [c] = lintYamlStrict(
        pod('  containers:\n    - name: a\n      image: acme/v7:1\n'),
        { images: v7 },
        settings({ platforms: ['linux/arm/v6', 'linux/arm/v7'] }),
      );
      assert.equal(c.code, 'GC301');
      assert.ok(!c.data.fixes.some((f) => f.title.startsWith('Run ')), JSON.stringify(c.data.fixes.map((f) => f.title)));
    });

    it('works on a file without a final newline (nodeSelector and affinity)', () => {
      for (const [text, expectedEnd] of [
        [pod('  containers:\n    - name: tool\n      image: acme/tool:1 # last line'), '  nodeSelector:\n    kubernetes.io/arch: amd64\n'],
        [pod('  containers:\n    - name: a\n      image: acme/agent:2'), '                  - amd64\n                  - arm64\n'],
      ]) {
        const [d] = lintYamlStrict(text, { images });
        const fix = d.data.fixes.find((f) => f.title.startsWith('Run '));
        assert.ok(fix, `no fix for:\n${text}`);
        const fixed = applyEdits(text, fix.edits);
        assert.ok(fixed.startsWith(text) && fixed.endsWith(expectedEnd), fixed);
        assert.deepEqual(yamlErrors(fixed), []);
        assert.deepEqual(yamlComments(fixed), yamlComments(text));
        assert.deepEqual(lintYamlStrict(fixed, { images }), []);
      }
    });

    it('uses the affinity for a single architecture when the nodeSelector is a flow map (a second nodeSelector key would be invalid)', () => {
      const text = pod('  nodeSelector: {disktype: ssd}\n  containers:\n    - name: tool\n      image: acme/tool:1\n');
      const [d] = lintYamlStrict(text, { images });
      const fix = d.data.fixes.find((f) => f.title.startsWith('Run '));
      assert.equal(fix?.title, "Run Pod 'p' on amd64 nodes only (required node affinity kubernetes.io/arch In [amd64])");
      const fixed = applyEdits(text, fix.edits);
      assert.deepEqual(yamlErrors(fixed), []);
      assert.deepEqual(lintYamlStrict(fixed, { images }), []);
    });
  });
});
