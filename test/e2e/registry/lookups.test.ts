/**
 * The lookup service (server/src/lookups) against real `docker-registry` processes on loopback:
 * a multi-arch list, single-arch images whose names say nothing of their architecture, an OCI
 * index with attestation entries, digest pins of a child and of a list, Basic auth with
 * config.json credentials, a token registry; and against the fault-injecting fake registry: a
 * registry that never answers, and a 429 with Retry-After.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MediaType, RegistryClient } from '../../../core/src/registry';
import { parsePlatformList } from '../../../core/src/platforms';
import { buildModel } from '../../../core/src/dockerfile/model';
import { lint } from '../../../server/src/linter';
import { CACHE_FILE, coverageOf, formatLookupMarkdown, LookupService } from '../../../server/src/lookups';
import { hoverBase, lookupBases, withRegistryFindings } from '../../../server/src/lookups/dockerfile';
import { DEFAULT_SETTINGS } from '../../../core/src/settings';
import { applyFix } from '../../support/lint';
import { addImage, DOCKER_LIST, startFakeRegistry, type FakeRegistry } from './fakeRegistry';
import {
  dockerConfigDir,
  pushIndex,
  pushSyntheticImage,
  startRegistry,
  startTokenServer,
  tempDir,
  type RunningRegistry,
  type SyntheticImage,
  type TokenServer,
} from './support';

const TARGETS = parsePlatformList('linux/amd64,linux/arm64,linux/arm/v7');
const EMPTY_CONFIG = (): string => dockerConfigDir({});

describe('registry lookups against a real open registry', () => {
  let registry: RunningRegistry;
  let amd64: SyntheticImage;
  let arm64: SyntheticImage;
  let armv7: SyntheticImage;
  let listDigest: string;
  let ociDigest: string;
  const cleanup: string[] = [];
  const service = (extra: Partial<ConstructorParameters<typeof LookupService>[0]> = {}) => {
    const configDir = EMPTY_CONFIG();
    cleanup.push(configDir);
    return new LookupService({ credentialOptions: { configDir }, ...extra });
  };

  before(async () => {
    registry = await startRegistry();
    const c = new RegistryClient(registry.host);
    amd64 = await pushSyntheticImage(c, 'team/tool', 'amd64-only', { os: 'linux', architecture: 'amd64' });
    arm64 = await pushSyntheticImage(c, 'team/base', 'a', { os: 'linux', architecture: 'arm64', variant: 'v8' });
    armv7 = await pushSyntheticImage(c, 'team/base', 'b', { os: 'linux', architecture: 'arm', variant: 'v7' });
    const amd64b = await pushSyntheticImage(c, 'team/base', 'c', { os: 'linux', architecture: 'amd64' });
    const entry = (i: SyntheticImage, platform: Record<string, string>) => ({
      mediaType: i.mediaType,
      digest: i.digest,
      size: i.size,
      platform,
    });
    listDigest = await c.putManifest(
      'team/base',
      '1',
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: DOCKER_LIST,
          manifests: [
            entry(amd64b, { os: 'linux', architecture: 'amd64' }),
            entry(arm64, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
            entry(armv7, { os: 'linux', architecture: 'arm', variant: 'v7' }),
          ],
        }),
      ),
      DOCKER_LIST,
    );
    // buildx-style OCI index: one image plus its attestation manifest (unknown/unknown).
    const oci = await pushSyntheticImage(c, 'team/attested', 'img', { os: 'linux', architecture: 'amd64' }, { oci: true });
    const attestation = await pushSyntheticImage(c, 'team/attested', 'att', { os: 'unknown', architecture: 'unknown' }, { oci: true });
    ociDigest = await pushIndex(c, 'team/attested', '2', [
      { mediaType: MediaType.ociManifest, digest: oci.digest, size: oci.size, platform: { os: 'linux', architecture: 'amd64' } },
      {
        mediaType: MediaType.ociManifest,
        digest: attestation.digest,
        size: attestation.size,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': oci.digest },
      },
    ]);
  });
  after(async () => {
    await registry?.stop();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  });

  it('a multi-arch list: every platform with its digest and compressed size, every target covered', async () => {
    const r = await service().lookup(`${registry.host}/team/base:1`);
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.kind, 'list');
    assert.equal(r.digest, listDigest);
    assert.deepEqual(
      r.platforms.map((p) => p.platform),
      ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'],
    );
    assert.equal(r.platforms[1].digest, arm64.digest);
    for (const p of r.platforms) assert.ok(p.compressedSize !== undefined && p.compressedSize > 100, `size of ${p.platform}`);
    assert.deepEqual(coverageOf(r, TARGETS).missing, []);
    const md = formatLookupMarkdown(r, { targets: TARGETS });
    assert.match(md, /multi-platform list \(3 platforms\)/);
    assert.match(md, /Covers every target/);
    assert.ok(md.includes(listDigest));
  });

  it('a single-arch image with no architecture in its name: its platform from the config, the other targets missing', async () => {
    const r = await service().lookup(`${registry.host}/team/tool:amd64-only`);
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.kind, 'image');
    assert.equal(r.digest, amd64.digest);
    assert.deepEqual(
      r.platforms.map((p) => p.platform),
      ['linux/amd64'],
    );
    assert.deepEqual(
      coverageOf(r, TARGETS).missing.map((p) => `${p.architecture}${p.variant ?? ''}`),
      ['arm64', 'armv7'],
    );
    assert.match(formatLookupMarkdown(r, { targets: TARGETS }), /\*\*missing linux\/arm64, linux\/arm\/v7\*\*/);
  });

  it('an OCI index with an attestation entry: the attestation is not a platform', async () => {
    const r = await service().lookup(`${registry.host}/team/attested:2`);
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.digest, ociDigest);
    assert.deepEqual(
      r.platforms.map((p) => p.platform),
      ['linux/amd64'],
    );
    assert.equal(r.attestations, 1);
    assert.match(formatLookupMarkdown(r), /1 attestation entry \(not platforms\)/);
  });

  it('a digest pin of a child: a single image; with its tag, the list that contains it', async () => {
    const r = await service().lookup(`${registry.host}/team/base:1@${arm64.digest}`);
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.kind, 'image');
    assert.deepEqual(
      r.platforms.map((p) => p.platform),
      ['linux/arm64/v8'],
    );
    assert.deepEqual(r.tagTarget, { digest: listDigest, kind: 'list', containsPinned: true });
    const other = await service().lookup(`${registry.host}/team/tool:amd64-only@${arm64.digest}`);
    assert.equal(other.status, 'not-found', 'the arm64 child is not in team/tool');
  });

  it('GC109 end to end: a child pinned with its tag is reported, and the fix pins the list the tag names', async () => {
    const text = `FROM ${registry.host}/team/base:1@${arm64.digest}\nRUN ./configure\n`;
    const s = service();
    const answers = await lookupBases(buildModel(text), s);
    const diagnostics = withRegistryFindings(text, lint(text), DEFAULT_SETTINGS, answers);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['GC109'],
    );
    const fixed = applyFix(text, diagnostics[0], 'Pin the multi-platform list');
    assert.equal(fixed, `FROM ${registry.host}/team/base:1@${listDigest}\nRUN ./configure\n`);
    const after = await lookupBases(buildModel(fixed), s);
    assert.deepEqual(withRegistryFindings(fixed, lint(fixed), DEFAULT_SETTINGS, after), []);
  });

  it('GC109 end to end, --platform=$BUILDPLATFORM: a pinned child ties the stage to builders of its architecture; the fix pins the list', async () => {
    const tools = (digest: string) =>
      `FROM --platform=$BUILDPLATFORM ${registry.host}/team/base:1@${digest} AS tools\nRUN make tool\n` +
      `FROM ${registry.host}/team/base:1\nCOPY --from=tools /out/tool /usr/local/bin/tool\n`;
    const text = tools(arm64.digest);
    const s = service();
    const diagnostics = withRegistryFindings(text, lint(text), DEFAULT_SETTINGS, await lookupBases(buildModel(text), s));
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.range.start.line}`),
      ['GC109 0'],
    );
    assert.match(
      diagnostics[0].message,
      /single linux\/arm64\/v8 image, not a multi-platform list: this --platform=\$BUILDPLATFORM stage runs arm64 binaries on every builder/,
    );
    const hover = await hoverBase(text, { line: 0, character: 40 }, DEFAULT_SETTINGS, s);
    assert.match(
      hover?.markdown ?? '',
      /This stage runs on the build machine \(`--platform=\$BUILDPLATFORM`\): not checked against the targets\. But the digest pins a single linux\/arm64\/v8 image, which wins over the platform: every builder runs arm64 binaries here, natively only on arm64 builders \(GC109\)\.$/,
    );
    const fixed = applyFix(text, diagnostics[0], 'Pin the multi-platform list');
    assert.equal(fixed, tools(listDigest));
    assert.doesNotMatch((await hoverBase(fixed, { line: 0, character: 40 }, DEFAULT_SETTINGS, s))?.markdown ?? '', /GC109/);
    assert.deepEqual(withRegistryFindings(fixed, lint(fixed), DEFAULT_SETTINGS, await lookupBases(buildModel(fixed), s)), []);
  });

  it('a constant --platform stage pinned to a child: silent when the child is that platform, GC108 when it is another', async () => {
    const stage = (platform: string) =>
      `FROM --platform=${platform} ${registry.host}/team/base:1@${arm64.digest} AS tool\nRUN make tool\n` +
      `FROM ${registry.host}/team/base:1\nCOPY --from=tool /out/tool /usr/local/bin/tool\n`;
    const registryCodes = async (text: string) =>
      withRegistryFindings(text, lint(text), DEFAULT_SETTINGS, await lookupBases(buildModel(text), service()))
        .filter((d) => d.code === 'GC108' || d.code === 'GC109')
        .map((d) => d);
    assert.deepEqual(await registryCodes(stage('linux/arm64')), []);
    const [d, ...rest] = await registryCodes(stage('linux/amd64'));
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC108');
    assert.match(
      d.message,
      /is a single linux\/arm64\/v8 image; this stage is built --platform=linux\/amd64, so its build gets arm64 binaries/,
    );
  });

  it('GC108 end to end: a single-arch image whose name says nothing; where GC102 names it, the registry confirms', async () => {
    const text = `ARG BASE=${registry.host}/team/base:a\nFROM $BASE\n`;
    const answers = await lookupBases(buildModel(text), service());
    const [d, ...rest] = withRegistryFindings(text, lint(text), DEFAULT_SETTINGS, answers);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC108');
    assert.match(
      d.message,
      /\(from '\$BASE'\) is a single linux\/arm64\/v8 image; the linux\/amd64 and linux\/arm\/v7 builds get arm64 binaries/,
    );
    const named = `FROM ${registry.host}/team/tool:amd64-only\n`;
    const confirmed = withRegistryFindings(named, lint(named), DEFAULT_SETTINGS, await lookupBases(buildModel(named), service()));
    assert.deepEqual(
      confirmed.map((x) => x.code),
      ['GC102'],
    );
    assert.match(
      confirmed[0].message,
      /The registry confirms: it is published for linux\/amd64 only, with no linux\/arm64 and linux\/arm\/v7\.$/,
    );
  });

  it('a digest pin of the list: a list, no tag needed', async () => {
    const r = await service().lookup(`${registry.host}/team/base@${listDigest}`);
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.kind, 'list');
    assert.equal(r.platforms.length, 3);
    assert.equal(r.tagTarget, undefined);
  });

  it('not found: says so plainly and names the credentials tried', async () => {
    const r = await service().lookup(`${registry.host}/team/nothing:1`);
    assert.equal(r.status, 'not-found');
    assert.match(r.message ?? '', /does not exist/);
    assert.match(r.credentialsSource, /anonymous access \(no login for 127\.0\.0\.1:\d+ in .*config\.json\)/);
    assert.match(formatLookupMarkdown(r), /not found\.\*\*[\s\S]*Credentials tried: anonymous access/);
  });

  it('tags are resolved with HEAD; content-addressed answers come from the disk cache, tag answers until their TTL', async () => {
    const dir = tempDir('lookup-cache');
    cleanup.push(dir);
    const lines: string[] = [];
    const first = service({ cacheDirectory: dir, log: (l) => lines.push(l) });
    const r1 = await first.lookup(`${registry.host}/team/base:1`);
    assert.equal(r1.status, 'ok');
    assert.equal(r1.fromCache, false);
    assert.ok(
      lines.some((l) => /^HEAD .*\/manifests\/1 → 200/.test(l)),
      lines.join('\n'),
    );
    assert.ok(!lines.some((l) => /^GET .*\/manifests\/1 /.test(l)), 'a tag is never fetched with GET');
    await first.flush();
    assert.ok(existsSync(join(dir, CACHE_FILE)));
    assert.ok(readFileSync(join(dir, CACHE_FILE), 'utf8').includes(listDigest));
    // A new process (new service) with the same directory: no request at all.
    const second = service({ cacheDirectory: dir });
    const r2 = await second.lookup(`${registry.host}/team/base:1`);
    assert.equal(r2.fromCache, true);
    assert.equal(second.requestCount, 0);
    assert.deepEqual(r2.platforms, r1.platforms);
    // Expired tag answer: one HEAD again, the manifests still from the cache.
    let now = Date.now() + 2 * 60 * 60 * 1000;
    const third = service({ cacheDirectory: dir, tagTtlMs: 60 * 60 * 1000, now: () => now++, log: (l) => lines.push(`3 ${l}`) });
    lines.length = 0;
    const r3 = await third.lookup(`${registry.host}/team/base:1`);
    assert.equal(r3.status, 'ok');
    assert.deepEqual(
      lines.filter((l) => l.startsWith('3 HEAD') || l.startsWith('3 GET')).map((l) => l.split(' ')[1]),
      ['HEAD'],
    );
  });

  it('identical lookups in flight share one request', async () => {
    const s = service();
    const results = await Promise.all(Array.from({ length: 5 }, () => s.lookup(`${registry.host}/team/tool:amd64-only`)));
    assert.ok(results.every((r) => r.status === 'ok'));
    // HEAD tag + GET manifest + GET config
    assert.equal(s.requestCount, 3);
  });

  it('offline: no request, no answer', async () => {
    const s = service();
    const r = await s.lookup(`${registry.host}/team/base:1`, { offline: true });
    assert.equal(r.status, 'offline');
    assert.equal(s.requestCount, 0);
  });
});

describe('registry lookups with credentials', () => {
  const USER = 'carol';
  const PASSWORD = 'L00kup-secret-7f3e';
  const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  let basic: RunningRegistry;
  let tokens: TokenServer;
  let tokenRegistry: RunningRegistry;
  const cleanup: string[] = [];

  before(async () => {
    basic = await startRegistry({ kind: 'htpasswd', users: { [USER]: PASSWORD } });
    tokens = await startTokenServer({ users: { [USER]: PASSWORD } });
    tokenRegistry = await startRegistry({
      kind: 'token',
      realm: tokens.realm,
      service: tokens.service,
      issuer: tokens.issuer,
      certPath: tokens.certPath,
    });
    for (const host of [basic.host, tokenRegistry.host]) {
      const dir = dockerConfigDir({ auths: { [host]: { auth: BASIC } } });
      cleanup.push(dir);
      const c = new RegistryClient(host, { credentialOptions: { configDir: dir } });
      await pushSyntheticImage(c, 'private/app', '1', { os: 'linux', architecture: 'arm64' });
    }
  });
  after(async () => {
    await basic?.stop();
    await tokenRegistry?.stop();
    await tokens?.stop();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  });

  for (const kind of ['Basic-auth', 'token'] as const) {
    it(`${kind} registry: config.json credentials are used; without them, "not authorized" names what was tried`, async () => {
      const host = kind === 'token' ? tokenRegistry.host : basic.host;
      const withLogin = dockerConfigDir({ auths: { [host]: { auth: BASIC } } });
      const without = dockerConfigDir({});
      cleanup.push(withLogin, without);
      const ok = await new LookupService({ credentialOptions: { configDir: withLogin } }).lookup(`${host}/private/app:1`);
      assert.equal(ok.status, 'ok', ok.message);
      assert.deepEqual(
        ok.platforms.map((p) => p.platform),
        ['linux/arm64'],
      );
      const denied = await new LookupService({ credentialOptions: { configDir: without } }).lookup(`${host}/private/app:1`);
      assert.equal(denied.status, 'unauthorized', denied.message);
      assert.match(denied.message ?? '', /docker login/);
      assert.ok(denied.credentialsSource.includes(join(without, 'config.json')), denied.credentialsSource);
      const md = formatLookupMarkdown(denied);
      assert.match(md, /not authorized\.\*\*/);
      assert.ok(!md.includes(PASSWORD) && !JSON.stringify(ok).includes(PASSWORD));
      const wrong = dockerConfigDir({ auths: { [host]: { auth: Buffer.from(`${USER}:nope`).toString('base64') } } });
      cleanup.push(wrong);
      const refused = await new LookupService({ credentialOptions: { configDir: wrong } }).lookup(`${host}/private/app:1`);
      assert.equal(refused.status, 'unauthorized', refused.message);
      assert.match(refused.credentialsSource, new RegExp(`the login for ${host.replace(/\./g, '\\.')} in`));
    });
  }
});

describe('registry lookups against a misbehaving registry', () => {
  let fake: FakeRegistry;
  let configDir: string;
  before(async () => {
    fake = await startFakeRegistry();
    configDir = dockerConfigDir({});
    addImage(fake, 'slow/app', '1', { os: 'linux', architecture: 'amd64' });
  });
  after(async () => {
    await fake?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('a registry that never answers: "unavailable" within the short timeout, remembered (no second request burst)', async () => {
    fake.fault = () => 'hang';
    const s = new LookupService({ credentialOptions: { configDir }, timeoutMs: 300, retries: 1, retryBaseMs: 10 });
    const started = Date.now();
    const r = await s.lookup(`${fake.host}/slow/app:1`);
    const elapsed = Date.now() - started;
    assert.equal(r.status, 'unavailable');
    assert.match(r.message ?? '', /did not answer within 300 ms/);
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
    const before = s.requestCount;
    const again = await s.lookup(`${fake.host}/slow/app:1`);
    assert.equal(again.status, 'unavailable');
    assert.equal(s.requestCount, before, 'a failed lookup is not repeated at once');
    fake.fault = () => undefined;
  });

  it('a 429 with Retry-After: waits as told, then gets the answer', async () => {
    let limited = 0;
    fake.fault = (req) => {
      if (req.method === 'HEAD' && limited === 0) {
        limited++;
        return { status: 429, headers: { 'Retry-After': '1' }, body: '' };
      }
      return undefined;
    };
    const s = new LookupService({ credentialOptions: { configDir }, retryBaseMs: 10 });
    const started = Date.now();
    const r = await s.lookup(`${fake.host}/slow/app:1`);
    const elapsed = Date.now() - started;
    fake.fault = () => undefined;
    assert.equal(r.status, 'ok', r.message);
    assert.equal(limited, 1);
    assert.ok(elapsed >= 950, `Retry-After 1 s respected (${elapsed} ms)`);
  });

  it('a 429 that persists: "unavailable", never "not found"; the registry is then left alone for a while', async () => {
    fake.fault = () => ({ status: 429, headers: { 'Retry-After': '0' }, body: '' });
    const s = new LookupService({ credentialOptions: { configDir }, retryBaseMs: 10 });
    const r = await s.lookup(`${fake.host}/slow/app:1`);
    assert.equal(r.status, 'unavailable');
    assert.match(r.message ?? '', /429/);
    const before = fake.log.length;
    const other = await s.lookup(`${fake.host}/slow/other:2`);
    fake.fault = () => undefined;
    assert.equal(other.status, 'unavailable');
    assert.match(other.message ?? '', /rate-limiting lookups \(429\)/);
    assert.equal(fake.log.length, before, 'no request while paused');
  });
});
