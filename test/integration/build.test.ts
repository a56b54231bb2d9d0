/**
 * The build features in a real VS Code: commands, the "Build for …" CodeLens, the green-cloud
 * task provider, an unreachable engine, and real builds of three platforms on a real dockerd
 * with QEMU (scripts/env/docker.sh; this suite registers itself as one of its users and stops
 * it when done — with CI=true a failure to start it fails the test). Nothing is mocked; every
 * wait is a condition with a deadline.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { connectEngine } from '../../core/src/docker';
import type { GreenCloudApi } from '../../client/src/api';
import type { SessionOutcome } from '../../client/src/imageBuild/session';
import type { PlatformReadiness } from '../../client/src/imageBuild/format';
import { waitFor } from '../support/waitFor';

const EXTENSION_ID = 'green-cloud.green-cloud';
const BUILD = 'greenCloud.buildAllPlatforms';

function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the runner must open a copy of examples/ as the workspace folder');
  return f;
}

function extensionRoot(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this extension host`);
  return extension.extensionPath;
}

/** The API the extension's activate returned. */
function greenCloudApi(): GreenCloudApi {
  const extension = vscode.extensions.getExtension<GreenCloudApi>(EXTENSION_ID);
  assert.ok(extension?.isActive, `${EXTENSION_ID} is not active`);
  return extension.exports;
}

async function writeFile(relative: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(folder().uri, relative);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  await vscode.workspace.openTextDocument(uri); // the API command needs a text model
  const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return all.filter((l) => l.command?.command === BUILD);
}

async function activate(): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder().uri, 'pinned-base', 'Dockerfile'));
  await vscode.window.showTextDocument(doc);
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  await waitFor('the extension to activate', () => extension.isActive);
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr.slice(-2000)}`)) : resolve(stdout),
    );
  });
}

/** The docker test environment's ENV FILE as a map (see scripts/env/docker.sh). */
function readEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** The text of the "Green Cloud.log" (the LogOutputChannel's file) that contains `marker`, from this code-server run. */
function outputLogWith(marker: string): string | undefined {
  const base = process.env.GC_VSCODE_ENV_DIR ?? join(extensionRoot(), '.vscode-test');
  let found: string | undefined;
  const walk = (dir: string, depth: number): void => {
    if (found !== undefined || depth > 7 || !existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), depth + 1);
      else if (e.name === 'Green Cloud.log' && dir.endsWith(EXTENSION_ID)) {
        const text = readFileSync(join(dir, e.name), 'utf8');
        if (text.includes(marker)) found = text;
      }
    }
  };
  walk(base, 0);
  return found;
}

/** Green Cloud's own diagnostics of the build (not the language server's GCnnn ones). */
function buildDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'green-cloud' && d.code === undefined && /^fails on /.test(d.message));
}

describe('Green Cloud builds in a real VS Code', () => {
  before(activate);

  it('registers the build and emulation commands', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of [BUILD, 'greenCloud.setUpEmulation', 'greenCloud.showEmulationStatus'])
      assert.ok(registered.has(id), `${id} is not registered`);
  });

  it('shows "Build for …" above the first FROM, from the settings or the file\'s # platforms= directive', async () => {
    const plain = vscode.Uri.joinPath(folder().uri, 'go-cross-compile', 'Dockerfile');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(plain));
    const fromLine = text.split('\n').findIndex((l) => /^\s*FROM\b/i.test(l));
    const [lens] = await waitFor('the Build CodeLens on go-cross-compile', async () => (await lenses(plain)).length > 0 && lenses(plain));
    assert.equal(lens.command?.title, 'Build for linux/amd64, linux/arm64, linux/arm/v7');
    assert.equal(lens.range.start.line, fromLine);
    assert.equal((lens.command?.arguments?.[0] as vscode.Uri).toString(), plain.toString());

    const directive = await writeFile(
      'lens-directive/Dockerfile',
      '# syntax=docker/dockerfile:1\n# platforms=linux/arm64, armhf\n\nFROM alpine:3.20\nRUN true\nFROM scratch\n',
    );
    const [own] = await waitFor(
      'the Build CodeLens on a file with # platforms=',
      async () => (await lenses(directive)).length > 0 && lenses(directive),
    );
    assert.equal(own.command?.title, 'Build for linux/arm64, linux/arm/v7');
    assert.equal(own.range.start.line, 3);
    assert.deepEqual(own.command?.arguments?.[1], { platforms: ['linux/arm64', 'linux/arm/v7'] });
  });

  it('follows greenCloud.platforms in the CodeLens title', async () => {
    const plain = vscode.Uri.joinPath(folder().uri, 'go-cross-compile', 'Dockerfile');
    const config = vscode.workspace.getConfiguration('greenCloud', plain);
    try {
      await config.update('platforms', ['linux/arm64', 'riscv64'], vscode.ConfigurationTarget.Workspace);
      await waitFor(
        'the CodeLens to follow the setting',
        async () => (await lenses(plain))[0]?.command?.title === 'Build for linux/arm64, linux/riscv64',
      );
    } finally {
      await config.update('platforms', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(
      'the default title again',
      async () => (await lenses(plain))[0]?.command?.title === 'Build for linux/amd64, linux/arm64, linux/arm/v7',
    );
  });

  it('provides a green-cloud task per Dockerfile', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'green-cloud' });
    const pinned = tasks.find((t) => t.definition.dockerfile === join('pinned-base', 'Dockerfile'));
    assert.ok(pinned, `no task for pinned-base/Dockerfile among: ${tasks.map((t) => t.name).join(', ')}`);
    assert.equal(pinned.source, 'Green Cloud');
    assert.equal(pinned.name, 'build pinned-base/Dockerfile');
    assert.equal(typeof pinned.definition.image, 'string');
    assert.equal(typeof pinned.definition.version, 'string');
    assert.ok(pinned.execution instanceof vscode.CustomExecution, 'the task does not run in a pseudoterminal');
  });

  it('names the address and the next step when the engine cannot be reached', async () => {
    const config = vscode.workspace.getConfiguration('greenCloud');
    const dockerfile = await writeFile('unreachable/Dockerfile', 'FROM scratch\nCOPY Dockerfile /\n');
    try {
      await config.update('docker.host', 'unix:///nonexistent/green-cloud-test.sock', vscode.ConfigurationTarget.Global);
      const outcome = await vscode.commands.executeCommand<SessionOutcome>(BUILD, dockerfile, {
        platforms: ['linux/amd64'],
        image: 'gc-it/unreachable',
        version: '1',
      });
      assert.ok(outcome, 'the command returned nothing');
      assert.equal(outcome.results.length, 0);
      assert.match(
        outcome.error ?? '',
        /Cannot reach Docker at unix:\/\/\/nonexistent\/green-cloud-test\.sock \(ENOENT: no such socket\)\. .*greenCloud\.docker\.host/,
      );
      const readiness = await vscode.commands.executeCommand<PlatformReadiness[]>('greenCloud.showEmulationStatus');
      assert.ok(
        readiness.length === 3 && readiness.every((r) => /Cannot reach Docker at unix:\/\/\/nonexistent/.test(r.engineError ?? '')),
        JSON.stringify(readiness),
      );
    } finally {
      await config.update('docker.host', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('checks the engine before asking anything, and names the setting to fix', async function () {
    this.timeout(60_000);
    const config = vscode.workspace.getConfiguration('greenCloud');
    // No preset: were a picker opened first, the command would wait for an answer and the race below would time out.
    const dockerfile = await writeFile('engine-first/Dockerfile', 'FROM scratch\nCOPY Dockerfile /\n');
    try {
      await config.update('docker.host', 'unix:///nonexistent/green-cloud-first.sock', vscode.ConfigurationTarget.Global);
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        Promise.resolve(vscode.commands.executeCommand<SessionOutcome>(BUILD, dockerfile)),
        new Promise<'asked'>((resolve) => (timer = setTimeout(() => resolve('asked'), 30_000))),
      ]).finally(() => clearTimeout(timer));
      if (outcome === 'asked') {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        assert.fail('the build asked a question before telling that the engine is down');
      }
      assert.ok(outcome, 'the command returned nothing');
      assert.equal(outcome.results.length, 0);
      assert.equal(outcome.setting, 'greenCloud.docker.host');
      assert.match(
        outcome.error ?? '',
        /^Cannot reach Docker at unix:\/\/\/nonexistent\/green-cloud-first\.sock \(ENOENT: no such socket\)\. .* Needed for linux\/amd64, linux\/arm64, linux\/arm\/v7\.$/,
      );
      assert.equal(outcome.error?.split('Cannot reach Docker').length, 2, `one engine, said once: ${outcome.error}`);
    } finally {
      await config.update('docker.host', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  describe('on a real Docker engine with QEMU', function () {
    this.timeout(20 * 60_000);
    const script = () => join(extensionRoot(), 'scripts', 'env', 'docker.sh');
    let env: Record<string, string> = {};
    let started = false;

    before(async () => {
      // Register as a user of the shared test environment (reference-counted; starts it if needed).
      try {
        await run('bash', [script(), 'start']);
        started = true;
      } catch (error) {
        throw new Error(
          `The Docker test environment could not be started (${error instanceof Error ? error.message : String(error)}). ` +
            (process.env.CI === 'true'
              ? 'CI=true: a missing component fails the run.'
              : 'Run scripts/env/docker.sh start as root to see why.'),
        );
      }
      const file = join(extensionRoot(), '.test-env', 'docker', 'env');
      assert.ok(existsSync(file), `${file} is missing after docker.sh start`);
      env = readEnvFile(file);
      assert.ok(env.DOCKER_HOST && env.GC_TEST_BASE, `DOCKER_HOST or GC_TEST_BASE missing in ${file}`);
      await vscode.workspace.getConfiguration('greenCloud').update('docker.host', env.DOCKER_HOST, vscode.ConfigurationTarget.Global);
    });

    after(async () => {
      await vscode.workspace.getConfiguration('greenCloud').update('docker.host', undefined, vscode.ConfigurationTarget.Global);
      if (started) await run('bash', [script(), 'stop']);
    });

    it('shows the emulation status of each target platform', async () => {
      const readiness = await vscode.commands.executeCommand<PlatformReadiness[]>('greenCloud.showEmulationStatus');
      assert.deepEqual(
        readiness.map((r) => [r.engine, r.engineError, r.report?.status]),
        [
          [env.DOCKER_HOST, undefined, 'native'],
          [env.DOCKER_HOST, undefined, 'emulated'],
          [env.DOCKER_HOST, undefined, 'emulated'],
        ],
      );
    });

    it('sets up nothing (and asks nothing) when every target platform already runs', async () => {
      const outcomes = await vscode.commands.executeCommand<unknown[]>('greenCloud.setUpEmulation');
      assert.deepEqual(outcomes, []);
    });

    it('builds linux/amd64, linux/arm64 and linux/arm/v7 images that really are of their platforms', async () => {
      const dockerfile = await writeFile(
        'three-platforms/Dockerfile',
        `FROM ${env.GC_TEST_BASE}\nARG TARGETARCH\nRUN echo "$TARGETARCH $(uname -m)" > /arch.txt\nCMD ["cat", "/arch.txt"]\n`,
      );
      const version = `it${Date.now()}`;
      const outcome = await vscode.commands.executeCommand<SessionOutcome>(BUILD, dockerfile, {
        platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
        image: 'gc-it/web',
        version,
      });
      assert.ok(outcome && !outcome.error, `the build did not start: ${outcome?.error}`);
      const docker = connectEngine(env.DOCKER_HOST);
      try {
        assert.deepEqual(
          outcome.results.map((r) => [r.tag, r.status, r.error]),
          [
            [`gc-it/web:amd64-${version}`, 'succeeded', undefined],
            [`gc-it/web:arm64-${version}`, 'succeeded', undefined],
            [`gc-it/web:armv7-${version}`, 'succeeded', undefined],
          ],
        );
        assert.equal(outcome.summary?.ok, true);
        const expected: Record<string, [string, string | undefined]> = {
          amd64: ['amd64', undefined],
          arm64: ['arm64', undefined],
          armv7: ['arm', 'v7'],
        };
        for (const [suffix, [architecture, variant]] of Object.entries(expected)) {
          const info = (await docker.getImage(`gc-it/web:${suffix}-${version}`).inspect()) as { Architecture: string; Variant?: string };
          assert.equal(info.Architecture, architecture, suffix);
          if (variant) assert.equal(info.Variant, variant, suffix);
        }
      } finally {
        for (const r of outcome.results)
          await docker
            .getImage(r.tag)
            .remove({ force: true })
            .catch(() => undefined);
      }
    });

    it('reports a platform whose RUN fails by name, with its log tail, and builds the others', async () => {
      const stamp = Date.now();
      const dockerfile = await writeFile(
        'one-fails/Dockerfile',
        `FROM ${env.GC_TEST_BASE}\nRUN echo ${stamp} && test "$(uname -m)" != armv7l || { echo "no armv7 support here" >&2; exit 3; }\n`,
      );
      const outcome = await vscode.commands.executeCommand<SessionOutcome>(BUILD, dockerfile, {
        platforms: ['linux/amd64', 'linux/arm/v7'],
        image: 'gc-it/fails',
        version: `f${stamp}`,
      });
      try {
        assert.ok(outcome && !outcome.error, `the build did not start: ${outcome?.error}`);
        assert.deepEqual(
          outcome.results.map((r) => [r.tag, r.status]),
          [
            [`gc-it/fails:amd64-f${stamp}`, 'succeeded'],
            [`gc-it/fails:armv7-f${stamp}`, 'failed'],
          ],
        );
        const failed = outcome.results[1];
        assert.match(failed.error ?? '', /linux\/arm\/v7/);
        assert.ok(
          failed.logTail.some((l) => l.includes('no armv7 support here')),
          `log tail: ${failed.logTail.join(' | ')}`,
        );
        assert.equal(outcome.summary?.ok, false);
        assert.match(outcome.summary?.headline ?? '', /^Built 1\/2 platforms in .* \(1 failed\)\.$/);
      } finally {
        for (const r of outcome?.results ?? [])
          await connectEngine(env.DOCKER_HOST)
            .getImage(r.tag)
            .remove({ force: true })
            .catch(() => undefined);
      }
    });

    it('names the failing step in the summary, marks its RUN line until the next build, and logs the error once', async () => {
      const stamp = Date.now();
      const failing = `FROM ${env.GC_TEST_BASE}\nARG TARGETARCH\nRUN echo ok-${stamp}\nRUN echo ${stamp} && \\\n    test "$(uname -m)" != armv7l || { echo "no armv7 support here" >&2; exit 3; }\n`;
      const dockerfile = await writeFile('marks-failure/Dockerfile', failing);
      const preset = { platforms: ['linux/amd64', 'linux/arm/v7'], image: 'gc-it/marks', version: `m${stamp}` };
      const tags: string[] = [];
      try {
        const outcome = await vscode.commands.executeCommand<SessionOutcome>(BUILD, dockerfile, preset);
        assert.ok(outcome && !outcome.error, `the build did not start: ${outcome?.error}`);
        tags.push(...outcome.results.map((r) => r.tag));
        assert.deepEqual(
          outcome.results.map((r) => r.status),
          ['succeeded', 'failed'],
        );
        // The toast's text: the reason, not just "✗ linux/arm/v7 5.4 s", with the step's last output line.
        assert.match(
          outcome.summary?.notification ?? '',
          new RegExp(`✗ linux/arm/v7: RUN echo ${stamp} && test .* failed \\(exit code 3\\): "no armv7 support here"`),
        );
        assert.equal(outcome.results[1].failure?.exitCode, 3);
        const marks = await waitFor(
          'the diagnostic on the failing RUN',
          () => buildDiagnostics(dockerfile).length > 0 && buildDiagnostics(dockerfile),
        );
        assert.deepEqual(
          marks.map((d) => [d.range.start.line, d.message, d.severity]),
          [[3, 'fails on linux/arm/v7: exit code 3 — no armv7 support here', vscode.DiagnosticSeverity.Error]],
        );
        // Opening and editing the file elsewhere does not remove it: only the next build does.
        const doc = await vscode.workspace.openTextDocument(dockerfile);
        await vscode.window.showTextDocument(doc);
        assert.equal(buildDiagnostics(dockerfile).length, 1);
        // The log: the engine's "executor failed running …" once, as an error; the reason on the failed line.
        const log = await waitFor('the output log of this build', () => outputLogWith(`m${stamp}`));
        const lines = log
          .split('\n')
          .filter((l) => l.includes(`echo ${stamp}`) || l.includes(`m${stamp}`) || /executor failed running/.test(l));
        const executor = lines.filter((l) => l.includes('executor failed running') && l.includes(String(stamp)));
        assert.equal(executor.length, 1, `"executor failed running" ${executor.length} times:\n${executor.join('\n')}`);
        assert.match(executor[0], /\[error\] \[linux\/arm\/v7\] #\d+ ERROR: executor failed running/);
        assert.match(log, new RegExp(`\\[error\\] \\[linux/arm/v7\\] failed: RUN echo ${stamp} && test .* failed \\(exit code 3\\)`));

        // The next build of that Dockerfile (now fixed) clears the mark.
        await writeFile('marks-failure/Dockerfile', `FROM ${env.GC_TEST_BASE}\nRUN echo fixed-${stamp}\n`);
        const again = await vscode.commands.executeCommand<SessionOutcome>(BUILD, dockerfile, preset);
        tags.push(...(again?.results ?? []).map((r) => r.tag));
        assert.equal(again?.summary?.ok, true, again?.error ?? again?.summary?.headline);
        await waitFor('the failure mark to go', () => buildDiagnostics(dockerfile).length === 0);
      } finally {
        for (const tag of tags)
          await connectEngine(env.DOCKER_HOST)
            .getImage(tag)
            .remove({ force: true })
            .catch(() => undefined);
      }
    });

    it('asks for platforms, image and version with the last answers filled in', async () => {
      const dockerfile = await writeFile('pickers/Dockerfile', `# platforms=linux/amd64\nFROM ${env.GC_TEST_BASE}\nRUN true\n`);
      const version = `p${Date.now()}`;
      /**
       * Runs the command on `target` and presses Enter once in each question it shows (accepting
       * the pre-filled answer), when the extension says that question is on screen; returns the
       * outcome and the questions asked, in order.
       */
      const runAccepting = async (target: vscode.Uri, preset?: object): Promise<{ outcome: SessionOutcome; asked: string[] }> => {
        const asked: string[] = [];
        const listener = greenCloudApi().onDidAskQuestion((kind) => {
          asked.push(kind);
          void vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        });
        try {
          const outcome = await vscode.commands.executeCommand<SessionOutcome>(BUILD, target, preset);
          return { outcome, asked };
        } finally {
          listener.dispose();
        }
      };
      const tags: string[] = [];
      try {
        // The platform picker opens with the file's # platforms= ticked; image and version are given.
        const { outcome: first, asked: firstAsked } = await runAccepting(dockerfile, { image: 'gc-it/pick', version });
        assert.deepEqual(firstAsked, ['platforms'], 'image and version were given');
        assert.ok(first && !first.error, `first build: ${first?.error}`);
        tags.push(...first.results.map((r) => r.tag));
        assert.deepEqual(tags, [`gc-it/pick:amd64-${version}`]);
        // Nothing given: every answer comes from the pickers, pre-filled from the last run.
        const { outcome: second, asked: secondAsked } = await runAccepting(dockerfile);
        assert.deepEqual(secondAsked, ['platforms', 'image', 'version']);
        assert.ok(second && !second.error, `second build: ${second?.error}`);
        assert.deepEqual(
          second.results.map((r) => [r.tag, r.status]),
          [[`gc-it/pick:amd64-${version}`, 'succeeded']],
        );
        // A second Dockerfile starts from its own folder's name, never the first one's image.
        const other = await writeFile(
          `pickers-other-${process.pid}/Dockerfile`,
          `# platforms=linux/amd64\nFROM ${env.GC_TEST_BASE}\nRUN true\n`,
        );
        const { outcome: thirdOutcome, asked: thirdAsked } = await runAccepting(other);
        assert.deepEqual(thirdAsked, ['platforms', 'image', 'version']);
        assert.ok(thirdOutcome && !thirdOutcome.error, `third build: ${thirdOutcome?.error}`);
        tags.push(...thirdOutcome.results.map((r) => r.tag));
        assert.deepEqual(
          thirdOutcome.results.map((r) => r.tag),
          [`pickers-other-${process.pid}:amd64-latest`],
        );
      } finally {
        for (const tag of tags)
          await connectEngine(env.DOCKER_HOST)
            .getImage(tag)
            .remove({ force: true })
            .catch(() => undefined);
      }
    });

    it('builds a platform mapped in greenCloud.builders on that engine', async () => {
      assert.ok(env.GC_TEST_DOCKER_HOST_2, 'GC_TEST_DOCKER_HOST_2 missing in the env file');
      const dockerfile = await writeFile('two-engines/Dockerfile', `FROM ${env.GC_TEST_BASE}\nRUN uname -m > /m.txt\n`);
      const config = vscode.workspace.getConfiguration('greenCloud');
      const version = `b${Date.now()}`;
      const engine1 = connectEngine(env.DOCKER_HOST);
      const engine2 = connectEngine(env.GC_TEST_DOCKER_HOST_2);
      const exists = (docker: typeof engine1, tag: string) =>
        docker
          .getImage(tag)
          .inspect()
          .then(
            () => true,
            () => false,
          );
      try {
        await config.update('builders', { 'linux/arm64': env.GC_TEST_DOCKER_HOST_2 }, vscode.ConfigurationTarget.Global);
        const outcome = await vscode.commands.executeCommand<SessionOutcome>(BUILD, dockerfile, {
          platforms: ['linux/amd64', 'linux/arm64'],
          image: 'gc-it/two',
          version,
        });
        assert.ok(outcome && !outcome.error, `the build did not start: ${outcome?.error}`);
        assert.deepEqual(
          outcome.results.map((r) => [r.tag, r.status, r.engine.host]),
          [
            [`gc-it/two:amd64-${version}`, 'succeeded', env.DOCKER_HOST],
            [`gc-it/two:arm64-${version}`, 'succeeded', env.GC_TEST_DOCKER_HOST_2],
          ],
        );
        assert.equal(await exists(engine2, `gc-it/two:arm64-${version}`), true, 'arm64 image not on engine 2');
        assert.equal(await exists(engine1, `gc-it/two:arm64-${version}`), false, 'arm64 image built on engine 1');
        assert.equal(await exists(engine1, `gc-it/two:amd64-${version}`), true, 'amd64 image not on engine 1');
      } finally {
        await config.update('builders', undefined, vscode.ConfigurationTarget.Global);
        await engine1
          .getImage(`gc-it/two:amd64-${version}`)
          .remove({ force: true })
          .catch(() => undefined);
        await engine2
          .getImage(`gc-it/two:arm64-${version}`)
          .remove({ force: true })
          .catch(() => undefined);
      }
    });

    it('stops the build when its task is terminated', async () => {
      // A RUN that would take minutes under QEMU; its emulated process is visible in /proc.
      const seconds = 600 + (Date.now() % 300);
      await writeFile('cancel-build/Dockerfile', `FROM ${env.GC_TEST_BASE}\nRUN sleep ${seconds}\n`);
      await writeFile(
        '.vscode/tasks.json',
        JSON.stringify({
          version: '2.0.0',
          tasks: [
            {
              label: 'gc-it cancel',
              type: 'green-cloud',
              dockerfile: 'cancel-build/Dockerfile',
              platforms: ['linux/arm64'],
              image: 'gc-it/cancel',
              version: `c${seconds}`,
            },
          ],
        }),
      );
      const sleeping = () =>
        readdirSync('/proc').some((pid) => {
          if (!/^[0-9]+$/.test(pid)) return false;
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(String(seconds));
          } catch {
            return false;
          }
        });
      try {
        const task = await waitFor("the task 'gc-it cancel'", async () =>
          (await vscode.tasks.fetchTasks({ type: 'green-cloud' })).find((t) => t.name === 'gc-it cancel'),
        );
        let ended = false;
        const sub = vscode.tasks.onDidEndTask((e) => {
          if (e.execution.task.name === 'gc-it cancel') ended = true;
        });
        try {
          const execution = await vscode.tasks.executeTask(task);
          await waitFor(`the emulated 'sleep ${seconds}' of the build to run`, sleeping, 5 * 60_000);
          execution.terminate();
          await waitFor('the task to end after terminate', () => ended, 30_000);
          await waitFor(`the build's 'sleep ${seconds}' to be gone`, () => !sleeping(), 30_000);
        } finally {
          sub.dispose();
        }
        assert.equal(
          await connectEngine(env.DOCKER_HOST)
            .getImage(`gc-it/cancel:arm64-c${seconds}`)
            .inspect()
            .then(
              () => true,
              () => false,
            ),
          false,
          'a cancelled build left an image',
        );
      } finally {
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder().uri, '.vscode', 'tasks.json'));
      }
    });

    it('runs green-cloud tasks from tasks.json in a pseudoterminal (build, build and push) and ends with their exit codes', async () => {
      await writeFile('task-build/Dockerfile', `FROM ${env.GC_TEST_BASE}\nRUN uname -m > /m.txt\n`);
      const stamp = Date.now();
      const common = { type: 'green-cloud', dockerfile: 'task-build/Dockerfile', platforms: ['linux/arm64'] };
      const definitions = {
        'gc-it build': { ...common, image: 'gc-it/task', version: `ok${stamp}` },
        'gc-it push': {
          ...common,
          platforms: ['linux/amd64', 'linux/arm64'],
          image: `${env.GC_TEST_REGISTRY}/gc-it/task`,
          version: `push${stamp}`,
          push: true,
        },
        'gc-it push refused': { ...common, image: '127.0.0.1:1/gc-it/task', version: `refused${stamp}`, push: true },
        'gc-it invalid': { ...common, image: 'Not Valid', version: `bad${stamp}` },
      };
      await writeFile(
        '.vscode/tasks.json',
        JSON.stringify({ version: '2.0.0', tasks: Object.entries(definitions).map(([label, d]) => ({ label, ...d })) }, null, 2),
      );
      const exitOf = async (label: string): Promise<number | undefined> => {
        const task = await waitFor(`the task '${label}' from tasks.json`, async () =>
          (await vscode.tasks.fetchTasks({ type: 'green-cloud' })).find((t) => t.name === label),
        );
        assert.ok(task.execution instanceof vscode.CustomExecution, `'${label}' was not resolved to a pseudoterminal task`);
        let seen: number | undefined | null = null;
        const sub = vscode.tasks.onDidEndTaskProcess((e) => {
          if (e.execution.task.name === label) seen = e.exitCode;
        });
        try {
          await vscode.tasks.executeTask(task);
          await waitFor(`the task '${label}' to end`, () => seen !== null, 10 * 60_000);
          return seen ?? undefined;
        } finally {
          sub.dispose();
        }
      };
      const tag = `gc-it/task:arm64-ok${stamp}`;
      const built = [
        tag,
        `${env.GC_TEST_REGISTRY}/gc-it/task:amd64-push${stamp}`,
        `${env.GC_TEST_REGISTRY}/gc-it/task:arm64-push${stamp}`,
        `127.0.0.1:1/gc-it/task:arm64-refused${stamp}`,
      ];
      try {
        assert.equal(await exitOf('gc-it build'), 0);
        const info = (await connectEngine(env.DOCKER_HOST).getImage(tag).inspect()) as { Architecture: string };
        assert.equal(info.Architecture, 'arm64');
        assert.equal(await exitOf('gc-it push'), 0);
        const response = await fetch(`http://${env.GC_TEST_REGISTRY}/v2/gc-it/task/manifests/push${stamp}`, {
          headers: { accept: 'application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json' },
        });
        assert.equal(response.status, 200, `the manifest list was not pushed: ${response.status}`);
        const list = (await response.json()) as { manifests: { platform: { os: string; architecture: string } }[] };
        assert.deepEqual(
          list.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`),
          ['linux/amd64', 'linux/arm64'],
        );
        assert.equal(await exitOf('gc-it push refused'), 1, 'a refused push must fail the task');
        assert.equal(await exitOf('gc-it invalid'), 2);
      } finally {
        for (const t of built)
          await connectEngine(env.DOCKER_HOST)
            .getImage(t)
            .remove({ force: true })
            .catch(() => undefined);
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder().uri, '.vscode', 'tasks.json'));
      }
    });
  });
});
