/**
 * RegistryClient's auth, retry and timeout paths, driven through a fake transport (the `fetch`
 * option): the registry side is scripted per request, so each path is exercised exactly. The
 * real registries are in test/e2e/registry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegistryClient } from '../../../../core/src/registry/client';
import { RegistryError } from '../../../../core/src/registry/errors';

const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 2 },
  layers: [],
});

interface Seen {
  readonly url: string;
  readonly method: string;
  readonly authorization?: string;
}

/** A fake transport: answers each request with the next scripted answer, recording what was sent. */
function script(...answers: ((request: Seen, signal: AbortSignal | undefined) => Promise<Response> | Response)[]) {
  const seen: Seen[] = [];
  const fetch = (url: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    const request = { url, method: init.method ?? 'GET', authorization: headers.get('authorization') ?? undefined };
    seen.push(request);
    const answer = answers.shift();
    if (!answer) return Promise.reject(new Error(`unexpected request ${request.method} ${url}`));
    return Promise.resolve(answer(request, init.signal ?? undefined));
  };
  return { fetch, seen };
}

const manifest = (): Response =>
  new Response(MANIFEST, { status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });

describe('RegistryClient through a fake transport', () => {
  it('retries a GET after 503 and 429, then reads the manifest', async () => {
    const t = script(
      () => new Response('busy', { status: 503 }),
      () => new Response('slow down', { status: 429, headers: { 'retry-after': '0' } }),
      manifest,
    );
    const client = new RegistryClient('reg.example', { fetch: t.fetch, retryBaseMs: 1, credentials: () => Promise.resolve(undefined) });
    const m = await client.getManifest('team/web', '1.0');
    assert.equal(m.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(t.seen.length, 3);
    assert.equal(client.requestCount, 3);
  });

  it('gives up after the retries with the status and "try again later"', async () => {
    const t = script(
      () => new Response('', { status: 502 }),
      () => new Response('', { status: 502 }),
      () => new Response('', { status: 502 }),
    );
    const client = new RegistryClient('reg.example', { fetch: t.fetch, retryBaseMs: 1, credentials: () => Promise.resolve(undefined) });
    await assert.rejects(client.getManifest('team/web', '1.0'), (e: unknown) => {
      assert.ok(e instanceof RegistryError);
      assert.equal(e.kind, 'server');
      assert.match(e.message, /^502 from reg\.example .*after retries.*Try again later/);
      return true;
    });
    assert.equal(t.seen.length, 3);
  });

  it('times out an attempt that never answers, retries it, then names the peer and the timeout', async () => {
    const hang = (_: Seen, signal: AbortSignal | undefined): Promise<Response> =>
      new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
    const t = script(hang, hang);
    const client = new RegistryClient('reg.example', {
      fetch: t.fetch,
      timeoutMs: 20,
      retries: 1,
      retryBaseMs: 1,
      credentials: () => Promise.resolve(undefined),
    });
    await assert.rejects(client.getManifest('team/web', '1.0'), (e: unknown) => {
      assert.ok(e instanceof RegistryError);
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /^reg\.example did not answer within 20 ms \(GET for team\/web:1\.0\) after 2 attempts/);
      assert.deepEqual(e.network, { host: 'reg.example', cause: 'timeout' });
      return true;
    });
    assert.equal(t.seen.length, 2);
  });

  it('follows a Bearer challenge: asks the realm with the stored login, then sends the token; caches it', async () => {
    const t = script(
      () =>
        new Response('', {
          status: 401,
          headers: {
            'www-authenticate': 'Bearer realm="https://reg.example/token",service="reg.example",scope="repository:team/web:pull"',
          },
        }),
      (r) => {
        assert.match(r.url, /^https:\/\/reg\.example\/token\?service=reg\.example&scope=repository%3Ateam%2Fweb%3Apull&account=alice$/);
        assert.equal(r.authorization, `Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}`);
        return new Response(JSON.stringify({ token: 'tok-1', expires_in: 300 }), { status: 200 });
      },
      (r) => {
        assert.equal(r.authorization, 'Bearer tok-1');
        return manifest();
      },
      (r) => {
        assert.equal(r.authorization, 'Bearer tok-1', 'the cached token is reused');
        return manifest();
      },
    );
    const client = new RegistryClient('reg.example', {
      fetch: t.fetch,
      credentials: () => Promise.resolve({ kind: 'basic', username: 'alice', password: 's3cret-pw' }),
    });
    await client.getManifest('team/web', '1.0');
    await client.getManifest('team/web', '1.0');
    assert.equal(t.seen.length, 4);
    assert.equal(client.redact('token tok-1, password s3cret-pw'), 'token ***, password ***');
  });

  it('a 401 after the token was sent says the login was refused, once, without looping', async () => {
    const challenge = () =>
      new Response('', { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://reg.example/token",service="reg.example"' } });
    const t = script(challenge, () => new Response(JSON.stringify({ token: 'tok-2' }), { status: 200 }), challenge);
    const client = new RegistryClient('reg.example', {
      fetch: t.fetch,
      credentials: () => Promise.resolve({ kind: 'basic', username: 'alice', password: 's3cret-pw' }),
    });
    await assert.rejects(client.getManifest('team/web', '1.0'), (e: unknown) => {
      assert.ok(e instanceof RegistryError);
      assert.equal(e.kind, 'unauthorized');
      assert.match(e.message, /^401 from reg\.example .*the stored credentials were refused: run `docker login reg\.example` again/);
      return true;
    });
    assert.equal(t.seen.length, 3);
  });

  it('a plain-HTTP answer to HTTPS carries the insecure-host remedy for the front ends to phrase', async () => {
    const t = script(() => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'EPROTO' } })));
    const client = new RegistryClient('reg.lan:5000', { fetch: t.fetch, credentials: () => Promise.resolve(undefined) });
    await assert.rejects(client.getManifest('web', '1'), (e: unknown) => {
      assert.ok(e instanceof RegistryError);
      assert.equal(e.kind, 'network');
      assert.deepEqual(e.remedy, { kind: 'insecure-host', registry: 'reg.lan:5000' });
      assert.match(e.message, /It may speak plain HTTP\.$/);
      assert.doesNotMatch(e.message, /greenCloud|--/);
      return true;
    });
  });

  it('names the host once, the cause in words and its code, with no duplicated reference', async () => {
    const fail = (code: string) => () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code } }));
    const cases: [registry: string, code: string, expected: string, host: string, cause: string][] = [
      [
        'docker.io',
        'ENOTFOUND',
        'Cannot reach docker.io for library/alpine:3.7: host not found (registry-1.docker.io, ENOTFOUND). Check the network connection and the registry name.',
        'registry-1.docker.io',
        'dns',
      ],
      [
        '127.0.0.1:5999',
        'ECONNREFUSED',
        'Cannot reach 127.0.0.1:5999 for library/alpine:3.7: connection refused (ECONNREFUSED). Nothing listens there: start the registry or fix the address.',
        '127.0.0.1:5999',
        'refused',
      ],
      [
        'reg.lan',
        'EHOSTUNREACH',
        'Cannot reach reg.lan for library/alpine:3.7: network unreachable (EHOSTUNREACH). Check the network and the registry address.',
        'reg.lan',
        'unreachable',
      ],
      [
        'reg.lan',
        'DEPTH_ZERO_SELF_SIGNED_CERT',
        'Cannot reach reg.lan for library/alpine:3.7: TLS handshake failed (DEPTH_ZERO_SELF_SIGNED_CERT). Check its certificate, or that it speaks HTTPS.',
        'reg.lan',
        'tls',
      ],
    ];
    for (const [registry, code, expected, host, cause] of cases) {
      // ENOTFOUND and ECONNREFUSED are not transient: one attempt; EHOSTUNREACH neither.
      const t = script(fail(code));
      const client = new RegistryClient(registry, { fetch: t.fetch, credentials: () => Promise.resolve(undefined) });
      await assert.rejects(client.getManifest('library/alpine', '3.7'), (e: unknown) => {
        assert.ok(e instanceof RegistryError);
        assert.equal(e.kind, 'network');
        assert.equal(e.message, expected);
        assert.deepEqual(e.network, { host, cause, code });
        assert.doesNotMatch(e.message, /https?:\/\//, 'no URL beside the host');
        return true;
      });
    }
  });

  it('a connect timeout after the retries is a timeout cause', async () => {
    const fail = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_CONNECT_TIMEOUT' } }));
    const t = script(fail, fail, fail);
    const client = new RegistryClient('reg.lan', { fetch: t.fetch, retryBaseMs: 1, credentials: () => Promise.resolve(undefined) });
    await assert.rejects(client.getManifest('web', '1'), (e: unknown) => {
      assert.ok(e instanceof RegistryError);
      assert.equal(
        e.message,
        'Cannot reach reg.lan for web:1: timed out (UND_ERR_CONNECT_TIMEOUT). Check the network and the registry address.',
      );
      assert.deepEqual(e.network, { host: 'reg.lan', cause: 'timeout', code: 'UND_ERR_CONNECT_TIMEOUT' });
      return true;
    });
    assert.equal(t.seen.length, 3);
  });
});
