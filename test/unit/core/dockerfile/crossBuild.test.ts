import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseImageReference } from '../../../../core/src/imageRef';
import { formatPlatform } from '../../../../core/src/platforms';
import { buildModel } from '../../../../core/src/dockerfile/model';
import { analyseCrossBuild, markerKindOf } from '../../../../core/src/dockerfile/crossBuild';
import { matchesCrossBuildImage, platformOfImage } from '../../../../core/src/dockerfile/crossBuildImages';
import { settings } from '../../../support/lint';

function analyse(text: string, raw?: unknown) {
  return analyseCrossBuild(buildModel(text), settings(raw).crossBuildImages);
}

describe('cross-build analysis', () => {
  it('recognises marker commands with and without a path', () => {
    assert.equal(markerKindOf('cross-build-start'), 'start');
    assert.equal(markerKindOf('/usr/bin/cross-build-end'), 'end');
    assert.equal(markerKindOf('cross-build-start-now'), undefined);
    assert.equal(markerKindOf('echo cross-build-start'), undefined);
  });

  it('classifies exec, spaced exec, shell and broken-JSON markers, and emulator steps', () => {
    const [stage] = analyse(
      'FROM resin/armv7hf-debian\nRUN ["cross-build-start"]\nRUN [ "/usr/bin/cross-build-start" ]\nRUN cross-build-end\nRUN [ "cross-build-end"\nRUN ["/usr/bin/qemu-arm-static", "true"]\nRUN make\n',
    );
    assert.deepEqual(
      stage.markers.map((m) => `${m.kind} ${m.form} ${m.command}`),
      ['start exec cross-build-start', 'start exec /usr/bin/cross-build-start', 'end shell cross-build-end', 'end shell cross-build-end'],
    );
    assert.deepEqual(
      stage.qemuSteps.map((q) => q.binary),
      ['/usr/bin/qemu-arm-static'],
    );
    assert.equal(stage.plainRuns.length, 1);
    assert.equal(stage.support, 'ships');
    assert.equal(stage.isCrossBuild, true);
    assert.equal(stage.stray.length, 2);
  });

  it('decides marker support from the base', () => {
    const support = (from: string, raw?: unknown) => analyse(`FROM ${from}\n`, raw)[0].support;
    assert.equal(support('resin/armv7hf-debian'), 'ships');
    assert.equal(support('balenalib/raspberrypi4-64-debian:bookworm'), 'ships');
    assert.equal(support('docker.io/balenalib/aarch64-alpine'), 'ships');
    assert.equal(support('project31/aarch64-alpine-qemu:3.5'), 'ships');
    assert.equal(support('project31/aarch64-alpine'), 'unknown');
    assert.equal(support('alpine'), 'lacks');
    assert.equal(support('index.docker.io/library/node:20'), 'lacks');
    assert.equal(support('arm64v8/debian'), 'lacks');
    assert.equal(support('multiarch/alpine:armhf-v3.7'), 'lacks');
    assert.equal(support('scratch'), 'lacks');
    assert.equal(support('mycompany/base'), 'unknown');
    assert.equal(support('ghcr.io/resin/armv7hf-debian'), 'unknown');
    assert.equal(support('$BASE'), 'unknown');
    assert.equal(support('mycompany/base:2', { crossBuild: { images: ['mycompany/*'] } }), 'ships');
  });

  it('matches greenCloud.crossBuild.images entries by repository, tag, digest or namespace', () => {
    const ref = (s: string) => parseImageReference(s);
    assert.equal(matchesCrossBuildImage(ref('mycompany/base:2'), 'mycompany/base'), true);
    assert.equal(matchesCrossBuildImage(ref('mycompany/base:2'), 'docker.io/mycompany/base'), true);
    assert.equal(matchesCrossBuildImage(ref('mycompany/base:2'), 'mycompany/base:2'), true);
    assert.equal(matchesCrossBuildImage(ref('mycompany/base:2'), 'mycompany/base:3'), false);
    assert.equal(matchesCrossBuildImage(ref('mycompany/base'), 'mycompany/base:latest'), true);
    assert.equal(matchesCrossBuildImage(ref('alpine'), 'library/alpine'), true);
    assert.equal(matchesCrossBuildImage(ref('registry.local:5000/arm/base:1'), 'registry.local:5000/arm/*'), true);
    assert.equal(matchesCrossBuildImage(ref('registry.local:5000/arm/base:1'), 'arm/*'), false);
    assert.equal(matchesCrossBuildImage(ref('mycompany/base'), 'mycompany/base-other'), false);
    assert.equal(matchesCrossBuildImage(ref('mycompany/base'), 'Not An Image!'), false);
    assert.equal(matchesCrossBuildImage(ref('mycompany/base'), '/*'), false);
  });

  it('reads the pinned platform from names it can trust', () => {
    const p = (s: string) => {
      const platform = platformOfImage(parseImageReference(s));
      return platform ? formatPlatform(platform) : undefined;
    };
    assert.equal(p('resin/armv7hf-debian'), 'linux/arm/v7');
    assert.equal(p('resin/rpi-raspbian'), 'linux/arm/v6');
    assert.equal(p('balenalib/raspberrypi3-64-debian'), 'linux/arm64');
    assert.equal(p('balenalib/raspberrypi3-debian'), 'linux/arm/v7');
    assert.equal(p('project31/aarch64-alpine-qemu'), 'linux/arm64');
    assert.equal(p('arm64v8/debian'), 'linux/arm64');
    assert.equal(p('multiarch/alpine:armhf-v3.7'), 'linux/arm/v6');
    assert.equal(p('multiarch/debian-debootstrap:armhf-stretch'), 'linux/arm/v7');
    assert.equal(p('mycompany/arm64-base'), undefined);
    assert.equal(p('balenalib/constructor-debian'), undefined);
  });

  it('never throws and stays fast on hostile input', () => {
    const inputs = [
      '',
      '\u0000\u0001\uffff',
      'FROM resin/armv7hf-debian\nRUN [ "cross-build-start"',
      'FROM resin/armv7hf-debian\nRUN [',
      'FROM resin/armv7hf-debian\nRUN ["',
      'FROM resin/armv7hf-debian\nRUN [ "cross-build-start" ]\nRUN <<EOF\ncross-build-end\nEOF\n',
      '# escape=`\nFROM resin/armv7hf-debian\nRUN [ "cross-build-start", `\n "x" ]\nRUN a `\n b\n',
      'FROM resin/armv7hf-debian\r\nRUN\r\nRUN \\\r\n',
      `FROM resin/armv7hf-debian\nRUN [ ${'"cross-build-start", '.repeat(50_000)}]\n`,
      `FROM resin/armv7hf-debian\nRUN ${'x'.repeat(1_000_000)}\n`,
      `FROM resin/armv7hf-debian\n${'RUN [ "cross-build-start" ]\nRUN a\n'.repeat(5_000)}`,
      'FROM resin/${X}\nFROM 0\nFROM --platform=$P scratch\nRUN ["qemu-zz-static"]\n',
    ];
    for (const text of inputs) assert.doesNotThrow(() => analyse(text));
    assert.equal(analyse(inputs[10])[0].stray.length, 4_999);
  });
});
