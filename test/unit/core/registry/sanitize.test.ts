import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { displayText, jsonForTerminal, MAX_DISPLAY_LENGTH } from '../../../../core/src/registry/sanitize';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

describe('registry text for display', () => {
  it('escapes control characters, separators and bidi overrides', () => {
    assert.equal(displayText('linux\u001b[2J\rPushed OK\n'), 'linux\\x1b[2J\\rPushed OK\\n');
    assert.equal(displayText('a\u009b31mb\u202ec\u2028d\u0000'), 'a\\x9b31mb\\u202ec\\u2028d\\x00');
    assert.equal(displayText('arm64 ✓ 日本'), 'arm64 ✓ 日本');
  });

  it('caps the length and says how much was cut', () => {
    assert.equal(displayText('x'.repeat(MAX_DISPLAY_LENGTH + 5)), `${'x'.repeat(MAX_DISPLAY_LENGTH)}… (5 more characters)`);
    assert.equal(displayText('abcdef', 3), 'abc… (3 more characters)');
  });

  it('never lets an unsafe character through, and keeps JSON values intact', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        assert.doesNotMatch(displayText(s), UNSAFE);
        const json = jsonForTerminal({ s }, 0);
        assert.doesNotMatch(json, UNSAFE);
        assert.deepEqual(JSON.parse(json), { s });
      }),
      { numRuns: 500 },
    );
  });
});
