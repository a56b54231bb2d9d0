import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary, settings } from '../../../support/lint';

describe('GC101 architecture namespace', () => {
  it('flags an arm64v8/ base on the image name with a message naming the platforms', () => {
    const text = 'FROM arm64v8/alpine:3.7\nRUN apk add --no-cache curl\n';
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC101');
    assert.equal(d.source, 'green-cloud');
    assert.deepEqual(d.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 19 } });
    assert.equal(
      d.message,
      "Base image 'arm64v8/alpine:3.7' is pinned to linux/arm64 by its 'arm64v8/' namespace; on linux/amd64 and linux/arm/v7 it runs arm64 binaries. Use the multi-arch 'alpine:3.7'.",
    );
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC101\.md$/);
  });

  it('fixes by dropping the namespace, and the result is clean', () => {
    const text = 'FROM arm32v7/debian:bookworm-slim AS base\n';
    const fixed = applyFix(text, lintStrict(text)[0]);
    assert.equal(fixed, 'FROM debian:bookworm-slim AS base\n');
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('flags legacy namespaces and docker.io-qualified names', () => {
    assert.deepEqual(lintSummary('FROM aarch64/ubuntu\n'), ['GC101 warning 0:5-0:19']);
    assert.deepEqual(lintSummary('FROM docker.io/amd64/ubuntu:22.04\n'), ['GC101 warning 0:15-0:27']);
  });

  it('resolves ARG defaults, points at the FROM and fixes the ARG', () => {
    const text = 'ARG BASE=arm64v8/alpine:3.7\nFROM ${BASE}\n';
    const [d] = lintStrict(text);
    assert.equal(d.code, 'GC101');
    assert.deepEqual(d.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 12 } });
    const fixed = applyFix(text, d);
    assert.equal(fixed, 'ARG BASE=alpine:3.7\nFROM ${BASE}\n');
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('leaves deliberately per-arch stages and single-platform files alone', () => {
    assert.deepEqual(lintSummary('FROM arm64v8/alpine AS build-arm64\n'), []);
    assert.deepEqual(lintSummary('FROM --platform=$BUILDPLATFORM amd64/golang:1.22 AS build\n'), []);
    assert.deepEqual(lintSummary('# platforms=linux/arm64\nFROM arm64v8/alpine\n'), []);
    assert.deepEqual(lintSummary('FROM arm64v8/alpine\n', settings({ platforms: ['linux/arm64'] })), []);
  });

  it('does not flag multi-arch images or other registries', () => {
    assert.deepEqual(lintSummary('FROM alpine:3.19\nFROM library/debian\nFROM ghcr.io/arm64v8/tool:1\nFROM amd64\n'), []);
  });

  it('honours severity settings and suppression pragmas', () => {
    assert.deepEqual(lintSummary('FROM arm64v8/alpine\n', settings({ rules: { GC101: 'error' } })), ['GC101 error 0:5-0:19']);
    assert.deepEqual(lintSummary('FROM arm64v8/alpine\n', settings({ rules: { GC101: 'off' } })), []);
    assert.deepEqual(lintSummary('# green-cloud ignore=GC101\nFROM arm64v8/alpine\n'), []);
    assert.deepEqual(lintSummary('# green-cloud global ignore=GC101\nFROM alpine\nFROM arm64v8/alpine\n'), []);
  });

  it('offers ignore fixes that work', () => {
    const text = '# syntax=docker/dockerfile:1\nFROM arm64v8/alpine\n';
    const [d] = lintStrict(text);
    const forInstruction = applyFix(text, d, 'Ignore GC101 for this instruction');
    assert.equal(forInstruction, '# syntax=docker/dockerfile:1\n# green-cloud ignore=GC101\nFROM arm64v8/alpine\n');
    assert.deepEqual(lintSummary(forInstruction), []);
    const forFile = applyFix(text, d, 'Ignore GC101 for this file');
    assert.equal(forFile, '# syntax=docker/dockerfile:1\n# green-cloud global ignore=GC101\nFROM arm64v8/alpine\n');
    assert.deepEqual(lintSummary(forFile), []);
  });

  it('still flags the namespace when a variable without a value leaves the tag unknown, and fixes it in the FROM', () => {
    const text = 'ARG alpine_version\nFROM arm32v6/alpine:$alpine_version\nRUN apk add curl\n';
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC101');
    assert.deepEqual(d.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 19 } });
    assert.match(d.message, /^Base image 'arm32v6\/alpine:\$alpine_version' is pinned to linux\/arm\/v6 by its 'arm32v6\/' namespace;/);
    const fixed = applyFix(text, d);
    assert.equal(fixed, 'ARG alpine_version\nFROM alpine:$alpine_version\nRUN apk add curl\n');
    assert.deepEqual(lintSummary(fixed), []);
    // A variable in the repository itself still leaves nothing to say.
    assert.deepEqual(lintSummary('ARG ns\nFROM ${ns}/alpine:$v\n'), []);
  });

  it('does not flag stages the build never reaches, COPY-only data stages or Windows stages', () => {
    assert.deepEqual(lintSummary('FROM arm64v8/alpine AS unused\nRUN true\nFROM alpine\nRUN true\n'), []);
    assert.deepEqual(lintSummary('FROM arm64v8/alpine AS certs\nFROM scratch\nCOPY --from=certs /etc/ssl/certs/ /etc/ssl/certs/\n'), []);
    assert.deepEqual(lintSummary('FROM arm64v8/alpine AS tools\nFROM scratch\nCOPY --from=tools /bin/busybox /bin/\n'), [
      'GC101 warning 0:5-0:19',
    ]);
  });
});
