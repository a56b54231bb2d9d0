import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintStrict, lintSummary } from '../../../support/lint';

describe('GC207 explicit QEMU emulator in RUN', () => {
  it('errors on an emulator that does not match the base, and renames it', () => {
    const text =
      '# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\nRUN ["/usr/bin/qemu-aarch64-static", "/bin/sh", "-c", "apt-get update"]\n';
    const ds = lintStrict(text);
    assert.deepEqual(
      ds.map((d) => `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`),
      ['GC207 3 2:0-3', 'GC207 1 2:5-35'],
    );
    const error = ds[1];
    assert.equal(
      error.message,
      "'/usr/bin/qemu-aarch64-static' does not emulate the base 'resin/armv7hf-debian', which is linux/arm/v7: the image has no such emulator, " +
        "or it cannot run the image's binaries, so the step fails. Use '/usr/bin/qemu-arm-static'.",
    );
    assert.equal(error.data.fixes[0].title, "Use '/usr/bin/qemu-arm-static'");
    const fixed = applyFix(text, error);
    assert.equal(
      fixed,
      '# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\nRUN ["/usr/bin/qemu-arm-static", "/bin/sh", "-c", "apt-get update"]\n',
    );
    assert.deepEqual(lintSummary(fixed), ['GC207 info 2:0-2:3']);
  });

  it('renames with CRLF line endings and no path', () => {
    const text = '# platforms=linux/arm64\r\nFROM balenalib/aarch64-debian\r\nRUN [ "qemu-arm-static", "/bin/true" ]\r\n';
    const error = lintStrict(text).find((d) => d.severity === 1);
    assert.ok(error, 'expected a GC207 error');
    assert.equal(
      applyFix(text, error),
      '# platforms=linux/arm64\r\nFROM balenalib/aarch64-debian\r\nRUN [ "qemu-aarch64-static", "/bin/true" ]\r\n',
    );
  });

  it('gives one info per stage on the first emulator step, naming what was checked', () => {
    const text =
      '# platforms=linux/arm64\nFROM arm64v8/debian\nRUN [ "qemu-aarch64-static", "/bin/true" ]\nRUN [ "qemu-aarch64-static", "/bin/false" ]\n';
    const [d, ...rest] = lintStrict(text);
    assert.equal(rest.length, 0);
    assert.equal(d.severity, 3);
    assert.deepEqual(d.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
    assert.equal(
      d.message,
      "This step and 1 more in the stage run through an explicit QEMU emulator ('qemu-aarch64-static'; checked against the base's linux/arm64), " +
        'so it builds only where the image carries that emulator. ' +
        'Drop the emulator and use the cross-build markers on a base that ships them, or QEMU (binfmt) registered on the build host.',
    );
    assert.deepEqual(
      d.data.fixes.map((f) => f.title),
      ['Ignore GC207 for this instruction', 'Ignore GC207 for this file'],
    );
  });

  it('reads the base platform from device names, multiarch tags and a constant --platform', () => {
    const run = 'RUN ["/usr/bin/qemu-arm-static", "/bin/true"]\n';
    assert.deepEqual(lintSummary(`# platforms=linux/arm64\nFROM balenalib/raspberrypi3-64-debian\n${run}`), [
      'GC207 info 2:0-2:3',
      'GC207 error 2:5-2:31',
    ]);
    assert.deepEqual(lintSummary(`# platforms=linux/arm/v6\nFROM resin/rpi-raspbian\n${run}`), ['GC207 info 2:0-2:3']);
    assert.deepEqual(
      lintSummary(`# platforms=linux/arm64\nFROM multiarch/debian-debootstrap:arm64-bookworm\n${run}`).filter((s) => s.startsWith('GC207')),
      ['GC207 info 2:0-2:3', 'GC207 error 2:5-2:31'],
    );
    assert.deepEqual(
      lintSummary(`# platforms=linux/arm64\nFROM --platform=linux/arm64 mycompany/base\n${run}`).filter((s) => s.startsWith('GC207')),
      ['GC207 info 2:0-2:3', 'GC207 error 2:5-2:31'],
    );
  });

  it('gives info only when the platform is unknown', () => {
    const [d] = lintStrict('# platforms=linux/arm/v7\nFROM mycompany/base\nRUN ["/usr/bin/qemu-aarch64-static", "/bin/true"]\n');
    assert.equal(d.severity, 3);
    assert.match(String(d.message), /'\/usr\/bin\/qemu-aarch64-static'; not checked: the base platform is unknown\)/);
  });

  it('never throws on escaped or broken JSON', () => {
    assert.doesNotThrow(() =>
      lintStrict(
        '# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\nRUN ["\\/usr\\/bin\\/qemu-aarch64-static", "/bin/true"]\nRUN ["qemu-arm-static", \n',
      ),
    );
    assert.deepEqual(lintSummary('# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\nRUN ["qemu-arm-static"\n'), [
      'GC201 warning 2:0-2:3',
    ]);
  });

  it('ignores shell-form mentions and other binaries', () => {
    assert.deepEqual(
      lintSummary(
        '# platforms=linux/arm/v7\nFROM resin/armv7hf-debian\nRUN [ "cross-build-start" ]\nRUN ls /usr/bin/qemu-arm-static\nRUN [ "cross-build-end" ]\nRUN ["/usr/bin/qemu-img", "info"]\n',
      ).filter((s) => s.startsWith('GC207')),
      [],
    );
  });
});
