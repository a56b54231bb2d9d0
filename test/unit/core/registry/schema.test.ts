import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestListError } from '../../../../core/src/registry/errors';
import { MediaType } from '../../../../core/src/registry/mediaTypes';
import { parseImageConfig, parseManifestDocument } from '../../../../core/src/registry/schema';

const D = `sha256:${'a'.repeat(64)}`;
const where = 'The manifest r/x:1 from reg.example';
const bad = (doc: unknown, type: string, pattern: RegExp) =>
  assert.throws(
    () => parseManifestDocument(Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)), type, where),
    (e: unknown) => e instanceof ManifestListError && e.message.startsWith(where) && pattern.test(e.message),
  );

describe('manifest schema', () => {
  it('reads a valid index and image manifest', () => {
    const index = parseManifestDocument(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          manifests: [
            { mediaType: MediaType.dockerManifest, size: 3, digest: D, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
          ],
        }),
      ),
      MediaType.dockerList,
      where,
    );
    assert.equal(index.kind === 'index' && index.manifests[0].platform?.variant, 'v7');
    const image = parseManifestDocument(
      Buffer.from(JSON.stringify({ schemaVersion: 2, config: { mediaType: MediaType.dockerConfig, size: 1, digest: D }, layers: [] })),
      MediaType.dockerManifest,
      where,
    );
    assert.equal(image.kind === 'image' && image.config.digest, D);
  });

  it('names the field of every malformed answer', () => {
    bad('{"manifests":[null]}', MediaType.ociIndex, /"manifests\[0\]" is null, expected an object/);
    bad('"abc"', MediaType.ociIndex, /the document is "abc"/);
    bad('[]', MediaType.ociIndex, /the document is an array/);
    bad('{}', MediaType.ociIndex, /"manifests" is missing/);
    bad('not json', MediaType.ociIndex, /is not JSON/);
    bad({ manifests: [{ mediaType: 'x', size: 1, digest: D }] }, MediaType.ociIndex, /"manifests\[0\].mediaType" is "x", not a media type/);
    bad({ manifests: [{ mediaType: MediaType.ociManifest, size: 1.5, digest: D }] }, MediaType.ociIndex, /"manifests\[0\].size" is 1.5/);
    bad({ manifests: [{ mediaType: MediaType.ociManifest, size: 1, digest: `sha384:${'a'.repeat(96)}` }] }, MediaType.ociIndex, /'sha384'/);
    bad(
      { manifests: [{ mediaType: MediaType.ociManifest, size: 1, digest: D, platform: { os: 7 } }] },
      MediaType.ociIndex,
      /"manifests\[0\].platform.os" is 7, expected text/,
    );
    bad({ manifests: [], annotations: { a: 1 } }, MediaType.ociIndex, /"annotations.a" is 1/);
    bad({ schemaVersion: 1, manifests: [] }, MediaType.ociIndex, /schemaVersion/);
    bad({ layers: [] }, MediaType.ociManifest, /"config" is missing/);
    bad({ config: { mediaType: MediaType.ociConfig, size: 1, digest: D }, layers: {} }, MediaType.ociManifest, /"layers" is an object/);
  });

  it('escapes registry text quoted in a message', () => {
    bad({ manifests: [{ mediaType: MediaType.ociManifest, size: 1, digest: 'x\u001b[2J' }] }, MediaType.ociIndex, /"x\\x1b\[2J"/);
  });

  it('reads only the platform fields of an image config, typed', () => {
    assert.deepEqual(parseImageConfig(Buffer.from('{"os":"linux","architecture":"arm64","variant":"v8","x":[1]}'), 'cfg'), {
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      'os.version': undefined,
      'os.features': undefined,
    });
    assert.throws(() => parseImageConfig(Buffer.from('{"architecture":["arm64"]}'), 'cfg'), /"architecture" is an array/);
    assert.throws(() => parseImageConfig(Buffer.from('null'), 'cfg'), /the document is null/);
  });
});
