import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TARGET_PLATFORMS, formatPlatform, parsePlatform } from '../../../../core/src/platforms';
import {
  buildRequest,
  defaultImageFor,
  defaultImageName,
  dockerfileTargets,
  imageInputError,
  taskBuild,
  TaskDefinitionError,
  taskLabel,
  versionInputError,
} from '../../../../client/src/imageBuild/request';
import { scratchDir, type Scratch } from '../../../support/scratch';

const settings = { platforms: DEFAULT_TARGET_PLATFORMS, tagTemplate: '{image}:{arch}{variant}-{version}' };

describe('dockerfileTargets', () => {
  it('uses the # platforms= directive and finds the first FROM line', () => {
    const t = dockerfileTargets(
      '# syntax=docker/dockerfile:1\n# platforms=linux/amd64, aarch64\n\nARG V=1\nFROM alpine:3.20\nFROM scratch\n',
      DEFAULT_TARGET_PLATFORMS,
    );
    assert.equal(t.source, 'directive');
    assert.deepEqual(t.platforms.map(formatPlatform), ['linux/amd64', 'linux/arm64']);
    assert.equal(t.firstFromLine, 4);
  });

  it('falls back to the settings, with the reason when the directive is invalid', () => {
    const t = dockerfileTargets('# platforms=linux/nonsense/v7/x\nFROM alpine\n', [parsePlatform('linux/arm64')]);
    assert.equal(t.source, 'settings');
    assert.deepEqual(t.platforms.map(formatPlatform), ['linux/arm64']);
    assert.match(t.directiveError ?? '', /Invalid '# platforms=' directive/);
    assert.equal(t.firstFromLine, 1);
  });

  it('has no FROM line for a file without one, and never throws on junk', () => {
    assert.equal(dockerfileTargets('', DEFAULT_TARGET_PLATFORMS).firstFromLine, undefined);
    assert.equal(dockerfileTargets('\u0000\u0001 RUN [ "x\nFROM', DEFAULT_TARGET_PLATFORMS).source, 'settings');
  });
});

describe('defaultImageFor', () => {
  it("derives each Dockerfile's own image name from its folder and suffix", () => {
    assert.equal(defaultImageFor('/w/examples/pinned-base/Dockerfile'), 'pinned-base');
    assert.equal(defaultImageFor('/w/examples/go-cross-compile/Dockerfile'), 'go-cross-compile');
    assert.equal(defaultImageFor('/w/My App/Dockerfile.dev'), 'my-app-dev');
    assert.equal(defaultImageFor('/w/web/arm.Dockerfile'), 'web-arm');
    assert.equal(defaultImageFor('/w/web/Containerfile'), 'web');
    assert.notEqual(defaultImageFor('/w/a/Dockerfile'), defaultImageFor('/w/b/Dockerfile'));
  });
});

describe('defaultImageName', () => {
  it('derives a valid repository from a folder name', () => {
    assert.equal(defaultImageName('My App'), 'my-app');
    assert.equal(defaultImageName('web'), 'web');
    assert.equal(defaultImageName('__Green..Cloud__'), 'green-cloud');
    assert.equal(defaultImageName('ÄÖÜ'), 'app');
    for (const name of ['My App', 'web', '__Green..Cloud__', 'ÄÖÜ', 'a--b'])
      assert.equal(imageInputError(defaultImageName(name)), undefined, name);
  });
});

describe('input validation', () => {
  it('accepts repositories and rejects tags, digests and bad names with a message', () => {
    assert.equal(imageInputError('web'), undefined);
    assert.equal(imageInputError('127.0.0.1:5000/team/web'), undefined);
    assert.match(imageInputError('web:1.2') ?? '', /must not carry a tag/);
    assert.match(imageInputError('Web') ?? '', /not valid/);
    assert.match(imageInputError('') ?? '', /not valid/);
  });
  it('accepts tag-grammar versions only', () => {
    assert.equal(versionInputError('1.2.0'), undefined);
    assert.equal(versionInputError('latest'), undefined);
    assert.match(versionInputError('') ?? '', /empty/);
    assert.match(versionInputError('-1') ?? '', /cannot be part of an image tag/);
    assert.match(versionInputError('1.2 beta') ?? '', /cannot be part of an image tag/);
  });
});

describe('buildRequest', () => {
  it('gives the Dockerfile relative to the context when inside, absolute when outside', () => {
    const inside = buildRequest({
      dockerfile: '/w/app/docker/Dockerfile',
      contextDir: '/w/app',
      platforms: DEFAULT_TARGET_PLATFORMS,
      image: ' web ',
      version: ' 1.2 ',
      tagTemplate: 't',
    });
    assert.deepEqual(inside, {
      contextDir: '/w/app',
      dockerfile: 'docker/Dockerfile',
      platforms: DEFAULT_TARGET_PLATFORMS,
      image: 'web',
      version: '1.2',
      tagTemplate: 't',
    });
    const outside = buildRequest({
      dockerfile: '/w/other/Dockerfile',
      contextDir: '/w/app',
      platforms: DEFAULT_TARGET_PLATFORMS,
      image: 'web',
      version: '1',
      tagTemplate: 't',
    });
    assert.equal(outside.dockerfile, '/w/other/Dockerfile');
    const defaulted = buildRequest({
      dockerfile: '/w/app/Dockerfile',
      platforms: DEFAULT_TARGET_PLATFORMS,
      image: 'web',
      version: '1',
      tagTemplate: 't',
    });
    assert.equal(defaulted.contextDir, '/w/app');
    assert.equal(defaulted.dockerfile, 'Dockerfile');
  });
});

describe('taskBuild', () => {
  let scratch: Scratch;
  let folder: string;
  before(() => {
    scratch = scratchDir({ 'svc/Dockerfile': '# platforms=linux/arm64\nFROM scratch\n' }, 'gc-task-');
    folder = scratch.dir;
  });
  after(() => scratch.dispose());
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };

  it('resolves paths against the folder and takes platforms from the directive', () => {
    const b = taskBuild({ type: 'green-cloud', dockerfile: 'svc/Dockerfile', image: 'web', version: '1.2' }, folder, settings, read);
    assert.equal(b.push, false);
    assert.equal(b.request.contextDir, join(folder, 'svc'));
    assert.equal(b.request.dockerfile, 'Dockerfile');
    assert.deepEqual(b.request.platforms.map(formatPlatform), ['linux/arm64']);
  });

  it('uses explicit platforms and context, and passes push through', () => {
    const b = taskBuild(
      {
        type: 'green-cloud',
        context: '.',
        dockerfile: 'svc/Dockerfile',
        platforms: ['linux/amd64', 'armhf', 'linux/arm/v7'],
        image: 'web',
        version: '1',
        push: true,
      },
      folder,
      settings,
      read,
    );
    assert.equal(b.request.contextDir, folder);
    assert.equal(b.request.dockerfile, join('svc', 'Dockerfile'));
    assert.deepEqual(b.request.platforms.map(formatPlatform), ['linux/amd64', 'linux/arm/v7']);
    assert.equal(b.push, true);
  });

  it('defaults to the settings when the Dockerfile cannot be read', () => {
    const b = taskBuild({ type: 'green-cloud', image: 'web', version: '1' }, folder, settings, read);
    assert.equal(b.request.dockerfile, 'Dockerfile');
    assert.equal(b.request.contextDir, folder);
    assert.equal(b.request.platforms.length, 3);
  });

  it('names the bad property and the fix', () => {
    const bad = (def: Record<string, unknown>, re: RegExp) =>
      assert.throws(
        () => taskBuild({ type: 'green-cloud', image: 'web', version: '1', ...def }, folder, settings, read),
        (e: unknown) => e instanceof TaskDefinitionError && re.test(e.message),
      );
    bad({ image: undefined }, /'image' is missing/);
    bad({ version: '  ' }, /'version' is missing/);
    bad({ image: 5 }, /'image' must be a string/);
    bad({ platforms: 'linux/amd64' }, /'platforms' must be a list/);
    bad({ platforms: [] }, /'platforms' is empty/);
    bad({ platforms: ['linux/bogus/x'] }, /'platforms':/);
    bad({ push: 'yes' }, /'push' must be true or false/);
  });

  it('labels tasks by the Dockerfile path', () => {
    assert.equal(taskLabel('/w', '/w/svc/Dockerfile'), 'build svc/Dockerfile');
    assert.equal(taskLabel('/w', 'Dockerfile'), 'build Dockerfile');
    assert.equal(taskLabel('/w', 'svc/Dockerfile'), 'build svc/Dockerfile');
    assert.equal(taskLabel('/w', '/elsewhere/Dockerfile.arm'), 'build Dockerfile.arm');
  });
});
