import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEVICE_PLATFORMS, formatPlatform, platformOfArchToken } from '../../../core/src/platforms';
import { findArchMention, flavourOf, isCrossToolchain } from '../../../server/src/rules/archNames';

const fmt = (p: ReturnType<typeof platformOfArchToken>): string | undefined => (p ? formatPlatform(p) : undefined);

describe('architecture tokens in image names', () => {
  it('maps balena device types to their platform', () => {
    const expected: Record<string, string> = {
      rpi: 'linux/arm/v6',
      'raspberry-pi': 'linux/arm/v6',
      raspberrypi3: 'linux/arm/v7',
      'raspberrypi3-64': 'linux/arm64',
      'raspberrypi400-64': 'linux/arm64',
      'raspberrypicm4-ioboard': 'linux/arm/v7',
      fincm3: 'linux/arm/v7',
      'jetson-agx-orin-devkit': 'linux/arm64',
      'nanopi-neo-air': 'linux/arm/v7',
      'orangepi-plus2': 'linux/arm/v7',
      'genericx86-64-ext': 'linux/amd64',
      'coral-dev': 'linux/arm64',
      'intel-nuc': 'linux/amd64',
    };
    for (const [device, platform] of Object.entries(expected)) assert.equal(fmt(DEVICE_PLATFORMS[device]), platform, device);
  });

  it("settles Alpine's armhf (ARMv6) against Debian's (ARMv7)", () => {
    assert.equal(fmt(platformOfArchToken('armhf', 'alpine')), 'linux/arm/v6');
    assert.equal(fmt(platformOfArchToken('armhf', 'debian')), 'linux/arm/v7');
    assert.equal(fmt(platformOfArchToken('armhf')), 'linux/arm/v7');
    assert.equal(flavourOf('multiarch/alpine', 'armhf-v3.7'), 'alpine');
    assert.equal(flavourOf('resin/armhf-alpine', undefined), 'alpine');
    assert.equal(flavourOf('library/node', '20-alpine3.19'), 'alpine');
    assert.equal(flavourOf('resin/armv7hf-debian', undefined), 'generic');
  });

  it('finds whole segments only, longest first', () => {
    const find = (text: string, devices = false) => {
      const m = findArchMention(text, { flavour: 'generic', devices, bareX86: false });
      return m ? `${m.token}@${m.start}-${m.end} ${formatPlatform(m.platform)}${m.device ? ' device' : ''}` : undefined;
    };
    assert.equal(find('x86_64-v3.7'), 'x86_64@0-6 linux/amd64');
    assert.equal(find('20-arm64'), 'arm64@3-8 linux/arm64');
    assert.equal(find('raspberrypi3-64-debian', true), 'raspberrypi3-64@0-15 linux/arm64 device');
    assert.equal(find('generic-aarch64-debian', true), 'generic-aarch64@0-15 linux/arm64 device');
    assert.equal(find('16-alpine3.19'), undefined);
    assert.equal(find('3.12-slim-bookworm'), undefined);
    assert.equal(find('farm64'), undefined);
    assert.equal(find('armv7hf-debian'), 'armv7hf@0-7 linux/arm/v7');
    assert.equal(find('x86-tools'), undefined, 'a bare x86 is too vague in a repository name');
    assert.equal(findArchMention('x86-v3.7', { flavour: 'alpine', devices: false, bareX86: true })?.token, 'x86');
    assert.equal(find('constructor-__proto__', true), undefined);
    assert.equal(find('a'.repeat(300) + '-arm64'), undefined, 'over-long names are not searched');
  });

  it('recognises cross-compilation toolchains', () => {
    const check = (path: string, text: string) => {
      const m = findArchMention(text, { flavour: 'generic', devices: true, bareX86: false });
      assert.ok(m, text);
      return isCrossToolchain(path, text, m);
    };
    assert.equal(check('dockcross/linux-arm64', 'linux-arm64'), true);
    assert.equal(check('messense/rust-musl-cross', 'aarch64-musl'), true);
    assert.equal(check('cross-rs/aarch64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu'), true);
    assert.equal(check('team/toolchain', 'x86_64-linux-musl'), true);
    assert.equal(check('resin/armv7hf-debian', 'armv7hf-debian'), false);
    assert.equal(check('library/node', '20-arm64'), false);
  });
});
