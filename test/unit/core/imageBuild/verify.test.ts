import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseFromLine, readElfHeader } from '../../../../core/src/imageBuild';

function elf(bits: 32 | 64, little: boolean, machine: number): Uint8Array {
  const b = new Uint8Array(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, little ? 1 : 2, 1]);
  if (little) b.set([machine & 0xff, machine >> 8], 18);
  else b.set([machine >> 8, machine & 0xff], 18);
  return b;
}

describe('readElfHeader', () => {
  it('names the architecture of ELF binaries', () => {
    const cases: [Uint8Array, string][] = [
      [elf(64, true, 62), 'amd64'],
      [elf(64, true, 183), 'arm64'],
      [elf(32, true, 40), 'arm'],
      [elf(32, true, 3), '386'],
      [elf(64, true, 21), 'ppc64le'],
      [elf(64, false, 22), 's390x'],
      [elf(64, true, 243), 'riscv64'],
      [elf(64, true, 8), 'mips64le'],
      [elf(64, true, 9999), 'elf-machine-9999'],
    ];
    for (const [bytes, arch] of cases) assert.equal(readElfHeader(bytes)?.architecture, arch);
  });
  it('returns undefined for scripts and short files', () => {
    assert.equal(readElfHeader(Buffer.from('#!/bin/sh\necho hello world and more\n')), undefined);
    assert.equal(readElfHeader(new Uint8Array([0x7f, 0x45])), undefined);
  });
});

describe('baseFromLine', () => {
  it('follows stages back to the real base of the last stage', () => {
    const text =
      '# c\nARG BASE=alpine\nFROM --platform=linux/arm64 arm64v8/alpine:3.19 AS build\nRUN true\n\nFROM build AS final\nRUN echo\n';
    assert.deepEqual(baseFromLine(text), {
      line: 3,
      image: 'arm64v8/alpine:3.19',
      platformFlag: 'linux/arm64',
      text: 'FROM --platform=linux/arm64 arm64v8/alpine:3.19 AS build',
    });
  });
  it('uses the target stage and handles line continuations', () => {
    const text = 'FROM alpine AS a\nFROM \\\n  debian:12 AS b\nFROM a AS c\n';
    assert.equal(baseFromLine(text, 'b')?.line, 2);
    assert.equal(baseFromLine(text, 'b')?.image, 'debian:12');
    assert.equal(baseFromLine(text, 'c')?.line, 1);
  });
  it('returns undefined without FROM', () => {
    assert.equal(baseFromLine('# nothing\n'), undefined);
  });
});
