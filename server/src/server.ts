/**
 * The Green Cloud language server: connection glue around `lint()`. Runs over node IPC (the
 * VS Code client) or `--stdio` (any LSP client): `node dist/server.js --stdio`.
 */
import {
  CodeAction,
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { VERSION } from '../../core/src/version';
import { lint, SOURCE, type GreenCloudDiagnostic } from './linter';
import { DEFAULT_SETTINGS, sanitizeSettings, type LintSettings } from '../../core/src/settings';
import { isYamlDocument, lintYaml } from './yamlLinter';
import { yamlHover, YamlRegistryFindings } from './yamlLookups';
import { DockerfileLookups } from './lookups/languageServer';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let supportsConfiguration = false;
let docsBase: string | undefined;
/** Settings from initializationOptions / didChangeConfiguration for clients without workspace/configuration. */
let pushedSettings: LintSettings = DEFAULT_SETTINGS;
const settingsCache = new Map<string, Promise<LintSettings>>();
/**
 * The diagnostics last published per document, with their quick fixes. Fixes stay on the server:
 * the publish carries no `data`, and code actions look the fixes up here (see `fixesFor`).
 */
const published = new Map<string, { version: number; diagnostics: readonly GreenCloudDiagnostic[] }>();
const pending = new Map<string, NodeJS.Immediate>();
/** The `greenCloud` section as pushed (clients without workspace/configuration), for the registry lookups. */
let pushedSection: unknown;
/** Registry lookups (server/src/lookups): hover on FROM, GC108/GC109 in a second publish. */
const registryLookups = new DockerfileLookups({
  log: (line) => connection.console.log(line),
  warn: (line) => connection.console.warn(line),
  configuration: (uri) =>
    supportsConfiguration
      ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'greenCloud' })
      : Promise.resolve(pushedSection),
  isCurrent: (uri, version) => documents.get(uri)?.version === version,
  publish: (uri, version, diagnostics) => publish(uri, version, diagnostics),
});

/** GC301, GC303 and GC304 for Kubernetes and Compose files, in a second publish after the same quiet time. */
const yamlFindings = new YamlRegistryFindings({
  lookupsFor: (uri) => registryLookups.lookupsFor(uri),
  isCurrent: (uri, version) => documents.get(uri)?.version === version,
  publish: (uri, version, diagnostics) => publish(uri, version, diagnostics),
  warn: (line) => connection.console.warn(line),
  note: (results) => registryLookups.note(results),
});

connection.onInitialize((params: InitializeParams): InitializeResult => {
  supportsConfiguration = Boolean(params.capabilities.workspace?.configuration);
  const options = (params.initializationOptions ?? {}) as { docsBase?: unknown; settings?: unknown; cacheDirectory?: unknown };
  registryLookups.setCacheDirectory(options.cacheDirectory);
  pushedSection = options.settings;
  if (typeof options.docsBase === 'string' && options.docsBase !== '') docsBase = options.docsBase;
  if (options.settings !== undefined) pushedSettings = sanitizeSettings(options.settings);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      hoverProvider: true,
    },
    serverInfo: { name: 'green-cloud', version: VERSION },
  };
});

connection.onInitialized(() => {
  if (supportsConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'greenCloud' }).catch(() => undefined);
  }
});

function settingsFor(uri: string): Promise<LintSettings> {
  if (!supportsConfiguration) return Promise.resolve(pushedSettings);
  let result = settingsCache.get(uri);
  if (!result) {
    result = connection.workspace.getConfiguration({ scopeUri: uri, section: 'greenCloud' }).then(sanitizeSettings, () => pushedSettings);
    settingsCache.set(uri, result);
  }
  return result;
}

/** The syntactic diagnostics of a Dockerfile, or of a Kubernetes/Compose YAML document. */
function lintDocument(document: TextDocument, settings: LintSettings): GreenCloudDiagnostic[] {
  const onRuleError = (code: string, error: unknown) =>
    connection.console.error(
      `Rule ${code} failed on ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  if (isYamlDocument(document.uri, document.languageId)) {
    return lintYaml(document.getText(), settings, { fileName: document.uri, languageId: document.languageId, docsBase, onRuleError });
  }
  return lint(document.getText(), settings, { docsBase, onRuleError });
}

/** A diagnostic as it goes on the wire: without `data` (the fixes stay in `published`). */
function wire(diagnostic: GreenCloudDiagnostic): Diagnostic {
  const { data: _fixes, ...rest } = diagnostic;
  return rest;
}

/**
 * Publishes `diagnostics` (every source's, for one version of a document) and remembers them,
 * fixes included, for code actions. The one place diagnostics leave the server.
 */
function publish(uri: string, version: number, diagnostics: readonly GreenCloudDiagnostic[]): Promise<void> {
  published.set(uri, { version, diagnostics });
  return connection.sendDiagnostics({ uri, version, diagnostics: diagnostics.map(wire) });
}

/** Kubernetes and Compose files: syntactic findings first, registry findings in a second publish. */
async function validateYaml(document: TextDocument, settings: LintSettings): Promise<void> {
  const options = {
    fileName: document.uri,
    languageId: document.languageId,
    docsBase,
    onRuleError: (code: string, error: unknown) =>
      connection.console.error(
        `Rule ${code} failed on ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
  };
  const text = document.getText();
  const first = lintYaml(text, settings, options);
  await publish(document.uri, document.version, first);
  yamlFindings.afterPublish(document.uri, document.version, text, settings, options, first);
}

async function validate(document: TextDocument): Promise<void> {
  try {
    const settings = await settingsFor(document.uri);
    const current = documents.get(document.uri);
    if (!current || current.version !== document.version) return; // a newer version is queued
    if (isYamlDocument(document.uri, document.languageId)) {
      await validateYaml(document, settings);
      return;
    }
    const diagnostics = lintDocument(document, settings);
    await publish(document.uri, document.version, diagnostics);
    registryLookups.afterPublish(document.uri, document.version, document.getText(), settings, diagnostics, docsBase);
  } catch (error) {
    connection.console.error(`Linting ${document.uri} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Coalesces bursts of edits into one lint per turn of the event loop. */
function schedule(document: TextDocument): void {
  const previous = pending.get(document.uri);
  if (previous) clearImmediate(previous);
  pending.set(
    document.uri,
    setImmediate(() => {
      pending.delete(document.uri);
      const latest = documents.get(document.uri);
      if (latest) void validate(latest);
    }),
  );
}

documents.onDidOpen((e) => schedule(e.document));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  settingsCache.delete(e.document.uri);
  published.delete(e.document.uri);
  registryLookups.forget(e.document.uri);
  yamlFindings.forget(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onDidChangeConfiguration((change) => {
  settingsCache.clear();
  registryLookups.configurationChanged();
  if (!supportsConfiguration) {
    const settings = (change.settings as { greenCloud?: unknown } | undefined)?.greenCloud;
    pushedSettings = sanitizeSettings(settings);
    pushedSection = settings;
  }
  for (const document of documents.all()) schedule(document);
});

function sameRange(a: Diagnostic, b: Diagnostic): boolean {
  return (
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line &&
    a.range.end.character === b.range.end.character
  );
}

function messageText(d: Diagnostic): string {
  const message: unknown = d.message;
  if (typeof message === 'string') return message;
  const value = (message as { value?: unknown } | null)?.value;
  return typeof value === 'string' ? value : '';
}

/**
 * The diagnostics, with fixes, of the document's current version: the last published ones, or
 * (when the client asks before the lint of its latest edit was published) a fresh lint.
 */
async function diagnosticsWithFixes(document: TextDocument): Promise<readonly GreenCloudDiagnostic[]> {
  const last = published.get(document.uri);
  if (last && last.version === document.version) return last.diagnostics;
  const settings = await settingsFor(document.uri);
  const current = documents.get(document.uri);
  if (!current || current.version !== document.version) return [];
  return lintDocument(document, settings);
}

connection.onCodeAction(async (params) => {
  try {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const ours = params.context.diagnostics.filter((d) => d.source === SOURCE);
    if (ours.length === 0) return [];
    const known = await diagnosticsWithFixes(document);
    const actions: CodeAction[] = [];
    for (const diagnostic of ours) {
      // Code and range identify a diagnostic; the message only tells apart two at the same place
      // (a client may reformat messages).
      const candidates = known.filter((d) => d.code === diagnostic.code && sameRange(d, diagnostic));
      const match = candidates.length > 1 ? candidates.find((d) => d.message === messageText(diagnostic)) : candidates[0];
      for (const fix of match?.data.fixes ?? []) {
        const action = CodeAction.create(fix.title, { changes: { [document.uri]: [...fix.edits] } }, CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        if (fix.isPreferred) action.isPreferred = true;
        actions.push(action);
      }
    }
    return actions;
  } catch (error) {
    connection.console.error(`Code actions failed: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
});

connection.onHover(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  try {
    if (isYamlDocument(document.uri, document.languageId)) {
      const settings = await settingsFor(document.uri);
      const found = yamlHover(document.getText(), document.offsetAt(params.position), settings, {
        fileName: document.uri,
        languageId: document.languageId,
      });
      if (!found) return null;
      const lookups = await registryLookups.lookupsFor(document.uri);
      const result = await lookups.service.lookup(found.image, { offline: !lookups.enabled });
      return {
        contents: { kind: 'markdown', value: found.markdown(result) },
        range: { start: document.positionAt(found.span.start), end: document.positionAt(found.span.end) },
      };
    }
    const hover = await registryLookups.hover(document.uri, document.getText(), params.position, await settingsFor(document.uri));
    return hover ? { contents: { kind: 'markdown', value: hover.markdown }, range: hover.range } : null;
  } catch (error) {
    connection.console.error(`Hover failed: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
});

documents.listen(connection);
connection.listen();
