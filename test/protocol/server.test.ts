/**
 * End-to-end LSP tests: `node dist/server.js --stdio` (and `--node-ipc`) driven by a real
 * JSON-RPC client. Diagnostics, code actions, edits, settings changes, hostile input, shutdown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type CodeAction,
  type Diagnostic,
  type PublishDiagnosticsParams,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { docsHref } from '../../server/src/linter';
import { LspClient } from './lspClient';

const PINNED = 'FROM arm64v8/alpine:3.19\nRUN echo hello\n';
const GC101_RANGE = { start: { line: 0, character: 5 }, end: { line: 0, character: 19 } };

function summary(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics.map(
    (d) => `${String(d.code)} ${d.severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`,
  );
}

function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

function lastFor(client: LspClient, uri: string): PublishDiagnosticsParams {
  const found = client.diagnostics.filter((p) => p.uri === uri).at(-1);
  assert.ok(found, `diagnostics were published for ${uri}`);
  return found;
}

async function open(client: LspClient, uri: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
  const since = client.diagnostics.length;
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'dockerfile', version, text },
  });
  return client.nextDiagnostics(uri, since, (p) => p.version === version);
}

async function change(
  client: LspClient,
  uri: string,
  version: number,
  changes: ({ text: string } | { range: TextEdit['range']; text: string })[],
): Promise<PublishDiagnosticsParams> {
  const since = client.diagnostics.length;
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: changes,
  });
  return client.nextDiagnostics(uri, since, (p) => p.version === version);
}

async function codeActions(client: LspClient, uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const result = await client.within(
    client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } }),
    'codeAction',
  );
  assert.ok(Array.isArray(result), 'codeAction answered with an array');
  return result as CodeAction[];
}

function applyAction(text: string, uri: string, action: CodeAction): string {
  const edits = action.edit?.changes?.[uri];
  assert.ok(edits && edits.length > 0, `action '${action.title}' has edits for ${uri}`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 0, text), edits);
}

describe('language server over stdio, client with workspace/configuration', () => {
  let client: LspClient;
  const uri = 'file:///work/app/Dockerfile';

  before(async () => {
    client = await LspClient.start({ transport: 'stdio', configuration: true });
  });
  after(() => client.kill());

  it('announces incremental sync and quick-fix code actions', () => {
    const capabilities = client.initializeResult?.capabilities;
    assert.equal(capabilities?.textDocumentSync, 2);
    assert.deepEqual(capabilities?.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.equal(client.initializeResult?.serverInfo?.name, 'green-cloud');
  });

  it('registers for greenCloud configuration changes', async () => {
    const registration = await client.waitUntil('client/registerCapability', () =>
      client.registrations.find((r) => r.method === DidChangeConfigurationNotification.method),
    );
    assert.deepEqual(registration.registerOptions, { section: 'greenCloud' });
  });

  it('publishes diagnostics on didOpen with code, range, codeDescription and source', async () => {
    const published = await open(client, uri, PINNED);
    assert.deepEqual(summary(published), ['GC101 2 0:5-0:19']);
    const [d] = published.diagnostics;
    assert.equal(d.source, 'green-cloud');
    assert.deepEqual(d.range, GC101_RANGE);
    assert.deepEqual(d.codeDescription, { href: docsHref('GC101') });
    assert.match(messageOf(d), /^Base image 'arm64v8\/alpine:3\.19' is pinned to linux\/arm64/);
    assert.deepEqual(client.configurationRequests.at(-1), [{ scopeUri: uri, section: 'greenCloud' }]);
  });

  it('answers codeAction with the quick fix and the ignore fixes; the fix removes the diagnostic', async () => {
    const published = lastFor(client, uri);
    const actions = await codeActions(client, uri, published.diagnostics);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]),
      [
        ["Use the multi-arch image 'alpine:3.19'", 'quickfix', true],
        ['Ignore GC101 for this instruction', 'quickfix', false],
        ['Ignore GC101 for this file', 'quickfix', false],
      ],
    );
    assert.deepEqual(
      actions[0].diagnostics?.map((d) => d.code),
      ['GC101'],
    );
    assert.deepEqual(actions[0].edit?.changes?.[uri], [
      { range: { start: { line: 0, character: 5 }, end: { line: 0, character: 13 } }, newText: '' },
    ]);
    assert.equal(applyAction(PINNED, uri, actions[0]), 'FROM alpine:3.19\nRUN echo hello\n');
    assert.equal(applyAction(PINNED, uri, actions[1]), '# green-cloud ignore=GC101\nFROM arm64v8/alpine:3.19\nRUN echo hello\n');

    // Apply the preferred fix the way an editor does: an incremental change → no diagnostics.
    const fixed = await change(client, uri, 2, [{ range: actions[0].edit.changes[uri][0].range, text: '' }]);
    assert.deepEqual(fixed.diagnostics, []);
  });

  it('finds the fixes of a diagnostic whose data the client dropped', async () => {
    const published = await change(client, uri, 3, [{ text: 'FROM amd64/debian:12\n' }]);
    assert.deepEqual(summary(published), ['GC101 2 0:5-0:17']);
    const withoutData = published.diagnostics.map(({ data: _data, ...rest }) => rest);
    const actions = await codeActions(client, uri, withoutData);
    assert.equal(actions[0]?.title, "Use the multi-arch image 'debian:12'");
    assert.equal(applyAction('FROM amd64/debian:12\n', uri, actions[0]), 'FROM debian:12\n');
  });

  it('re-lints open documents when greenCloud.rules changes (GC101 → off, → error)', async () => {
    let since = client.diagnostics.length;
    client.settings = { rules: { GC101: 'off' } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    let published = await client.nextDiagnostics(uri, since);
    assert.deepEqual(published.diagnostics, []);

    since = client.diagnostics.length;
    client.settings = { rules: { GC101: 'error' } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    published = await client.nextDiagnostics(uri, since);
    assert.deepEqual(summary(published), ['GC101 1 0:5-0:17']);
  });

  it('re-lints open documents when greenCloud.platforms changes', async () => {
    let since = client.diagnostics.length;
    client.settings = { platforms: ['linux/amd64'] };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    let published = await client.nextDiagnostics(uri, since);
    assert.deepEqual(published.diagnostics, [], 'amd64/debian is right for an amd64-only target');

    since = client.diagnostics.length;
    client.settings = { platforms: ['linux/amd64', 'linux/arm64'] };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    published = await client.nextDiagnostics(uri, since);
    assert.deepEqual(summary(published), ['GC101 2 0:5-0:17']);
    assert.match(messageOf(published.diagnostics[0]), /linux\/arm64/);
    assert.doesNotMatch(messageOf(published.diagnostics[0]), /arm\/v7/);
  });

  it('answers for garbage documents (binary junk, a 1 MB line) and stays alive', async () => {
    client.settings = {};
    const junk = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('');
    const documents: [string, string][] = [
      ['file:///work/junk/Dockerfile', `\u0000\u0001\u00ff${junk}\nFROM \u0000\nRUN ["unterminated\n`],
      ['file:///work/long/Dockerfile', `FROM arm64v8/alpine:3.19\nRUN echo ${'x'.repeat(1 << 20)}\n`],
      ['file:///work/odd/Dockerfile', '# escape=`\r\nFROM alpine AS a\r\nRUN <<EOF\r\n\tcat `\r\nEOF\r\nFROM --platform= $ \t\n'],
      ['file:///work/empty/Dockerfile', ''],
    ];
    for (const [docUri, text] of documents) {
      const published = await open(client, docUri, text);
      assert.ok(Array.isArray(published.diagnostics));
      const actions = await codeActions(client, docUri, published.diagnostics);
      assert.ok(Array.isArray(actions));
    }
    const long = lastFor(client, 'file:///work/long/Dockerfile');
    assert.deepEqual(summary(long), ['GC101 2 0:5-0:19']);
    assert.deepEqual(client.errorLogs(), [], 'no rule or server failure was logged');
    assert.equal(client.exitStatus, undefined, 'the server is still running');
    // …and still serves the first document.
    const published = await change(client, uri, 4, [{ text: PINNED }]);
    assert.deepEqual(summary(published), ['GC101 2 0:5-0:19']);
  });

  it('clears diagnostics when a document closes', async () => {
    const since = client.diagnostics.length;
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    const published = await client.nextDiagnostics(uri, since);
    assert.deepEqual(published.diagnostics, []);
  });

  it('shuts down and exits with code 0', async () => {
    assert.equal(await client.stop(), 0);
  });
});

describe('language server over stdio, client without workspace/configuration', () => {
  let client: LspClient;
  const uri = 'file:///work/pushed/Dockerfile';

  before(async () => {
    client = await LspClient.start({
      transport: 'stdio',
      configuration: false,
      initializationOptions: { docsBase: 'file:///opt/green-cloud/docs/rules', settings: { rules: { GC101: 'error' } } },
    });
  });
  after(() => client.kill());

  it('takes settings and the docs base from initializationOptions', async () => {
    const published = await open(client, uri, PINNED);
    assert.deepEqual(summary(published), ['GC101 1 0:5-0:19']);
    assert.deepEqual(published.diagnostics[0].codeDescription, { href: 'file:///opt/green-cloud/docs/rules/GC101.md' });
    assert.deepEqual(client.configurationRequests, [], 'never asks for configuration it was not offered');
    assert.deepEqual(client.registrations, []);
  });

  it('takes pushed settings from didChangeConfiguration', async () => {
    let since = client.diagnostics.length;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { greenCloud: { rules: { GC101: 'off' } } },
    });
    let published = await client.nextDiagnostics(uri, since);
    assert.deepEqual(published.diagnostics, []);

    since = client.diagnostics.length;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { greenCloud: { platforms: ['linux/arm64'] } },
    });
    published = await client.nextDiagnostics(uri, since);
    assert.deepEqual(published.diagnostics, [], 'arm64v8/alpine is right for an arm64-only target');

    since = client.diagnostics.length;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { greenCloud: { platforms: 'not a list', rules: 'nonsense' } },
    });
    published = await client.nextDiagnostics(uri, since);
    assert.deepEqual(summary(published), ['GC101 2 0:5-0:19'], 'malformed settings fall back to the defaults');
  });

  it('shuts down and exits with code 0', async () => {
    assert.equal(await client.stop(), 0);
  });
});

describe('language server over node IPC (as the VS Code client runs it)', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ transport: 'ipc', configuration: true });
  });
  after(() => client.kill());

  it('publishes diagnostics, answers code actions and exits cleanly', async () => {
    const uri = 'file:///work/ipc/Dockerfile';
    const published = await open(client, uri, PINNED);
    assert.deepEqual(summary(published), ['GC101 2 0:5-0:19']);
    const actions = await codeActions(client, uri, published.diagnostics);
    assert.equal(applyAction(PINNED, uri, actions[0]), 'FROM alpine:3.19\nRUN echo hello\n');
    assert.equal(await client.stop(), 0);
  });
});
