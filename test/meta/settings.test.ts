/** One settings schema: the defaults and limits in core/ are the ones package.json declares to VS Code. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_BINFMT_IMAGE } from '../../core/src/emulation';
import { DEFAULT_TAG_TEMPLATE } from '../../core/src/imageBuild';
import { formatPlatform } from '../../core/src/platforms';
import { DEFAULT_SETTINGS, PARALLEL } from '../../core/src/settings';

interface Property {
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
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

  it('the defaults of platforms, tagTemplate and emulation.setupImage', () => {
    assert.deepEqual(properties['greenCloud.platforms']?.default, DEFAULT_SETTINGS.platforms.map(formatPlatform));
    assert.equal(properties['greenCloud.build.tagTemplate']?.default, DEFAULT_TAG_TEMPLATE);
    assert.equal(properties['greenCloud.emulation.setupImage']?.default, DEFAULT_BINFMT_IMAGE);
  });
});
