import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeEngineError, dockerOptions, resolveEngineHost, validateEngineHost } from '../../../../core/src/docker';

describe('engine hosts', () => {
  it('resolves setting → DOCKER_HOST → default socket', () => {
    assert.deepEqual(resolveEngineHost(undefined, {}), { host: 'unix:///var/run/docker.sock', label: 'local' });
    assert.deepEqual(resolveEngineHost('', { DOCKER_HOST: 'tcp://h:2375' }), { host: 'tcp://h:2375', label: 'tcp://h:2375' });
    assert.deepEqual(resolveEngineHost('ssh://me@h', { DOCKER_HOST: 'tcp://h:2375' }), { host: 'ssh://me@h', label: 'ssh://me@h' });
  });

  it('turns addresses into dockerode options', () => {
    assert.deepEqual(dockerOptions('unix:///run/x.sock', {}), { socketPath: '/run/x.sock' });
    assert.deepEqual(dockerOptions('npipe:////./pipe/docker_engine', {}), { socketPath: '//./pipe/docker_engine' });
    assert.deepEqual(dockerOptions('tcp://10.0.0.5:2375', {}), { protocol: 'http', host: '10.0.0.5', port: 2375 });
    assert.deepEqual(dockerOptions('tcp://10.0.0.5:2376', {}), { protocol: 'https', host: '10.0.0.5', port: 2376 });
    assert.deepEqual(dockerOptions('ssh://pi@arm-server:2222', { SSH_AUTH_SOCK: '/agent' }), {
      protocol: 'ssh',
      host: 'arm-server',
      port: 2222,
      username: 'pi',
      sshOptions: { agent: '/agent' },
    });
  });

  it('rejects what is not an engine address', () => {
    for (const bad of ['docker.sock', 'http//x', 'ftp://h', 'unix://', 'tcp://']) {
      assert.throws(() => validateEngineHost(bad), /is not a Docker engine address|names no|not a valid engine URL/, bad);
    }
  });

  it('describes connection errors naming the address and the next step', () => {
    assert.equal(
      describeEngineError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'tcp://10.0.0.5:2375'),
      'Cannot reach Docker at tcp://10.0.0.5:2375 (ECONNREFUSED: connection refused). Start Docker there.',
    );
    assert.match(
      describeEngineError(Object.assign(new Error('x'), { code: 'EACCES' }), 'unix:///var/run/docker.sock'),
      /permission denied\).*docker group/,
    );
    assert.equal(
      describeEngineError({ statusCode: 404, json: { message: 'No such image: web:1' } }, 'unix:///d.sock'),
      'Docker at unix:///d.sock answered 404: No such image: web:1',
    );
  });
});
