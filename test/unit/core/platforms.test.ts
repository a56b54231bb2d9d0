import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARCH_NAMESPACES,
  DEFAULT_TARGET_PLATFORMS,
  DEVICE_PLATFORMS,
  PlatformError,
  formatPlatform,
  normalizePlatform,
  parsePlatform,
  parsePlatformList,
  platformOfArchToken,
  platformOfQemuBinary,
  platformTagSuffix,
  platformsEqual,
  qemuMatchesPlatform,
  qemuName,
  unameMachine,
  type Platform,
} from '../../../core/src/platforms';

const fmt = (text: string): string => formatPlatform(parsePlatform(text));

describe('parsePlatform normalisation (containerd rules, arm64 == arm64/v8)', () => {
  const cases: [string, string][] = [
    ['linux/amd64', 'linux/amd64'],
    ['amd64', 'linux/amd64'],
    ['x86_64', 'linux/amd64'],
    ['x86-64', 'linux/amd64'],
    ['linux/x86_64', 'linux/amd64'],
    ['linux/x86-64', 'linux/amd64'],
    ['x64', 'linux/amd64'],
    ['linux/amd64/v1', 'linux/amd64'],
    ['linux/amd64/v3', 'linux/amd64/v3'],
    ['aarch64', 'linux/arm64'],
    ['linux/aarch64', 'linux/arm64'],
    ['linux/arm64', 'linux/arm64'],
    ['linux/arm64/v8', 'linux/arm64'],
    ['linux/arm64/8', 'linux/arm64'],
    ['linux/arm64/v8.0', 'linux/arm64'],
    ['linux/arm64/v8.2', 'linux/arm64/v8.2'],
    ['arm64/v8', 'linux/arm64'],
    ['armv8', 'linux/arm64'],
    ['armhf', 'linux/arm/v7'],
    ['linux/armhf', 'linux/arm/v7'],
    ['armel', 'linux/arm/v6'],
    ['linux/armel', 'linux/arm/v6'],
    ['arm', 'linux/arm/v7'],
    ['linux/arm', 'linux/arm/v7'],
    ['linux/arm/v7', 'linux/arm/v7'],
    ['linux/arm/7', 'linux/arm/v7'],
    ['linux/arm/v6', 'linux/arm/v6'],
    ['linux/arm/v5', 'linux/arm/v5'],
    ['arm/v6', 'linux/arm/v6'],
    ['armv7l', 'linux/arm/v7'],
    ['armv6', 'linux/arm/v6'],
    ['i386', 'linux/386'],
    ['i686', 'linux/386'],
    ['linux/i386', 'linux/386'],
    ['linux/386', 'linux/386'],
    ['386', 'linux/386'],
    ['ppc64el', 'linux/ppc64le'],
    ['linux/ppc64le', 'linux/ppc64le'],
    ['linux/s390x', 'linux/s390x'],
    ['linux/riscv64', 'linux/riscv64'],
    ['mips64el', 'linux/mips64le'],
    ['windows/amd64', 'windows/amd64'],
    ['windows/x86_64', 'windows/amd64'],
    ['darwin/arm64', 'darwin/arm64'],
    ['LINUX/AMD64', 'linux/amd64'],
    ['Linux/ARM/V7', 'linux/arm/v7'],
    ['  linux/arm64  ', 'linux/arm64'],
    ['linux/sparc64', 'linux/sparc64'],
  ];
  for (const [input, expected] of cases) {
    it(`'${input}' → ${expected}`, () => assert.equal(fmt(input), expected));
  }

  it('returns no variant key when there is none (deep-equal to a plain object)', () => {
    assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64' });
    assert.deepEqual(parsePlatform('armhf'), { os: 'linux', architecture: 'arm', variant: 'v7' });
    assert.ok(!('variant' in parsePlatform('x86_64')));
  });
});

describe('parsePlatform rejects bad input with a message naming it and an example', () => {
  const cases: [string, RegExp][] = [
    ['', /empty string is not a platform.*linux\/arm64/],
    ['   ', /empty string is not a platform/],
    ['linux', /names an OS but no architecture.*linux\/amd64/],
    ['windows', /names an OS but no architecture.*windows\/amd64/],
    ['linux/', /'linux\/' is not a platform \(expected os\/arch\[\/variant\]/],
    ['/amd64', /'\/amd64' is not a platform/],
    ['linux//v7', /'linux\/\/v7' is not a platform/],
    ['linux/arm/v7/extra', /'linux\/arm\/v7\/extra' is not a platform/],
    ['linux/arm/v7/', /is not a platform/],
    ['plan10/amd64', /'plan10' in 'plan10\/amd64' is not an operating system/],
    ['linux/amd46', /'amd46' is not a known architecture \(for example amd64/],
    ['amd46', /'amd46' is not a known architecture/],
    ['linux/arm-64', /'arm-64' is not an architecture name/],
    ['linux/arm 64', /'arm 64' is not an architecture name/],
    ['linux/arm/seven', /'seven' is not a platform variant \(for example v7/],
    ['linux/arm64/x', /'x' is not a platform variant/],
    ['linux/sparc64/vx', /'vx' is not a platform variant/],
    ['constructor', /'constructor' is not a known architecture/],
    ['__proto__', /'__proto__' is not a known architecture/],
    ['linux/toString', /'toString' is not a known architecture/],
    ['hasOwnProperty/amd64', /'hasOwnProperty' in .* is not an operating system/],
  ];
  for (const [input, message] of cases) {
    it(`'${input}'`, () => {
      assert.throws(
        () => parsePlatform(input),
        (e: unknown) => e instanceof PlatformError && e.name === 'PlatformError' && message.test(e.message),
      );
    });
  }
});

describe('normalizePlatform (image data, lenient about unknown architectures)', () => {
  it('normalises aliases from image configs', () => {
    assert.deepEqual(normalizePlatform({ architecture: 'aarch64' }), { os: 'linux', architecture: 'arm64' });
    assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'arm64', variant: 'v8' }), { os: 'linux', architecture: 'arm64' });
    assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'arm' }), { os: 'linux', architecture: 'arm', variant: 'v7' });
    assert.deepEqual(normalizePlatform({ os: 'Linux', architecture: 'x86_64', variant: '' }), { os: 'linux', architecture: 'amd64' });
  });
  it('keeps attestation entries (unknown/unknown) instead of throwing', () => {
    assert.deepEqual(normalizePlatform({ os: 'unknown', architecture: 'unknown' }), { os: 'unknown', architecture: 'unknown' });
  });
  it('still rejects text that is no architecture name', () => {
    assert.throws(() => normalizePlatform({ architecture: 'arm 64' }), PlatformError);
    assert.throws(() => normalizePlatform({ architecture: 'arm', variant: 'seven' }), /'seven' is not a platform variant/);
  });
});

describe('formatPlatform', () => {
  const cases: [Platform, string][] = [
    [{ os: 'linux', architecture: 'amd64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8.2' }, 'linux/arm64/v8.2'],
    [{ os: 'windows', architecture: 'amd64' }, 'windows/amd64'],
    [{ os: 'linux', architecture: 'amd64', variant: '' }, 'linux/amd64'],
  ];
  for (const [p, expected] of cases) it(expected, () => assert.equal(formatPlatform(p), expected));
  it('round-trips through parsePlatform', () => {
    for (const text of ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6', 'linux/386', 'windows/amd64', 'linux/ppc64le']) {
      assert.equal(fmt(fmt(text)), text);
    }
  });
});

describe('platformsEqual', () => {
  const equal: [Platform, Platform][] = [
    [parsePlatform('linux/arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    [
      { os: 'linux', architecture: 'aarch64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'armhf' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'x86_64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'LINUX', architecture: 'AMD64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'i686' },
      { os: 'linux', architecture: '386' },
    ],
  ];
  for (const [a, b] of equal)
    it(`${JSON.stringify(a)} == ${JSON.stringify(b)}`, () => {
      assert.equal(platformsEqual(a, b), true);
      assert.equal(platformsEqual(b, a), true);
    });
  const different: [Platform, Platform][] = [
    [
      { os: 'linux', architecture: 'arm', variant: 'v6' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'arm' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
    ],
    [
      { os: 'linux', architecture: 'armel' },
      { os: 'linux', architecture: 'armhf' },
    ],
    [
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm', variant: 'v8' },
    ],
    [
      { os: 'linux', architecture: 'amd64' },
      { os: 'windows', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'amd64', variant: 'v2' },
    ],
    [
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8.2' },
    ],
  ];
  for (const [a, b] of different)
    it(`${JSON.stringify(a)} != ${JSON.stringify(b)}`, () => {
      assert.equal(platformsEqual(a, b), false);
      assert.equal(platformsEqual(b, a), false);
    });
});

describe('parsePlatformList', () => {
  it('parses a comma-separated list with spaces, in order', () => {
    assert.deepEqual(parsePlatformList('linux/amd64, linux/arm64 ,linux/arm/v7').map(formatPlatform), [
      'linux/amd64',
      'linux/arm64',
      'linux/arm/v7',
    ]);
  });
  it('drops duplicates after normalisation, keeping the first spelling', () => {
    assert.deepEqual(
      parsePlatformList('linux/arm64,linux/arm64/v8,aarch64,linux/amd64,x86_64,arm,armhf,linux/arm/v7').map(formatPlatform),
      ['linux/arm64', 'linux/amd64', 'linux/arm/v7'],
    );
  });
  it('keeps arm variants apart', () => {
    assert.deepEqual(parsePlatformList('linux/arm/v6,linux/arm/v7,armel').map(formatPlatform), ['linux/arm/v6', 'linux/arm/v7']);
  });
  it('ignores empty pieces and returns [] for an empty list', () => {
    assert.deepEqual(parsePlatformList('linux/amd64,,linux/arm64,').map(formatPlatform), ['linux/amd64', 'linux/arm64']);
    assert.deepEqual(parsePlatformList(''), []);
    assert.deepEqual(parsePlatformList(' , '), []);
  });
  it('throws on the first bad entry, naming it', () => {
    assert.throws(() => parsePlatformList('linux/amd64,linux/amd46'), /'amd46' is not a known architecture/);
    assert.throws(() => parsePlatformList('linux/amd64 linux/arm64'), PlatformError);
  });
});

describe('platformTagSuffix', () => {
  const cases: [string, string][] = [
    ['linux/amd64', 'amd64'],
    ['linux/arm64', 'arm64'],
    ['linux/arm64/v8', 'arm64'],
    ['linux/arm/v7', 'armv7'],
    ['linux/arm/v6', 'armv6'],
    ['linux/386', '386'],
    ['linux/ppc64le', 'ppc64le'],
    ['linux/s390x', 's390x'],
  ];
  for (const [p, suffix] of cases) it(`${p} → ${suffix}`, () => assert.equal(platformTagSuffix(parsePlatform(p)), suffix));
  it('normalises a raw platform first', () => {
    assert.equal(platformTagSuffix({ os: 'linux', architecture: 'aarch64' }), 'arm64');
    assert.equal(platformTagSuffix({ os: 'linux', architecture: 'arm64', variant: 'v8' }), 'arm64');
    assert.equal(platformTagSuffix({ os: 'linux', architecture: 'armhf' }), 'armv7');
  });
});

describe('unameMachine', () => {
  const cases: [string, string | undefined][] = [
    ['linux/amd64', 'x86_64'],
    ['linux/arm64', 'aarch64'],
    ['linux/arm/v7', 'armv7l'],
    ['linux/arm/v6', 'armv6l'],
    ['linux/arm/v5', 'armv5l'],
    ['linux/386', 'i686'],
    ['linux/ppc64le', 'ppc64le'],
    ['linux/s390x', 's390x'],
    ['linux/riscv64', 'riscv64'],
    ['linux/mips64le', 'mips64'],
    ['linux/sparc64', undefined],
  ];
  for (const [p, machine] of cases) it(`${p} → ${machine}`, () => assert.equal(unameMachine(parsePlatform(p)), machine));
  it('normalises a raw platform first', () => assert.equal(unameMachine({ os: 'linux', architecture: 'arm' }), 'armv7l'));
});

describe('QEMU names', () => {
  const cases: [string, string | undefined][] = [
    ['linux/amd64', 'qemu-x86_64'],
    ['linux/arm64', 'qemu-aarch64'],
    ['linux/arm/v7', 'qemu-arm'],
    ['linux/arm/v6', 'qemu-arm'],
    ['linux/386', 'qemu-i386'],
    ['linux/ppc64le', 'qemu-ppc64le'],
    ['linux/s390x', 'qemu-s390x'],
    ['linux/riscv64', 'qemu-riscv64'],
    ['linux/mips64le', 'qemu-mips64el'],
    ['linux/loong64', 'qemu-loongarch64'],
    ['linux/sparc64', undefined],
  ];
  for (const [p, name] of cases) it(`qemuName ${p} → ${name}`, () => assert.equal(qemuName(parsePlatform(p)), name));

  it('platformOfQemuBinary is the inverse of qemuName for every known name', () => {
    for (const [p, name] of cases) {
      if (!name) continue;
      const back = platformOfQemuBinary(`${name}-static`);
      assert.ok(back, `${name}-static`);
      assert.equal(back.architecture, parsePlatform(p).architecture, name);
    }
  });
  const binaries: [string, string | undefined][] = [
    ['qemu-aarch64-static', 'linux/arm64'],
    ['/usr/bin/qemu-aarch64-static', 'linux/arm64'],
    ['qemu-aarch64', 'linux/arm64'],
    ['qemu-arm-static', 'linux/arm/v7'],
    ['qemu-x86_64-static', 'linux/amd64'],
    ['/usr/bin/qemu-i386-static', 'linux/386'],
    ['qemu-mips64el-static', 'linux/mips64le'],
    ['qemu-foo-static', undefined],
    ['qemu-constructor-static', undefined],
    ['qemu-', undefined],
    ['aarch64-static', undefined],
    ['', undefined],
  ];
  for (const [binary, p] of binaries) {
    it(`platformOfQemuBinary '${binary}' → ${p}`, () => {
      const got = platformOfQemuBinary(binary);
      assert.equal(got ? formatPlatform(got) : undefined, p);
    });
  }
  it('qemuMatchesPlatform: qemu-arm runs every arm variant, not arm64', () => {
    assert.equal(qemuMatchesPlatform('/usr/bin/qemu-arm-static', parsePlatform('linux/arm/v6')), true);
    assert.equal(qemuMatchesPlatform('/usr/bin/qemu-arm-static', parsePlatform('linux/arm/v7')), true);
    assert.equal(qemuMatchesPlatform('qemu-arm-static', { os: 'linux', architecture: 'arm', variant: 'v5' }), true);
    assert.equal(qemuMatchesPlatform('qemu-arm-static', parsePlatform('linux/arm64')), false);
    assert.equal(qemuMatchesPlatform('qemu-aarch64-static', { os: 'linux', architecture: 'aarch64' }), true);
    assert.equal(qemuMatchesPlatform('qemu-aarch64-static', { os: 'Linux', architecture: 'arm64', variant: 'v8' }), true);
    assert.equal(qemuMatchesPlatform('qemu-x86_64-static', parsePlatform('windows/amd64')), false);
    assert.equal(qemuMatchesPlatform('qemu-nope-static', parsePlatform('linux/amd64')), false);
  });
});

describe('architecture tables', () => {
  it('ARCH_NAMESPACES maps the docker-library namespaces as DOMAIN.md says', () => {
    const expected: Record<string, string> = {
      amd64: 'linux/amd64',
      arm32v5: 'linux/arm/v5',
      arm32v6: 'linux/arm/v6',
      arm32v7: 'linux/arm/v7',
      arm64v8: 'linux/arm64',
      i386: 'linux/386',
      ppc64le: 'linux/ppc64le',
      s390x: 'linux/s390x',
      riscv64: 'linux/riscv64',
      mips64le: 'linux/mips64le',
      winamd64: 'windows/amd64',
      aarch64: 'linux/arm64',
      armhf: 'linux/arm/v7',
    };
    for (const [ns, p] of Object.entries(expected)) assert.equal(formatPlatform(ARCH_NAMESPACES[ns]), p, ns);
  });
  it('tables do not answer for Object.prototype members', () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.equal(ARCH_NAMESPACES[key], undefined, key);
      assert.equal(DEVICE_PLATFORMS[key], undefined, key);
      assert.equal(platformOfArchToken(key), undefined, key);
      assert.equal(platformOfArchToken(key, 'alpine'), undefined, key);
    }
  });
  it('platformOfArchToken settles the armhf conflict by flavour', () => {
    assert.equal(formatPlatform(platformOfArchToken('armhf') as Platform), 'linux/arm/v7');
    assert.equal(formatPlatform(platformOfArchToken('armhf', 'debian') as Platform), 'linux/arm/v7');
    assert.equal(formatPlatform(platformOfArchToken('armhf', 'alpine') as Platform), 'linux/arm/v6');
    assert.equal(formatPlatform(platformOfArchToken('x86', 'alpine') as Platform), 'linux/386');
    assert.equal(formatPlatform(platformOfArchToken('ARM64') as Platform), 'linux/arm64');
    assert.equal(formatPlatform(platformOfArchToken('x86_64') as Platform), 'linux/amd64');
    assert.equal(formatPlatform(platformOfArchToken('armv7hf') as Platform), 'linux/arm/v7');
    assert.equal(platformOfArchToken('latest'), undefined);
    assert.equal(platformOfArchToken('alpine3.19'), undefined);
    assert.equal(platformOfArchToken(''), undefined);
  });
  it('DEVICE_PLATFORMS knows the Raspberry Pi generations', () => {
    assert.equal(formatPlatform(DEVICE_PLATFORMS.rpi), 'linux/arm/v6');
    assert.equal(formatPlatform(DEVICE_PLATFORMS.raspberrypi3), 'linux/arm/v7');
    assert.equal(formatPlatform(DEVICE_PLATFORMS['raspberrypi4-64']), 'linux/arm64');
  });
  it('DEFAULT_TARGET_PLATFORMS is linux/amd64, linux/arm64, linux/arm/v7', () => {
    assert.deepEqual(DEFAULT_TARGET_PLATFORMS.map(formatPlatform), ['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
  });
  it('the tables cannot be changed at run time', () => {
    assert.ok(Object.isFrozen(ARCH_NAMESPACES));
    assert.ok(Object.isFrozen(DEVICE_PLATFORMS));
  });
});
