import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary, settings } from '../../../support/lint';

describe('GC206 cross-build markers on a base without them', () => {
  it('flags each marker of an official-image stage, and one fix removes them all', () => {
    const text = 'FROM alpine:3.19\nRUN [ "cross-build-start" ]\nRUN apk add curl\nRUN [ "cross-build-end" ]\n';
    const ds = lintStrict(text);
    assert.deepEqual(
      ds.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['GC206', 2, 1, 6, 25],
        ['GC206', 2, 3, 6, 23],
      ],
    );
    assert.equal(
      ds[0].message,
      "'cross-build-start' does not exist in the base 'alpine:3.19' (official images carry neither QEMU nor the markers): this step fails. " +
        // Front-end neutral: the editor's command, the CLI's and Docker's own.
        'Remove the markers and build with QEMU emulation (Build for All Platforms, green-cloud build or docker buildx), or use a balenalib/* base.',
    );
    assert.equal(ds[0].data.fixes[0].title, 'Remove the cross-build markers from this stage');
    const fixed = applyFix(text, ds[1]);
    assert.equal(fixed, 'FROM alpine:3.19\nRUN apk add curl\n');
    assert.deepEqual(lintSummary(fixed), []);
  });

  it('knows official names in every spelling, docker-library namespaces, multiarch and scratch', () => {
    for (const base of [
      'debian:bookworm',
      'ubuntu',
      'node:20',
      'golang',
      'library/debian',
      'docker.io/library/alpine',
      'arm64v8/debian',
      'arm32v7/alpine:3.19',
    ]) {
      assert.deepEqual(
        lintSummary(`# platforms=linux/arm64\nFROM ${base}\nRUN ["cross-build-start"]\n`).filter((s) => !s.startsWith('GC10')),
        ['GC206 warning 2:5-2:24'],
        base,
      );
    }
    const [m] = lintStrict('# platforms=linux/arm/v7\nFROM multiarch/alpine:armv7-v3.12\nRUN ["cross-build-end"]\n').filter(
      (d) => d.code === 'GC206',
    );
    assert.match(String(m.message), /\(multiarch images carry QEMU but not the markers\)/);
    const [s] = lintStrict('FROM scratch\nRUN ["cross-build-start"]\n');
    assert.match(String(s.message), /in the base 'scratch' \('scratch' has no files at all\)/);
  });

  it('removes shell-form markers too, with CRLF', () => {
    const text = 'FROM debian:bookworm\r\nRUN cross-build-start\r\nRUN apt-get update\r\nRUN cross-build-end';
    assert.deepEqual(lintSummary(text), ['GC206 warning 1:4-1:21', 'GC206 warning 3:4-3:19']);
    assert.equal(applyFix(text, lintStrict(text)[0]), 'FROM debian:bookworm\r\nRUN apt-get update\r\n');
  });

  it('says nothing about unknown bases, registries or bases listed in settings', () => {
    assert.deepEqual(lintSummary('FROM mycompany/base\nRUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\n'), []);
    assert.deepEqual(lintSummary('FROM ghcr.io/library/alpine\nRUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\n'), []);
    const text = 'FROM alpine:3.19\nRUN [ "cross-build-start" ]\nRUN a\nRUN [ "cross-build-end" ]\n';
    assert.deepEqual(lintSummary(text, settings({ crossBuild: { images: ['alpine'] } })), []);
    assert.deepEqual(lintSummary('FROM alpine:3.19\nRUN apk add curl\n'), []);
  });

  it('applies to a stage built from an official-image stage', () => {
    assert.deepEqual(lintSummary('FROM debian:bookworm AS base\nFROM base\nRUN ["cross-build-start"]\n'), ['GC206 warning 2:5-2:24']);
  });
});
