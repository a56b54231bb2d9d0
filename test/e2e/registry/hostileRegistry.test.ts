/**
 * Issue 11's table, row by row, against the fault-injecting fake registry (fakeRegistry.ts):
 * a registry that redirects uploads to another origin, names odd token realms, drips, floods,
 * fails after a write, answers malformed manifests, unverifiable digests and terminal escapes.
 * Each test failed on the client before the hardening. No Docker environment is needed.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../../cli/src/main';
import { inspectManifest, ManifestListError, pushManifestList, RegistryClient, RegistryError } from '../../../core/src/registry';
import {
  addImage,
  addRawManifest,
  captureIO,
  digestOf,
  DOCKER_CONFIG,
  DOCKER_MANIFEST,
  OCI_INDEX,
  startFakeRegistry,
  type FakeRegistry,
} from './fakeRegistry';
import { tempDir } from './support';
import { waitFor } from '../../support/waitFor';

const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
const PASSWORD = 'alice-s3cret-password';
const ALICE = () => Promise.resolve({ kind: 'basic' as const, username: 'alice', password: PASSWORD });
const ESC = '\u001b';

const running: FakeRegistry[] = [];
async function fake(...args: Parameters<typeof startFakeRegistry>): Promise<FakeRegistry> {
  const r = await startFakeRegistry(...args);
  running.push(r);
  return r;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof Error, 'expected a rejection');
  return error;
}

describe('a hostile registry (issue 11)', () => {
  after(async () => {
    for (const r of running) await r.stop();
  });

  // ---------------------------------------------------------------- 1. credentials to another origin

  for (const kind of ['basic', 'bearer'] as const) {
    it(`row 1: an upload Location on another origin gets no ${kind} credentials`, async () => {
      const registry = await fake({ auth: { kind, user: 'alice', password: PASSWORD } });
      const uploadHost = await registry.sibling({ kind: 'none' });
      registry.uploadOrigin = uploadHost.url;
      registry.mountAllowed = false;
      addImage(registry, 'team/src', 'amd64', AMD64);
      const client = new RegistryClient(registry.host, { credentials: ALICE });
      const result = await pushManifestList(
        { target: `${registry.host}/team/web:1`, sources: [{ reference: `${registry.host}/team/src:amd64` }] },
        { client },
      );
      assert.equal(registry.tagDigest('team/web', '1'), result.digest);
      const puts = uploadHost.log.filter((l) => l.method === 'PUT');
      assert.ok(puts.length >= 2, `the blobs were uploaded to the other origin (${uploadHost.log.length} requests)`);
      assert.deepEqual(
        uploadHost.log.filter((l) => l.authorization !== undefined).map((l) => `${l.method} ${l.path}`),
        [],
        'no Authorization header reached the upload host',
      );
      assert.ok(
        registry.log.some((l) => l.authorization !== undefined),
        'the registry itself did get credentials',
      );
    });
  }

  // ---------------------------------------------------------------- 2. token realm

  for (const realm of ['file:///etc/passwd', 'data:text/plain,token', 'ftp://127.0.0.1/token']) {
    it(`row 2: a realm '${realm.split(':')[0]}:' is refused before any credential is sent`, async () => {
      const registry = await fake({ auth: { kind: 'bearer', user: 'alice', password: PASSWORD, realm } });
      addImage(registry, 'team/web', '1', AMD64);
      let asked = 0;
      const client = new RegistryClient(registry.host, {
        credentials: async () => {
          asked++;
          return ALICE();
        },
      });
      const error = await rejection(client.getManifest('team/web', '1'));
      assert.ok(error instanceof RegistryError);
      assert.match(error.message, new RegExp(`scheme '${realm.split(':')[0]}:'.*only https:`));
      assert.equal(asked, 0, 'credentials were not even looked up');
    });
  }

  // ---------------------------------------------------------------- 3. a credential helper that hangs

  it(
    'row 3: a credsStore helper that ignores SIGTERM while a grandchild holds stdout ends the request within its timeout',
    { timeout: 20_000 },
    async () => {
      const registry = await fake({ auth: { kind: 'basic', user: 'alice', password: PASSWORD } });
      addImage(registry, 'team/web', '1', AMD64);
      const dir = tempDir('hang-helper');
      writeFileSync(
        join(dir, 'docker-credential-gchang'),
        `#!/bin/sh\necho $$ > "${dir}/pid"\ncat >/dev/null\ntrap '' TERM\n(sleep 3600) &\nsleep 3600\n`,
        { mode: 0o755 },
      );
      const config = tempDir('hang-config');
      writeFileSync(join(config, 'config.json'), JSON.stringify({ credsStore: 'gchang' }));
      const client = new RegistryClient(registry.host, {
        credentialOptions: { configDir: config, env: { PATH: `${dir}:${process.env.PATH ?? ''}` }, helperTimeoutMs: 1000 },
      });
      const started = Date.now();
      const error = await rejection(client.getManifest('team/web', '1'));
      const elapsed = Date.now() - started;
      const pgid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      const left = () =>
        readdirSync('/proc')
          .filter((e) => /^[0-9]+$/.test(e))
          .filter((e) => {
            try {
              const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
              const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
              return Number(pgrp) === pgid && state !== 'Z';
            } catch {
              return false;
            }
          });
      assert.ok(error instanceof RegistryError && error.kind === 'credentials', String(error));
      assert.match(error.message, /docker-credential-gchang did not answer within 1000 ms/);
      assert.ok(elapsed < 2000, `the request ended after ${elapsed} ms`);
      // Killed at the deadline; the kernel finishes them asynchronously.
      await waitFor('the helper and its grandchild to be killed', () => left().length === 0, 3000);
    },
  );

  // ---------------------------------------------------------------- 4. claimed sizes and dripping copies

  it(
    'row 4: a blob copy whose source claims 1e10 bytes is refused at once (no deadline from a claimed size)',
    { timeout: 20_000 },
    async () => {
      const registry = await fake();
      registry.mountAllowed = false;
      const image = addImage(registry, 'team/src', 'amd64', AMD64, { layerBytes: 4096 });
      const layer = registry.blob(image.layer.digest) ?? Buffer.alloc(0);
      registry.fault = (r) =>
        r.method === 'GET' && r.path === `/v2/team/src/blobs/${image.layer.digest}`
          ? { drip: { body: layer, chunk: 1, intervalMs: 50, headers: { 'Content-Length': '10000000000' } } }
          : undefined;
      const started = Date.now();
      const error = await rejection(
        pushManifestList(
          { target: `${registry.host}/team/web:1`, sources: [{ reference: `${registry.host}/team/src:amd64` }] },
          { timeoutMs: 1000 },
        ),
      );
      assert.ok(error instanceof RegistryError, String(error));
      assert.match(error.message, /announced 10000000000 bytes .* descriptor says 4096/);
      assert.ok(Date.now() - started < 5000);
      assert.equal(registry.tagDigest('team/web', '1'), undefined);
    },
  );

  it('row 4: a dripping copy (1 byte / 50 ms, honest size) stops at the minimum rate within one window', { timeout: 20_000 }, async () => {
    const registry = await fake();
    registry.mountAllowed = false;
    const image = addImage(registry, 'team/src', 'amd64', AMD64, { layerBytes: 1_000_000 });
    const layer = registry.blob(image.layer.digest) ?? Buffer.alloc(0);
    registry.fault = (r) =>
      r.method === 'GET' && r.path === `/v2/team/src/blobs/${image.layer.digest}`
        ? { drip: { body: layer, chunk: 1, intervalMs: 50, headers: { 'Content-Length': String(layer.length) } } }
        : undefined;
    const started = Date.now();
    const error = await rejection(
      pushManifestList(
        { target: `${registry.host}/team/web:1`, sources: [{ reference: `${registry.host}/team/src:amd64` }] },
        { timeoutMs: 1000 },
      ),
    );
    const elapsed = Date.now() - started;
    assert.ok(error instanceof RegistryError && error.kind === 'timeout', String(error));
    assert.match(error.message, /stalled: .* below the minimum of 16 KiB\/s/);
    assert.ok(elapsed < 4000, `stopped after ${elapsed} ms`);
  });

  // ---------------------------------------------------------------- 5. unbounded responses

  it('row 5: an endless manifest body is cut at 4 MiB with a clear error', { timeout: 20_000 }, async () => {
    const registry = await fake();
    registry.fault = (r) => (r.path.endsWith('/manifests/flood') ? { flood: { headers: { 'Content-Type': OCI_INDEX } } } : undefined);
    const error = await rejection(inspectManifest(`${registry.host}/team/web:flood`, { timeoutMs: 5000, retries: 0 }));
    assert.ok(error instanceof RegistryError && error.kind === 'too-large', String(error));
    assert.match(error.message, /more than 4 MiB \(MAX_MANIFEST_BYTES/);
    assert.ok(registry.flooded < 32 * 1024 * 1024, `the registry sent ${registry.flooded} bytes`);
  });

  it('row 5: a manifest announcing 10 GB, an endless token answer and an endless error body are refused', { timeout: 20_000 }, async () => {
    const registry = await fake();
    registry.fault = (r) =>
      r.path.endsWith('/manifests/huge')
        ? { status: 200, headers: { 'Content-Type': OCI_INDEX, 'Content-Length': '10000000000' }, body: '' }
        : r.path.endsWith('/manifests/broken')
          ? { flood: { status: 500, headers: { 'Content-Type': 'application/json' } } }
          : undefined;
    const huge = await rejection(inspectManifest(`${registry.host}/team/web:huge`, { timeoutMs: 5000, retries: 0 }));
    assert.ok(huge instanceof RegistryError && huge.kind === 'too-large', String(huge));
    const broken = await rejection(inspectManifest(`${registry.host}/team/web:broken`, { timeoutMs: 5000, retries: 0 }));
    assert.ok(broken instanceof RegistryError && broken.kind === 'server', String(broken));

    const tokens = await fake({ auth: { kind: 'bearer', user: 'alice', password: PASSWORD } });
    tokens.fault = (r) => (r.path === '/token' ? { flood: { headers: { 'Content-Type': 'application/json' } } } : undefined);
    const client = new RegistryClient(tokens.host, { credentials: ALICE, timeoutMs: 5000, retries: 0 });
    const token = await rejection(client.getManifest('team/web', '1'));
    assert.ok(token instanceof RegistryError && token.kind === 'too-large', String(token));
    assert.match(token.message, /token server .*MAX_TOKEN_RESPONSE_BYTES/);
  });

  // ---------------------------------------------------------------- 6. "the previous target is left untouched"

  async function withPreviousList(registry: FakeRegistry): Promise<{ previous: string; sources: { reference: string }[] }> {
    addImage(registry, 'team/web', 'amd64', AMD64);
    addImage(registry, 'team/web', 'arm64', ARM64);
    const previous = await pushManifestList({
      target: `${registry.host}/team/web:1`,
      sources: [{ reference: `${registry.host}/team/web:amd64` }],
    });
    return { previous: previous.digest, sources: ['amd64', 'arm64'].map((t) => ({ reference: `${registry.host}/team/web:${t}` })) };
  }

  it('row 6: a failed PUT of an extra tag (spec tags:) leaves the target tag on its previous list and names what moved', async () => {
    const registry = await fake();
    const { previous } = await withPreviousList(registry);
    const spec = join(tempDir('spec'), 'spec.yml');
    writeFileSync(
      spec,
      `image: ${registry.host}/team/web:1\ntags: [latest, stable]\nmanifests:\n  - image: ${registry.host}/team/web:amd64\n  - image: ${registry.host}/team/web:arm64\n`,
    );
    registry.fault = (r) => (r.method === 'PUT' && r.path === '/v2/team/web/manifests/stable' ? { status: 500 } : undefined);
    const { io, err } = captureIO();
    assert.equal(await runCli(['manifest', 'push', '--spec', spec, '--timeout', '5'], io), 1);
    assert.equal(registry.tagDigest('team/web', '1'), previous, 'the target tag still points to the previous list');
    const stored = registry.tagDigest('team/web', 'latest');
    assert.ok(stored && stored !== previous, 'the extra tag moved before the failure');
    assert.match(err(), new RegExp(`The tag latest already points to ${stored}`));
    assert.match(err(), /team\/web:1 was not changed/);
  });

  it('row 6: a failed read-back (404) fails before any tag moves', async () => {
    const registry = await fake();
    const { previous, sources } = await withPreviousList(registry);
    registry.fault = (r) => (r.method === 'GET' && /\/manifests\/sha256:/.test(r.path) ? { status: 404 } : undefined);
    const error = await rejection(pushManifestList({ target: `${registry.host}/team/web:1`, sources }, { retryBaseMs: 1 }));
    assert.ok(error instanceof ManifestListError, String(error));
    assert.match(error.message, /No tag was moved: .*team\/web:1 was not changed/);
    assert.equal(registry.tagDigest('team/web', '1'), previous);
  });

  it('row 6: when the answer to the target tag PUT is lost, the error says either list may be there', async () => {
    const registry = await fake();
    const { previous, sources } = await withPreviousList(registry);
    registry.fault = (r) => (r.method === 'PUT' && r.path === '/v2/team/web/manifests/1' ? 'reset' : undefined);
    const error = await rejection(pushManifestList({ target: `${registry.host}/team/web:1`, sources }, { retryBaseMs: 1 }));
    assert.ok(error instanceof ManifestListError, String(error));
    assert.match(
      error.message,
      /answer was lost: .*team\/web:1 may point to sha256:[0-9a-f]{64} or to what it pointed to before; run `green-cloud manifest inspect/,
    );
    assert.equal(registry.tagDigest('team/web', '1'), previous);
  });

  // ---------------------------------------------------------------- 7 and 10. malformed answers: no stack trace

  const malformed: [string, string, string][] = [
    ['"manifests":[null]', '{"schemaVersion":2,"manifests":[null]}', '"manifests[0]" is null'],
    ['"abc"', '"abc"', 'the document is "abc"'],
    ['{}', '{}', '"manifests" is missing'],
    ['a top-level array', '[]', 'the document is an array'],
    [
      'an entry without a digest',
      '{"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1}]}',
      '"manifests[0].digest" is missing',
    ],
    [
      'a negative size',
      `{"manifests":[{"mediaType":"${DOCKER_MANIFEST}","size":-1,"digest":"${digestOf(Buffer.from('x'))}"}]}`,
      '"manifests[0].size"',
    ],
    [
      'a string platform',
      `{"manifests":[{"mediaType":"${DOCKER_MANIFEST}","size":1,"digest":"${digestOf(Buffer.from('x'))}","platform":"linux"}]}`,
      '"manifests[0].platform" is "linux"',
    ],
  ];
  for (const [name, body, field] of malformed) {
    it(`rows 7/10: an index with ${name} is refused naming the registry and the field (exit 1, no stack trace)`, async () => {
      const registry = await fake();
      addRawManifest(registry, 'team/web', 'bad', body, OCI_INDEX);
      const { io, out, err } = captureIO();
      assert.equal(await runCli(['manifest', 'inspect', `${registry.host}/team/web:bad`], io), 1, out());
      assert.doesNotMatch(err(), /bug in green-cloud|TypeError|    at /);
      assert.ok(err().includes(registry.host), err());
      assert.ok(err().includes(field), err());
    });
  }

  it('row 7: port 99999 is refused as an address, not a stack trace', async () => {
    const { io, err } = captureIO();
    assert.equal(await runCli(['manifest', 'inspect', '127.0.0.1:99999/team/web:1'], io), 1);
    assert.doesNotMatch(err(), /bug in green-cloud|TypeError/);
    assert.match(err(), /port 99999 is out of range/);
  });

  // ---------------------------------------------------------------- 8. digests and sizes of blobs

  it('row 8: a sha512 config digest is verified, a wrong size and an unknown algorithm are refused', async () => {
    const registry = await fake();
    const real = Buffer.from(JSON.stringify({ ...AMD64, rootfs: { type: 'layers', diff_ids: [] } }));
    const sha512 = digestOf(real, 'sha512');
    registry.putBlobAs('team/web', sha512, real);
    addImage(registry, 'team/web', 'good512', AMD64, { configDescriptor: { mediaType: DOCKER_CONFIG, size: real.length, digest: sha512 } });
    assert.equal((await inspectManifest(`${registry.host}/team/web:good512`)).entries[0].platform.architecture, 'amd64');

    const lie = Buffer.from(JSON.stringify({ os: 'linux', architecture: 's390x', pad: 'x'.repeat(real.length) })).subarray(0, real.length);
    const claimed = digestOf(Buffer.from('something else'), 'sha512');
    registry.putBlobAs('team/web', claimed, lie);
    addImage(registry, 'team/web', 'bad512', AMD64, { configDescriptor: { mediaType: DOCKER_CONFIG, size: lie.length, digest: claimed } });
    const bad = await rejection(inspectManifest(`${registry.host}/team/web:bad512`));
    assert.ok(bad instanceof RegistryError && bad.kind === 'digest-mismatch', String(bad));

    const sha256 = registry.putBlob('team/web', real);
    addImage(registry, 'team/web', 'badsize', AMD64, {
      configDescriptor: { mediaType: DOCKER_CONFIG, size: real.length + 7, digest: sha256 },
    });
    const size = await rejection(inspectManifest(`${registry.host}/team/web:badsize`));
    assert.match(size.message, new RegExp(`is ${real.length} bytes, not the ${real.length + 7}`));

    const sha384 = `sha384:${'a'.repeat(96)}`;
    registry.putBlobAs('team/web', sha384, real);
    addImage(registry, 'team/web', 'sha384', AMD64, { configDescriptor: { mediaType: DOCKER_CONFIG, size: real.length, digest: sha384 } });
    const unknown = await rejection(inspectManifest(`${registry.host}/team/web:sha384`));
    assert.match(unknown.message, /'sha384', which Green Cloud cannot verify/);
  });

  it('row 8: a copied blob whose bytes do not match its digest is stopped before the upload completes', async () => {
    const registry = await fake();
    registry.mountAllowed = false;
    const image = addImage(registry, 'team/src', 'amd64', AMD64, { layerBytes: 2048 });
    registry.fault = (r) =>
      r.method === 'GET' && r.path === `/v2/team/src/blobs/${image.layer.digest}`
        ? { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.alloc(2048, 1) }
        : undefined;
    const error = await rejection(
      pushManifestList({ target: `${registry.host}/team/web:1`, sources: [{ reference: `${registry.host}/team/src:amd64` }] }),
    );
    assert.ok(error instanceof RegistryError && error.kind === 'digest-mismatch', String(error));
    assert.match(error.message, /does not match its digest/);
    assert.equal(registry.tagDigest('team/web', '1'), undefined);
  });

  // ---------------------------------------------------------------- 9. terminal escapes

  it('row 9: platform strings, annotations and registry error messages reach the terminal escaped', async () => {
    const registry = await fake();
    const image = addImage(registry, 'team/web', 'amd64', AMD64);
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: DOCKER_MANIFEST,
          size: image.size,
          digest: image.digest,
          platform: { os: `linux${ESC}[2J\rPushed OK`, architecture: 'amd64' },
        },
      ],
      annotations: { title: `x\u009b31mred${ESC}]0;owned\u0007` },
    };
    addRawManifest(registry, 'team/web', 'evil', JSON.stringify(index), OCI_INDEX);
    for (const format of ['table', 'json']) {
      const { io, out, err } = captureIO();
      assert.equal(await runCli(['manifest', 'inspect', `${registry.host}/team/web:evil`, '--format', format], io), 0, err());
      assert.doesNotMatch(out(), /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, `${format}: no raw control character`);
      assert.match(out(), format === 'table' ? /linux\\x1b\[2J\\rPushed OK/ : /linux\\u001b\[2J\\rPushed OK/);
    }
    registry.fault = (r) =>
      r.method === 'PUT' && r.path.includes('/manifests/')
        ? { status: 400, body: JSON.stringify({ errors: [{ code: 'DENIED', message: `no${ESC}[2J\r\nPushed OK ${'z'.repeat(5000)}` }] }) }
        : undefined;
    const { io, err } = captureIO();
    assert.equal(await runCli(['manifest', 'push', '--target', `${registry.host}/team/web:2`, `${registry.host}/team/web:amd64`], io), 1);
    assert.doesNotMatch(err(), /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    assert.match(err(), /no\\x1b\[2J\\r\\nPushed OK/);
    assert.ok(err().length < 3000, `the message is capped (${err().length} characters)`);
  });

  // ---------------------------------------------------------------- 10. blame, and the time a hung registry takes

  it('row 10: token-server and upload-host failures name that host, not the registry', async () => {
    const registry = await fake({ auth: { kind: 'bearer', user: 'alice', password: PASSWORD } });
    const tokenHost = await registry.sibling({ kind: 'bearer', user: 'alice', password: PASSWORD });
    registry.auth = { kind: 'bearer', user: 'alice', password: PASSWORD, realm: `${tokenHost.url}/token` };
    tokenHost.fault = (r) => (r.path === '/token' ? { status: 503 } : undefined);
    const error = await rejection(new RegistryClient(registry.host, { credentials: ALICE, retryBaseMs: 1 }).getManifest('team/web', '1'));
    assert.match(error.message, new RegExp(`token server ${tokenHost.host.replace(/\./g, '\\.')} .*answered 503`));

    const open = await fake();
    const uploadHost = await open.sibling();
    open.uploadOrigin = uploadHost.url;
    open.mountAllowed = false;
    addImage(open, 'team/src', 'amd64', AMD64);
    uploadHost.fault = (r) => (r.method === 'PUT' ? { status: 507 } : undefined);
    const upload = await rejection(
      pushManifestList({ target: `${open.host}/team/web:1`, sources: [{ reference: `${open.host}/team/src:amd64` }] }),
    );
    assert.match(
      upload.message,
      new RegExp(`507 from the upload host ${uploadHost.host.replace(/\./g, '\\.')} \\(named by ${open.host.replace(/\./g, '\\.')}\\)`),
    );
  });

  it('row 4: a copy whose upload host is down fails at once and leaves no timer behind', async () => {
    const registry = await fake();
    registry.mountAllowed = false;
    const closed = await fake();
    const deadOrigin = closed.url;
    await closed.stop();
    running.splice(running.indexOf(closed), 1);
    registry.uploadOrigin = deadOrigin;
    addImage(registry, 'team/src', 'amd64', AMD64);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const error = await rejection(
      pushManifestList(
        { target: `${registry.host}/team/web:1`, sources: [{ reference: `${registry.host}/team/src:amd64` }] },
        { timeoutMs: 60_000 },
      ),
    );
    assert.ok(error instanceof RegistryError && error.kind === 'network', String(error));
    assert.match(error.message, /Cannot reach the upload host/);
    await new Promise((r) => setImmediate(r));
    assert.equal(timers(), before, 'no metering or timeout timer outlives the request');
  });

  it('row 10: a registry that never answers fails after 3 attempts, not 4', { timeout: 20_000 }, async () => {
    const registry = await fake();
    registry.fault = () => 'hang';
    const started = Date.now();
    const error = await rejection(new RegistryClient(registry.host, { timeoutMs: 300 }).getManifest('team/web', '1'));
    assert.ok(error instanceof RegistryError && error.kind === 'timeout', String(error));
    assert.equal(registry.log.length, 3);
    assert.ok(Date.now() - started < 3000);
  });
});
