import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintStrict, lintSummary, settings } from '../../../support/lint';

describe('GC103 architecture or device in the repository name', () => {
  it('flags an architecture in the name, on the repository name, naming the pinned platform', () => {
    const [d, ...rest] = lintStrict('FROM resin/armv7hf-debian:stretch\nCOPY app /app\n');
    assert.equal(rest.length, 0);
    assert.equal(d.code, 'GC103');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 25 } });
    assert.equal(
      d.message,
      "Base image 'resin/armv7hf-debian:stretch' is built for linux/arm/v7 only (its name says 'armv7hf'); on linux/amd64 and linux/arm64 it runs armv7 binaries. Use a multi-arch base image such as the official 'debian'.",
    );
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/GC103\.md$/);
    assert.deepEqual(
      d.data.fixes.map((f) => f.title),
      ['Ignore GC103 for this instruction', 'Ignore GC103 for this file'],
    );
  });

  it('flags device names with their platform', () => {
    const [rpi] = lintStrict('FROM resin/rpi-raspbian\n');
    assert.equal(
      rpi.message,
      "Base image 'resin/rpi-raspbian' is built for linux/arm/v6 only (its name says the linux/arm/v6 device 'rpi'); on linux/amd64, linux/arm64 and linux/arm/v7 it runs armv6 binaries. Use a multi-arch base image such as the official 'debian'.",
    );
    const [pi3] = lintStrict('FROM balenalib/raspberrypi3-debian:bookworm\n');
    assert.deepEqual(pi3.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 34 } });
    assert.match(pi3.message, /built for linux\/arm\/v7 only \(its name says the linux\/arm\/v7 device 'raspberrypi3'\)/);
    const [pi364] = lintStrict('FROM balenalib/raspberrypi3-64-python:3.11\n');
    assert.match(
      pi364.message,
      /built for linux\/arm64 only \(its name says the linux\/arm64 device 'raspberrypi3-64'\).* such as the official 'python'\.$/,
    );
  });

  it('flags the examples of the catalogue', () => {
    const text = [
      'FROM balenalib/aarch64-debian AS a',
      'FROM project31/aarch64-alpine-qemu AS b',
      'FROM resin/armhf-alpine AS c',
      'FROM quay.io/prometheus/busybox-linux-arm64 AS d',
      'FROM example.com/team/tool-x86_64 AS e',
      'FROM scratch',
      'COPY --from=a /bin/a /a',
      'COPY --from=b /bin/b /b',
      'COPY --from=c /bin/c /c',
      'COPY --from=d /bin/d /d',
      'COPY --from=e /bin/e /e',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), [
      'GC103 warning 0:5-0:29',
      'GC103 warning 1:5-1:34',
      'GC103 warning 2:5-2:23',
      'GC103 warning 3:13-3:43',
      'GC103 warning 4:17-4:33',
    ]);
    const [alpineArmhf] = lintStrict('FROM resin/armhf-alpine\n');
    assert.equal(
      alpineArmhf.message,
      "Base image 'resin/armhf-alpine' is built for linux/arm/v6 only (its name says 'armhf', Alpine's name for ARMv6); on linux/amd64, linux/arm64 and linux/arm/v7 it runs armv6 binaries. Use a multi-arch base image such as the official 'alpine'.",
    );
    const [unknown] = lintStrict('FROM team/arm64-builder\n');
    assert.match(unknown.message, /Use a multi-arch base image \(one published as a manifest list\)\.$/);
  });

  it('resolves ARG defaults and points at the FROM image', () => {
    const [d] = lintStrict('ARG BASE=balenalib/aarch64-debian\nFROM $BASE\n');
    assert.deepEqual(d.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 10 } });
    assert.match(d.message, /^Base image 'balenalib\/aarch64-debian' \(from '\$BASE'\) is built for linux\/arm64 only/);
  });

  it('does not flag multi-arch names, official images or architecture namespaces (GC101)', () => {
    const text = [
      'FROM alpine:3.19',
      'FROM library/debian',
      'FROM amd64',
      'FROM ghcr.io/arm64v8/tool:1',
      'FROM team/farm64-app',
      'FROM team/x86-tools',
      'FROM tonistiigi/xx',
      'FROM balenalib/rpi-raspbian AS runtime-rpi',
      '',
    ].join('\n');
    assert.deepEqual(lintSummary(text), []);
    assert.deepEqual(lintSummary('FROM arm64v8/alpine\n'), ['GC101 warning 0:5-0:19']);
  });

  it('does not flag cross-compilation toolchains (they name the target, not the host)', () => {
    assert.deepEqual(lintSummary('FROM dockcross/linux-arm64 AS build\n'), []);
    assert.deepEqual(lintSummary('FROM ghcr.io/cross-rs/aarch64-unknown-linux-gnu:main AS build\n'), []);
  });

  it('leaves deliberately per-arch stages and single-platform files alone', () => {
    assert.deepEqual(lintSummary('FROM balenalib/aarch64-debian AS base-arm64\n'), []);
    assert.deepEqual(lintSummary('FROM --platform=$BUILDPLATFORM balenalib/amd64-debian AS tools\n'), []);
    assert.deepEqual(lintSummary('# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\n'), []);
    assert.deepEqual(lintSummary('FROM balenalib/aarch64-debian\n', settings({ platforms: ['linux/arm64/v8'] })), []);
  });

  it('honours severity settings and suppression pragmas', () => {
    assert.deepEqual(lintSummary('FROM resin/armv7hf-debian\n', settings({ rules: { GC103: 'info' } })), ['GC103 info 0:5-0:25']);
    assert.deepEqual(lintSummary('FROM resin/armv7hf-debian\n', settings({ rules: { GC103: 'off' } })), []);
    assert.deepEqual(lintSummary('# green-cloud ignore=GC101,GC103\nFROM resin/armv7hf-debian\n'), []);
    assert.deepEqual(lintSummary('# green-cloud global ignore=GC103\nFROM resin/armv7hf-debian\n'), []);
  });

  it('never throws on odd names', () => {
    for (const text of [
      'FROM /\n',
      'FROM a//b\n',
      `FROM team/${'rpi-'.repeat(100_000)}x\n`,
      'FROM team/constructor\n',
      'FROM team/__proto__\n',
    ]) {
      assert.doesNotThrow(() => lintStrict(text), text.slice(0, 40));
    }
  });

  it('still flags the name when the tag is a variable without a value', () => {
    assert.deepEqual(lintSummary('FROM resin/rpi-raspbian:${t}\nRUN [ "cross-build-start" ]\nRUN true\nRUN [ "cross-build-end" ]\n'), [
      'GC103 warning 0:5-0:23',
    ]);
  });
});
