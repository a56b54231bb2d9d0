/**
 * `"push": true` in a green-cloud task: after every platform built and verified, push each
 * per-arch image from the engine that built it, then the manifest list IMAGE:VERSION (core
 * `publishBuild`, the same as "Build and Push All Platforms" and `green-cloud build --push`).
 * No `vscode` import: the lines go to the task's pseudoterminal.
 */
import { publishBuild } from '../../../core/src/registry/publish';
import { phraseError } from '../phrasing';
import { listPushed } from './listPushed';
import type { BuildLog, SessionOutcome } from './session';

export interface TaskPushOptions {
  readonly signal?: AbortSignal;
  /** `greenCloud.registry.insecureHosts`. */
  readonly insecureHosts: readonly string[];
}

/** Pushes after a successful build; true when the list was written. Never throws. */
export async function pushAfterBuild(outcome: SessionOutcome, log: BuildLog, options: TaskPushOptions): Promise<boolean> {
  const request = outcome.plan?.request;
  if (!request || outcome.error || !outcome.summary?.ok) {
    log.error('Not pushing: every platform must build and verify first (a manifest list must cover all of them).');
    return false;
  }
  const target = `${request.image}:${request.version}`;
  log.info(`Pushing ${outcome.results.map((r) => r.tag).join(', ')}, then the manifest list ${target}.`);
  try {
    const published = await publishBuild(
      outcome.results,
      target,
      {
        onStatus: (image, status, detail) => {
          const text = `[push ${image}] ${status}${detail ? ` ${detail}` : ''}`;
          if (status === 'failed') log.error(text);
          else log.info(text);
        },
        onLog: (image, line) => log.info(`[push ${image}] ${line}`),
      },
      { signal: options.signal, list: { insecureHosts: options.insecureHosts, onStep: (line) => log.info(line) } },
    );
    if (!published.list) {
      const failed = published.pushes.filter((p) => p.status !== 'pushed');
      log.error(`${failed.map((f) => f.error ?? `${f.image}: ${f.status}`).join(' ')} The list ${target} was not written.`);
      return false;
    }
    log.info(`Pushed ${published.list.reference} (${published.list.entries.length} platform(s)).`);
    listPushed(published.list.reference);
    return true;
  } catch (error) {
    log.error(`Pushing ${target} failed: ${phraseError(error)}`);
    return false;
  }
}
