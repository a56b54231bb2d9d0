import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDigest, digestOf, matchesDigest } from '../../../../core/src/registry/digest';

describe('digests', () => {
  it('verifies sha256 and sha512', () => {
    const bytes = Buffer.from('config');
    for (const algorithm of ['sha256', 'sha512'] as const) {
      const d = digestOf(bytes, algorithm);
      assert.ok(checkDigest(d).ok);
      assert.ok(matchesDigest(bytes, d));
      assert.ok(!matchesDigest(Buffer.from('other'), d));
    }
  });

  it('refuses unknown algorithms and malformed digests, saying why', () => {
    const why = (d: string) => {
      const c = checkDigest(d);
      return c.ok ? '' : c.why;
    };
    assert.match(why(`sha384:${'a'.repeat(96)}`), /'sha384', which Green Cloud cannot verify \(supported: sha256, sha512\)/);
    assert.match(why(`md5:${'a'.repeat(32)}`), /cannot verify/);
    assert.match(why(`sha256:${'A'.repeat(64)}`), /64 lower-case hex/);
    assert.match(why(`sha512:${'a'.repeat(64)}`), /128 lower-case hex/);
    assert.match(why('abc'), /is not a digest/);
    assert.ok(!matchesDigest(Buffer.from(''), `sha384:${'a'.repeat(96)}`), 'an unknown algorithm never matches');
  });
});
