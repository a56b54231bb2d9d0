import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Config, DEFAULT_PARALLEL, DEFAULT_SETUP_IMAGE, type SettingsSource } from '../../../client/src/config';
import { sanitizeLookupSettings } from '../../../core/src/settings';

function source(values: Record<string, unknown>): SettingsSource {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

describe('Config', () => {
  it('gives the documented defaults when nothing is set', () => {
    const config = new Config(source({}));
    assert.deepEqual(config.all(), {
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      rules: {},
      crossBuildImages: [],
      parallel: DEFAULT_PARALLEL,
      tagTemplate: '{image}:{arch}{variant}-{version}',
      dockerHost: undefined,
      builders: {},
      emulationSetupImage: DEFAULT_SETUP_IMAGE,
      insecureRegistryHosts: [],
      registryLookups: true,
      tagCacheMinutes: 60,
      traceServer: 'off',
    });
    assert.deepEqual(config.problems(), []);
  });

  it('normalises platforms, drops duplicates and reports invalid entries by setting name', () => {
    const config = new Config(source({ platforms: ['aarch64', 'linux/arm64/v8', 'armhf', 'linux/bogus/x', 42] }));
    assert.deepEqual(config.all().platforms, ['linux/arm64', 'linux/arm/v7']);
    const messages = config.problems().map((p) => p.message);
    assert.equal(messages.length, 2);
    assert.ok(
      messages.every((m) => m.startsWith('greenCloud.platforms ignores')),
      messages.join('\n'),
    );
    assert.match(messages[0], /linux\/bogus\/x/);
    assert.match(messages[1], /42/);
  });

  it('falls back to the default platforms when none is valid, and says so', () => {
    const config = new Config(source({ platforms: ['nonsense/arch/x/y'] }));
    assert.deepEqual(config.all().platforms, ['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    assert.ok(config.problems().some((p) => /has no valid platform; using linux\/amd64, linux\/arm64, linux\/arm\/v7/.test(p.message)));
    const notAList = new Config(source({ platforms: 'linux/arm64' }));
    assert.equal(notAList.platforms.length, 3);
    assert.match(notAList.problems()[0].message, /must be a list of platforms/);
  });

  it('keeps valid rule severities (codes upper-cased) and reports the rest', () => {
    const config = new Config(source({ rules: { gc101: 'OFF', GC104: 'error', GC1: 'off', GC105: 'loud' } }));
    assert.deepEqual(config.rules, { GC101: 'off', GC104: 'error' });
    assert.deepEqual(
      config.problems().map((p) => p.setting),
      ['greenCloud.rules', 'greenCloud.rules'],
    );
    assert.deepEqual(new Config(source({ rules: ['GC101'] })).rules, {});
  });

  it('clamps build.parallel to 1..16 and rounds down', () => {
    const at = (v: unknown) => new Config(source({ 'build.parallel': v })).parallel;
    assert.equal(at(3), 3);
    assert.equal(at(0), 1);
    assert.equal(at(-5), 1);
    assert.equal(at(2.9), 2);
    assert.equal(at(100), 16);
    assert.equal(at('4'), DEFAULT_PARALLEL);
    assert.equal(at(Number.NaN), DEFAULT_PARALLEL);
    const config = new Config(source({ 'build.parallel': 0 }));
    void config.parallel;
    assert.match(config.problems()[0].message, /greenCloud\.build\.parallel is 0; it must be from 1 to 16, so 1 is used/);
  });

  it('trims the tag template and the engine host; empty means default', () => {
    assert.equal(new Config(source({ 'build.tagTemplate': '  {image}:{arch}-{version} ' })).tagTemplate, '{image}:{arch}-{version}');
    assert.equal(new Config(source({ 'build.tagTemplate': '   ' })).tagTemplate, '{image}:{arch}{variant}-{version}');
    assert.equal(new Config(source({ 'docker.host': ' tcp://127.0.0.1:2375 ' })).dockerHost, 'tcp://127.0.0.1:2375');
    assert.equal(new Config(source({ 'docker.host': '' })).dockerHost, undefined);
  });

  it('keeps builders with string hosts and exposes the engine settings together', () => {
    const config = new Config(
      source({ builders: { 'linux/arm64': ' ssh://b@arm ', 'linux/arm/v7': 7 }, 'docker.host': 'unix:///tmp/d.sock' }),
    );
    assert.deepEqual(config.engines, { builders: { 'linux/arm64': 'ssh://b@arm' }, defaultHost: 'unix:///tmp/d.sock' });
    assert.match(config.problems()[0].message, /greenCloud\.builders ignores 'linux\/arm\/v7'/);
  });

  it('validates the emulation set-up image as an image reference', () => {
    assert.equal(
      new Config(source({ 'emulation.setupImage': 'multiarch/qemu-user-static:register' })).emulationSetupImage,
      'multiarch/qemu-user-static:register',
    );
    const bad = new Config(source({ 'emulation.setupImage': 'Not An Image' }));
    assert.equal(bad.emulationSetupImage, DEFAULT_SETUP_IMAGE);
    assert.match(bad.problems()[0].message, /greenCloud\.emulation\.setupImage 'Not An Image' is not an image reference/);
  });

  it('reads insecure registry hosts as the language server does (one rule in core)', () => {
    const entries = [
      '127.0.0.1:5000',
      'HTTP://Registry.Local/',
      ' reg.example:443 ',
      'host/path',
      'a..b',
      '[::1]:5000',
      'x_y',
      'Reg.Example:443',
    ];
    const editor = new Config(source({ 'registry.insecureHosts': entries })).insecureRegistryHosts;
    const server = sanitizeLookupSettings({ registry: { insecureHosts: entries } }, {}).insecureHosts;
    assert.deepEqual(editor, ['127.0.0.1:5000', 'registry.local', 'reg.example:443', '[::1]:5000']);
    assert.deepEqual([...new Set(server)], editor);
  });

  it('normalises insecure registry hosts and rejects URLs with paths', () => {
    const config = new Config(
      source({ 'registry.insecureHosts': ['127.0.0.1:5000', 'HTTP://Registry.Local/', 'registry.local', 'host/path', '[::1]:5000', ''] }),
    );
    assert.deepEqual(config.insecureRegistryHosts, ['127.0.0.1:5000', 'registry.local', '[::1]:5000']);
    assert.deepEqual(
      config.problems().map((p) => p.message),
      [
        'greenCloud.registry.insecureHosts ignores "": each entry is a non-empty string.',
        "greenCloud.registry.insecureHosts ignores 'host/path': write a registry host such as 127.0.0.1:5000 or registry.local.",
      ],
    );
  });

  it('registry.lookups: a boolean; anything else is reported and lookups stay on (as the language server reads it)', () => {
    assert.equal(new Config(source({ 'registry.lookups': false })).registryLookups, false);
    assert.equal(new Config(source({ 'registry.lookups': true })).registryLookups, true);
    const bad = new Config(source({ 'registry.lookups': 'off' }));
    assert.equal(bad.registryLookups, true);
    assert.deepEqual(
      bad.problems().map((p) => [p.setting, p.message]),
      [['greenCloud.registry.lookups', 'greenCloud.registry.lookups must be true or false, not "off"; using true.']],
    );
  });

  it('registry.tagCacheMinutes: 0 to 10080, larger values clamped, negative or non-numbers fall back to 60, each reported', () => {
    const at = (v: unknown) => {
      const config = new Config(source({ 'registry.tagCacheMinutes': v }));
      return [config.tagCacheMinutes, config.problems().map((p) => p.message)] as const;
    };
    assert.deepEqual(at(0), [0, []]);
    assert.deepEqual(at(2.5), [2.5, []]);
    assert.deepEqual(at(10080), [10080, []]);
    assert.deepEqual(at(20000), [10080, ['greenCloud.registry.tagCacheMinutes is 20000; the most is 10080 (one week), so 10080 is used.']]);
    assert.deepEqual(at(-1), [
      60,
      ['greenCloud.registry.tagCacheMinutes is -1; it must be from 0 to 10080 minutes (0 asks every time), so 60 is used.'],
    ]);
    assert.deepEqual(at('5'), [
      60,
      ['greenCloud.registry.tagCacheMinutes must be a number of minutes from 0 to 10080, not "5"; using 60.'],
    ]);
    assert.equal(at(Number.POSITIVE_INFINITY)[0], 60);
  });

  it('reads the trace level and lower-cases cross-build images', () => {
    assert.equal(new Config(source({ 'trace.server': 'verbose' })).traceServer, 'verbose');
    assert.equal(new Config(source({ 'trace.server': 'loud' })).traceServer, 'off');
    assert.deepEqual(new Config(source({ 'crossBuild.images': ['Team/RPI-Base', 'team/rpi-base', ' x '] })).crossBuildImages, [
      'team/rpi-base',
      'x',
    ]);
  });

  it('reports each problem once however often a getter is read', () => {
    const config = new Config(source({ 'build.parallel': 'many' }));
    void config.parallel;
    void config.parallel;
    config.all();
    assert.equal(config.problems().length, 1);
  });
});
