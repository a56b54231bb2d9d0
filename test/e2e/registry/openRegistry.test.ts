/**
 * Manifest lists against a real, open `docker-registry` on loopback: Docker list and OCI index,
 * platforms from image configs, cross-repository mounts, flattening of index sources,
 * duplicates, amend, a missing child, manifest-tool inputs and the CLI.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../../cli/src/main';
import { inspectManifest, MediaType, pushManifestList, RegistryClient, sha256Digest } from '../../../core/src/registry';
import { requestFromArgs, requestFromSpec } from '../../../cli/src/manifestInputs';
import { freePort, pushIndex, pushSyntheticImage, startRegistry, tempDir, type RunningRegistry, type SyntheticImage } from './support';
import { captureIO } from '../../support/cliIO';

const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
const ARMV7 = { os: 'linux', architecture: 'arm', variant: 'v7' };

function platformsOf(bytes: Buffer): string[] {
  const doc = JSON.parse(bytes.toString()) as { manifests: { platform: { os: string; architecture: string; variant?: string } }[] };
  return doc.manifests.map((m) => [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/'));
}

describe('manifest lists on an open registry', () => {
  let registry: RunningRegistry;
  let client: RegistryClient;
  let images: Record<string, SyntheticImage>;

  before(async () => {
    registry = await startRegistry();
    client = new RegistryClient(registry.host);
    images = {
      amd64: await pushSyntheticImage(client, 'team/web', 'amd64-1.0', AMD64),
      arm64: await pushSyntheticImage(client, 'team/web', 'arm64-1.0', ARM64),
      armv7: await pushSyntheticImage(client, 'team/web', 'armv7-1.0', ARMV7),
    };
  });
  after(async () => {
    await registry?.stop();
  });

  it('pushes a 3-platform Docker manifest list with platforms read from the image configs', async () => {
    const result = await pushManifestList({
      target: `${registry.host}/team/web:1.0`,
      sources: Object.values(images).map((i) => ({ reference: i.reference })),
    });
    assert.equal(result.mediaType, MediaType.dockerList);
    assert.equal(result.digest, sha256Digest(result.bytes));
    assert.deepEqual(platformsOf(result.bytes), ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
    const back = await client.getManifest('team/web', '1.0');
    assert.ok(back.bytes.equals(result.bytes), 'the tag serves the exact bytes pushed');
    assert.equal(back.digest, result.digest);
    assert.deepEqual(
      result.entries.map((e) => [e.digest, e.size, e.mediaType]),
      Object.values(images).map((i) => [i.digest, i.size, MediaType.dockerManifest]),
    );
    const inspected = await inspectManifest(`${registry.host}/team/web:1.0`);
    assert.equal(inspected.isList, true);
    assert.deepEqual(
      inspected.entries.map((e) => `${e.platform.os}/${e.platform.architecture}${e.platform.variant ? `/${e.platform.variant}` : ''}`),
      ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'],
    );
    // Each platform's image size is its compressed size (config + layers, read from its own
    // manifest), not the few hundred bytes of the manifest the list entry describes.
    for (const e of inspected.entries) {
      const child = JSON.parse((await client.getManifest('team/web', e.digest)).bytes.toString()) as {
        config: { size: number };
        layers: { size: number }[];
      };
      assert.equal(e.imageSize, child.config.size + child.layers.reduce((n, l) => n + l.size, 0), e.digest);
      assert.notEqual(e.imageSize, e.size);
    }
    const single = await inspectManifest(images.amd64.reference);
    assert.equal(single.entries[0]?.imageSize, inspected.entries[0]?.imageSize, 'a single image has the same size as its list entry');
    const unsized = await inspectManifest(`${registry.host}/team/web:1.0`, { imageSizes: false });
    assert.ok(unsized.entries.every((e) => e.imageSize === undefined));
  });

  it('cross-mounts children from other repositories into the target repository', async () => {
    const other = await pushSyntheticImage(client, 'team/web-arm', 'v1', ARMV7, { salt: 'other-repo' });
    const result = await pushManifestList({
      target: `${registry.host}/team/app:2.0`,
      sources: [{ reference: images.amd64.reference }, { reference: other.reference }],
    });
    assert.deepEqual(platformsOf(result.bytes), ['linux/amd64', 'linux/arm/v7']);
    for (const e of result.entries) assert.ok(await client.headManifest('team/app', e.digest), `${e.digest} present in team/app`);
    assert.ok((await client.blobSize('team/app', other.configDigest)) !== undefined, 'config blob mounted into team/app');
  });

  it('produces an OCI index with annotations when the children are OCI images', async () => {
    const a = await pushSyntheticImage(client, 'team/oci', 'amd64', AMD64, { oci: true });
    const b = await pushSyntheticImage(client, 'team/oci', 'arm64', { os: 'linux', architecture: 'arm64' }, { oci: true });
    const result = await pushManifestList({
      target: `${registry.host}/team/oci:1`,
      sources: [{ reference: a.reference, annotations: { 'org.opencontainers.image.title': 'web amd64' } }, { reference: b.reference }],
      annotations: { 'org.opencontainers.image.version': '1' },
    });
    assert.equal(result.mediaType, MediaType.ociIndex);
    const doc = JSON.parse(result.bytes.toString()) as {
      mediaType: string;
      annotations: Record<string, string>;
      manifests: { annotations?: Record<string, string>; mediaType: string }[];
    };
    assert.equal(doc.mediaType, MediaType.ociIndex);
    assert.deepEqual(doc.annotations, { 'org.opencontainers.image.version': '1' });
    assert.deepEqual(doc.manifests[0].annotations, { 'org.opencontainers.image.title': 'web amd64' });
    assert.equal(doc.manifests[1].mediaType, MediaType.ociManifest);
    assert.ok((await client.getManifest('team/oci', result.digest)).bytes.equals(result.bytes));
  });

  it('produces an OCI index of Docker images on request (--format oci)', async () => {
    const result = await pushManifestList({
      target: `${registry.host}/team/web:oci`,
      format: 'oci',
      sources: [{ reference: images.amd64.reference }, { reference: images.arm64.reference }],
    });
    assert.equal(result.mediaType, MediaType.ociIndex);
    assert.equal((await client.headManifest('team/web', 'oci'))?.digest, result.digest);
  });

  it('flattens a source that is itself an index and drops its attestation entries', async () => {
    const att = await pushSyntheticImage(client, 'team/buildx', 'att', { os: 'unknown', architecture: 'unknown' }, { oci: true });
    const s390 = await pushSyntheticImage(client, 'team/buildx', 's390x', { os: 'linux', architecture: 's390x' }, { oci: true });
    const ppc = await pushSyntheticImage(client, 'team/buildx', 'ppc64le', { os: 'linux', architecture: 'ppc64le' }, { oci: true });
    await pushIndex(client, 'team/buildx', 'multi', [
      { mediaType: s390.mediaType, digest: s390.digest, size: s390.size, platform: { os: 'linux', architecture: 's390x' } },
      { mediaType: ppc.mediaType, digest: ppc.digest, size: ppc.size, platform: { os: 'linux', architecture: 'ppc64le' } },
      {
        mediaType: att.mediaType,
        digest: att.digest,
        size: att.size,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': s390.digest },
      },
    ]);
    const result = await pushManifestList({
      target: `${registry.host}/team/flat:1`,
      sources: [{ reference: images.amd64.reference }, { reference: `${registry.host}/team/buildx:multi` }],
    });
    assert.deepEqual(platformsOf(result.bytes), ['linux/amd64', 'linux/s390x', 'linux/ppc64le']);
    assert.ok(!result.entries.some((e) => e.digest === att.digest), 'attestation dropped');
    assert.equal(result.mediaType, MediaType.ociIndex, 'OCI children make an OCI index');
    for (const e of result.entries) assert.ok(await client.headManifest('team/flat', e.digest));
  });

  it('refuses two sources for one platform, naming both, and writes nothing', async () => {
    const again = await pushSyntheticImage(client, 'team/web', 'arm64-other', ARM64, { salt: 'duplicate' });
    await assert.rejects(
      pushManifestList({
        target: `${registry.host}/team/web:dup`,
        sources: [{ reference: images.arm64.reference }, { reference: again.reference }],
      }),
      (error: Error) =>
        /linux\/arm64 appears twice/.test(error.message) && error.message.includes('arm64-1.0') && error.message.includes('arm64-other'),
    );
    assert.equal(await client.headManifest('team/web', 'dup'), undefined);
  });

  it('amends an existing list: same platform replaced, others kept', async () => {
    await pushManifestList({
      target: `${registry.host}/team/web:amend`,
      sources: [{ reference: images.amd64.reference }, { reference: images.arm64.reference }],
    });
    const newArm64 = await pushSyntheticImage(client, 'team/web', 'arm64-1.1', ARM64, { salt: '1.1' });
    const result = await pushManifestList({
      target: `${registry.host}/team/web:amend`,
      amend: true,
      sources: [{ reference: newArm64.reference }, { reference: images.armv7.reference }],
    });
    assert.deepEqual(platformsOf(result.bytes), ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
    assert.deepEqual(
      result.entries.map((e) => e.digest),
      [images.amd64.digest, newArm64.digest, images.armv7.digest],
    );
  });

  it('fails clearly on a missing child and leaves the previous list intact', async () => {
    const before = await client.getManifest('team/web', '1.0');
    await assert.rejects(
      pushManifestList({
        target: `${registry.host}/team/web:1.0`,
        sources: [{ reference: images.amd64.reference }, { reference: `${registry.host}/team/web:riscv64-1.0` }],
      }),
      (error: Error) => error.message.includes('team/web:riscv64-1.0 does not exist') && error.message.includes('Nothing was written'),
    );
    const after = await client.getManifest('team/web', '1.0');
    assert.ok(after.bytes.equals(before.bytes));
  });

  it('verifies kept children before tagging: a deleted child of the amended list fails and writes nothing', async () => {
    const gone = await pushSyntheticImage(client, 'team/web', 's390x-1.0', { os: 'linux', architecture: 's390x' });
    const first = await pushManifestList({
      target: `${registry.host}/team/web:verify`,
      sources: [{ reference: images.amd64.reference }, { reference: gone.reference }],
    });
    const deleted = await fetch(`http://${registry.host}/v2/team/web/manifests/${gone.digest}`, { method: 'DELETE' });
    assert.equal(deleted.status, 202);
    await assert.rejects(
      pushManifestList({ target: `${registry.host}/team/web:verify`, amend: true, sources: [{ reference: images.arm64.reference }] }),
      (error: Error) => error.message.includes(gone.digest) && /is not present in .*team\/web; nothing was written/.test(error.message),
    );
    assert.equal((await client.headManifest('team/web', 'verify'))?.digest, first.digest);
  });

  it('accepts sources by digest and keeps their exact manifest', async () => {
    const result = await pushManifestList({
      target: `${registry.host}/team/web:by-digest`,
      sources: [
        { reference: `${registry.host}/team/web@${images.amd64.digest}` },
        { reference: `${registry.host}/team/web@${images.armv7.digest}` },
      ],
    });
    assert.deepEqual(
      result.entries.map((e) => [e.digest, e.size]),
      [
        [images.amd64.digest, images.amd64.size],
        [images.armv7.digest, images.armv7.size],
      ],
    );
  });

  it('takes os.version and os.features from the image config', async () => {
    const win = await pushSyntheticImage(client, 'team/win', 'ltsc2019', {
      os: 'windows',
      architecture: 'amd64',
      'os.version': '10.0.17763.5458',
      'os.features': ['win32k'],
    });
    const result = await pushManifestList({ target: `${registry.host}/team/win:1`, sources: [{ reference: win.reference }] });
    const doc = JSON.parse(result.bytes.toString()) as { manifests: { platform: Record<string, unknown> }[] };
    assert.deepEqual(doc.manifests[0].platform, {
      os: 'windows',
      architecture: 'amd64',
      'os.version': '10.0.17763.5458',
      'os.features': ['win32k'],
    });
  });

  it('takes explicit platforms over the config (docker manifest annotate style)', async () => {
    const result = await pushManifestList({
      target: `${registry.host}/team/web:annotated`,
      sources: [{ reference: images.armv7.reference, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } }],
    });
    assert.deepEqual(platformsOf(result.bytes), ['linux/arm/v6']);
  });

  it('accepts manifest-tool from-args and YAML spec inputs', async () => {
    const fromArgs = requestFromArgs({
      platforms: 'linux/amd64,linux/arm64',
      template: `${registry.host}/team/web:ARCH-1.0`,
      target: `${registry.host}/team/web:args`,
    });
    const r1 = await pushManifestList(fromArgs);
    assert.deepEqual(platformsOf(r1.bytes), ['linux/amd64', 'linux/arm64']);
    const spec = [
      `image: ${registry.host}/team/web:spec`,
      'tags: [spec-latest]',
      'manifests:',
      `  - image: ${images.amd64.reference}`,
      '    platform: {architecture: amd64, os: linux}',
      `  - image: ${images.armv7.reference}`,
      '    platform:',
      '      architecture: arm',
      '      os: linux',
      '      variant: v7',
    ].join('\n');
    const r2 = await pushManifestList(requestFromSpec(spec));
    assert.deepEqual(r2.tags, ['spec', 'spec-latest']);
    assert.equal((await client.headManifest('team/web', 'spec-latest'))?.digest, r2.digest);
    assert.deepEqual(platformsOf(r2.bytes), ['linux/amd64', 'linux/arm/v7']);
  });

  it('names an unreachable registry and the next step', async () => {
    const port = await freePort();
    await assert.rejects(
      new RegistryClient(`127.0.0.1:${port}`, { retries: 0 }).getManifest('team/web', '1'),
      (error: Error) =>
        error.message ===
        `Cannot reach 127.0.0.1:${port} for team/web:1: connection refused (ECONNREFUSED). Nothing listens there: start the registry or fix the address.`,
    );
  });

  it('green-cloud manifest push and inspect work end to end', async () => {
    const push = captureIO();
    const code = await runCli(
      [
        'manifest',
        'push',
        '--target',
        `${registry.host}/team/web:cli`,
        images.amd64.reference,
        `${images.armv7.reference},annotation.note=seven`,
      ],
      push.io,
    );
    assert.equal(code, 0, push.err());
    const digest = /Digest: (sha256:[a-f0-9]{64})/.exec(push.out())?.[1];
    assert.ok(digest, push.out());
    assert.equal((await client.headManifest('team/web', 'cli'))?.digest, digest);
    const inspect = captureIO();
    assert.equal(await runCli(['manifest', 'inspect', `${registry.host}/team/web:cli`], inspect.io), 0, inspect.err());
    assert.match(inspect.out(), /OCI image index/);
    assert.match(inspect.out(), /linux\/amd64 +sha256:/);
    assert.match(inspect.out(), /linux\/arm\/v7 +sha256:/);
    assert.match(inspect.out(), /PLATFORM +DIGEST +IMAGE SIZE +MEDIA TYPE/);
    assert.match(inspect.out(), /linux\/amd64 +sha256:[a-f0-9]{64} +\d+(\.\d)? (B|KiB|MiB) +application\//);
    assert.match(inspect.out(), /IMAGE SIZE: compressed/);
    const json = captureIO();
    assert.equal(await runCli(['manifest', 'inspect', '--format', 'json', `${registry.host}/team/web:cli@${digest}`], json.io), 0);
    const parsed = JSON.parse(json.out()) as { digest: string; entries: { platform: { architecture: string }; imageSize?: number }[] };
    assert.ok(
      parsed.entries.every((e) => typeof e.imageSize === 'number' && e.imageSize > 0),
      json.out(),
    );
    assert.equal(parsed.digest, digest);
    assert.deepEqual(
      parsed.entries.map((e) => e.platform.architecture),
      ['amd64', 'arm'],
    );
    const specDir = tempDir('spec');
    writeFileSync(
      join(specDir, 'spec.yaml'),
      `image: ${registry.host}/team/web:cli-spec\nmanifests:\n  - image: ${images.arm64.reference}\n`,
    );
    const fromSpec = captureIO();
    assert.equal(await runCli(['manifest', 'push', '--spec', join(specDir, 'spec.yaml'), '--json'], fromSpec.io), 0, fromSpec.err());
    assert.equal((JSON.parse(fromSpec.out()) as { manifests: unknown[] }).manifests.length, 1);
    const missing = captureIO();
    assert.equal(
      await runCli(['manifest', 'push', '--target', `${registry.host}/team/web:cli`, `${registry.host}/team/nothing:1`], missing.io),
      1,
    );
    assert.match(missing.err(), /team\/nothing:1 does not exist/);
    const usage = captureIO();
    assert.equal(await runCli(['manifest', 'push', images.amd64.reference], usage.io), 2);
    assert.match(usage.err(), /--target IMAGE:VERSION is required/);
  });
});
