import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, settings, summary } from '../../../support/lint';
import { lintYamlStrict, yamlComments, yamlErrors } from '../../../support/yamlLint';

const deployment = (image: string, extra = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${extra}      containers:\n        - name: app\n          image: ${image}\n`;

describe('GC302 architecture-pinned image in Kubernetes and Compose', () => {
  it('flags an arm64v8/ image in a Deployment with the GC101 message shape and fixes it', () => {
    const text = deployment('arm64v8/postgres:16  # from a Pi guide');
    const [d, ...rest] = lintYamlStrict(text, { fileName: 'db.yaml' });
    assert.equal(rest.length, 0);
    assert.equal(summary(d), 'GC302 warning 9:17-9:33');
    assert.equal(
      d.message,
      "Image 'arm64v8/postgres:16' (container 'app' of Deployment 'web') is pinned to linux/arm64 by its 'arm64v8/' namespace; the workload can land on linux/amd64 and linux/arm/v7, where it runs arm64 binaries ('exec format error'). Use the multi-arch 'postgres:16'.",
    );
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC302\.md$/);
    const fixed = applyEdits(text, d.data.fixes[0].edits);
    assert.equal(fixed, deployment('postgres:16  # from a Pi guide'));
    assert.deepEqual(lintYamlStrict(fixed, { fileName: 'db.yaml' }), []);
  });

  it('uses the same tag and name knowledge as GC102 and GC103', () => {
    assert.deepEqual(lintYamlStrict(deployment('multiarch/alpine:armhf-v3.7')).map(summary), ['GC302 warning 9:34-9:44']);
    assert.deepEqual(lintYamlStrict(deployment('foo:arm64-1.0')).map(summary), ['GC302 warning 9:21-9:30']);
    assert.deepEqual(lintYamlStrict(deployment('balenalib/raspberrypi3-debian')).map(summary), ['GC302 warning 9:17-9:46']);
    // cross-compilers and ordinary tags are not pins
    assert.deepEqual(lintYamlStrict(deployment('dockcross/linux-arm64:latest')), []);
    assert.deepEqual(lintYamlStrict(deployment('python:3.12-slim-bookworm')), []);
  });

  it('keeps quotes when fixing a quoted scalar, and keeps CRLF line ends', () => {
    const text = deployment('"multiarch/alpine:armhf-v3.7"').replace(/\n/g, '\r\n');
    const [d] = lintYamlStrict(text);
    const fixed = applyEdits(text, d.data.fixes[0].edits);
    assert.ok(fixed.includes('image: "alpine:3.7"\r\n'), fixed);
    assert.deepEqual(yamlErrors(fixed), []);
    assert.deepEqual(lintYamlStrict(fixed), []);
  });

  it('fixes inside a flow mapping', () => {
    const text = 'services:\n  worker: {image: arm32v7/python:3.12-slim, command: [python, -m, worker]}  # flow\n';
    const [d] = lintYamlStrict(text, { fileName: 'compose.yaml' });
    const fixed = applyEdits(text, d.data.fixes[0].edits);
    assert.equal(fixed, 'services:\n  worker: {image: python:3.12-slim, command: [python, -m, worker]}  # flow\n');
    assert.deepEqual(yamlComments(fixed), ['# flow']);
    assert.deepEqual(lintYamlStrict(fixed, { fileName: 'compose.yaml' }), []);
  });

  it('is silent when the scheduling constraints keep the workload on the pinned architecture', () => {
    assert.deepEqual(lintYamlStrict(deployment('arm64v8/postgres:16', '      nodeSelector:\n        kubernetes.io/arch: arm64\n')), []);
    const affinity =
      '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n' +
      '              - matchExpressions:\n                  - {key: kubernetes.io/arch, operator: NotIn, values: [amd64, arm]}\n';
    assert.deepEqual(lintYamlStrict(deployment('arm64v8/postgres:16', affinity)), []);
    assert.deepEqual(lintYamlStrict(deployment('arm64v8/postgres:16'), {}, settings({ platforms: ['linux/arm64'] })), []);
  });

  it('honours # platforms= at the top and # green-cloud ignore= above the image', () => {
    assert.deepEqual(lintYamlStrict(`# platforms=linux/arm64\n${deployment('arm64v8/postgres:16')}`), []);
    const ignored = deployment('arm64v8/postgres:16').replace('          image:', '          # green-cloud ignore=GC302\n          image:');
    assert.deepEqual(lintYamlStrict(ignored), []);
    assert.deepEqual(lintYamlStrict(deployment('arm64v8/postgres:16'), {}, settings({ rules: { GC302: 'off' } })), []);
  });

  it('reads Compose variables with a default, and skips templates and variables without one', () => {
    const compose =
      'services:\n  db:\n    image: ${DB_IMAGE:-arm64v8/postgres:16}\n  a:\n    image: ${IMAGE}\n  b:\n    image: "{{ .Values.image }}-arm64"\n';
    const ds = lintYamlStrict(compose, { fileName: 'docker-compose.yml' });
    assert.deepEqual(ds.map(summary), ['GC302 warning 2:11-2:43']);
    assert.deepEqual(
      ds[0].data.fixes.map((f) => f.title),
      ['Ignore GC302 for this line', 'Ignore GC302 for this file'],
      'no multi-arch fix: replacing the value would drop the variable',
    );
  });

  it('leaves a service that builds its image alone', () => {
    assert.deepEqual(lintYamlStrict('services:\n  app:\n    build: .\n    image: me/app:arm64\n', { fileName: 'compose.yaml' }), []);
  });
});
