import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintStrict, registryAnswers, settings, summary } from '../../../support/lint';

const lint = (text: string, answers: Record<string, Record<string, unknown>>, raw?: unknown) =>
  lintStrict(text, settings(raw), registryAnswers(answers));

describe('GC108 base image lacks a target platform', () => {
  it('a single amd64 image: names what is missing and what it has', () => {
    const [d, ...rest] = lint('FROM someorg/tool:1\n', { 'someorg/tool:1': { kind: 'image', platforms: ['linux/amd64'] } });
    assert.equal(rest.length, 0);
    assert.equal(summary(d), 'GC108 warning 0:5-0:17');
    assert.equal(
      d.message,
      "Base image 'someorg/tool:1' is a single linux/amd64 image; the linux/arm64 and linux/arm/v7 builds get amd64 binaries. Use a base published for every target, or build those platforms FROM another image.",
    );
    assert.match(d.codeDescription?.href ?? '', /GC108\.md$/);
  });

  it('a list without a target: the build fails; attestation entries are not platforms', () => {
    const [d] = lint('# platforms=linux/amd64,linux/arm64\nFROM team/rt:2\n', {
      'team/rt:2': { platforms: ['linux/amd64', 'linux/s390x'] },
    });
    assert.equal(
      d.message,
      "Base image 'team/rt:2' is published for linux/amd64 and linux/s390x only; the linux/arm64 build fails ('no match for platform in manifest'). Use a base published for every target, or build those platforms FROM another image.",
    );
  });

  it('targets come from greenCloud.platforms or # platforms=', () => {
    const answers = { 'team/rt:2': { platforms: ['linux/amd64'] } };
    assert.deepEqual(lint('FROM team/rt:2\n', answers, { platforms: ['linux/amd64'] }).map(summary), []);
    assert.deepEqual(lint('# platforms=linux/amd64\nFROM team/rt:2\n', answers).map(summary), []);
    assert.deepEqual(lint('# platforms=linux/amd64,linux/riscv64\nFROM team/rt:2\n', answers).map(summary), ['GC108 warning 1:5-1:12']);
  });

  it('linux/arm/v7 is covered by arm/v6; arm64 by arm64/v8', () => {
    const answers = { 'x/y:1': { platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v6'] } };
    assert.deepEqual(lint('FROM x/y:1\n', answers).map(summary), []);
  });

  it('a constant --platform stage is checked against that platform only', () => {
    const answers = { 'x/y:1': { platforms: ['linux/arm64'] } };
    assert.deepEqual(lint('FROM --platform=linux/arm64 x/y:1\n', answers).map(summary), ['GC104 warning 0:16-0:27']);
    const d = lint('FROM --platform=linux/amd64 x/y:1\n', answers).find((x) => x.code === 'GC108');
    assert.match(d?.message ?? '', /this stage is built --platform=linux\/amd64, so its build fails/);
  });

  it('a --platform=$BUILDPLATFORM stage is not checked against the targets', () => {
    const answers = { 'x/tools:1': { kind: 'image', platforms: ['linux/amd64'] } };
    assert.deepEqual(lint('FROM --platform=$BUILDPLATFORM x/tools:1 AS build\nRUN ./configure\n', answers).map(summary), []);
  });

  it('stage names, scratch and unresolvable variables are never looked at', () => {
    const answers = { build: { kind: 'image', platforms: ['linux/amd64'] }, scratch: { kind: 'image', platforms: ['linux/amd64'] } };
    assert.deepEqual(
      lint('FROM alpine AS build\nFROM build\nFROM scratch\nFROM $NOPE\n', answers).filter((d) => d.code === 'GC108'),
      [],
    );
  });

  it('only sure answers: not-found, unauthorized, unavailable and offline are no diagnostic', () => {
    for (const status of ['not-found', 'unauthorized', 'unavailable', 'offline'])
      assert.deepEqual(lint('FROM x/y:1\n', { 'x/y:1': { status, platforms: ['linux/amd64'] } }).map(summary), [], status);
  });

  it('without registry answers (the typing path) it does nothing', () => {
    assert.deepEqual(lintStrict('FROM someorg/tool:1\n').map(summary), []);
  });

  it('where GC101–GC103 report the image, the registry confirmation joins their message instead', () => {
    const answers = { 'arm64v8/alpine:3.20': { kind: 'image', platforms: ['linux/arm64/v8'] } };
    const diagnostics = lint('FROM arm64v8/alpine:3.20\n', answers);
    assert.deepEqual(diagnostics.map(summary), ['GC101 warning 0:5-0:19']);
    assert.match(
      diagnostics[0].message,
      / The registry confirms: it is published for linux\/arm64\/v8 only, with no linux\/amd64 and linux\/arm\/v7\.$/,
    );
    const tag = lint('FROM node:20-arm64\n', { 'node:20-arm64': { kind: 'image', platforms: ['linux/arm64'] } });
    assert.deepEqual(
      tag.map((d) => d.code),
      ['GC102'],
    );
    assert.match(tag[0].message, /The registry confirms/);
  });

  it('is suppressed by the ignore pragma and configurable like any rule', () => {
    const answers = { 'x/y:1': { kind: 'image', platforms: ['linux/amd64'] } };
    assert.deepEqual(lint('# green-cloud ignore=GC108\nFROM x/y:1\n', answers).map(summary), []);
    assert.deepEqual(lint('FROM x/y:1\n', answers, { rules: { GC108: 'error' } }).map(summary), ['GC108 error 0:5-0:8']);
  });
});
