/**
 * `green-cloud lint` with registry lookups (dist/cli.js as a child process) against a real
 * loopback `docker-registry` and the fake registry that never answers: GC108 from the registry,
 * `--offline`, `--verbose`, the XDG cache, and exit codes that a failed lookup never changes.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RegistryClient } from '../../core/src/registry';
import { CACHE_FILE } from '../../server/src/lookups';
import { addImage, startFakeRegistry, type FakeRegistry } from '../e2e/registry/fakeRegistry';
import { dockerConfigDir, pushSyntheticImage, startRegistry, tempDir, type RunningRegistry } from '../e2e/registry/support';
import { requireBuiltCli, runCli } from './cliProcess';
import { scratchDir, type Scratch } from '../support/scratch';

describe('green-cloud lint with registry lookups', () => {
  let registry: RunningRegistry;
  let fake: FakeRegistry;
  let ws: Scratch;
  let cache: string;
  let dockerConfig: string;
  const env = () => ({ GREEN_CLOUD_OFFLINE: '0', XDG_CACHE_HOME: cache, DOCKER_CONFIG: dockerConfig });

  before(async () => {
    requireBuiltCli();
    registry = await startRegistry();
    await pushSyntheticImage(new RegistryClient(registry.host), 'someorg/tool', '1', { os: 'linux', architecture: 'amd64' });
    fake = await startFakeRegistry();
    addImage(fake, 'slow/app', '1', { os: 'linux', architecture: 'amd64' });
    fake.fault = () => 'hang';
    cache = tempDir('cli-cache');
    dockerConfig = dockerConfigDir({});
    ws = scratchDir({
      'tool/Dockerfile': `FROM ${registry.host}/someorg/tool:1\nRUN tool --version\n`,
      'missing/Dockerfile': `FROM ${registry.host}/someorg/nothing:1\n`,
      'hang/Dockerfile': `FROM ${fake.host}/slow/app:1\n`,
    });
  });
  after(async () => {
    ws?.dispose();
    await registry?.stop();
    await fake?.stop();
    for (const d of [cache, dockerConfig]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('reports GC108 from the registry (exit 1), caches in $XDG_CACHE_HOME/green-cloud, --verbose lists the lookups', async () => {
    const r = await runCli(['lint', '--verbose', '--format', 'json', 'tool/Dockerfile'], { cwd: ws.dir, env: env() });
    assert.equal(r.code, 1, r.stderr);
    const findings = JSON.parse(r.stdout) as { code: string; message: string }[];
    assert.deepEqual(
      findings.map((f) => f.code),
      ['GC108'],
    );
    assert.match(findings[0].message, /is a single linux\/amd64 image; the linux\/arm64 and linux\/arm\/v7 builds get amd64 binaries/);
    assert.match(r.stderr, new RegExp(`lookup ${registry.host.replace(/\./g, '\\.')}/someorg/tool:1: ok in \\d+ ms`));
    assert.ok(existsSync(join(cache, 'green-cloud', CACHE_FILE)), 'the cache file');
    const again = await runCli(['lint', '--verbose', 'tool/Dockerfile'], { cwd: ws.dir, env: env() });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /someorg\/tool:1: ok \(cache\)/);
  });

  it('--offline (or GREEN_CLOUD_OFFLINE=1): no lookup, the syntactic result', async () => {
    const r = await runCli(['lint', '--offline', '--verbose', 'tool/Dockerfile'], { cwd: ws.dir, env: env() });
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stderr, /registry lookups are off/);
  });

  it('a failed lookup never changes the exit code: not found, and a registry that never answers', async () => {
    const missing = await runCli(['lint', '--verbose', 'missing/Dockerfile'], { cwd: ws.dir, env: env() });
    assert.equal(missing.code, 0, missing.stdout);
    assert.match(missing.stderr, /someorg\/nothing:1: not-found .*does not exist/);
    const hang = await runCli(['lint', '--verbose', 'hang/Dockerfile'], { cwd: ws.dir, env: env() });
    assert.equal(hang.code, 0, hang.stdout);
    assert.match(hang.stderr, /slow\/app:1: unavailable .*did not answer within/);
    // Once per registry and cause, in the terminal's words: the flag, never the editor's setting.
    const summary = hang.stderr.split('\n').filter((l) => l.includes('gave no answer'));
    assert.deepEqual(summary, [
      `green-cloud lint: ${fake.host} gave no answer (timed out); its image was not checked for platforms. Offline? Pass --offline.`,
    ]);
    assert.doesNotMatch(hang.stderr, /greenCloud\./);
  });
});
