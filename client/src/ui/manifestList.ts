/**
 * The editor side of manifest lists: ask for the target and the sources (prefilled from the
 * last build's image, version, platforms and tag template), push or inspect with a cancellable
 * progress notification, and report each outcome in one notification. Inspections open as
 * read-only virtual documents (`green-cloud-manifest:` URIs): no Untitled editor, no save prompt,
 * re-openable (re-read from the registry when the cached text is gone). Messages from the core
 * carry no secrets.
 */
import * as vscode from 'vscode';
import { phraseError } from '../phrasing';
import { renderTag } from '../../../core/src/imageBuild/plan';
import { parseImageReference } from '../../../core/src/imageRef';
import { formatPlatform } from '../../../core/src/platforms';
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
import { listPushed } from '../imageBuild/listPushed';
import type { SessionOutcome } from '../imageBuild/session';
import type { Config } from '../config';
import { BuildMemory } from '../imageBuild/memory';
import { activeScope } from '../workspace/activeScope';
import { listStepLine, PushProgress, shortName } from './pushProgress';
import { currentConfig } from '../workspace/settings';

const LAST_TARGET = 'greenCloud.manifest.target';
/** What Inspect Manifest List offers next: the list pushed last, or else the reference inspected last. */
const LAST_INSPECT = 'greenCloud.manifest.inspect';

export const MANIFEST_SCHEME = 'green-cloud-manifest';

/** Remembers a pushed list (by any path: command, build and push, task) for Inspect Manifest List. */
export function rememberPushedList(state: vscode.Memento, reference: string): Thenable<void> {
  return state.update(LAST_INSPECT, reference.split('@')[0]);
}

/** The reference Inspect Manifest List pre-fills. */
export function inspectSuggestion(state: vscode.Memento): string {
  return state.get<string>(LAST_INSPECT) ?? state.get<string>(LAST_TARGET) ?? '';
}

/** The read-only document of an inspection: `green-cloud-manifest:/127.0.0.1:5000/team/web:1.2`. */
export function manifestUri(reference: string): vscode.Uri {
  return vscode.Uri.from({ scheme: MANIFEST_SCHEME, path: `/${reference}` });
}

/**
 * Serves inspections as read-only documents. The text of the last inspection of each reference
 * is kept; a document whose text is gone (after a reload) is read from the registry again.
 */
export class ManifestDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** Stores the text of `reference`'s inspection (updating an open document) and shows it. */
  async show(reference: string, text: string): Promise<vscode.TextEditor> {
    const uri = manifestUri(reference);
    const known = this.texts.has(uri.toString());
    this.texts.set(uri.toString(), text);
    if (known) this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const known = this.texts.get(uri.toString());
    if (known !== undefined) return known;
    const reference = uri.path.replace(/^\//, '');
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      const result = await inspectManifest(reference, {
        insecureHosts: currentConfig(activeScope()).insecureRegistryHosts,
        signal: abort.signal,
      });
      const text = formatInspect(result);
      this.texts.set(uri.toString(), text);
      return text;
    } catch (error) {
      return `Could not read ${reference}: ${error instanceof Error ? error.message : String(error)}\nRun Green Cloud: Inspect Manifest List again once the registry answers.\n`;
    } finally {
      cancel.dispose();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export const manifestDocuments = new ManifestDocuments();

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
          ignoreFocusOut: true,
          validateInput: (t) => referenceError(t.trim(), true),
        });
  if (!target) return undefined;
  const sourceText = Array.isArray(args.sources)
    ? args.sources.join(' ')
    : await vscode.window.showInputBox({
        title: 'Green Cloud: Push Manifest List (2/2)',
        prompt: 'Per-platform images, separated by spaces (IMAGE[,platform=os/arch[/variant]][,annotation.KEY=VALUE])',
        value: fromBuild.join(' '),
        ignoreFocusOut: true,
        validateInput: (t) =>
          t.trim() === ''
            ? 'Name at least one image.'
            : t
                .trim()
                .split(/\s+/)
                .map((s) => referenceError(s.split(',', 1).join(''), false))
                .find(Boolean),
      });
  if (!sourceText) return undefined;
  await state.update(LAST_TARGET, target.trim());
  return { target: target.trim(), sources: sourceText.trim().split(/\s+/).map(parseSourceArgument) };
}

/** Runs `work` in a cancellable notification; `abort` is aborted when the user cancels. */
function withCancellableProgress<T>(
  title: string,
  abort: AbortController,
  work: (signal: AbortSignal, report: (line: string, increment?: number) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const cancel = token.onCancellationRequested(() => abort.abort());
      try {
        return await work(abort.signal, (message, increment) => progress.report({ message, increment }));
      } finally {
        cancel.dispose();
      }
    },
  );
}

/** The one notification of a successful push: what was pushed, a short digest, and actions. */
function showPushed(output: vscode.LogOutputChannel, result: ManifestListResult, afterBuild = false): void {
  for (const line of formatPushed(result).trimEnd().split('\n')) output.info(line);
  const [name = result.reference] = result.reference.split('@');
  const what = afterBuild ? 'built and pushed' : 'pushed';
  const inspect = 'Inspect';
  const copy = 'Copy Digest';
  void vscode.window
    .showInformationMessage(
      `Green Cloud: ${what} ${shortName(name)} (${result.entries.length} platforms), digest ${result.digest.slice(0, 19)}…`,
      inspect,
      copy,
    )
    .then((choice) => {
      if (choice === copy) void vscode.env.clipboard.writeText(result.digest);
      else if (choice === inspect) void vscode.commands.executeCommand('greenCloud.inspectManifestList', name);
    });
}

export function showFailure(output: vscode.LogOutputChannel, what: string, error: unknown): void {
  const message = phraseError(error);
  output.error(`${what}: ${message}`);
  void vscode.window.showErrorMessage(`Green Cloud: ${message}`, 'Show Log').then((c) => c && output.show(true));
}

/** A cancelled push: a warning that says what was (not) written. */
function showCancelled(output: vscode.LogOutputChannel, target: string): void {
  output.warn(`Pushing ${target}: cancelled.`);
  void vscode.window
    .showWarningMessage(`Green Cloud: pushing ${shortName(target)} was cancelled; the list ${target} was not updated.`, 'Show Log')
    .then((c) => c && output.show(true));
}

/** Logs a core step and shows it shortened. */
function stepReporter(output: vscode.LogOutputChannel, report: (line: string, increment?: number) => void): (step: string) => void {
  return (step) => {
    output.info(step);
    report(listStepLine(step));
  };
}

export async function pushListWithProgress(
  output: vscode.LogOutputChannel,
  config: Config,
  inputs: { target: string; sources: ManifestSource[] },
): Promise<ManifestListResult | undefined> {
  const abort = new AbortController();
  try {
    const result = await withCancellableProgress(`Green Cloud: pushing ${shortName(inputs.target)}`, abort, (signal, report) =>
      pushManifestList(
        { target: inputs.target, sources: inputs.sources },
        { insecureHosts: config.insecureRegistryHosts, signal, onStep: stepReporter(output, report) },
      ),
    );
    listPushed(result.reference);
    showPushed(output, result);
    return result;
  } catch (error) {
    if (abort.signal.aborted) showCancelled(output, inputs.target);
    else showFailure(output, `Pushing ${inputs.target}`, error);
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
  const progress = new PushProgress(new Map(outcome.results.map((r) => [r.tag, formatPlatform(r.platform)])));
  const abort = new AbortController();
  try {
    const published = await withCancellableProgress(`Green Cloud: pushing ${shortName(target)}`, abort, (signal, report) =>
      publishBuild(
        outcome.results,
        target,
        {
          onStatus: (image, status, detail) => {
            const line = progress.line(image, status);
            const text = `[push ${image}] ${status}${detail ? ` ${detail}` : ''}`;
            if (status === 'failed') output.error(text);
            else if (status !== 'queued') output.info(text);
            if (line) report(line, status === 'pushed' ? progress.increment : undefined);
          },
          onLog: (image, line) => output.info(`[push ${image}] ${line}`),
        },
        { signal, list: { insecureHosts: config.insecureRegistryHosts, onStep: stepReporter(output, report) } },
      ),
    );
    const failed = published.pushes.filter((p) => p.status !== 'pushed');
    if (!published.list) {
      if (abort.signal.aborted) throw abort.signal.reason;
      throw new Error(`${failed.map((f) => f.error ?? `${f.image}: ${f.status}`).join(' ')} The list ${target} was not written.`);
    }
    listPushed(published.list.reference);
    showPushed(output, published.list, true);
    return published.list;
  } catch (error) {
    if (abort.signal.aborted) showCancelled(output, target);
    else showFailure(output, `Pushing ${target}`, error);
    return undefined;
  }
}

/** Asks for a reference (or takes the argument), reads it and opens it in a read-only document. */
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
          value: inspectSuggestion(state),
          ignoreFocusOut: true,
          validateInput: (t) => referenceError(t.trim(), false),
        });
  if (!reference) return undefined;
  const trimmed = reference.trim();
  await state.update(LAST_INSPECT, trimmed);
  const abort = new AbortController();
  try {
    const result = await withCancellableProgress(`Green Cloud: reading ${shortName(trimmed)}`, abort, (signal) =>
      inspectManifest(trimmed, { insecureHosts: config.insecureRegistryHosts, signal }),
    );
    output.info(`Inspected ${trimmed}: ${result.digest}`);
    await manifestDocuments.show(trimmed, formatInspect(result));
    return result;
  } catch (error) {
    if (abort.signal.aborted) output.warn(`Inspecting ${trimmed}: cancelled.`);
    else showFailure(output, `Inspecting ${trimmed}`, error);
    return undefined;
  }
}
