/**
 * GC301, GC303 and GC304 against a real `docker-registry` on loopback: a single-arch image whose
 * name says nothing of its architecture, and a multi-arch list. The YAML rules read the lookup
 * service's answers (the same path as the language server), the quick fixes are applied and
 * linted again, and `green-cloud lint` reports them (and, `--offline`, keeps GC304 from the cache
 * but skips GC301).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { RegistryClient } from '../../../core/src/registry';
import { LookupService } from '../../../server/src/lookups';
import { DEFAULT_SETTINGS } from '../../../core/src/settings';
import { lookUpAll } from '../../../server/src/yaml/imagePlatforms';
import { lintYaml, yamlImagesToLookUp } from '../../../server/src/yamlLinter';
import { serviceLookup } from '../../../server/src/yamlLookups';
import { requireBuiltCli, runCli } from '../../cli/cliProcess';
import { applyEdits, summary } from '../../support/lint';
import { yamlErrors } from '../../support/yamlLint';
import { DOCKER_LIST } from './fakeRegistry';
import { dockerConfigDir, pushSyntheticImage, startRegistry, tempDir, type RunningRegistry, type SyntheticImage } from './support';
import { scratchDir } from '../../support/scratch';

describe('Kubernetes and Compose images against a real loopback registry', () => {
  let registry: RunningRegistry;
  let tool = '';
  let base = '';
  const cleanup: string[] = [];

  before(async () => {
    registry = await startRegistry();
    const c = new RegistryClient(registry.host);
    const amd64 = await pushSyntheticImage(c, 'team/tool', '1', { os: 'linux', architecture: 'amd64' });
    tool = amd64.reference;
    const images: [SyntheticImage, Record<string, string>][] = [
      [await pushSyntheticImage(c, 'team/base', 'a', { os: 'linux', architecture: 'amd64' }), { os: 'linux', architecture: 'amd64' }],
      [
        await pushSyntheticImage(c, 'team/base', 'b', { os: 'linux', architecture: 'arm64', variant: 'v8' }),
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
      [
        await pushSyntheticImage(c, 'team/base', 'c', { os: 'linux', architecture: 'arm', variant: 'v7' }),
        { os: 'linux', architecture: 'arm', variant: 'v7' },
      ],
    ];
    const list = {
      schemaVersion: 2,
      mediaType: DOCKER_LIST,
      manifests: images.map(([i, platform]) => ({ mediaType: i.mediaType, digest: i.digest, size: i.size, platform })),
    };
    await c.putManifest('team/base', '1', Buffer.from(JSON.stringify(list)), DOCKER_LIST);
    base = `${registry.host}/team/base:1`;
  });

  after(async () => {
    await registry.stop();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  });

  function service(): LookupService {
    const configDir = dockerConfigDir({});
    const cacheDirectory = tempDir('cache');
    cleanup.push(configDir, cacheDirectory);
    return new LookupService({ credentialOptions: { configDir }, cacheDirectory });
  }

  async function lintWithRegistry(text: string, fileName: string) {
    const options = { fileName };
    const table = await lookUpAll(yamlImagesToLookUp(text, DEFAULT_SETTINGS, options), serviceLookup(service()));
    return lintYaml(text, DEFAULT_SETTINGS, { ...options, images: table });
  }

  const deployment = (image: string, extra = ''): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tool\nspec:\n  template:\n    spec:\n${extra}      containers:\n        - name: tool\n          image: ${image}\n`;

  it('GC301: a single-arch image lacks the arm targets; the nodeSelector fix is clean', async () => {
    const text = deployment(tool);
    const [d, ...rest] = await lintWithRegistry(text, 'deploy.yaml');
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC301');
    assert.equal(
      d.message,
      `Image '${tool}' (container 'tool' of Deployment 'tool') is published for linux/amd64 only, but the workload can land on linux/arm64 and linux/arm/v7 (per the target platforms): containers there fail with 'exec format error'. Use an image published for linux/arm64 and linux/arm/v7, or keep Deployment 'tool' on linux/amd64 nodes with a kubernetes.io/arch nodeSelector.`,
    );
    const fixed = applyEdits(text, d.data.fixes[0].edits);
    assert.deepEqual(yamlErrors(fixed), []);
    assert.deepEqual(await lintWithRegistry(fixed, 'deploy.yaml'), []);
  });

  it('GC303: a pin to arm64 on a multi-arch list; removing it is clean', async () => {
    const text = deployment(base, '      nodeSelector:\n        kubernetes.io/arch: arm64\n');
    const [d] = await lintWithRegistry(text, 'deploy.yaml');
    assert.equal(summary(d), 'GC303 info 8:8-8:33');
    const fixed = applyEdits(text, d.data.fixes[0].edits);
    assert.deepEqual(await lintWithRegistry(fixed, 'deploy.yaml'), []);
  });

  it('GC304: Compose platform on the multi-arch list; removing it is clean; a list image is not GC301', async () => {
    const text = `services:\n  db:\n    image: ${base}\n    platform: linux/amd64\n  tool:\n    image: ${tool}\n    platform: linux/amd64\n`;
    const ds = await lintWithRegistry(text, 'compose.yaml');
    assert.deepEqual(
      ds.map((d) => d.code),
      ['GC304'],
    );
    const fixed = applyEdits(text, ds[0].data.fixes[0].edits);
    assert.deepEqual(await lintWithRegistry(fixed, 'compose.yaml'), []);
  });

  it('green-cloud lint looks images up; --offline skips GC301 and keeps GC304 from the cache', async () => {
    requireBuiltCli();
    const ws = scratchDir({
      'k8s/deploy.yaml': deployment(tool),
      'compose.yaml': `services:\n  db:\n    image: ${base}\n    platform: linux/amd64\n`,
    });
    const env = { GREEN_CLOUD_OFFLINE: '0', XDG_CACHE_HOME: tempDir('xdg'), DOCKER_CONFIG: dockerConfigDir({}) };
    cleanup.push(env.XDG_CACHE_HOME, env.DOCKER_CONFIG);
    try {
      const online = await runCli(['lint', '-f', 'json', '--verbose', '.'], { cwd: ws.dir, env });
      assert.equal(online.code, 1, online.stderr);
      const codes = (JSON.parse(online.stdout) as { file: string; code: string }[]).map((f) => `${f.file} ${f.code}`);
      assert.deepEqual(codes, ['compose.yaml GC304', 'k8s/deploy.yaml GC301']);
      assert.match(online.stderr, /lookup .*team\/tool:1: ok/);
      const offline = await runCli(['lint', '-f', 'json', '--offline', '.'], { cwd: ws.dir, env });
      assert.deepEqual(
        (JSON.parse(offline.stdout) as { file: string; code: string }[]).map((f) => `${f.file} ${f.code}`),
        ['compose.yaml GC304'],
      );
    } finally {
      ws.dispose();
    }
  });
});
