/** The scratch workspace: its files, and nothing left after dispose. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { scratchDir } from '../../support/scratch';

describe('scratchDir', () => {
  it('holds the given files, writes more, and is gone after dispose (twice is fine)', () => {
    const scratch = scratchDir({ 'a/b/Dockerfile': 'FROM scratch\n' });
    assert.equal(readFileSync(scratch.path('a/b/Dockerfile'), 'utf8'), 'FROM scratch\n');
    assert.equal(readFileSync(scratch.write('c.txt', 'x'), 'utf8'), 'x');
    scratch.dispose();
    scratch.dispose();
    assert.equal(existsSync(scratch.dir), false);
  });
});
