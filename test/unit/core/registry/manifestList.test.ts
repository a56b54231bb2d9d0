import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestListError, parseSourceArgument, platformKey, pushManifestList } from '../../../../core/src/registry';
import { requestFromArgs, requestFromSpec } from '../../../../cli/src/manifestInputs';

describe('manifest list inputs', () => {
  it('parses docker-manifest-annotate style sources', () => {
    assert.deepEqual(parseSourceArgument('reg:5000/web:arm-1'), {
      reference: 'reg:5000/web:arm-1',
      platform: undefined,
      annotations: undefined,
    });
    assert.deepEqual(
      parseSourceArgument('reg:5000/web:arm-1,platform=linux/arm/v6,annotation.org.opencontainers.image.title=web,os.features=a;b'),
      {
        reference: 'reg:5000/web:arm-1',
        platform: { os: 'linux', architecture: 'arm', variant: 'v6', osFeatures: ['a', 'b'] },
        annotations: { 'org.opencontainers.image.title': 'web' },
      },
    );
    assert.deepEqual(parseSourceArgument('w:1,os=windows,arch=amd64,os.version=10.0.17763.1').platform, {
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.17763.1',
    });
    assert.throws(() => parseSourceArgument('w:1,colour=blue'), /Unknown source option 'colour'/);
    assert.throws(() => parseSourceArgument('w:1,platform=linux/sparc!'), ManifestListError);
    assert.throws(() => parseSourceArgument('w:1,novalue'), /not KEY=VALUE/);
  });

  it('expands manifest-tool from-args templates', () => {
    const r = requestFromArgs({
      platforms: 'linux/amd64,linux/arm/v7,linux/arm64',
      template: 'reg/web:OS-ARCHVARIANT-1.2',
      target: 'reg/web:1.2',
    });
    assert.deepEqual(
      r.sources.map((s) => s.reference),
      ['reg/web:linux-amd64-1.2', 'reg/web:linux-armv7-1.2', 'reg/web:linux-arm64-1.2'],
    );
    assert.deepEqual(r.sources[1].platform, { os: 'linux', architecture: 'arm', variant: 'v7' });
    assert.equal(r.target, 'reg/web:1.2');
    assert.throws(
      () => requestFromArgs({ platforms: 'linux/amd64,linux/arm64', template: 'reg/web:1.2', target: 'reg/web:1' }),
      /no OS\/ARCH\/VARIANT placeholder/,
    );
    assert.throws(() => requestFromArgs({ platforms: 'linux/nonsense!', template: 'reg/web:ARCH', target: 'reg/web:1' }), /--platforms/);
  });

  it('parses manifest-tool YAML specs', () => {
    const r = requestFromSpec(
      [
        'image: reg/web:1.2',
        'tags: [latest, 1]',
        'manifests:',
        '  - image: reg/web:amd64-1.2',
        '    platform: {architecture: amd64, os: linux}',
        '  - image: reg/web:arm-1.2',
        '    platform: {architecture: arm, os: linux, variant: v6}',
        '    annotations: {note: six}',
        '  - image: reg/web:any',
      ].join('\n'),
    );
    assert.equal(r.target, 'reg/web:1.2');
    assert.deepEqual(r.extraTags, ['latest', '1']);
    assert.deepEqual(r.sources[1], {
      reference: 'reg/web:arm-1.2',
      platform: { architecture: 'arm', os: 'linux', variant: 'v6', osVersion: undefined, osFeatures: undefined },
      annotations: { note: 'six' },
    });
    assert.equal(r.sources[2].platform, undefined);
  });

  it('names the faulty field of a bad spec', () => {
    assert.throws(() => requestFromSpec('image: [', 'spec.yaml'), /spec\.yaml is not valid YAML/);
    assert.throws(() => requestFromSpec('manifests: []', 'spec.yaml'), /'image' \(the target/);
    assert.throws(() => requestFromSpec('image: a:1\nmanifests: []'), /'manifests' must list at least one/);
    assert.throws(() => requestFromSpec('image: a:1\nmanifests:\n  - platform: {os: linux}'), /manifests\[0\]\.image is missing/);
    assert.throws(
      () => requestFromSpec('image: a:1\nmanifests:\n  - image: b\n    platform: linux'),
      /manifests\[0\]\.platform must be a mapping/,
    );
    assert.throws(
      () => requestFromSpec('image: a:1\nmanifests:\n  - image: b\n    platform: {architecture: "x y"}'),
      /manifests\[0\]\.platform/,
    );
  });

  it('keys platforms after normalisation (arm64 = arm64/v8, arm = arm/v7)', () => {
    assert.equal(platformKey({ os: 'linux', architecture: 'arm64', variant: 'v8' }), platformKey({ os: 'linux', architecture: 'arm64' }));
    assert.equal(platformKey({ os: 'linux', architecture: 'arm' }), 'linux/arm/v7');
    assert.notEqual(
      platformKey({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.1' }),
      platformKey({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.2' }),
    );
  });

  it('rejects bad targets and sources before any network request', async () => {
    await assert.rejects(pushManifestList({ target: 'reg.example/web', sources: [{ reference: 'reg.example/web:a' }] }), /needs a tag/);
    await assert.rejects(pushManifestList({ target: 'reg.example/web:1', sources: [] }), /No source images/);
    await assert.rejects(
      pushManifestList({ target: 'reg.example/web:1', sources: [{ reference: 'other.example/web:a' }] }),
      /is on other\.example but the target is on reg\.example/,
    );
    await assert.rejects(
      pushManifestList({ target: 'reg.example/Web:1', sources: [{ reference: 'reg.example/web:a' }] }),
      /Target 'reg\.example\/Web:1'/,
    );
  });
});
