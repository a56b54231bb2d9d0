/**
 * The language server on Kubernetes and Compose documents over LSP stdio (`node dist/server.js
 * --stdio`): GC302 published with its quick fix for a Deployment (`yaml`) and a Compose file
 * (`dockercompose`), nothing for other YAML, and malformed YAML never stops the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  DidOpenTextDocumentNotification,
  type CodeAction,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { LspClient, requireBuiltServer } from './lspClient';

const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      containers:\n        - name: postgres\n          image: arm64v8/postgres:16  # pinned\n';

async function open(client: LspClient, uri: string, languageId: string, text: string): Promise<PublishDiagnosticsParams> {
  const since = client.diagnostics.length;
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  return client.nextDiagnostics(uri, since, (p) => p.version === 1);
}

describe('language server on Kubernetes and Compose YAML', () => {
  let client: LspClient;
  before(async () => {
    requireBuiltServer();
    client = await LspClient.start({ transport: 'stdio', configuration: true });
  });
  after(() => client.kill());

  it('publishes GC302 on a Deployment and its quick fix makes it clean', async () => {
    const uri = 'file:///work/k8s/db.yaml';
    const published = await open(client, uri, 'yaml', DEPLOYMENT);
    assert.deepEqual(
      published.diagnostics.map(
        (d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`,
      ),
      ['GC302 9:17-9:33'],
    );
    const actions = (await client.within(
      client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: published.diagnostics[0].range,
        context: { diagnostics: published.diagnostics },
      }),
      'codeAction',
    )) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Use the multi-arch image 'postgres:16'", 'Ignore GC302 for this line', 'Ignore GC302 for this file'],
    );
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, DEPLOYMENT), actions[0].edit?.changes?.[uri] ?? []);
    assert.ok(fixed.includes('image: postgres:16  # pinned\n'), fixed);
    const again = await open(client, 'file:///work/k8s/db-fixed.yaml', 'yaml', fixed);
    assert.deepEqual(again.diagnostics, []);
    const ignored = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, DEPLOYMENT), actions[1].edit?.changes?.[uri] ?? []);
    assert.match(ignored, /\n {10}# green-cloud ignore=GC302\n {10}image: arm64v8\/postgres:16/);
    const quiet = await open(client, 'file:///work/k8s/db-ignored.yaml', 'yaml', ignored);
    assert.deepEqual(quiet.diagnostics, []);
  });

  it('serves Compose files by the dockercompose language id', async () => {
    const published = await open(client, 'file:///work/stack.yml', 'dockercompose', 'services:\n  web: {image: "arm32v7/nginx:1.27"}\n');
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['GC302'],
    );
  });

  it('publishes nothing for other YAML and survives malformed YAML', async () => {
    assert.deepEqual(
      (await open(client, 'file:///work/.github/workflows/ci.yml', 'yaml', 'on: push\njobs:\n  t: {container: {image: arm64v8/alpine}}\n'))
        .diagnostics,
      [],
    );
    assert.deepEqual(
      (await open(client, 'file:///work/broken.yaml', 'yaml', 'apiVersion: v1\nkind: Pod\nspec: [\n\t- {{ x\n')).diagnostics,
      [],
    );
    const published = await open(client, 'file:///work/k8s/after.yaml', 'yaml', DEPLOYMENT);
    assert.equal(published.diagnostics.length, 1, 'the server still answers');
  });
});
