import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary, settings } from '../../../support/lint';

const FALLBACK = 'The file is linted for the configured platforms (greenCloud.platforms, or --platforms on the command line) instead.';

describe('GC001 invalid platforms directive', () => {
  it('flags an unknown architecture on the faulty entry with a message naming it', () => {
    const text = '# platforms=linux/amd64, linux/amd46\nFROM alpine:3.19\n';
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC001');
    assert.equal(d.source, 'green-cloud');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: { line: 0, character: 25 }, end: { line: 0, character: 36 } });
    assert.equal(
      d.message,
      `Invalid '# platforms=' directive: 'amd46' is not a known architecture (for example amd64, arm64, arm/v7, 386, ppc64le, s390x, riscv64). ${FALLBACK}`,
    );
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC001\.md$/);
  });

  it('explains the separator when platforms are separated by ";" or spaces', () => {
    const [semicolon] = lintStrict('# platforms=linux/amd64;linux/arm64\nFROM alpine\n');
    assert.match(String(semicolon.message), /'amd64;linux' is not an architecture name .* Separate platforms with commas\./);
    assert.deepEqual(lintSummary('# platforms=linux/amd64;linux/arm64\nFROM alpine\n'), ['GC001 error 0:12-0:35']);
    const [space] = lintStrict('# platforms=linux/amd64 linux/arm64\nFROM alpine\n');
    assert.match(String(space.message), /Separate platforms with commas\./);
  });

  it('flags an OS without architecture, a bad variant and an unknown OS', () => {
    assert.match(
      String(lintStrict('# platforms=linux\nFROM alpine\n')[0].message),
      /'linux' names an OS but no architecture \(expected e\.g\. linux\/amd64\)/,
    );
    assert.match(String(lintStrict('# platforms=linux/arm/seven\nFROM alpine\n')[0].message), /'seven' is not a platform variant/);
    assert.match(
      String(lintStrict('# platforms=plan10/amd64\nFROM alpine\n')[0].message),
      /'plan10' in 'plan10\/amd64' is not an operating system/,
    );
    assert.deepEqual(lintSummary('  #  platforms=linux/amd64,windows\nFROM alpine\n'), ['GC001 error 0:27-0:34']);
  });

  it('flags an empty list on the whole comment', () => {
    const [d] = lintStrict('# platforms=\nFROM alpine\n');
    assert.equal(d.message, "The '# platforms=' directive lists no platform. Write e.g. '# platforms=linux/amd64,linux/arm64'.");
    assert.deepEqual(lintSummary('# platforms=\nFROM alpine\n'), ['GC001 error 0:0-0:12']);
    assert.match(String(lintStrict('# platforms= , \nFROM alpine\n')[0].message), /lists no platform/);
  });

  it('accepts valid lists with aliases, spaces, duplicates and any case', () => {
    assert.deepEqual(lintSummary('# platforms=linux/amd64,linux/arm64, linux/arm/v7\nFROM alpine\n'), []);
    assert.deepEqual(lintSummary('# PLATFORMS = x86_64, aarch64,arm64/v8, armhf\nFROM alpine\n'), []);
    assert.deepEqual(lintSummary('# syntax=docker/dockerfile:1\r\n# platforms=linux/arm64\r\nFROM alpine\r\n'), []);
  });

  it('only reads the directive before the first instruction, and the first one wins', () => {
    assert.deepEqual(lintSummary('FROM alpine\n# platforms=nope\nRUN true\n'), []);
    assert.deepEqual(lintSummary('# platforms=linux/amd64\n# platforms=nope\nFROM alpine\n'), []);
    assert.deepEqual(lintSummary('# platforms=nope\n# platforms=linux/amd64\nFROM alpine\n'), ['GC001 error 0:12-0:16']);
  });

  it('falls back to greenCloud.platforms when the directive is invalid', () => {
    // With a valid single-platform directive an arm64 base is fine; with an invalid one the
    // configured platforms (here amd64 + arm64) apply and GC101 fires too.
    assert.deepEqual(lintSummary('# platforms=linux/arm64\nFROM arm64v8/alpine\n'), []);
    const both = settings({ platforms: ['linux/amd64', 'linux/arm64'] });
    assert.deepEqual(lintSummary('# platforms=linux/arm46\nFROM arm64v8/alpine\n', both), [
      'GC001 error 0:12-0:23',
      'GC101 warning 1:5-1:19',
    ]);
  });

  it('honours severity settings and the file pragma; offers only the file ignore fix, which works', () => {
    const text = '# syntax=docker/dockerfile:1\n# platforms=linux/amd46\nFROM alpine\n';
    assert.deepEqual(lintSummary(text, settings({ rules: { GC001: 'warning' } })), ['GC001 warning 1:12-1:23']);
    assert.deepEqual(lintSummary(text, settings({ rules: { GC001: 'off' } })), []);
    assert.deepEqual(lintSummary('# green-cloud global ignore=GC001\n# platforms=nope\nFROM alpine\n'), []);
    const [d] = lintStrict(text);
    assert.deepEqual(
      d.data.fixes.map((f) => f.title),
      ['Ignore GC001 for this file'],
    );
    const fixed = applyFix(text, d, 'Ignore GC001 for this file');
    assert.equal(fixed, '# syntax=docker/dockerfile:1\n# platforms=linux/amd46\n# green-cloud global ignore=GC001\nFROM alpine\n');
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('appends the file ignore pragma on a file of only a directive without a final newline', () => {
    const text = '# platforms=linux/amd46';
    const [d] = lintStrict(text);
    const fixed = applyFix(text, d, 'Ignore GC001 for this file');
    assert.equal(fixed, '# platforms=linux/amd46\n# green-cloud global ignore=GC001');
    assert.deepEqual(lintSummary(fixed), []);
  });
});
