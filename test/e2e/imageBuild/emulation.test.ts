/**
 * QEMU emulation status and set-up against the real host: binfmt_misc handlers of the local
 * engine, a probe container on an engine treated as remote, registration from the installed
 * qemu-user-static definitions. Every handler changed is restored. (The privileged-image method
 * is not exercised here: privileged containers cannot start on our CI machines — runc 'unable to
 * apply caps'.)
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectEmulation, setUpEmulation } from '../../../core/src/emulation';
import { formatPlatform, parsePlatformList } from '../../../core/src/platforms';
import { dockerEnv, engine, type DockerTestEnv } from '../support/dockerEnv';

const PLATFORMS = parsePlatformList('linux/amd64,linux/arm64,linux/arm/v7');

/** Snapshot of the qemu handlers; restore() puts back enabled/disabled/absent as found. */
function snapshot(binfmt: string, names: string[]): { restore(): void } {
  const before = new Map(
    names.map((n) => [n, existsSync(join(binfmt, n)) ? readFileSync(join(binfmt, n), 'utf8').startsWith('enabled') : undefined]),
  );
  return {
    restore() {
      for (const [name, enabled] of before) {
        const path = join(binfmt, name);
        if (enabled === undefined) {
          if (existsSync(path)) writeFileSync(path, '-1');
          continue;
        }
        if (!existsSync(path))
          writeFileSync(join(binfmt, 'register'), readFileSync(`/usr/lib/binfmt.d/${name}.conf`, 'utf8').split('\n')[0]);
        writeFileSync(path, enabled ? '1' : '0');
      }
    },
  };
}

describe('emulation', () => {
  let env: DockerTestEnv;
  let handlers: { restore(): void };

  before(() => {
    env = dockerEnv();
    handlers = snapshot(env.GC_TEST_BINFMT, ['qemu-aarch64', 'qemu-arm']);
  });
  after(() => handlers?.restore()); // undefined when the set-up never finished

  it('reads the local engine host: amd64 native, arm64 and arm/v7 through binfmt_misc QEMU', async () => {
    const reports = await detectEmulation(env.DOCKER_HOST, PLATFORMS);
    assert.deepEqual(
      reports.map((r) => [formatPlatform(r.platform), r.status, r.handler]),
      [
        ['linux/amd64', 'native', undefined],
        ['linux/arm64', 'emulated', 'qemu-aarch64'],
        ['linux/arm/v7', 'emulated', 'qemu-arm'],
      ],
    );
    assert.equal(reports[1].detail, 'binfmt_misc qemu-aarch64 enabled (/usr/libexec/qemu-binfmt/aarch64-binfmt-P, flags POF)');
  });

  it('refuses to change the host without confirmation', async () => {
    await assert.rejects(setUpEmulation(env.DOCKER_HOST, PLATFORMS, { confirmed: false }), /needs the user's confirmation/);
  });

  it('registers a missing handler from /usr/lib/binfmt.d and re-enables a disabled one (host method)', async () => {
    writeFileSync(join(env.GC_TEST_BINFMT, 'qemu-aarch64'), '-1'); // unregister
    writeFileSync(join(env.GC_TEST_BINFMT, 'qemu-arm'), '0'); // disable
    const missing = await detectEmulation(env.DOCKER_HOST, PLATFORMS);
    assert.deepEqual(
      missing.map((r) => r.status),
      ['native', 'missing', 'missing'],
    );
    assert.equal(missing[1].detail, 'no binfmt_misc handler for qemu-aarch64');
    const result = await setUpEmulation(env.DOCKER_HOST, PLATFORMS, { confirmed: true });
    assert.deepEqual(result, { method: 'host', registered: ['qemu-aarch64', 'qemu-arm'], failed: [] });
    const now = await detectEmulation(env.DOCKER_HOST, PLATFORMS);
    assert.deepEqual(
      now.map((r) => r.status),
      ['native', 'emulated', 'emulated'],
    );
    assert.deepEqual(await setUpEmulation(env.DOCKER_HOST, PLATFORMS, { confirmed: true }), { method: 'none', registered: [], failed: [] });
  });

  it('on an engine seen as remote, probes with a container of the platform (emulated, then missing)', async () => {
    const docker2 = engine(env.GC_TEST_DOCKER_HOST_2);
    const stream = await docker2.pull(env.GC_TEST_BASE_ARM64);
    await new Promise<void>((resolve, reject) => {
      docker2.modem.followProgress(stream, (e: unknown) => (e ? reject(e instanceof Error ? e : new Error(JSON.stringify(e))) : resolve()));
    });
    const arm64 = parsePlatformList('linux/arm64');
    const [emulated] = await detectEmulation(env.GC_TEST_DOCKER_HOST_2, arm64, { local: false });
    assert.equal(emulated.status, 'emulated');
    assert.equal(
      emulated.detail,
      `a linux/arm64 container (${env.GC_TEST_BASE_ARM64}) ran on ${env.GC_TEST_DOCKER_HOST_2}: uname -m = aarch64`,
    );
    writeFileSync(join(env.GC_TEST_BINFMT, 'qemu-aarch64'), '0');
    try {
      const [missing] = await detectEmulation(env.GC_TEST_DOCKER_HOST_2, arm64, { local: false });
      assert.equal(missing.status, 'missing');
      assert.match(missing.detail, /could not run on .*exec format error/);
    } finally {
      writeFileSync(join(env.GC_TEST_BINFMT, 'qemu-aarch64'), '1');
    }
    const [unknown] = await detectEmulation(env.GC_TEST_DOCKER_HOST_2, parsePlatformList('linux/riscv64'), { local: false });
    assert.equal(unknown.status, 'unknown');
  });
});
