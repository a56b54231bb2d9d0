import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TAG_TEMPLATE } from '../../../../core/src/imageBuild/plan';
import { parsePlatform } from '../../../../core/src/platforms';
import { questionTitles, versionPrompt } from '../../../../client/src/ui/buildSteps';

const three = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].map((p) => parsePlatform(p));

describe('build question titles and the version prompt', () => {
  it('counts the steps over the questions asked, the platform pick first (like "Push Manifest List (1/2)")', () => {
    assert.deepEqual(questionTitles(['platforms', 'image', 'version']), {
      platforms: 'Green Cloud: Build for Platforms (1/3)',
      image: 'Green Cloud: Image (2/3)',
      version: 'Green Cloud: Version (3/3)',
    });
    // The CodeLens gives the platforms: two questions.
    assert.deepEqual(questionTitles(['version', 'image']), {
      image: 'Green Cloud: Image (1/2)',
      version: 'Green Cloud: Version (2/2)',
    });
    // A single question has no counter.
    assert.deepEqual(questionTitles(['version']), { version: 'Green Cloud: Version' });
    assert.deepEqual(questionTitles([]), {});
  });

  it("gives the version example with the image just entered and the chosen platforms' tags", () => {
    assert.equal(
      versionPrompt('127.0.0.1:5000/team/api', three, DEFAULT_TAG_TEMPLATE),
      'Version used in each tag, e.g. 1.2 gives api:amd64-1.2, api:arm64-1.2, api:armv7-1.2',
    );
    assert.equal(
      versionPrompt('worker', [parsePlatform('linux/riscv64')], '{image}:{version}-{os}-{arch}{variant}'),
      'Version used in each tag, e.g. 1.2 gives worker:1.2-linux-riscv64',
    );
    assert.equal(
      versionPrompt('web', [...three, parsePlatform('linux/s390x')], DEFAULT_TAG_TEMPLATE),
      'Version used in each tag, e.g. 1.2 gives web:amd64-1.2, web:arm64-1.2, web:armv7-1.2, …',
    );
    // A template the build will refuse: no example rather than a wrong one.
    assert.equal(versionPrompt('web', three, '{image}:{nope}'), 'Version used in each tag, e.g. 1.2');
  });
});
