/** The pure parts of the lookups: which bases are looked up, coverage, hover text, merging findings, the cache file, settings. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parsePlatform, parsePlatformList } from '../../../../core/src/platforms';
import { buildModel } from '../../../../core/src/dockerfile/model';
import { lint } from '../../../../server/src/linter';
import { baseReferences, stageAt, withRegistryFindings } from '../../../../server/src/lookups/dockerfile';
import {
  CACHE_FILE,
  coverageOf,
  formatLookupMarkdown,
  LookupCache,
  platformCovers,
  type LookupFailure,
} from '../../../../server/src/lookups';
import { defaultCacheDirectory } from '../../../../server/src/lookups';
import { DEFAULT_SETTINGS, sanitizeLookupSettings } from '../../../../core/src/settings';
import { registryAnswers } from '../../../support/lint';
import { scratchDir } from '../../../support/scratch';

describe('lookups: which bases are looked up', () => {
  it('resolves FROM $ARG through ARG defaults; never stage names, scratch or unresolvable variables', () => {
    const model = buildModel(
      'ARG BASE=team/base:1\nARG NOPE\nFROM $BASE AS build\nFROM build\nFROM scratch\nFROM $NOPE\nFROM alpine:${NOPE}\nFROM golang:1.22 AS go\nFROM team/base:1\n',
    );
    assert.deepEqual(baseReferences(model), ['team/base:1', 'golang:1.22']);
    assert.equal(stageAt(model, { line: 2, character: 6 })?.index, 0, 'the hover position on $BASE');
    assert.equal(stageAt(model, { line: 2, character: 1 }), undefined, 'not on FROM itself');
  });
});

describe('lookups: coverage', () => {
  it('matches platforms as BuildKit does', () => {
    const p = (t: string) => {
      const [os, architecture, variant] = t.split('/');
      return { os, architecture, variant };
    };
    assert.ok(platformCovers(p('linux/arm/v6'), parsePlatform('linux/arm/v7')));
    assert.ok(!platformCovers(p('linux/arm/v7'), parsePlatform('linux/arm/v6')));
    assert.ok(platformCovers(p('linux/arm64/v8'), parsePlatform('linux/arm64')));
    assert.ok(platformCovers(p('linux/aarch64'), parsePlatform('linux/arm64')));
    assert.ok(!platformCovers(p('windows/amd64'), parsePlatform('linux/amd64')));
    const answer = registryAnswers({ x: { platforms: ['linux/amd64', 'linux/arm64'] } }).get('x')!;
    assert.deepEqual(
      coverageOf(answer, parsePlatformList('linux/amd64,linux/arm/v7')).missing.map((q) => q.architecture),
      ['arm'],
    );
  });
});

describe('lookups: hover text', () => {
  it('a not-found and a not-authorized answer say so plainly and name the credentials tried', () => {
    const base = registryAnswers({ 'team/x:1': {} }).get('team/x:1')!;
    const notFound = formatLookupMarkdown({
      ...base,
      status: 'not-found',
      message: 'r.io/team/x:1 does not exist (404 from r.io).',
      credentialsSource: 'anonymous access (no login for r.io in /home/u/.docker/config.json)',
    });
    assert.match(notFound, /^\*\*`team\/x:1`: not found\.\*\*/);
    assert.match(notFound, /Credentials tried: anonymous access \(no login for r\.io in \/home\/u\/\.docker\/config\.json\)\./);
    const denied = formatLookupMarkdown({
      ...base,
      registry: 'r.io',
      status: 'unauthorized',
      message: '401',
      credentialsSource: 'the login for r.io in /c.json',
    });
    assert.match(denied, /not authorized\.\*\*[\s\S]*Run `docker login r\.io`/);
  });

  it('a registry that gives no answer: short, the image not repeated, no API host, the setting that turns lookups off', () => {
    const base = registryAnswers({ 'arm64v8/alpine:3.7': {} }).get('arm64v8/alpine:3.7')!;
    const unavailable = (failure: LookupFailure) =>
      formatLookupMarkdown({
        ...base,
        status: 'unavailable',
        message:
          'Cannot reach docker.io for arm64v8/alpine:3.7: host not found (registry-1.docker.io, ENOTFOUND). Check the network connection and the registry name.',
        failure,
      });
    assert.equal(
      unavailable({ cause: 'dns', host: 'registry-1.docker.io', code: 'ENOTFOUND' }),
      'No answer from docker.io (host not found). Its platforms are not checked. Offline? Set `greenCloud.registry.lookups` to false.',
    );
    assert.equal(
      unavailable({ cause: 'timeout', host: 'registry-1.docker.io' }),
      'No answer from docker.io (timed out). Its platforms are not checked. Offline? Set `greenCloud.registry.lookups` to false.',
    );
    assert.equal(
      unavailable({ cause: 'refused', host: 'docker.io', code: 'ECONNREFUSED' }),
      'No answer from docker.io (connection refused). Its platforms are not checked. Start the registry, or set `greenCloud.registry.lookups` to false.',
    );
    assert.equal(
      unavailable({ cause: 'tls', host: 'docker.io', code: 'EPROTO' }),
      'No answer from docker.io (TLS handshake failed). Its platforms are not checked. If it speaks plain HTTP, add it to `greenCloud.registry.insecureHosts`.',
    );
    const limited = formatLookupMarkdown({
      ...base,
      status: 'unavailable',
      message: 'docker.io is rate-limiting lookups (429); Green Cloud asks it again after 2026-01-01T00:00:00.000Z.',
      failure: { cause: 'rate-limited', code: '429' },
    });
    assert.equal(
      limited,
      'docker.io is rate-limiting lookups (429); Green Cloud asks it again after 2026-01-01T00:00:00.000Z. Its platforms are not checked.',
    );
  });

  it('escapes Markdown in registry text and shows os.version', () => {
    const tricky = formatLookupMarkdown({
      ...registryAnswers({ 'a:1': {} }).get('a:1')!,
      status: 'unavailable',
      message: 'see [here](http://evil) <img src=x> *bold* |col|',
    });
    assert.ok(tricky.includes('see \\[here\\](http://evil) \\<img src=x\\> \\*bold\\* \\|col\\|'), tricky);
    const base = registryAnswers({ 'w:1': {} }).get('w:1')!;
    const md = formatLookupMarkdown({
      ...base,
      kind: 'list',
      platforms: [
        {
          platform: 'windows/amd64',
          os: 'windows',
          architecture: 'amd64',
          osVersion: '10.0.17763.1',
          digest: 'sha256:1',
          compressedSize: 1536,
        },
      ],
    });
    assert.match(md, /\| windows\/amd64 \(os\.version 10\.0\.17763\.1\) \| 1\.5 KiB \|/);
  });
});

describe('lookups: merging registry findings', () => {
  it('replaces GC101–GC103 by their registry-confirmed versions and adds GC108, leaving the rest alone', () => {
    const text = 'FROM arm64v8/alpine:3.20 AS a\nRUN x\nFROM team/tool:1\nRUN curl -o /x https://e/x-amd64.tar.gz\n';
    const syntactic = lint(text, DEFAULT_SETTINGS);
    const answers = registryAnswers({
      'arm64v8/alpine:3.20': { kind: 'image', platforms: ['linux/arm64/v8'] },
      'team/tool:1': { kind: 'image', platforms: ['linux/amd64'] },
    });
    const merged = withRegistryFindings(text, syntactic, DEFAULT_SETTINGS, answers);
    assert.deepEqual(
      merged.map((d) => d.code),
      lint(text, DEFAULT_SETTINGS, { registry: answers }).map((d) => d.code),
      'the same as a full lint with the answers',
    );
    assert.ok(merged.some((d) => d.code === 'GC108'));
  });
});

describe('lookups: the cache file', () => {
  it('survives a broken or foreign file, and round-trips', async () => {
    const scratch = scratchDir({}, 'gc-cache-');
    const dir = scratch.dir;
    try {
      writeFileSync(join(dir, CACHE_FILE), '{"manifests": {"sha256:zz": 1, "x": null}, "tags": [');
      const broken = new LookupCache(dir);
      await broken.load();
      assert.equal(broken.tag('a'), undefined);
      const digest = `sha256:${'a'.repeat(64)}`;
      broken.setTag('r/x:1', { digest, at: 5 });
      broken.setManifest(digest, { kind: 'image', mediaType: 'm', compressedSize: 3, configDigest: digest, configSize: 1 });
      await broken.flush();
      assert.ok(readFileSync(join(dir, CACHE_FILE), 'utf8').includes(digest));
      const again = new LookupCache(dir);
      await again.load();
      assert.deepEqual(again.tag('r/x:1'), { digest, at: 5 });
      assert.equal(again.manifest(digest)?.kind, 'image');
      writeFileSync(
        join(dir, CACHE_FILE),
        JSON.stringify({ manifests: { [digest]: { kind: 'image', mediaType: 'm', compressedSize: 'big' } } }),
      );
      const foreign = new LookupCache(dir);
      await foreign.load();
      assert.equal(foreign.manifest(digest), undefined, 'an entry of the wrong shape is ignored');
    } finally {
      scratch.dispose();
    }
  });
});

describe('lookups: settings', () => {
  it('sanitises greenCloud.registry.* and honours GREEN_CLOUD_OFFLINE', () => {
    assert.deepEqual(sanitizeLookupSettings(undefined, {}), { enabled: true, tagCacheMinutes: 60, insecureHosts: [] });
    assert.deepEqual(
      sanitizeLookupSettings({ registry: { lookups: false, tagCacheMinutes: 5, insecureHosts: ['Reg.local:5000', 'bad host', 3] } }, {}),
      {
        enabled: false,
        tagCacheMinutes: 5,
        insecureHosts: ['reg.local:5000'],
      },
    );
    assert.equal(sanitizeLookupSettings({ registry: { tagCacheMinutes: -1 } }, {}).tagCacheMinutes, 60);
    assert.equal(sanitizeLookupSettings({ registry: { tagCacheMinutes: 1e9 } }, {}).tagCacheMinutes, 10080);
    assert.equal(sanitizeLookupSettings({ registry: { tagCacheMinutes: '5', lookups: 'no' } }, {}).tagCacheMinutes, 60);
    assert.equal(sanitizeLookupSettings({ registry: { lookups: 'no' } }, {}).enabled, true);
    assert.equal(sanitizeLookupSettings({}, { GREEN_CLOUD_OFFLINE: '1' }).enabled, false);
    assert.equal(sanitizeLookupSettings({ registry: { lookups: true } }, { GREEN_CLOUD_OFFLINE: 'true' }).enabled, false);
    assert.equal(sanitizeLookupSettings({}, { GREEN_CLOUD_OFFLINE: '0' }).enabled, true);
    assert.equal(defaultCacheDirectory({ XDG_CACHE_HOME: '/x/cache', HOME: '/h' }), '/x/cache/green-cloud');
    assert.equal(defaultCacheDirectory({ HOME: '/h' }), '/h/.cache/green-cloud');
  });
});
