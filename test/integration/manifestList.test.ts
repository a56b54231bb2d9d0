/**
 * The manifest list commands in a real VS Code, against a real `docker-registry` with htpasswd
 * authentication started by this test (credentials from a DOCKER_CONFIG made here): Push
 * Manifest List and Inspect Manifest List with arguments, the read-only view, and no secret in
 * the Green Cloud output channel's log file or in the error a refused push returns.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { RegistryClient, type InspectResult, type ManifestListResult } from '../../core/src/registry';
import { dockerConfigDir, pushSyntheticImage, startRegistry, type RunningRegistry } from '../e2e/registry/support';
import { waitFor } from '../support/waitFor';

const EXTENSION_ID = 'green-cloud.green-cloud';
const PASSWORD = 'VsCode-list-secret-83be1f';
const BASIC = Buffer.from(`dana:${PASSWORD}`).toString('base64');

/** The text of every "Green Cloud.log" (the LogOutputChannel's file) of the code-server runs. */
function outputLogs(): string[] {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  const base = process.env.GC_VSCODE_ENV_DIR ?? join(extension.extensionPath, '.vscode-test');
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 7 || !existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), depth + 1);
      else if (e.name === 'Green Cloud.log' && dir.endsWith(EXTENSION_ID)) found.push(readFileSync(join(dir, e.name), 'utf8'));
    }
  };
  walk(base, 0);
  return found;
}

describe('Manifest lists in a real VS Code', () => {
  let registry: RunningRegistry;
  let config: string;
  let previous: string | undefined;
  const repo = `it/web-${process.pid}`;

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    registry = await startRegistry({ kind: 'htpasswd', users: { dana: PASSWORD } });
    config = dockerConfigDir({ auths: { [registry.host]: { auth: BASIC } } });
    previous = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = config; // the extension runs in this process: it resolves credentials from here
  });
  after(async () => {
    if (previous === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = previous;
    // The set-up may have stopped at any step (e.g. a missing htpasswd): undo only what it did.
    await registry?.stop();
    if (config) rmSync(config, { recursive: true, force: true });
  });

  it('registers the manifest commands', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['greenCloud.pushManifestList', 'greenCloud.inspectManifestList', 'greenCloud.buildAndPushAllPlatforms'])
      assert.ok(registered.has(id), `${id} is not registered`);
  });

  it('pushes a list, shows it, and logs the digest but no secret', async () => {
    const client = new RegistryClient(registry.host, { credentialOptions: { configDir: config } });
    const amd64 = await pushSyntheticImage(client, repo, 'amd64-1', { os: 'linux', architecture: 'amd64' });
    const arm = await pushSyntheticImage(client, repo, 'armv7-1', { os: 'linux', architecture: 'arm', variant: 'v7' });
    const target = `${registry.host}/${repo}:1`;
    const pushed = await vscode.commands.executeCommand<ManifestListResult | undefined>('greenCloud.pushManifestList', target, [
      amd64.reference,
      arm.reference,
    ]);
    assert.ok(pushed, 'the push command returned nothing (see the Green Cloud output)');
    assert.equal((await client.headManifest(repo, '1'))?.digest, pushed.digest);

    const inspected = await vscode.commands.executeCommand<InspectResult | undefined>('greenCloud.inspectManifestList', target);
    assert.ok(inspected);
    assert.equal(inspected.digest, pushed.digest);
    const editor = await waitFor(
      'the inspect view',
      () => vscode.window.activeTextEditor?.document.getText().includes(pushed.digest) && vscode.window.activeTextEditor,
    );
    const view = editor.document.getText();
    // A read-only virtual document: no Untitled editor, nothing to save.
    assert.equal(editor.document.uri.scheme, 'green-cloud-manifest');
    assert.equal(editor.document.uri.path, `/${target}`);
    assert.equal(editor.document.isUntitled, false);
    assert.equal(editor.document.isDirty, false);
    assert.match(view, /Docker manifest list/);
    assert.match(view, /linux\/amd64 +sha256:/);
    assert.match(view, /linux\/arm\/v7 +sha256:/);

    const log = await waitFor('the output log with the digest', () => outputLogs().find((t) => t.includes(`Digest: ${pushed.digest}`)));
    assert.ok(!log.includes(PASSWORD) && !log.includes(BASIC), 'a secret reached the output channel');
  });

  it('re-opens an inspection after its editor closed, and updates it when the list changes', async () => {
    const client = new RegistryClient(registry.host, { credentialOptions: { configDir: config } });
    const amd64 = await pushSyntheticImage(client, repo, 'amd64-2', { os: 'linux', architecture: 'amd64' });
    const arm64 = await pushSyntheticImage(client, repo, 'arm64-2', { os: 'linux', architecture: 'arm64' });
    const target = `${registry.host}/${repo}:2`;
    const first = await vscode.commands.executeCommand<ManifestListResult | undefined>('greenCloud.pushManifestList', target, [
      amd64.reference,
    ]);
    assert.ok(first, 'the push command returned nothing (see the Green Cloud output)');
    await vscode.commands.executeCommand<InspectResult | undefined>('greenCloud.inspectManifestList', target);
    const uri = vscode.Uri.from({ scheme: 'green-cloud-manifest', path: `/${target}` });
    const document = await waitFor('the inspection document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()),
    );
    assert.ok(document.getText().includes(first.digest));

    // Closing needs no answer (nothing to save); the same URI opens again with the same text.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('every editor to close', () => vscode.window.tabGroups.all.every((g) => g.tabs.length === 0));
    const again = await vscode.workspace.openTextDocument(uri);
    assert.ok(again.getText().includes(first.digest));
    assert.equal(again.isDirty, false);
    await vscode.window.showTextDocument(again);

    // A new push of the same tag, inspected again: the open document follows.
    const second = await vscode.commands.executeCommand<ManifestListResult | undefined>('greenCloud.pushManifestList', target, [
      amd64.reference,
      arm64.reference,
    ]);
    assert.ok(second && second.digest !== first.digest);
    await vscode.commands.executeCommand<InspectResult | undefined>('greenCloud.inspectManifestList', target);
    await waitFor('the open inspection to show the new digest', () => again.getText().includes(second.digest) || undefined);
    assert.match(again.getText(), /linux\/arm64 +sha256:/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports a refused push with the next step, without the password', async () => {
    const wrong = dockerConfigDir({ auths: { [registry.host]: { auth: Buffer.from(`dana:x${PASSWORD}`).toString('base64') } } });
    process.env.DOCKER_CONFIG = wrong;
    try {
      const target = `${registry.host}/${repo}:refused`;
      const result = await vscode.commands.executeCommand<ManifestListResult | undefined>('greenCloud.pushManifestList', target, [
        `${registry.host}/${repo}:amd64-1`,
      ]);
      assert.equal(result, undefined);
      const log = await waitFor('the refusal in the output log', () =>
        outputLogs().find((t) => t.includes(`Pushing ${target}: 401 from ${registry.host}`)),
      );
      assert.match(log, /the stored credentials were refused: run `docker login 127\.0\.0\.1:\d+` again/);
      assert.ok(!log.includes(PASSWORD));
    } finally {
      process.env.DOCKER_CONFIG = config;
      rmSync(wrong, { recursive: true, force: true });
    }
  });
});
