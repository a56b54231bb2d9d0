/** One settings schema: the defaults and limits in core/ are the ones package.json declares to VS Code. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_BINFMT_IMAGE } from '../../core/src/emulation';
import { DEFAULT_TAG_TEMPLATE } from '../../core/src/imageBuild';
import { formatPlatform } from '../../core/src/platforms';
import {
  DEFAULT_LOOKUP_SETTINGS,
  INSECURE_HOST_PATTERN,
  DEFAULT_SETTINGS,
  PARALLEL,
  REGISTRY_LOOKUPS,
  TAG_CACHE_MINUTES,
} from '../../core/src/settings';

interface Property {
  readonly type?: string;
  readonly items?: { readonly pattern?: string };
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly order?: number;
  readonly markdownDescription?: string;
}

const manifest = JSON.parse(readFileSync(join(resolve(__dirname, '../..'), 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } | { properties: Record<string, Property> }[] };
};
const properties = Object.assign({}, ...[manifest.contributes.configuration].flat().map((s) => s.properties)) as Record<string, Property>;

describe('settings schema', () => {
  it('build.parallel: the same default and range in package.json, the editor and the CLI', () => {
    const p = properties['greenCloud.build.parallel'];
    assert.deepEqual({ default: p?.default, min: p?.minimum, max: p?.maximum }, { ...PARALLEL });
  });

  it('registry.lookups and registry.tagCacheMinutes: the same default and range in package.json, the language server, the editor and the CLI', () => {
    const lookups = properties['greenCloud.registry.lookups'];
    assert.deepEqual({ type: lookups?.type, default: lookups?.default }, { type: 'boolean', ...REGISTRY_LOOKUPS });
    const minutes = properties['greenCloud.registry.tagCacheMinutes'];
    assert.deepEqual({ default: minutes?.default, min: minutes?.minimum, max: minutes?.maximum }, { ...TAG_CACHE_MINUTES });
    assert.equal(minutes?.type, 'number'); // fractions of a minute are valid in both
    const hosts = properties['greenCloud.registry.insecureHosts'];
    assert.deepEqual(hosts?.default, DEFAULT_LOOKUP_SETTINGS.insecureHosts);
    assert.equal(hosts?.items?.pattern, INSECURE_HOST_PATTERN.source);
    assert.equal(DEFAULT_LOOKUP_SETTINGS.enabled, lookups?.default);
    assert.equal(DEFAULT_LOOKUP_SETTINGS.tagCacheMinutes, minutes?.default);
  });

  it('the defaults of platforms, tagTemplate and emulation.setupImage', () => {
    assert.deepEqual(properties['greenCloud.platforms']?.default, DEFAULT_SETTINGS.platforms.map(formatPlatform));
    assert.equal(properties['greenCloud.build.tagTemplate']?.default, DEFAULT_TAG_TEMPLATE);
    assert.equal(properties['greenCloud.emulation.setupImage']?.default, DEFAULT_BINFMT_IMAGE);
  });

  it('every setting has its own order: platforms first, then build, engines, registry, rules, tracing last (the Settings UI is not alphabetical)', () => {
    const byOrder = Object.entries(properties)
      .map(([id, p]) => ({ id, order: p.order }))
      .sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity));
    assert.ok(
      byOrder.every((s) => Number.isInteger(s.order)),
      `settings without an order: ${byOrder
        .filter((s) => s.order === undefined)
        .map((s) => s.id)
        .join(', ')}`,
    );
    assert.equal(new Set(byOrder.map((s) => s.order)).size, byOrder.length, 'two settings share an order');
    const ids = byOrder.map((s) => s.id);
    assert.equal(ids[0], 'greenCloud.platforms');
    assert.equal(ids.at(-1), 'greenCloud.trace.server');
    const position = (id: string): number => ids.indexOf(id);
    assert.ok(position('greenCloud.build.tagTemplate') < position('greenCloud.docker.host'));
    assert.ok(position('greenCloud.builders') < position('greenCloud.registry.insecureHosts'));
  });

  it('tagTemplate says the image and version are remembered per Dockerfile (client/src/imageBuild/memory.ts), not per workspace', () => {
    const text = properties['greenCloud.build.tagTemplate']?.markdownDescription ?? '';
    assert.match(text, /remembered for each Dockerfile/);
    assert.doesNotMatch(text, /per workspace/);
  });
});
