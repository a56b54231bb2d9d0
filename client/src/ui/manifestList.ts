/**
 * The editor side of manifest lists: ask for the target and the sources (prefilled from the
 * last build's image, version, platforms and tag template), push or inspect with a cancellable
 * progress notification, and report the digest. Messages from the core carry no secrets.
 */
import * as vscode from 'vscode';
import { phraseError } from '../phrasing';
import { renderTag } from '../../../core/src/imageBuild/plan';
import { parseImageReference } from '../../../core/src/imageRef';
import {
  formatInspect,
  formatPushed,
  inspectManifest,
  parseSourceArgument,
  publishBuild,
  pushManifestList,
  type InspectResult,
  type ManifestListResult,
  type ManifestSource,
} from '../../../core/src/registry';
import type { SessionOutcome } from '../imageBuild/session';
import type { Config } from '../config';
import { BuildMemory } from '../imageBuild/memory';

const LAST_TARGET = 'greenCloud.manifest.target';
const LAST_INSPECT = 'greenCloud.manifest.inspect';

function referenceError(text: string, needTag: boolean): string | undefined {
  try {
    const ref = parseImageReference(text);
    if (needTag && (!ref.tag || ref.digest)) return 'Give a tag, e.g. 127.0.0.1:5000/team/web:1.2';
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Target and sources: from the arguments, else asked (prefilled from the last build of the active Dockerfile). */
export async function askListInputs(
  state: vscode.Memento,
  config: Config,
  dockerfile: string | undefined,
  args: { target?: unknown; sources?: unknown },
): Promise<{ target: string; sources: ManifestSource[] } | undefined> {
  const memory = new BuildMemory(state);
  const image = dockerfile ? memory.image(dockerfile) : undefined;
  const version = dockerfile ? memory.version(dockerfile) : undefined;
  const fromBuild =
    image && version ? (memory.platforms() ?? config.platforms).map((p) => renderTag(config.tagTemplate, image, p, version)) : [];
  const target =
    typeof args.target === 'string'
      ? args.target
      : await vscode.window.showInputBox({
          title: 'Green Cloud: Push Manifest List (1/2)',
          prompt: 'The list to push (IMAGE:VERSION)',
          value: state.get<string>(LAST_TARGET) ?? (image && version ? `${image}:${version}` : ''),
          validateInput: (t) => referenceError(t.trim(), true),
        });
  if (!target) return undefined;
  const sourceText = Array.isArray(args.sources)
    ? args.sources.join(' ')
    : await vscode.window.showInputBox({
        title: 'Green Cloud: Push Manifest List (2/2)',
        prompt: 'Per-platform images, separated by spaces (IMAGE[,platform=os/arch[/variant]][,annotation.KEY=VALUE])',
        value: fromBuild.join(' '),
        validateInput: (t) =>
          t.trim() === ''
            ? 'Name at least one image.'
            : t
                .trim()
                .split(/\s+/)
                .map((s) => referenceError(s.split(',')[0], false))
                .find(Boolean),
      });
  if (!sourceText) return undefined;
  await state.update(LAST_TARGET, target.trim());
  return { target: target.trim(), sources: sourceText.trim().split(/\s+/).map(parseSourceArgument) };
}

function withCancellableProgress<T>(
  title: string,
  output: vscode.LogOutputChannel,
  work: (signal: AbortSignal, step: (line: string) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      try {
        return await work(abort.signal, (line) => {
          output.info(line);
          progress.report({ message: line });
        });
      } finally {
        cancel.dispose();
      }
    },
  );
}

function showPushed(output: vscode.LogOutputChannel, result: ManifestListResult): void {
  for (const line of formatPushed(result).trimEnd().split('\n')) output.info(line);
  void vscode.window
    .showInformationMessage(
      `Green Cloud: pushed ${result.reference.split('@')[0]} (${result.entries.length} platforms), digest ${result.digest}`,
      'Copy Digest',
      'Show Log',
    )
    .then((choice) => {
      if (choice === 'Copy Digest') void vscode.env.clipboard.writeText(result.digest);
      else if (choice === 'Show Log') output.show(true);
    });
}

export function showFailure(output: vscode.LogOutputChannel, what: string, error: unknown): void {
  const message = phraseError(error);
  output.error(`${what}: ${message}`);
  void vscode.window.showErrorMessage(`Green Cloud: ${message}`, 'Show Log').then((c) => c && output.show(true));
}

export async function pushListWithProgress(
  output: vscode.LogOutputChannel,
  config: Config,
  inputs: { target: string; sources: ManifestSource[] },
): Promise<ManifestListResult | undefined> {
  try {
    const result = await withCancellableProgress(`Green Cloud: pushing ${inputs.target}`, output, (signal, onStep) =>
      pushManifestList({ target: inputs.target, sources: inputs.sources }, { insecureHosts: config.insecureRegistryHosts, signal, onStep }),
    );
    showPushed(output, result);
    return result;
  } catch (error) {
    showFailure(output, `Pushing ${inputs.target}`, error);
    return undefined;
  }
}

/** After a successful build: push the per-arch images, then the list IMAGE:VERSION. */
export async function publishWithProgress(
  output: vscode.LogOutputChannel,
  config: Config,
  outcome: SessionOutcome,
): Promise<ManifestListResult | undefined> {
  const request = outcome.plan?.request;
  if (!request || outcome.error || !outcome.summary?.ok) return undefined;
  const target = `${request.image}:${request.version}`;
  try {
    const published = await withCancellableProgress(`Green Cloud: pushing ${target}`, output, (signal, onStep) =>
      publishBuild(
        outcome.results,
        target,
        {
          onStatus: (image, status, detail) => onStep(`${image}: ${status}${detail && status !== 'failed' ? ` ${detail}` : ''}`),
          onLog: (image, line) => output.info(`[push ${image}] ${line}`),
        },
        { signal, list: { insecureHosts: config.insecureRegistryHosts, onStep } },
      ),
    );
    const failed = published.pushes.filter((p) => p.status !== 'pushed');
    if (!published.list)
      throw new Error(`${failed.map((f) => f.error ?? `${f.image}: ${f.status}`).join(' ')} The list ${target} was not written.`);
    showPushed(output, published.list);
    return published.list;
  } catch (error) {
    showFailure(output, `Pushing ${target}`, error);
    return undefined;
  }
}

/** Asks for a reference (or takes the argument), reads it and opens a readable view. */
export async function inspectWithProgress(
  state: vscode.Memento,
  output: vscode.LogOutputChannel,
  config: Config,
  arg: unknown,
): Promise<InspectResult | undefined> {
  const reference =
    typeof arg === 'string'
      ? arg
      : await vscode.window.showInputBox({
          title: 'Green Cloud: Inspect Manifest List',
          prompt: 'Image or list (IMAGE:TAG or IMAGE@sha256:…)',
          value: state.get<string>(LAST_INSPECT) ?? state.get<string>(LAST_TARGET) ?? '',
          validateInput: (t) => referenceError(t.trim(), false),
        });
  if (!reference) return undefined;
  await state.update(LAST_INSPECT, reference.trim());
  try {
    const result = await withCancellableProgress(`Green Cloud: reading ${reference}`, output, (signal) =>
      inspectManifest(reference.trim(), { insecureHosts: config.insecureRegistryHosts, signal }),
    );
    const document = await vscode.workspace.openTextDocument({ content: formatInspect(result), language: 'plaintext' });
    await vscode.window.showTextDocument(document, { preview: true });
    return result;
  } catch (error) {
    showFailure(output, `Inspecting ${reference}`, error);
    return undefined;
  }
}
