import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintSummary } from '../../../support/lint';

describe('suppression pragmas', () => {
  const pinned =
    'FROM --platform=linux/arm64 alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from=build /usr/local/bin/tool /usr/local/bin/\n';

  it('honours BuildKit # check=skip= in the parser-directive header', () => {
    assert.deepEqual(lintSummary(`# syntax=docker/dockerfile:1\n# check=skip=FromPlatformFlagConstDisallowed\n${pinned}`), []);
  });

  it('treats # check= after the header as a plain comment (as BuildKit does)', () => {
    const expected = ['GC104 warning 0:16-0:27'];
    assert.deepEqual(lintSummary(pinned), expected);
    assert.deepEqual(lintSummary(`# A note\n# check=skip=FromPlatformFlagConstDisallowed\n${pinned}`).length, 1);
    assert.deepEqual(lintSummary(`\n# check=skip=all\n${pinned}`).length, 1);
    assert.deepEqual(lintSummary(`FROM alpine:3.20\n# check=skip=all\n${pinned}`).filter((s) => s.startsWith('GC104')).length, 1);
  });

  it('honours hadolint ignore for the next instruction only, and hadolint global ignore', () => {
    assert.deepEqual(lintSummary(`# hadolint ignore=DL3029\n${pinned}`), []);
    assert.deepEqual(lintSummary(`# hadolint ignore=DL3029\nFROM alpine:3.20\n${pinned}`).length, 1);
    assert.deepEqual(lintSummary(`FROM alpine:3.20 AS base\n# hadolint global ignore=DL3029\n${pinned}`), []);
  });
});
