/** The core's structured errors in the terminal's words: flags, never the editor's setting names. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildRequestError, planBuild } from '../../core/src/imageBuild';
import { ManifestListError, pushManifestList, RegistryError } from '../../core/src/registry';
import { phraseRegistryError, phraseRequestError } from '../../cli/src/phrasing';

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
      'Cannot reach reg.lan:5000 at https://reg.lan:5000 (EPROTO) for web. It may speak plain HTTP.',
      'network',
      undefined,
      {
        kind: 'insecure-host',
        registry: 'reg.lan:5000',
      },
    );
    assert.match(phraseRegistryError(plainHttp), /It may speak plain HTTP\. If so, pass --insecure-host reg\.lan:5000\.$/);
  });
});
