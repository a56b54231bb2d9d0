import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, summary } from '../../../support/lint';
import { imageTable, lintYamlStrict, yamlComments, yamlErrors } from '../../../support/yamlLint';

const images = imageTable({
  'postgres:16': { platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'unknown/unknown'], multiPlatform: true },
  'acme/two:2': { platforms: ['linux/amd64', 'linux/arm64'], multiPlatform: true },
  'acme/tool:1': { platforms: ['linux/amd64'], multiPlatform: false },
});
const options = { fileName: 'docker-compose.yml', images };

describe('GC304 Compose platform: on a multi-arch image', () => {
  it('reports the platform value and removes it, keeping the comment above', () => {
    const text = 'services:\n  db:\n    image: postgres:16\n    # for my M1\n    platform: linux/amd64\n    restart: always\n';
    const [d, ...rest] = lintYamlStrict(text, options);
    assert.equal(rest.length, 0);
    assert.equal(summary(d), 'GC304 warning 4:14-4:25');
    assert.equal(
      d.message,
      "Service 'db' forces 'platform: linux/amd64' on 'postgres:16', which is published for linux/amd64, linux/arm64 and linux/arm/v7; on hosts of another architecture Docker pulls the linux/amd64 image and runs it under emulation (slow, or 'exec format error' without QEMU) instead of the native one. Remove 'platform:'.",
    );
    const fixed = applyEdits(text, d.data.fixes[0].edits);
    assert.equal(fixed, 'services:\n  db:\n    image: postgres:16\n    # for my M1\n    restart: always\n');
    assert.deepEqual(lintYamlStrict(fixed, options), []);
  });

  it('removes a first entry and a flow-map entry cleanly', () => {
    for (const text of [
      'services:\n  db:\n    platform: linux/arm64\n    image: postgres:16\n',
      'services:\n  db: {platform: linux/arm64, image: postgres:16}  # fast\n',
    ]) {
      const [d] = lintYamlStrict(text, options);
      const fixed = applyEdits(text, d.data.fixes[0].edits);
      assert.deepEqual(yamlErrors(fixed), [], fixed);
      assert.deepEqual(yamlComments(fixed), yamlComments(text));
      assert.ok(!fixed.includes('platform'), fixed);
      assert.deepEqual(lintYamlStrict(fixed, options), [], fixed);
    }
  });

  it('works under the dockercompose language id whatever the file name', () => {
    const text = 'services:\n  db:\n    image: postgres:16\n    platform: linux/amd64\n';
    assert.deepEqual(lintYamlStrict(text, { fileName: 'stack.yml', languageId: 'dockercompose', images }).map(summary), [
      'GC304 warning 3:14-3:25',
    ]);
    assert.deepEqual(lintYamlStrict(text, { fileName: 'stack.yml', languageId: 'yaml', images }), [], 'not a Compose file by name');
  });

  it('is silent for single-platform images, lists missing a target, variables and builds', () => {
    const svc = (image: string, platform: string, extra = ''): string =>
      `services:\n  s:\n    image: ${image}\n    platform: ${platform}\n${extra}`;
    assert.deepEqual(lintYamlStrict(svc('acme/tool:1', 'linux/amd64'), options), []);
    assert.deepEqual(lintYamlStrict(svc('acme/two:2', 'linux/amd64'), options), []);
    assert.deepEqual(lintYamlStrict(svc('postgres:16', '${PLATFORM:-linux/amd64}'), options), []);
    assert.deepEqual(lintYamlStrict(svc('postgres:16', 'linux/amd64', '    build: .\n'), options), []);
  });
});
