import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dockerfileChoices } from '../../../../client/src/workspace/dockerfileChoices';

describe('"Which Dockerfile?" rows', () => {
  it('sorts by workspace-relative path (root first, then folder by folder) and shows the folder as the description', () => {
    const found = [
      'services/web/Dockerfile',
      'Dockerfile',
      'services/api/Dockerfile.arm64',
      'services/api/Dockerfile',
      'app10/Dockerfile',
      'app9/Containerfile',
    ];
    const rows = dockerfileChoices(found.map((relative) => ({ relative, value: relative })));
    assert.deepEqual(
      rows.map((r) => [r.label, r.description]),
      [
        ['Dockerfile', ''],
        ['Containerfile', 'app9'],
        ['Dockerfile', 'app10'],
        ['Dockerfile', 'services/api'],
        ['Dockerfile.arm64', 'services/api'],
        ['Dockerfile', 'services/web'],
      ],
    );
    // Each row still leads to its own file.
    assert.deepEqual(
      rows.map((r) => r.value),
      [
        'Dockerfile',
        'app9/Containerfile',
        'app10/Dockerfile',
        'services/api/Dockerfile',
        'services/api/Dockerfile.arm64',
        'services/web/Dockerfile',
      ],
    );
  });

  it('reads Windows separators too', () => {
    assert.deepEqual(dockerfileChoices([{ relative: 'a\\b\\Dockerfile', value: 1 }]), [
      { label: 'Dockerfile', description: 'a/b', value: 1 },
    ]);
  });
});
