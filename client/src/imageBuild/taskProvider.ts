/**
 * Tasks of type `green-cloud` (tasks.json: dockerfile, context, platforms, image, version, push):
 * detected per Dockerfile in the workspace, run in a pseudoterminal that streams the same
 * `[linux/arm64]` log as the command and ends with exit code 0 (all built, and pushed with
 * `"push": true`), 1 (a platform failed or was cancelled, or the push failed) or 2 (bad task
 * definition, unreachable engine).
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { clearBuildFailures, markBuildFailures } from './diagnostics';
import { buildSucceededOnEveryPlatform, userAskedToBuild } from './events';
import { BuildMemory } from './memory';
import { defaultImageFor, taskBuild, taskLabel, type GreenCloudTaskDefinition } from './request';
import { runBuildSession, type BuildLog } from './session';
import { pushAfterBuild } from './taskPush';
import { currentConfig } from '../workspace/settings';
import { DOCKERFILE_GLOB } from '../workspace/dockerfiles';

export const TASK_TYPE = 'green-cloud';

export class BuildTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly state: vscode.Memento,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const memory = new BuildMemory(this.state);
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, DOCKERFILE_GLOB), '**/node_modules/**', 20);
      for (const file of files) {
        const definition: GreenCloudTaskDefinition = {
          type: TASK_TYPE,
          dockerfile: relative(folder.uri.fsPath, file.fsPath),
          image: memory.image(file.fsPath) ?? defaultImageFor(file.fsPath),
          version: memory.version(file.fsPath) ?? 'latest',
        };
        tasks.push(this.task(definition, folder));
      }
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    if (task.definition.type !== TASK_TYPE) return undefined;
    return this.task(task.definition as GreenCloudTaskDefinition, task.scope);
  }

  private task(definition: GreenCloudTaskDefinition, scope: vscode.Task['scope']): vscode.Task {
    const folder = typeof scope === 'object' ? scope : vscode.workspace.workspaceFolders?.[0];
    const label = taskLabel(folder?.uri.fsPath ?? '', definition.dockerfile ?? 'Dockerfile');
    const execution = new vscode.CustomExecution((resolved) => Promise.resolve(new BuildPseudoterminal(resolved, folder, this.output)));
    const task = new vscode.Task(definition, folder ?? vscode.TaskScope.Workspace, label, 'Green Cloud', execution, []);
    task.group = vscode.TaskGroup.Build;
    task.detail = `Build ${definition.image ?? '?'}:${definition.version ?? '?'} for each target platform`;
    return task;
  }
}

const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

class BuildPseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly abort = new AbortController();

  constructor(
    private readonly definition: vscode.TaskDefinition,
    private readonly folder: vscode.WorkspaceFolder | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  open(): void {
    void this.run().then((code) => this.closeEmitter.fire(code));
  }

  close(): void {
    this.abort.abort();
  }

  handleInput(data: string): void {
    if (data === '\x03' && !this.abort.signal.aborted) {
      this.line('^C — cancelling every build…', YELLOW);
      this.abort.abort();
    }
  }

  private async run(): Promise<number> {
    const log: BuildLog = { info: (l) => this.line(l), warn: (l) => this.line(l, YELLOW), error: (l) => this.line(l, RED) };
    try {
      if (!this.folder) throw new Error('A green-cloud task needs a workspace folder: open the folder that holds the Dockerfile.');
      const config = currentConfig(this.folder.uri);
      const build = taskBuild(
        this.definition,
        this.folder.uri.fsPath,
        { platforms: config.platforms, tagTemplate: config.tagTemplate },
        readText,
      );
      userAskedToBuild();
      const dockerfile = vscode.Uri.file(resolve(build.request.contextDir, build.request.dockerfile));
      clearBuildFailures(dockerfile);
      const text = readText(dockerfile.fsPath) ?? '';
      const outcome = await runBuildSession(build.request, {
        plan: config.engines,
        parallel: config.parallel,
        signal: this.abort.signal,
        log,
      });
      markBuildFailures(dockerfile, text, outcome.results);
      if (!outcome.error && outcome.summary?.ok) await buildSucceededOnEveryPlatform();
      this.output.info(
        `Task '${taskLabel(this.folder.uri.fsPath, resolve(build.request.contextDir, build.request.dockerfile))}': ${outcome.error ?? outcome.summary?.headline ?? 'done'}`,
      );
      if (outcome.error) return 2;
      if (!outcome.summary?.ok) return 1;
      if (build.push && !(await pushAfterBuild(outcome, log, { signal: this.abort.signal, insecureHosts: config.insecureRegistryHosts })))
        return 1;
      return 0;
    } catch (error) {
      log.error(error instanceof Error ? error.message : String(error));
      return 2;
    }
  }

  private line(text: string, color?: string): void {
    const body = text.replace(/\r?\n/g, '\r\n');
    this.writeEmitter.fire(color ? `${color}${body}${RESET}\r\n` : `${body}\r\n`);
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
