import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlatform, parsePlatform } from '../../../../core/src/platforms';
import { engineProblems, groupByEngine, missingByEngine } from '../../../../client/src/imageBuild/emulation';
import type { PlatformReadiness } from '../../../../client/src/imageBuild/format';

const platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].map((p) => parsePlatform(p));
const summary = (groups: ReturnType<typeof groupByEngine>) =>
  groups.map((g) => ({ host: g.engine.host, label: g.engine.label, platforms: g.platforms.map(formatPlatform), error: g.settingError }));

describe('groupByEngine', () => {
  it('uses greenCloud.docker.host, else DOCKER_HOST, else the default socket', () => {
    assert.deepEqual(summary(groupByEngine(platforms, { builders: {}, defaultHost: 'tcp://127.0.0.1:2375', env: {} })), [
      {
        host: 'tcp://127.0.0.1:2375',
        label: 'tcp://127.0.0.1:2375',
        platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
        error: undefined,
      },
    ]);
    assert.equal(
      groupByEngine(platforms, { builders: {}, env: { DOCKER_HOST: 'unix:///tmp/e.sock' } })[0].engine.host,
      'unix:///tmp/e.sock',
    );
    assert.equal(groupByEngine(platforms, { builders: {}, env: {} })[0].engine.label, 'local');
  });

  it('sends mapped platforms to their builder (aliases match) and reports bad addresses by setting', () => {
    const groups = groupByEngine(platforms, {
      builders: { aarch64: 'ssh://b@arm', 'linux/arm/v7': 'ftp://x' },
      defaultHost: 'unix:///tmp/d.sock',
      env: {},
    });
    assert.deepEqual(summary(groups), [
      { host: 'unix:///tmp/d.sock', label: 'unix:///tmp/d.sock', platforms: ['linux/amd64'], error: undefined },
      { host: 'ssh://b@arm', label: 'ssh://b@arm', platforms: ['linux/arm64'], error: undefined },
      { host: 'ftp://x', label: 'ftp://x', platforms: ['linux/arm/v7'], error: groups[2].settingError },
    ]);
    assert.match(groups[2].settingError ?? '', /^greenCloud\.builders\["linux\/arm\/v7"\]: 'ftp:\/\/x' is not a Docker engine address/);
  });

  it('reports an invalid greenCloud.docker.host instead of throwing', () => {
    const [group] = groupByEngine(platforms, { builders: {}, defaultHost: 'docker.sock', env: {} });
    assert.match(group.settingError ?? '', /^greenCloud\.docker\.host: 'docker\.sock' is not a Docker engine address/);
  });
});

describe('missingByEngine', () => {
  it('picks reachable platforms that cannot run (missing or unknown)', () => {
    const [amd64, arm64, armv7] = platforms;
    const readiness: PlatformReadiness[] = [
      { platform: amd64, engine: 'local', report: { platform: amd64, status: 'native', detail: '' } },
      { platform: arm64, engine: 'local', report: { platform: arm64, status: 'missing', detail: '' } },
      { platform: armv7, engine: 'local', engineError: 'Cannot reach Docker' },
    ];
    assert.deepEqual(
      summary(missingByEngine(readiness, { builders: {}, env: {} })).map((g) => g.platforms),
      [['linux/arm64']],
    );
    assert.deepEqual(missingByEngine(readiness.slice(0, 1), { builders: {}, env: {} }), []);
  });
});

describe('engineProblems', () => {
  it('names each unreachable engine once, with its platforms and the setting that chooses it', () => {
    const down = 'Cannot reach Docker at unix:///nope (ENOENT: no such socket). Start Docker there.';
    const readiness: PlatformReadiness[] = [
      { platform: platforms[0], engine: 'unix:///nope', engineError: down },
      { platform: platforms[1], engine: 'ssh://b@arm', engineError: 'Cannot reach Docker at ssh://b@arm over SSH (handshake failed).' },
      { platform: platforms[2], engine: 'unix:///nope', engineError: down },
    ];
    const problems = engineProblems(readiness, { builders: { 'linux/arm64': 'ssh://b@arm' }, defaultHost: 'unix:///nope' });
    assert.deepEqual(
      problems.map((p) => [p.engine, p.platforms.map(formatPlatform), p.setting, p.message]),
      [
        [
          'unix:///nope',
          ['linux/amd64', 'linux/arm/v7'],
          'greenCloud.docker.host',
          `${down} To use another engine, set greenCloud.docker.host. Needed for linux/amd64, linux/arm/v7.`,
        ],
        [
          'ssh://b@arm',
          ['linux/arm64'],
          'greenCloud.builders',
          'Cannot reach Docker at ssh://b@arm over SSH (handshake failed). To use another engine, set greenCloud.builders. Needed for linux/arm64.',
        ],
      ],
    );
    assert.deepEqual(
      engineProblems([{ platform: platforms[0], engine: 'local', report: { platform: platforms[0], status: 'native', detail: '' } }], {
        builders: {},
      }),
      [],
    );
  });
});
