import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, settings, summary } from '../../../support/lint';
import { imageTable, lintYamlStrict, yamlComments, yamlErrors } from '../../../support/yamlLint';

const images = imageTable({
  'acme/all:3': { platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'], multiPlatform: true },
  'acme/two:2': { platforms: ['linux/amd64', 'linux/arm64'], multiPlatform: true },
  'acme/pi:1': { platforms: ['linux/arm64'], multiPlatform: false },
});

const deployment = (spec: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${spec}`;

describe('GC303 workload pinned to one architecture although its images have more', () => {
  it('reports the pin and removes it (the whole nodeSelector when it held only the pin)', () => {
    const text = deployment(
      '      nodeSelector:\n        kubernetes.io/arch: arm64\n      containers:\n        - name: a\n          image: acme/all:3\n',
    );
    const [d, ...rest] = lintYamlStrict(text, { images });
    assert.equal(rest.length, 0);
    assert.equal(summary(d), 'GC303 info 8:8-8:33');
    assert.equal(
      d.message,
      "Deployment 'web' is pinned to arm64 nodes by nodeSelector 'kubernetes.io/arch: arm64', although every image it runs is also published for linux/amd64 and linux/arm/v7; it could also run on those nodes. Remove the pin to let the scheduler use them.",
    );
    const fixed = applyEdits(text, d.data.fixes[0].edits);
    assert.equal(fixed, deployment('      containers:\n        - name: a\n          image: acme/all:3\n'));
    assert.deepEqual(lintYamlStrict(fixed, { images }), []);
  });

  it('removes only the arch entry of a larger nodeSelector, keeping comments', () => {
    const text = deployment(
      '      nodeSelector:\n        disktype: ssd\n        # Graviton only\n        kubernetes.io/arch: arm64\n      containers:\n        - name: a\n          image: acme/all:3\n',
    );
    const [d] = lintYamlStrict(text, { images });
    const fixed = applyEdits(text, d.data.fixes[0].edits);
    assert.deepEqual(yamlErrors(fixed), []);
    assert.deepEqual(yamlComments(fixed), ['# Graviton only']);
    assert.ok(!fixed.includes('kubernetes.io/arch'), fixed);
    assert.deepEqual(lintYamlStrict(fixed, { images }), []);
  });

  it('reports an affinity pin without a fix, and says to widen it when images lack a target', () => {
    const affinity =
      '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n' +
      '              - matchExpressions:\n                  - {key: kubernetes.io/arch, operator: In, values: [amd64]}\n      containers:\n        - name: a\n          image: acme/two:2\n';
    const [d] = lintYamlStrict(deployment(affinity), { images });
    assert.equal(d.code, 'GC303');
    assert.deepEqual(
      d.data.fixes.map((f) => f.title),
      ['Ignore GC303 for this line', 'Ignore GC303 for this file'],
    );
    assert.match(d.message, /also published for linux\/arm64; .*Widen the pin/);
  });

  it('is silent when an image needs the pin, is unknown, or the targets have one architecture', () => {
    const pinned = (image: string): string =>
      deployment(
        `      nodeSelector:\n        kubernetes.io/arch: arm64\n      containers:\n        - name: a\n          image: ${image}\n`,
      );
    assert.deepEqual(lintYamlStrict(pinned('acme/pi:1'), { images }), []);
    assert.deepEqual(lintYamlStrict(pinned('acme/unknown:1'), { images }), []);
    assert.deepEqual(lintYamlStrict(pinned('acme/all:3'), { images }, settings({ platforms: ['linux/arm64'] })), []);
    assert.deepEqual(lintYamlStrict(pinned('acme/all:3')), [], 'no registry answers, no finding');
  });
});
