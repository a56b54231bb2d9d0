import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlatform } from '../../../../core/src/platforms';
import type { PlatformResult } from '../../../../core/src/imageBuild/types';
import { describeStepFailure } from '../../../../core/src/imageBuild/failure';
import {
  buildLensTitle,
  emulationLogLines,
  emulationSentence,
  emulationView,
  failureReason,
  formatDuration,
  neededFor,
  platformDescription,
  prefixLine,
  ProgressBoard,
  summarizeResults,
  type PlatformReadiness,
} from '../../../../client/src/imageBuild/format';

const amd64 = parsePlatform('linux/amd64');
const arm64 = parsePlatform('linux/arm64');
const armv7 = parsePlatform('linux/arm/v7');
const local = { host: 'unix:///var/run/docker.sock', label: 'local' };

function result(
  platform = amd64,
  status: PlatformResult['status'] = 'succeeded',
  durationMs = 1000,
  extra: Partial<PlatformResult> = {},
): PlatformResult {
  const tag = `web:${platform.architecture}${platform.variant ?? ''}-1.2`;
  return { platform, tag, engine: local, status, durationMs, logTail: [], builder: 'buildkit', ...extra };
}

describe('prefixLine / buildLensTitle', () => {
  it('prefixes with the full platform', () => {
    assert.equal(prefixLine(armv7, '#5 RUN uname -m'), '[linux/arm/v7] #5 RUN uname -m');
  });
  it('lists the platforms in order', () => {
    assert.equal(buildLensTitle([amd64, arm64, armv7]), 'Build for linux/amd64, linux/arm64, linux/arm/v7');
  });
});

describe('formatDuration', () => {
  it('picks a unit a person reads at a glance', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(1000), '1.0 s');
    assert.equal(formatDuration(12_345), '12.3 s');
    assert.equal(formatDuration(59_999), '59.9 s');
    assert.equal(formatDuration(60_000), '1 min 00 s');
    assert.equal(formatDuration(125_000), '2 min 05 s');
    assert.equal(formatDuration(3_720_000), '1 h 02 min');
    assert.equal(formatDuration(-1), '0 ms');
    assert.equal(formatDuration(Number.NaN), '0 ms');
  });
});

describe('ProgressBoard', () => {
  it('counts finished platforms once and lists the active ones', () => {
    const board = new ProgressBoard([amd64, arm64, armv7]);
    assert.equal(board.message(), '0/3 done · linux/amd64 queued · linux/arm64 queued · linux/arm/v7 queued');
    assert.equal(board.update(amd64, 'building'), 0);
    assert.equal(board.update(arm64, 'verifying'), 0);
    assert.equal(board.message(), '0/3 done · linux/amd64 building · linux/arm64 verifying · linux/arm/v7 queued');
    assert.equal(board.update(amd64, 'succeeded'), 100 / 3);
    assert.equal(board.update(amd64, 'succeeded'), 0, 'a repeated final status adds nothing');
    assert.equal(board.update(armv7, 'cancelled'), 100 / 3);
    assert.equal(board.message(), '2/3 done · linux/arm64 verifying');
    assert.equal(board.finished, 2);
  });

  it('marks the platforms that build under QEMU emulation', () => {
    const board = new ProgressBoard([amd64, arm64, armv7]);
    board.markEmulated(arm64);
    board.markEmulated(armv7);
    board.update(amd64, 'building');
    board.update(arm64, 'building');
    assert.equal(board.message(), '0/3 done · linux/amd64 building · linux/arm64 building (QEMU) · linux/arm/v7 queued (QEMU)');
  });
});

describe('summarizeResults', () => {
  it("quotes the failing step's last output line in the toast and in the log's summary lines, on one line", () => {
    const failure = describeStepFailure(
      '[3/3] RUN test "$(uname -m)" != aarch64 || { echo "no arm64 support in this step" >&2; exit 3; }',
      'executor failed running [/bin/sh -c x]: exit code: 3',
      { output: ['checking', 'no arm64 support in this step'] },
    );
    const s = summarizeResults([result(amd64), result(arm64, 'failed', 5400, { failure })], 6000);
    assert.match(
      s.notification,
      /✗ linux\/arm64: RUN test "\$\(uname -m\)" != aarch64 \|\| \{ echo "no arm64 support i… failed \(exit code 3\): "no arm64 support in this step" · ✓ linux\/amd64/,
    );
    assert.ok(!s.notification.includes('\n'));
    assert.match(s.lines[1] ?? '', /\n {4}RUN test .* failed \(exit code 3\): "no arm64 support in this step"$/);
  });
  it('says all built, with a line per platform', () => {
    const s = summarizeResults(
      [result(amd64, 'succeeded', 12_300), result(arm64, 'succeeded', 40_000), result(armv7, 'succeeded', 41_000)],
      62_000,
    );
    assert.equal(s.ok, true);
    assert.equal(s.cancelled, false);
    assert.equal(s.headline, 'Built 3/3 platforms in 1 min 02 s.');
    assert.deepEqual(s.lines, [
      '✓ linux/amd64   succeeded  web:amd64-1.2  12.3 s',
      '✓ linux/arm64   succeeded  web:arm64-1.2  40.0 s',
      '✓ linux/arm/v7  succeeded  web:armv7-1.2  41.0 s',
    ]);
    assert.equal(s.notification, 'Built 3/3 platforms in 1 min 02 s. ✓ linux/amd64 12.3 s · ✓ linux/arm64 40.0 s · ✓ linux/arm/v7 41.0 s');
  });

  it('names failures with their reason, the remote engine and the classic builder', () => {
    const s = summarizeResults(
      [
        result(amd64, 'succeeded', 2000, { builder: 'classic' }),
        result(arm64, 'failed', 5400, {
          error: 'linux/arm64: the build failed: executor failed running [/bin/sh -c ./configure]: exit code: 1',
          failure: {
            step: 'RUN ./configure',
            instruction: 'RUN',
            index: 3,
            exitCode: 1,
            error: 'executor failed running [/bin/sh -c ./configure]: exit code: 1',
            reason: 'RUN ./configure failed (exit code 1)',
          },
          engine: { host: 'tcp://arm:2375', label: 'tcp://arm:2375' },
        }),
        result(armv7, 'failed', 700, {
          error: 'linux/arm/v7: Cannot reach Docker at tcp://arm:2375 (ECONNREFUSED: connection refused). Start Docker there.',
        }),
      ],
      6000,
    );
    assert.equal(s.ok, false);
    assert.equal(s.cancelled, false);
    assert.equal(s.headline, 'Built 1/3 platforms in 6.0 s (2 failed).');
    assert.deepEqual(s.lines, [
      '✓ linux/amd64   succeeded  web:amd64-1.2  2.0 s [classic builder]',
      '✗ linux/arm64   failed     web:arm64-1.2  5.4 s on tcp://arm:2375\n    RUN ./configure failed (exit code 1)',
      '✗ linux/arm/v7  failed     web:armv7-1.2  700 ms\n    Cannot reach Docker at tcp://arm:2375 (ECONNREFUSED: connection refused). Start Docker there.',
    ]);
    // The toast leads with the failures and their reasons, not just "✗ linux/arm64 5.4 s".
    assert.equal(
      s.notification,
      'Built 1/3 platforms in 6.0 s (2 failed). ✗ linux/arm64: RUN ./configure failed (exit code 1) · ✗ linux/arm/v7: Cannot reach Docker at tcp://arm:2375 (ECONNREFUSED: connection refused). Start Docker there. · ✓ linux/amd64 2.0 s',
    );
    assert.ok(
      !s.lines.join('\n').includes('executor failed running'),
      'the engine wrapper text is said once, in the log, not in the summary',
    );
  });

  it('says a cancelled run once: stopped platforms with their time, never-started ones without "0 ms"', () => {
    const s = summarizeResults(
      [
        result(amd64, 'succeeded', 2000),
        result(arm64, 'cancelled', 3200, { error: 'linux/arm64: cancelled.' }),
        result(armv7, 'cancelled', 0, { error: 'linux/arm/v7: cancelled before it started.', neverStarted: true }),
        result(parsePlatform('linux/riscv64'), 'cancelled', 0, {
          error: 'linux/riscv64: cancelled before it started.',
          neverStarted: true,
        }),
      ],
      4000,
    );
    assert.equal(s.ok, false);
    assert.equal(s.cancelled, true);
    assert.equal(s.headline, 'Cancelled after 4.0 s: 1/4 platforms built (1 stopped, 2 not started).');
    assert.deepEqual(s.lines, [
      '✓ linux/amd64    succeeded  web:amd64-1.2  2.0 s',
      '– linux/arm64    stopped    web:arm64-1.2  3.2 s',
      '– linux/arm/v7   not started',
      '– linux/riscv64  not started',
    ]);
    assert.equal(
      s.notification,
      'Cancelled after 4.0 s: 1/4 platforms built (1 stopped, 2 not started). – linux/arm64 stopped after 3.2 s · ✓ linux/amd64 2.0 s · – linux/arm/v7 not started · – linux/riscv64 not started',
    );
    assert.ok(!`${s.notification}\n${s.lines.join('\n')}`.includes('0 ms'));
  });

  it('reads a reason from the error when the core gave no step', () => {
    assert.equal(
      failureReason(result(arm64, 'failed', 1, { error: 'linux/arm64: The image built for linux/arm64 is labelled linux/amd64.' })),
      'The image built for linux/arm64 is labelled linux/amd64.',
    );
    assert.equal(failureReason(result(arm64, 'failed', 1, { error: `linux/arm64: ${'x'.repeat(400)}` })).length, 160);
  });

  it('does not repeat the engine when one engine built everything', () => {
    const remote = { host: 'tcp://e:2375', label: 'tcp://e:2375' };
    const s = summarizeResults(
      [result(amd64, 'succeeded', 1000, { engine: remote }), result(arm64, 'succeeded', 1000, { engine: remote })],
      1000,
    );
    assert.ok(
      s.lines.every((l) => !l.includes(' on ')),
      s.lines.join('\n'),
    );
  });

  it('adds where the time went: RUN steps per platform, emulated or native, and one GC110 pointer when emulation dominates', () => {
    const s = summarizeResults(
      [
        result(amd64, 'succeeded', 9_000, {
          timing: {
            emulated: false,
            engineArch: 'amd64',
            runMs: 6_100,
            totalMs: 8_000,
            slowestRun: { step: '4', command: 'go build', ms: 6_000 },
          },
        }),
        result(arm64, 'succeeded', 45_000, {
          timing: {
            emulated: true,
            engineArch: 'amd64',
            runMs: 41_200,
            totalMs: 44_000,
            slowestRun: { step: '4', command: 'go build', ms: 40_000 },
          },
        }),
        result(armv7, 'succeeded', 40_000, {
          timing: {
            emulated: true,
            engineArch: 'amd64',
            runMs: 36_000,
            totalMs: 39_000,
            slowestRun: { step: '4', command: 'go build', ms: 35_000 },
          },
        }),
      ],
      45_000,
    );
    assert.deepEqual(s.lines.slice(3), [
      '⏱ linux/amd64 native: 6.1 s of 8.0 s in RUN steps',
      '⏱ linux/arm64 emulated (engine amd64): 41.2 s of 44.0 s in RUN steps',
      '⏱ linux/arm/v7 emulated (engine amd64): 36.0 s of 39.0 s in RUN steps',
      'linux/arm64: 41.2 s of 44.0 s in RUN steps under QEMU (step 4: go build). Emulated steps dominate this build: compile on the build platform and cross-compile instead (see GC110, docs/rules/GC110.md).',
    ]);
    assert.equal(s.notification.match(/under QEMU/g)?.length, 1);
  });

  it('handles an empty run', () => {
    const s = summarizeResults([], 10);
    assert.equal(s.ok, false);
    assert.equal(s.notification, 'Nothing was built (no platform).');
  });
});

describe('emulationView', () => {
  const ready: PlatformReadiness[] = [
    { platform: amd64, engine: 'local', report: { platform: amd64, status: 'native', detail: "the engine's host is linux/amd64" } },
    { platform: arm64, engine: 'local', report: { platform: arm64, status: 'emulated', detail: 'binfmt_misc qemu-aarch64 enabled' } },
    { platform: armv7, engine: 'local', report: { platform: armv7, status: 'missing', detail: 'no binfmt_misc handler for qemu-arm' } },
  ];

  it('counts runnable platforms and warns when one is missing', () => {
    const v = emulationView(ready);
    assert.equal(v.text, '$(vm) Green Cloud: 2/3 platforms');
    assert.equal(v.severity, 'warning');
    assert.match(v.tooltip, /\$\(check\) `linux\/arm64`: QEMU emulation — binfmt_misc qemu-aarch64 enabled/);
    assert.match(v.tooltip, /\$\(warning\) `linux\/arm\/v7`: cannot run \(no emulation\) — no binfmt_misc handler for qemu-arm/);
    assert.match(v.tooltip, /Set Up QEMU Emulation/);
    assert.equal(emulationSentence(ready), '2/3 platforms can run: linux/amd64 native, linux/arm64 QEMU, linux/arm/v7 missing.');
  });

  it('is ok when all run; with no engine, a quiet item that says it once and advises no QEMU set-up', () => {
    assert.equal(emulationView(ready.slice(0, 2)).severity, 'ok');
    const error = 'Cannot reach Docker at unix:///nope (ENOENT: no such socket). Start Docker there.';
    const down: PlatformReadiness[] = [amd64, arm64, armv7].map((platform) => ({ platform, engine: 'local', engineError: error }));
    const v = emulationView(down);
    assert.equal(v.text, '$(vm-outline) Green Cloud');
    assert.equal(v.severity, 'error');
    assert.equal(v.background, undefined, 'no colour for someone who only wants diagnostics');
    assert.equal(v.tooltip.split('Cannot reach Docker').length - 1, 1, v.tooltip);
    assert.ok(!v.tooltip.includes('Set Up QEMU'), v.tooltip);
    assert.match(v.tooltip, /^\*\*Green Cloud — no Docker engine answers\*\*/);
    assert.match(v.tooltip, /Diagnostics and quick fixes work without an engine; building needs one\./);
    assert.equal(emulationView(down, { attention: true }).background, 'error', 'after the user asked to build');
    // The setting that chooses the engine, named once; after a build request the text names the problem.
    assert.equal(v.tooltip.split('greenCloud.docker.host').length - 1, 1, v.tooltip);
    assert.equal(emulationView(down, { attention: true }).text, '$(vm-outline) Green Cloud: no engine');
    const mapped = emulationView(down, { engineSettings: ['greenCloud.builders', 'greenCloud.builders'] }).tooltip;
    assert.match(mapped, /To use another engine, set `greenCloud\.builders`\./);
    assert.ok(!mapped.includes('greenCloud.docker.host'), mapped);
    assert.equal(emulationSentence(down), error);
    assert.deepEqual(emulationLogLines(down), [`${error} Needed for linux/amd64, linux/arm64, linux/arm/v7.`]);
  });

  it('colours missing emulation only after the user asked to build', () => {
    assert.equal(emulationView(ready).background, undefined);
    assert.equal(emulationView(ready, { attention: true }).background, 'warning');
    assert.equal(emulationView(ready.slice(0, 2), { attention: true }).background, undefined);
  });

  it('adds the platforms to an engine error as a sentence', () => {
    assert.equal(
      neededFor('Cannot reach Docker at x (ENOENT: no such socket). Start Docker there.', [amd64, arm64]),
      'Cannot reach Docker at x (ENOENT: no such socket). Start Docker there. Needed for linux/amd64, linux/arm64.',
    );
    assert.equal(neededFor('Docker at x answered 500: boom', [armv7]), 'Docker at x answered 500: boom (needed for linux/arm/v7)');
  });

  it('names each unreachable engine once, with the platforms that need it, beside the reachable ones', () => {
    const mixed: PlatformReadiness[] = [
      ready[0],
      { platform: arm64, engine: 'ssh://b@arm', engineError: 'Cannot reach Docker at ssh://b@arm over SSH (handshake failed).' },
    ];
    const v = emulationView(mixed);
    assert.equal(v.severity, 'warning');
    assert.match(
      v.tooltip,
      /\$\(debug-disconnect\) Cannot reach Docker at ssh:\/\/b@arm over SSH \(handshake failed\)\. Needed for linux\/arm64\./,
    );
    assert.ok(!v.tooltip.includes('Set Up QEMU'), 'the reachable platform runs; the other needs its engine, not QEMU');
  });

  it('names one engine in the heading, several engines on each line', () => {
    assert.match(emulationView(ready).tooltip, /^\*\*Green Cloud — target platforms on the local Docker engine\*\*/);
    assert.ok(!emulationView(ready).tooltip.includes('(on '));
    const spread: PlatformReadiness[] = [ready[0], { ...ready[1], engine: 'ssh://b@arm' }];
    const v = emulationView(spread);
    assert.match(v.tooltip, /^\*\*Green Cloud — target platforms\*\*/);
    assert.match(v.tooltip, /`linux\/arm64` \(on ssh:\/\/b@arm\): QEMU emulation/);
    assert.match(v.tooltip, /`linux\/amd64`: native/);
  });

  it('names a remote builder engine in the log lines', () => {
    const lines = emulationLogLines([
      { platform: arm64, engine: 'ssh://b@arm', report: { platform: arm64, status: 'native', detail: "the engine's host is linux/arm64" } },
    ]);
    assert.deepEqual(lines, ["[linux/arm64] native (engine ssh://b@arm) — the engine's host is linux/arm64"]);
  });
});

describe('platformDescription', () => {
  it('says in words where a platform comes from and how it runs, never a setting id', () => {
    const report = (status: 'native' | 'emulated' | 'missing' | 'unknown') => ({ platform: arm64, status, detail: '' });
    assert.equal(platformDescription('settings', report('native')), 'from your settings · native on this engine');
    assert.equal(platformDescription('directive', report('emulated')), 'from # platforms= in this file · emulated with QEMU');
    assert.equal(platformDescription('remembered', undefined), 'picked last time');
    assert.equal(platformDescription(undefined, report('missing')), 'cannot run here yet (no QEMU handler)');
    assert.equal(platformDescription(undefined, report('unknown')), undefined);
    assert.equal(platformDescription(undefined, undefined), undefined);
    for (const source of ['settings', 'directive', 'remembered'] as const)
      assert.ok(!platformDescription(source, report('native'))?.includes('greenCloud.'));
  });
});
