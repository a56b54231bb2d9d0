/** `green-cloud build` argument handling (no engine needed: every case stops before building). */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { requireBuiltCli, runCli } from './cliProcess';
import { formatSummary, parseBuildArguments } from '../../cli/src/build';
import { describeStepFailure } from '../../core/src/imageBuild/failure';
import { parsePlatform } from '../../core/src/platforms';
import { scratchDir } from '../support/scratch';

describe('green-cloud build arguments', () => {
  before(requireBuiltCli);

  it('--help shows the usage', async () => {
    const r = await runCli(['build', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: green-cloud build \[CONTEXT\] --tag IMAGE:VERSION \[options\]/);
  });

  const usage: [string[], RegExp][] = [
    [['build'], /--tag IMAGE:VERSION is required/],
    [['build', '--tag', 'web'], /--tag: 'web' has no version: give IMAGE:VERSION/],
    [['build', '--tag', 'Web:1'], /--tag: 'Web:1' is not an image reference/],
    [['build', '--tag', 'web:1', '--platform', 'linux/sparc/v9/x'], /--platform: 'linux\/sparc\/v9\/x' is not a platform/],
    [['build', '--tag', 'web:1', '--parallel', '0'], /--parallel '0' is not a whole number from 1 to 16/],
    [['build', '--tag', 'web:1', '--parallel', '17'], /--parallel '17' is not a whole number from 1 to 16/],
    [['build', '--tag', 'web:1', '--builder', 'linux/arm64'], /--builder 'linux\/arm64' is not PLATFORM=HOST/],
    [['build', '--tag', 'web:1', '--build-arg', '=x'], /--build-arg '=x' has no name before '='/],
    [['build', 'a', 'b', '--tag', 'web:1'], /Give one build context, not 2/],
    [['build', '--tag', 'web:1', '--tag-template', '{image}:{tag}'], /Unknown placeholder '\{tag\}'/],
    [
      ['build', '--tag', 'web:1', '--builder', 'linux/arm64=pi-server'],
      /^green-cloud build: --builder linux\/arm64=pi-server: 'pi-server' is not a Docker engine address/,
    ],
    // The flag the user typed, never the editor's setting name (issue 10).
    [
      ['build', '--tag', 'web:1', '--builder', 'foo=ssh://x@y'],
      /^green-cloud build: --builder foo=ssh:\/\/x@y: 'foo' is not a known architecture[^\n]*Give --builder PLATFORM=HOST/,
    ],
  ];
  for (const [args, message] of usage) {
    it(`${args.slice(1).join(' ') || '(no arguments)'} → exit 2 with a clear message`, async () => {
      const ws = scratchDir({ Dockerfile: 'FROM scratch\n' });
      try {
        const r = await runCli(args, { cwd: ws.dir });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
      } finally {
        ws.dispose();
      }
    });
  }

  it('a missing Dockerfile is named, exit 2', async () => {
    const ws = scratchDir({ 'app.txt': '' });
    try {
      const r = await runCli(['build', '--tag', 'web:1'], { cwd: ws.dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Dockerfile '.*\/Dockerfile' not found/);
    } finally {
      ws.dispose();
    }
  });

  it('parses every option', () => {
    const a = parseBuildArguments(
      [
        'app',
        '-f',
        'docker/Dockerfile',
        '--platform',
        'amd64',
        '--platform',
        'armhf',
        '--tag',
        '127.0.0.1:5000/team/web:1.2',
        '--tag-template',
        '{image}:{arch}-{version}',
        '--build-arg',
        'A=1',
        '--build-arg',
        'FROM_ENV',
        '--build-arg',
        'UNSET',
        '--target',
        'final',
        '--no-cache',
        '--parallel',
        '2',
        '--builder',
        'linux/arm/v7=ssh://pi@host',
      ],
      { cwd: '/work', env: { FROM_ENV: 'env value' } },
    );
    const { contextDir, dockerfile, platforms, image, version, tagTemplate, buildArgs, target, noCache, parallel, builders } = a;
    assert.deepEqual(
      { contextDir, dockerfile, platforms, image, version, tagTemplate, buildArgs, target, noCache, parallel, builders },
      {
        contextDir: '/work/app',
        dockerfile: '/work/docker/Dockerfile',
        platforms: [parsePlatform('linux/amd64'), parsePlatform('linux/arm/v7')],
        image: '127.0.0.1:5000/team/web',
        version: '1.2',
        tagTemplate: '{image}:{arch}-{version}',
        buildArgs: { A: '1', FROM_ENV: 'env value' },
        target: 'final',
        noCache: true,
        parallel: 2,
        builders: { 'linux/arm/v7': 'ssh://pi@host' },
      },
    );
  });

  it('formats the summary table', () => {
    const engine = { host: 'unix:///d.sock', label: 'local' };
    assert.equal(
      formatSummary([
        { platform: parsePlatform('linux/amd64'), tag: 'web:amd64-1', engine, status: 'succeeded', durationMs: 1234, logTail: [] },
        { platform: parsePlatform('linux/arm/v7'), tag: 'web:armv7-1', engine, status: 'failed', durationMs: 20500, logTail: [] },
      ]),
      'PLATFORM      TAG          RESULT     DURATION\nlinux/amd64   web:amd64-1  succeeded  1.2 s\nlinux/arm/v7  web:armv7-1  failed     20.5 s',
    );
  });
  it("puts why a platform failed under its row: the step, the exit code and the step's last output line", () => {
    const engine = { host: 'unix:///d.sock', label: 'local' };
    const failure = describeStepFailure('[2/2] RUN ./configure', 'executor failed running [/bin/sh -c ./configure]: exit code: 1', {
      output: ['checking for gcc... no', 'configure: error: no C compiler found'],
    });
    const unreachable = describeStepFailure(undefined, 'Cannot reach Docker at tcp://h:2375 (ECONNREFUSED).');
    assert.equal(
      formatSummary([
        { platform: parsePlatform('linux/amd64'), tag: 'web:amd64-1', engine, status: 'succeeded', durationMs: 1234, logTail: [] },
        { platform: parsePlatform('linux/arm/v7'), tag: 'web:armv7-1', engine, status: 'failed', durationMs: 20500, logTail: [], failure },
        // An unreachable engine is said below the table, with the next step.
        {
          platform: parsePlatform('linux/arm64'),
          tag: 'web:arm64-1',
          engine,
          status: 'failed',
          durationMs: 5,
          logTail: [],
          failure: unreachable,
          engineUnreachable: true,
        },
      ]),
      [
        'PLATFORM      TAG          RESULT     DURATION',
        'linux/amd64   web:amd64-1  succeeded  1.2 s',
        'linux/arm/v7  web:armv7-1  failed     20.5 s',
        '    RUN ./configure failed (exit code 1): "configure: error: no C compiler found"',
        'linux/arm64   web:arm64-1  failed     0.0 s',
      ].join('\n'),
    );
  });
});
