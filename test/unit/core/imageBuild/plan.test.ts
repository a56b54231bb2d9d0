import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  BuildRequestError,
  planBuild,
  renderTag,
  splitImageTag,
  validateImageName,
  validateVersion,
} from '../../../../core/src/imageBuild';
import { formatPlatform, parsePlatform, parsePlatformList } from '../../../../core/src/platforms';
import { scratchDir } from '../../../support/scratch';

const scratch = scratchDir({ Dockerfile: 'FROM alpine\n' }, 'gc-plan-');
const dir = scratch.dir;
after(() => scratch.dispose());

const request = (over: Record<string, unknown> = {}) => ({
  contextDir: dir,
  dockerfile: 'Dockerfile',
  platforms: parsePlatformList('linux/amd64,linux/arm64,linux/arm/v7'),
  image: 'web',
  version: '1.2',
  ...over,
});

describe('planBuild', () => {
  it('plans one job per platform with the default tag template and engine', () => {
    const plan = planBuild(request(), { env: {} });
    assert.deepEqual(
      plan.jobs.map((j) => [formatPlatform(j.platform), j.tag, j.engine.host, j.engine.label]),
      [
        ['linux/amd64', 'web:amd64-1.2', 'unix:///var/run/docker.sock', 'local'],
        ['linux/arm64', 'web:arm64-1.2', 'unix:///var/run/docker.sock', 'local'],
        ['linux/arm/v7', 'web:armv7-1.2', 'unix:///var/run/docker.sock', 'local'],
      ],
    );
  });

  it('uses DOCKER_HOST, and the explicit host over it', () => {
    assert.equal(planBuild(request(), { env: { DOCKER_HOST: 'tcp://10.0.0.2:2375' } }).jobs[0].engine.host, 'tcp://10.0.0.2:2375');
    assert.equal(
      planBuild(request(), { defaultHost: 'unix:///x.sock', env: { DOCKER_HOST: 'tcp://10.0.0.2:2375' } }).jobs[0].engine.host,
      'unix:///x.sock',
    );
  });

  it('maps platforms to builders (normalised keys: arm64/v8 == arm64, armhf == arm/v7)', () => {
    const plan = planBuild(request(), { env: {}, builders: { 'linux/arm64/v8': 'ssh://pi@arm-server', armhf: 'tcp://10.0.0.9:2375' } });
    assert.deepEqual(
      plan.jobs.map((j) => j.engine.host),
      ['unix:///var/run/docker.sock', 'ssh://pi@arm-server', 'tcp://10.0.0.9:2375'],
    );
  });

  it('keeps registry hosts with ports in the tag', () => {
    const plan = planBuild(request({ image: '127.0.0.1:5000/team/web', platforms: [parsePlatform('arm64')] }), { env: {} });
    assert.equal(plan.jobs[0].tag, '127.0.0.1:5000/team/web:arm64-1.2');
  });

  it('renders every placeholder', () => {
    assert.equal(renderTag('{image}:{version}-{os}-{arch}{variant}', 'web', parsePlatform('linux/arm/v7'), '2'), 'web:2-linux-armv7');
    assert.throws(() => renderTag('{image}:{tag}', 'web', parsePlatform('amd64'), '1'), /Unknown placeholder '\{tag\}'/);
  });

  it('drops duplicate platforms', () => {
    assert.equal(planBuild(request({ platforms: parsePlatformList('arm64,linux/arm64/v8') }), { env: {} }).jobs.length, 1);
  });

  const bad: [string, Record<string, unknown>, Record<string, unknown>, RegExp][] = [
    ['a relative context', { contextDir: 'ctx' }, {}, /must be an absolute path/],
    ['a missing context', { contextDir: join(dir, 'nope') }, {}, /is not a folder/],
    ['a missing Dockerfile', { dockerfile: 'Nope.Dockerfile' }, {}, /Dockerfile 'Nope.Dockerfile' not found/],
    ['no platforms', { platforms: [] }, {}, /No target platforms/],
    ['an image with a tag', { image: 'web:1.2' }, {}, /must not carry a tag: give the repository \(e\.g\. 'web'\)/],
    ['an upper-case image', { image: 'Web' }, {}, /Image name 'Web' is not valid/],
    ['a bad version', { version: '-rc1' }, {}, /Version '-rc1' cannot be part of an image tag/],
    [
      'a template without arch',
      { tagTemplate: '{image}:{version}' },
      {},
      /gives the same tag 'web:1.2' for linux\/amd64 and linux\/arm64: include \{arch\} and \{variant\}/,
    ],
    ['a template without tag', { tagTemplate: '{image}-{arch}' }, {}, /which has no tag/],
    ['a bad build arg name', { buildArgs: { 'A-B': '1' } }, {}, /Build argument name 'A-B'/],
    ['a builder key that is no platform', {}, { builders: { 'linux/': 'tcp://h:1' } }, /^'linux\/' is not a platform/],
    ['a builder host without scheme', {}, { builders: { arm64: 'arm-server' } }, /'arm-server' is not a Docker engine address/],
  ];
  for (const [what, over, options, message] of bad) {
    it(`rejects ${what} with a clear message`, () => {
      assert.throws(
        () => planBuild(request(over), { env: {}, ...options }),
        (e: unknown) => e instanceof BuildRequestError && message.test(e.message),
      );
    });
  }
});

describe('image and version input', () => {
  it('splits IMAGE:VERSION', () => {
    assert.deepEqual(splitImageTag('127.0.0.1:5000/team/web:1.2'), { image: '127.0.0.1:5000/team/web', version: '1.2' });
    assert.throws(() => splitImageTag('127.0.0.1:5000/web'), /has no version/);
    assert.throws(() => splitImageTag(`web@sha256:${'a'.repeat(64)}`), /has a digest/);
  });
  it('validates names and versions', () => {
    assert.equal(validateImageName(' team/web '), 'team/web');
    assert.equal(validateVersion('1.2.0-rc.1'), '1.2.0-rc.1');
    assert.throws(() => validateVersion(''), /The version is empty/);
    assert.throws(() => validateImageName('web@sha256:' + 'a'.repeat(64)), /must not carry a digest/);
  });
});
