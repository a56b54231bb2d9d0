/** Which YAML is ours, and the platforms a workload can land on. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlatform } from '../../../../core/src/platforms';
import { DEFAULT_SETTINGS } from '../../../../core/src/settings';
import { buildYamlModel, isComposeFileName, looksLikeKubernetes, resolveTemplated } from '../../../../server/src/yaml/model';
import { isYamlDocument, yamlImagesToLookUp } from '../../../../server/src/yamlLinter';

const platforms = DEFAULT_SETTINGS.platforms;
const model = (text: string, fileName = 'x.yaml', languageId = 'yaml') => buildYamlModel(text, { fileName, languageId, platforms });
const landing = (text: string): string[][] => model(text).workloads.map((w) => w.platforms.map(formatPlatform));

describe('YAML model: which files', () => {
  it('recognises Compose file names and nothing else by name', () => {
    for (const name of [
      'compose.yaml',
      'compose.yml',
      'docker-compose.yaml',
      'docker-compose.yml',
      'compose.prod.yaml',
      'docker-compose.override.yml',
      'a/b/Compose.YAML',
    ]) {
      assert.ok(isComposeFileName(name), name);
    }
    for (const name of ['values.yaml', 'composer.yaml', 'my-compose.yml', 'compose.json', 'docker-compose'])
      assert.ok(!isComposeFileName(name), name);
    assert.ok(isYamlDocument('file:///a/values.yaml', 'yaml'));
    assert.ok(isYamlDocument('file:///a/stack', 'dockercompose'));
    assert.ok(!isYamlDocument('file:///a/Dockerfile', 'dockerfile'));
    // URIs: escapes decoded, a malformed escape never throws
    assert.equal(model('services: {a: {image: x:1}}\n', 'file:///w/my%20app/compose.yaml').flavour, 'compose');
    assert.doesNotThrow(() => model('services: {}\n', 'file:///w/%E0%A4%A/compose.yaml'));
  });

  it('finds every workload kind, in multi-document files, and nested Pod templates', () => {
    const doc = (kind: string, spec: string): string => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${kind.toLowerCase()}\n${spec}`;
    const podSpec = (indent: string): string => `${indent}containers:\n${indent}  - name: c\n${indent}    image: alpine:3.20\n`;
    const text = [
      doc('Pod', `spec:\n${podSpec('  ')}`),
      ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'].map((k) =>
        doc(k, `spec:\n  template:\n    spec:\n${podSpec('      ')}`),
      ),
      doc('CronJob', `spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${podSpec('          ')}`),
      doc('PodTemplate', `template:\n  spec:\n${podSpec('    ')}`),
      doc('Service', 'spec:\n  ports: [{port: 80}]\n'),
      doc('ConfigMap', 'data:\n  image: alpine:3.20\n'),
    ].join('---\n');
    const m = model(text);
    assert.equal(m.flavour, 'kubernetes');
    assert.deepEqual(
      m.workloads.map((w) => w.name),
      [
        "Pod 'pod'",
        "Deployment 'deployment'",
        "StatefulSet 'statefulset'",
        "DaemonSet 'daemonset'",
        "ReplicaSet 'replicaset'",
        "ReplicationController 'replicationcontroller'",
        "Job 'job'",
        "CronJob 'cronjob'",
        "PodTemplate 'podtemplate'",
      ],
    );
    assert.ok(m.workloads.every((w) => w.images.length === 1 && w.images[0].image === 'alpine:3.20'));
    assert.ok(looksLikeKubernetes(text));
  });

  it('reads containers, initContainers and ephemeralContainers', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: i, image: "busybox:1"}]\n  containers: [{name: c, image: app:1}]\n  ephemeralContainers:\n    - {name: dbg, image: debug:1}\n';
    assert.deepEqual(
      model(text).workloads[0].images.map((u) => `${u.where}=${u.image}`),
      ["init container 'i'=busybox:1", "container 'c'=app:1", "ephemeral container 'dbg'=debug:1"],
    );
  });

  it('leaves other YAML alone: CI workflows, Helm values, ConfigMaps, kustomizations', () => {
    for (const text of [
      'on: push\njobs:\n  build:\n    container: {image: arm64v8/alpine}\n',
      'image:\n  repository: arm64v8/nginx\n  tag: "1.27"\n',
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  image: arm64v8/alpine\n',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - {name: app, newName: arm64v8/app}\n',
    ]) {
      assert.equal(model(text).workloads.length, 0, text);
      assert.ok(!looksLikeKubernetes(text));
    }
  });

  it('never throws on malformed YAML and skips only the broken document', () => {
    const broken =
      'apiVersion: v1\nkind: Pod\nspec: [unclosed\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  containers: [{name: c, image: a:1}]\n';
    assert.deepEqual(
      model(broken).workloads.map((w) => w.name),
      ["Pod 'ok'"],
    );
    for (const junk of [
      '',
      '---',
      '\u0000\u0001',
      '{{- if .Values.x }}\nkind: Pod\n{{- end }}',
      'a: &a [*a]',
      '? [a]\n: b',
      'x'.repeat(2_000_000),
    ]) {
      assert.doesNotThrow(() => model(junk), junk.slice(0, 20));
    }
  });

  it('Compose: resolves ${VAR:-default}, skips ${VAR} and Helm templates', () => {
    assert.equal(resolveTemplated('${REG:-ghcr.io}/app:${TAG-1.0}'), 'ghcr.io/app:1.0');
    assert.equal(resolveTemplated('$$literal'), '$literal');
    for (const v of ['${TAG}', '$TAG', '${TAG:?required}', '{{ .Values.image }}', 'a:${']) assert.equal(resolveTemplated(v), undefined, v);
    const m = model('services:\n  a: {image: "${IMG:-web:1}"}\n  b: {image: $IMG}\n', 'compose.yaml');
    assert.deepEqual(
      m.workloads.map((w) => w.images.map((u) => u.image)),
      [['web:1'], []],
    );
  });
});

describe('YAML model: where a workload can land', () => {
  const pod = (spec: string): string =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}  containers: [{name: c, image: a:1}]\n`;

  it('is the targets without constraints, or the file directive', () => {
    assert.deepEqual(landing(pod('')), [['linux/amd64', 'linux/arm64', 'linux/arm/v7']]);
    assert.deepEqual(landing(`# Deployed on our Graviton cluster\n# platforms=linux/arm64,linux/amd64\n${pod('')}`), [
      ['linux/arm64', 'linux/amd64'],
    ]);
  });

  it('is narrowed by nodeSelector on arch and os (legacy beta labels too)', () => {
    assert.deepEqual(landing(pod('  nodeSelector:\n    kubernetes.io/arch: arm64\n')), [['linux/arm64']]);
    assert.deepEqual(landing(pod('  nodeSelector:\n    beta.kubernetes.io/arch: arm\n')), [['linux/arm/v7']]);
    assert.deepEqual(landing(pod('  nodeSelector:\n    kubernetes.io/os: windows\n')), [[]]);
    assert.deepEqual(landing(pod('  nodeSelector:\n    disktype: ssd\n')), [['linux/amd64', 'linux/arm64', 'linux/arm/v7']]);
  });

  it('is narrowed by required node affinity: In / NotIn, terms ORed, preferred ignored', () => {
    const affinity = (terms: string): string =>
      `  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n${terms}`;
    const term = (op: string, values: string): string =>
      `          - matchExpressions:\n              - {key: kubernetes.io/arch, operator: ${op}, values: [${values}]}\n`;
    assert.deepEqual(landing(pod(affinity(term('In', 'amd64, arm64')))), [['linux/amd64', 'linux/arm64']]);
    assert.deepEqual(landing(pod(affinity(term('NotIn', 'arm')))), [['linux/amd64', 'linux/arm64']]);
    assert.deepEqual(landing(pod(affinity(term('In', 'amd64') + term('In', 'arm')))), [['linux/amd64', 'linux/arm/v7']]);
    // a term without arch/os expressions lets the pod land anywhere
    assert.deepEqual(
      landing(
        pod(affinity(term('In', 'amd64') + '          - matchExpressions:\n              - {key: zone, operator: In, values: [a]}\n')),
      ),
      [['linux/amd64', 'linux/arm64', 'linux/arm/v7']],
    );
    const preferred =
      '  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: 1\n          preference:\n            matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [arm64]}]\n';
    assert.deepEqual(landing(pod(preferred)), [['linux/amd64', 'linux/arm64', 'linux/arm/v7']]);
  });

  it('marks templated constraints uncertain', () => {
    assert.equal(model(pod('  nodeSelector:\n    kubernetes.io/arch: "{{ .Values.arch }}"\n')).workloads[0].uncertain, true);
  });

  it('Compose: the service platform, build.platforms, else the targets', () => {
    const m = model(
      'services:\n  a: {image: x:1, platform: linux/arm64}\n  b: {build: {context: ., platforms: [linux/amd64]}, image: me/b}\n  c: {image: y:1}\n',
      'compose.yaml',
    );
    assert.deepEqual(
      m.workloads.map((w) => w.platforms.map(formatPlatform)),
      [['linux/arm64'], ['linux/amd64'], ['linux/amd64', 'linux/arm64', 'linux/arm/v7']],
    );
    assert.deepEqual(
      yamlImagesToLookUp('services:\n  a: {image: x:1}\n  b: {build: ., image: me/b}\n  c: {image: "Not A Ref"}\n', DEFAULT_SETTINGS, {
        fileName: 'compose.yaml',
      }),
      ['x:1'],
    );
  });

  it('follows merge keys (<<: *defaults)', () => {
    const m = model(
      'x-base: &base\n  image: web:1\n  platform: linux/amd64\nservices:\n  web:\n    <<: *base\n    ports: ["80:80"]\n',
      'compose.yaml',
    );
    assert.deepEqual(
      m.workloads.map((w) => [w.images[0]?.image, w.platforms.map(formatPlatform)]),
      [['web:1', ['linux/amd64']]],
    );
  });

  it('reads a kustomize base Deployment (kustomization.yaml beside it is not a workload)', () => {
    const base =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.4.2\n        resources: {limits: {memory: 256Mi}}\n';
    assert.deepEqual(
      model(base).workloads.map((w) => w.images[0].image),
      ['ghcr.io/acme/api:1.4.2'],
    );
  });
});
