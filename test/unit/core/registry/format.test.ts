import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatImageSize, formatInspect } from '../../../../core/src/registry/format';
import type { InspectResult } from '../../../../core/src/registry/inspect';

const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const list: InspectResult = {
  reference: '127.0.0.1:5000/team/web:1.2@' + digest('0'),
  digest: digest('0'),
  mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
  size: 733,
  isList: true,
  entries: [
    {
      platform: { os: 'linux', architecture: 'amd64' },
      digest: digest('a'),
      size: 525,
      imageSize: 2_936_012,
      mediaType: MANIFEST,
      attestation: false,
    },
    {
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
      digest: digest('b'),
      size: 525,
      mediaType: MANIFEST,
      attestation: false,
    },
    { platform: { os: 'unknown', architecture: 'unknown' }, digest: digest('c'), size: 840, mediaType: MANIFEST, attestation: true },
  ],
};

describe('formatInspect', () => {
  it("shows each platform image's compressed size, not its manifest's bytes, and says what the size is", () => {
    const text = formatInspect(list);
    const lines = text.split('\n');
    assert.equal(lines[1], '  Docker manifest list, manifest 733 bytes');
    assert.match(text, /PLATFORM +DIGEST +IMAGE SIZE +MEDIA TYPE/);
    assert.match(text, new RegExp(`linux/amd64 +${digest('a')} +2\\.8 MiB +application/vnd\\.docker`));
    // Not read (beyond MAX_SIZED_ENTRIES, or its manifest failed): "?", explained below the table.
    assert.match(text, new RegExp(`linux/arm/v7 +${digest('b')} +\\? +application`));
    assert.match(text, new RegExp(`attestation +${digest('c')} +– +application`));
    assert.doesNotMatch(text, / 525 /, 'the manifest sizes are not shown as the image size');
    assert.match(text, /IMAGE SIZE: compressed \(config \+ layers, what a pull downloads\); \? = not read from the registry\./);
  });

  it('leaves the "?" note out when every size is known', () => {
    const text = formatInspect({ ...list, entries: list.entries.slice(0, 1) });
    assert.match(text, /IMAGE SIZE: compressed \(config \+ layers, what a pull downloads\)\.\n/);
  });

  it('formats sizes in binary units', () => {
    assert.deepEqual(
      [undefined, -1, 0, 733, 2048, 2_936_012, 3 * 1024 ** 3].map((b) => formatImageSize(b)),
      ['?', '?', '0 B', '733 B', '2.0 KiB', '2.8 MiB', '3.00 GiB'],
    );
  });
});
