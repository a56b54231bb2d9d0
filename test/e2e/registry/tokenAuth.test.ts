/**
 * A real `docker-registry` with token (Bearer) authentication, trusting a certificate made
 * here, and a token server written here; then faults injected by a proxy between the client
 * and that registry: a 500 then success, 429 with Retry-After, a 401 mid-way (token
 * refreshed), a connection reset during the list PUT, a missing child.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { pushManifestList, RegistryClient, RegistryError } from '../../../core/src/registry';
import {
  credentialHelper,
  dockerConfigDir,
  pushSyntheticImage,
  startFaultProxy,
  startRegistry,
  startTokenServer,
  type FaultProxy,
  type RunningRegistry,
  type TokenServer,
} from './support';

const USER = 'bob';
const PASSWORD = 'T0ken-flow-secret-41d2a8';
const IDENTITY_TOKEN = 'identity-refresh-token-9b7c55e1';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

describe('registry with token (Bearer) authentication, and faults', () => {
  let tokens: TokenServer;
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  const cleanup: string[] = [];
  const logged: string[] = [];
  const thrown: string[] = [];

  before(async () => {
    tokens = await startTokenServer({ users: { [USER]: PASSWORD }, identityTokens: { [USER]: IDENTITY_TOKEN } });
    registry = await startRegistry({
      kind: 'token',
      realm: tokens.realm,
      service: tokens.service,
      issuer: tokens.issuer,
      certPath: tokens.certPath,
    });
    proxy = await startFaultProxy(registry.port);
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
    await tokens?.stop();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  });
  // Each test's own log lines and errors: none may hold the password, the identity token or a bearer token.
  beforeEach(() => {
    logged.length = 0;
    thrown.length = 0;
  });
  afterEach(() => {
    const all = [...logged, ...thrown].join('\n');
    for (const secret of [PASSWORD, BASIC, IDENTITY_TOKEN]) assert.ok(!all.includes(secret), `secret leaked: ${secret.slice(0, 4)}…`);
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\./.test(all), 'a JWT leaked');
  });

  function client(
    host: string,
    config: unknown = { auths: { [host]: { auth: BASIC } } },
    env: Record<string, string> = {},
  ): RegistryClient {
    const dir = dockerConfigDir(config);
    cleanup.push(dir);
    return new RegistryClient(host, {
      credentialOptions: { configDir: dir, env: { ...process.env, ...env } },
      log: (l) => logged.push(l),
      retryBaseMs: 20,
    });
  }

  it('gets tokens for the needed scopes, caches them, and pushes a 3-platform list', async () => {
    const c = client(registry.host);
    const before = tokens.issued.length;
    const a = await pushSyntheticImage(c, 'team/web', 'amd64', { os: 'linux', architecture: 'amd64' });
    const b = await pushSyntheticImage(c, 'team/web', 'arm64', { os: 'linux', architecture: 'arm64' });
    const d = await pushSyntheticImage(c, 'team/web', 'armv7', { os: 'linux', architecture: 'arm', variant: 'v7' });
    const result = await pushManifestList(
      { target: `${registry.host}/team/web:1`, sources: [a, b, d].map((i) => ({ reference: i.reference })) },
      { client: c },
    );
    const issued = tokens.issued.slice(before);
    assert.ok(issued.length >= 1 && issued.length <= 3, `tokens are cached by scope (issued ${issued.length})`);
    assert.ok(issued.every((t) => t.account === USER));
    assert.ok(logged.length > 20, 'requests were logged');
    assert.ok(
      issued.some((t) => t.scopes.includes('repository:team/web:pull,push')),
      JSON.stringify(issued),
    );
    assert.equal((await c.headManifest('team/web', '1'))?.digest, result.digest);
  });

  it('requests pull on the source repository when cross-mounting', async () => {
    const c = client(registry.host);
    const src = await pushSyntheticImage(c, 'team/src', 'arm64', { os: 'linux', architecture: 'arm64' }, { salt: 'mount' });
    const before = tokens.issued.length;
    await pushManifestList({ target: `${registry.host}/team/dest:1`, sources: [{ reference: src.reference }] }, { client: c });
    assert.ok(
      tokens.issued
        .slice(before)
        .some((t) => t.scopes.includes('repository:team/dest:pull,push') && t.scopes.includes('repository:team/src:pull')),
      JSON.stringify(tokens.issued.slice(before)),
    );
    assert.ok((await c.blobSize('team/dest', src.configDigest)) !== undefined);
  });

  it('exchanges an identity token from a credential helper (Username <token>)', async () => {
    const helper = credentialHelper('gctoken', { [registry.host]: { Username: '<token>', Secret: IDENTITY_TOKEN } });
    cleanup.push(helper.dir);
    const c = client(registry.host, { credHelpers: { [registry.host]: 'gctoken' } }, { PATH: `${helper.dir}:${process.env.PATH ?? ''}` });
    assert.match((await c.getManifest('team/web', '1')).mediaType, /list/);
  });

  it('tells an anonymous user to log in when the token server refuses', async () => {
    const c = client(registry.host, {});
    const error = await c.getManifest('team/web', '1').catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    thrown.push(error.message);
    assert.match(error.message, /refused anonymous access \(401\).*run `docker login 127\.0\.0\.1:\d+`/);
  });

  it('retries a 500 and a 429 (Retry-After) and then succeeds', async () => {
    const c = client(proxy.host);
    await c.headManifest('team/web', '1'); // authenticated: the token is cached
    let failed = 0;
    proxy.fault = (req) => {
      if (req.method === 'GET' && req.url === '/v2/team/web/manifests/1' && failed < 2) {
        failed++;
        return failed === 1 ? { status: 500 } : { status: 429, headers: { 'Retry-After': '1' } };
      }
      return 'pass';
    };
    const m = await c.getManifest('team/web', '1');
    proxy.fault = () => 'pass';
    assert.equal(failed, 2);
    const lines = proxy.log.filter((l) => l.startsWith('GET /v2/team/web/manifests/1 '));
    assert.deepEqual(
      lines.slice(-3).map((l) => l.replace(/^.* → /, '')),
      ['500 (injected)', '429 (injected)', '200'],
    );
    assert.match(m.mediaType, /list/);
  });

  it('refreshes the token after a 401 mid-way and carries on', async () => {
    const c = client(proxy.host);
    await c.getManifest('team/web', '1'); // token cached
    const before = tokens.issued.length;
    let injected = false;
    proxy.fault = (req) => {
      if (!injected && req.method === 'HEAD' && req.headers.authorization?.startsWith('Bearer ')) {
        injected = true;
        return {
          status: 401,
          headers: {
            'WWW-Authenticate': `Bearer realm="${tokens.realm}",service="${tokens.service}",scope="repository:team/web:pull",error="invalid_token"`,
          },
        };
      }
      return 'pass';
    };
    const head = await c.headManifest('team/web', '1');
    proxy.fault = () => 'pass';
    assert.ok(injected && head);
    assert.equal(tokens.issued.length, before + 1, 'one new token');
  });

  it('retries the list PUT after a connection reset; the final state is consistent', async () => {
    const c = client(proxy.host);
    const a = await pushSyntheticImage(c, 'team/reset', 'amd64', { os: 'linux', architecture: 'amd64' });
    const b = await pushSyntheticImage(c, 'team/reset', 'arm64', { os: 'linux', architecture: 'arm64' });
    let resets = 0;
    proxy.fault = (req) => {
      if (req.method === 'PUT' && req.url === '/v2/team/reset/manifests/1' && resets === 0) {
        resets++;
        return 'reset-after';
      }
      return 'pass';
    };
    const result = await pushManifestList(
      { target: `${proxy.host}/team/reset:1`, sources: [{ reference: a.reference }, { reference: b.reference }] },
      { client: c },
    );
    proxy.fault = () => 'pass';
    assert.equal(resets, 1);
    const puts = proxy.log.filter((l) => l.startsWith('PUT /v2/team/reset/manifests/1 '));
    assert.deepEqual(
      puts.map((l) => l.replace(/^.* → /, '')),
      ['201 then reset', '201'],
    );
    const back = await c.getManifest('team/reset', '1');
    assert.equal(back.digest, result.digest);
    assert.ok(back.bytes.equals(result.bytes));
  });

  it('copies the blobs when the registry refuses a cross-repository mount', async () => {
    const c = client(proxy.host);
    const src = await pushSyntheticImage(c, 'team/copy-src', 'arm64', { os: 'linux', architecture: 'arm64' }, { salt: 'copy' });
    proxy.fault = (req) => {
      const url = new URL(req.url ?? '/', 'http://x');
      return req.method === 'POST' && url.searchParams.has('mount') ? { forwardPath: url.pathname } : 'pass';
    };
    const result = await pushManifestList(
      { target: `${proxy.host}/team/copy-dest:1`, sources: [{ reference: src.reference }] },
      { client: c },
    );
    proxy.fault = () => 'pass';
    const refused = proxy.log.filter((l) => /^POST \/v2\/team\/copy-dest\/blobs\/uploads\/\?mount=/.test(l));
    assert.equal(refused.length, 2, 'config and layer mounts were attempted');
    assert.ok(refused.every((l) => l.includes('→ 202 (forwarded as')));
    assert.ok((await c.blobSize('team/copy-dest', src.configDigest)) !== undefined, 'config copied');
    assert.ok(await c.headManifest('team/copy-dest', result.entries[0].digest));
    assert.equal((await c.getManifest('team/copy-dest', result.entries[0].digest)).digest, src.digest);
  });

  it('fails on a missing child with a clear error, leaving the previous list intact', async () => {
    const c = client(proxy.host);
    const before = await c.getManifest('team/reset', '1');
    const logStart = proxy.log.length;
    await assert.rejects(
      pushManifestList(
        {
          target: `${proxy.host}/team/reset:1`,
          sources: [{ reference: `${proxy.host}/team/reset:amd64` }, { reference: `${proxy.host}/team/reset:s390x` }],
        },
        { client: c },
      ),
      (error: Error) => {
        thrown.push(error.message);
        return /team\/reset:s390x does not exist .*push it first.*Nothing was written to/.test(error.message);
      },
    );
    assert.ok(!proxy.log.slice(logStart).some((l) => l.startsWith('PUT ')), 'nothing was PUT');
    assert.ok((await c.getManifest('team/reset', '1')).bytes.equals(before.bytes));
  });

  it('gives up after the retries with a message naming the registry', async () => {
    const c = new RegistryClient(proxy.host, {
      retries: 2,
      retryBaseMs: 10,
      credentialOptions: { configDir: dockerConfigDir({ auths: { [proxy.host]: { auth: BASIC } } }) },
      log: (l) => logged.push(l),
    });
    proxy.fault = (req) => (req.url?.startsWith('/v2/team/web/manifests/') ? { status: 503 } : 'pass');
    const error = await c.getManifest('team/web', '1').catch((e: unknown) => e);
    proxy.fault = () => 'pass';
    assert.ok(error instanceof RegistryError);
    thrown.push(error.message);
    assert.match(error.message, /^503 from 127\.0\.0\.1:\d+ for GET 127\.0\.0\.1:\d+\/team\/web:1.*after retries/);
  });

  it('times out a request that gets no answer, retries it, then names the registry', async () => {
    const c = new RegistryClient(proxy.host, {
      timeoutMs: 300,
      retries: 1,
      retryBaseMs: 10,
      credentialOptions: { configDir: dockerConfigDir({ auths: { [proxy.host]: { auth: BASIC } } }) },
      log: (l) => logged.push(l),
    });
    let hung = 0;
    proxy.fault = (req) => (req.url === '/v2/team/web/manifests/1' ? (hung++, 'hang') : 'pass');
    const error = await c.getManifest('team/web', '1').catch((e: unknown) => e);
    proxy.fault = () => 'pass';
    assert.ok(error instanceof RegistryError);
    thrown.push(error.message);
    assert.equal(error.kind, 'timeout');
    assert.equal(hung, 2, 'the first try and one retry');
    assert.match(error.message, /^127\.0\.0\.1:\d+ did not answer within 300 ms \(GET for team\/web:1\)/);
  });
});
