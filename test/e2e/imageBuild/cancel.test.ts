/**
 * Cancellation: aborting the signal stops every running build within 2 s and leaves nothing
 * behind — no engine containers, no BuildKit executor containers (runc), no RUN processes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planBuild, runBuild } from '../../../core/src/imageBuild';
import { parsePlatformList } from '../../../core/src/platforms';
import { dockerEnv, engine } from '../support/dockerEnv';
import { waitFor } from '../../support/waitFor';
import { Recorder } from './events';
import { scratchDir } from '../../support/scratch';

/** PIDs whose command line contains the token (the RUN's shell, also under QEMU). */
function processesWith(token: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(join('/proc', entry, 'cmdline'), 'utf8');
      if (cmdline.includes(token)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * BuildKit's executor containers of the engine: dockerd's BuildKit runs each RUN with
 * `runc run --bundle <data-root>/buildkit/executor/<id> <id>`; the bundle folder exists while
 * the container does. Cross-checked with `runc list` (runc's default state root).
 */
function buildkitContainers(dataRoot: string): string[] {
  const root = join(dataRoot, 'buildkit/executor');
  if (!existsSync(root)) return [];
  const bundles = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const out = execFileSync('runc', ['list', '--format', 'json'], { encoding: 'utf8' }).trim();
  const running = (out === '' || out === 'null' ? [] : (JSON.parse(out) as { id: string }[])).map((c) => c.id);
  return [...new Set([...bundles, ...running.filter((id) => bundles.includes(id) || existsSync(join(root, id)))])];
}

describe('build cancellation', () => {
  it('aborting stops every platform within 2 s and leaves no containers or processes', async () => {
    const env = dockerEnv();
    const token = `gc-cancel-${process.pid}-${Date.now()}`;
    // the shell execs `sleep` last, so the sleep's own arguments identify the RUN processes
    const seconds = String(600_000 + Math.floor(Math.random() * 300_000));
    const ctx = scratchDir({ Dockerfile: `FROM ${env.GC_TEST_BASE}\nRUN echo ${token} && sleep ${seconds}\n` });
    const docker = engine(env.DOCKER_HOST);
    let stop = (): void => undefined;
    const containersBefore = new Set((await docker.listContainers({ all: true })).map((c) => c.Id));
    try {
      const plan = planBuild(
        {
          contextDir: ctx.dir,
          dockerfile: 'Dockerfile',
          platforms: parsePlatformList('linux/amd64,linux/arm64,linux/arm/v7'),
          image: 'gc-e2e/cancel',
          version: '1',
          noCache: true,
        },
        { defaultHost: env.DOCKER_HOST },
      );
      const recorder = new Recorder();
      const started = new Set<string>();
      recorder.listeners.push((platform, line) => {
        if (line.endsWith(` ${token}`)) started.add(platform);
      });
      const controller = new AbortController();
      const running = runBuild(plan, recorder, { parallel: 3, signal: controller.signal });
      stop = () => controller.abort();
      await waitFor('every platform to reach its RUN step', () => started.size === 3, 120_000);
      assert.ok(processesWith(`sleep\0${seconds}`).length >= 3, 'the RUN steps are running');
      assert.ok(buildkitContainers(env.GC_TEST_ENGINE1_ROOT).length >= 3, 'BuildKit runs them in executor containers');
      const abortedAt = Date.now();
      controller.abort();
      const results = await running;
      const elapsed = Date.now() - abortedAt;
      assert.ok(elapsed < 2000, `runBuild returned ${elapsed} ms after the abort`);
      assert.deepEqual(
        results.map((r) => r.status),
        ['cancelled', 'cancelled', 'cancelled'],
      );
      assert.deepEqual(
        [...recorder.statuses.values()].map((s) => s.at(-1)),
        ['cancelled', 'cancelled', 'cancelled'],
      );
      // The engine tears the RUN steps down: poll with a deadline for the processes to be gone.
      await waitFor('the RUN processes to end', () => processesWith(`sleep\0${seconds}`).length === 0, 2000);
      await waitFor('BuildKit executor containers to be removed', () => buildkitContainers(env.GC_TEST_ENGINE1_ROOT).length === 0, 2000);
      const left = (await docker.listContainers({ all: true })).filter((c) => !containersBefore.has(c.Id));
      assert.deepEqual(left, []);
    } finally {
      stop();
      ctx.dispose();
    }
  });
});
