/** The core's structured errors in the terminal's words: flags, never the editor's setting names. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildRequestError, planBuild } from '../../core/src/imageBuild';
import { ManifestListError, pushManifestList, RegistryError } from '../../core/src/registry';
import { phraseLookupFailure, phraseRegistryError, phraseRequestError } from '../../cli/src/phrasing';

describe('CLI phrasing of core errors', () => {
  it('names --builder for a bad builder key, and no setting', () => {
    const builders = { foo: 'ssh://x@y' };
    let error: unknown;
    try {
      planBuild(
        { contextDir: __dirname, dockerfile: __filename, platforms: [{ os: 'linux', architecture: 'amd64' }], image: 'web', version: '1' },
        { builders, env: {} },
      );
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof BuildRequestError);
    assert.equal(error.input, 'builders');
    assert.equal(error.key, 'foo');
    assert.doesNotMatch(error.message, /greenCloud|--/);
    const text = phraseRequestError(error, builders);
    assert.match(text, /^--builder foo=ssh:\/\/x@y: 'foo' is not a known architecture/);
    assert.doesNotMatch(text, /greenCloud/);
  });

  it('adds the flags that are the next step to registry errors', async () => {
    await assert.rejects(pushManifestList({ target: 'reg.example/web:1', sources: [] }), (error: unknown) => {
      assert.ok(error instanceof ManifestListError);
      assert.deepEqual(error.remedy, { kind: 'no-sources' });
      assert.doesNotMatch(error.message, /--/);
      assert.equal(
        phraseRegistryError(error),
        'No source images: name at least one (e.g. team/web:arm64-1.2). Or use --platforms with --template, or --spec.',
      );
      return true;
    });
    const plainHttp = new RegistryError(
      'Cannot reach reg.lan:5000 for web: TLS handshake failed (EPROTO). It may speak plain HTTP.',
      'network',
      undefined,
      {
        kind: 'insecure-host',
        registry: 'reg.lan:5000',
      },
    );
    assert.match(phraseRegistryError(plainHttp), /It may speak plain HTTP\. If so, pass --insecure-host reg\.lan:5000\.$/);
  });

  it('phrases a registry whose lookups got no answer with --offline, never the setting', () => {
    assert.equal(
      phraseLookupFailure('docker.io', { cause: 'dns', host: 'registry-1.docker.io', code: 'ENOTFOUND' }, 8),
      'docker.io gave no answer (host not found); its 8 images were not checked for platforms. Offline? Pass --offline.',
    );
    assert.equal(
      phraseLookupFailure('127.0.0.1:5999', { cause: 'refused', host: '127.0.0.1:5999', code: 'ECONNREFUSED' }, 1),
      '127.0.0.1:5999 gave no answer (connection refused); its image was not checked for platforms. Start the registry, or pass --offline.',
    );
    assert.equal(
      phraseLookupFailure('reg.lan', { cause: 'tls', host: 'reg.lan', code: 'EPROTO' }, 2),
      'reg.lan gave no answer (TLS handshake failed); its 2 images were not checked for platforms. If it speaks plain HTTP, pass --insecure-host reg.lan.',
    );
    for (const cause of [
      'dns',
      'refused',
      'timeout',
      'reset',
      'unreachable',
      'tls',
      'other',
      'rate-limited',
      'server-error',
      'bad-answer',
    ] as const)
      assert.doesNotMatch(phraseLookupFailure('r.io', { cause }, 1), /greenCloud/);
  });
});
