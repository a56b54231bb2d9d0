import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlatform, parsePlatform } from '../../../../core/src/platforms';
import { BuildMemory, type StateStore } from '../../../../client/src/imageBuild/memory';

/** An in-memory workspace state (the editor's Memento stand-in, not a Docker or registry fake). */
function store(initial: Record<string, unknown> = {}): StateStore & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = { ...initial };
  return {
    data,
    get: <T>(key: string) => data[key] as T | undefined,
    update: (key: string, value: unknown) => {
      data[key] = value;
      return Promise.resolve();
    },
  };
}

describe('BuildMemory', () => {
  it('remembers platforms, image and version per Dockerfile', async () => {
    const state = store();
    const memory = new BuildMemory(state);
    assert.equal(memory.platforms('/w/a/Dockerfile'), undefined);
    assert.equal(memory.image('/w/a/Dockerfile'), undefined);
    await memory.remember('/w/a/Dockerfile', { platforms: [parsePlatform('linux/arm64')], image: 'web', version: '1.2' });
    await memory.remember('/w/b/Dockerfile', {
      platforms: [parsePlatform('linux/amd64'), parsePlatform('linux/arm/v7')],
      image: 'api',
      version: '2.0',
    });
    assert.deepEqual(memory.platforms('/w/a/Dockerfile')?.map(formatPlatform), ['linux/arm64']);
    assert.deepEqual(memory.platforms('/w/b/Dockerfile')?.map(formatPlatform), ['linux/amd64', 'linux/arm/v7']);
    assert.equal(memory.image('/w/a/Dockerfile'), 'web');
    assert.equal(memory.version('/w/a/Dockerfile'), '1.2');
    assert.equal(memory.image('/w/b/Dockerfile'), 'api');
    assert.equal(memory.version('/w/b/Dockerfile'), '2.0');
    // The platforms picked last anywhere, for callers without a Dockerfile (the manifest list prompt).
    assert.deepEqual(memory.platforms()?.map(formatPlatform), ['linux/amd64', 'linux/arm/v7']);
  });

  it("never pre-fills a new Dockerfile with another one's answers", async () => {
    const memory = new BuildMemory(store());
    await memory.remember('/w/a/Dockerfile', { platforms: [parsePlatform('linux/arm64')], image: 'web', version: '1.2' });
    assert.equal(memory.image('/w/new/Dockerfile'), undefined);
    assert.equal(memory.version('/w/new/Dockerfile'), undefined);
    assert.equal(memory.platforms('/w/new/Dockerfile'), undefined);
  });

  it('ignores the workspace-wide fallback of older versions and drops it on the next write', async () => {
    const state = store({ 'greenCloud.build.image': { '': 'web', '/w/a/Dockerfile': 'web' } });
    const memory = new BuildMemory(state);
    assert.equal(memory.image('/w/b/Dockerfile'), undefined);
    assert.equal(memory.image('/w/a/Dockerfile'), 'web');
    await memory.remember('/w/b/Dockerfile', { image: 'api' });
    assert.deepEqual(state.data['greenCloud.build.image'], { '/w/a/Dockerfile': 'web', '/w/b/Dockerfile': 'api' });
  });

  it('ignores stored values of the wrong shape', () => {
    const memory = new BuildMemory(
      store({
        'greenCloud.build.platforms': ['linux/bogus/x/y', 3],
        'greenCloud.build.platformsByDockerfile': { '/w/Dockerfile': 'linux/arm64' },
        'greenCloud.build.image': 'web',
        'greenCloud.build.version': { '/w/Dockerfile': 7 },
      }),
    );
    assert.equal(memory.platforms(), undefined);
    assert.equal(memory.platforms('/w/Dockerfile'), undefined);
    assert.equal(memory.image('/w/Dockerfile'), undefined);
    assert.equal(memory.version('/w/Dockerfile'), undefined);
  });

  it('does not read inherited object keys as remembered values', () => {
    const memory = new BuildMemory(store({ 'greenCloud.build.image': { '': 'web' } }));
    assert.equal(memory.image('constructor'), undefined);
    assert.equal(memory.image('__proto__'), undefined);
  });
});
