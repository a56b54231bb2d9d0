/**
 * Kubernetes/Compose registry findings over LSP stdio against a real loopback `docker-registry`:
 * GC302-only syntactic publish first, GC301 in a second publish, and the hover on an image value
 * showing the same platform table as on a Dockerfile's FROM, checked against where the workload
 * can land.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  MessageType,
  type Hover,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { RegistryClient } from '../../core/src/registry';
import { addImage, startFakeRegistry, type FakeRegistry } from '../e2e/registry/fakeRegistry';
import { dockerConfigDir, freePort, pushSyntheticImage, startRegistry, tempDir, type RunningRegistry } from '../e2e/registry/support';
import { LOOKUP_DEBOUNCE_MS } from '../../server/src/lookups/languageServer';
import { LspClient } from './lspClient';

describe('Kubernetes registry findings and hover in the language server (LSP stdio)', () => {
  let registry: RunningRegistry;
  let fake: FakeRegistry;
  const cleanup: string[] = [];
  const savedDockerConfig = process.env.DOCKER_CONFIG;

  before(async () => {
    registry = await startRegistry();
    await pushSyntheticImage(new RegistryClient(registry.host), 'someorg/tool', '1', { os: 'linux', architecture: 'amd64' });
    fake = await startFakeRegistry();
    addImage(fake, 'burst/app', '1.0.1', { os: 'linux', architecture: 'amd64' });
    const config = dockerConfigDir({});
    cleanup.push(config);
    process.env.DOCKER_CONFIG = config;
  });
  after(async () => {
    if (savedDockerConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedDockerConfig;
    await registry?.stop();
    await fake?.stop();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  });

  it('publishes GC302 first, GC301 in a second publish; the hover shows the platform table', async () => {
    const cacheDirectory = tempDir('lsp-yaml-lookups');
    cleanup.push(cacheDirectory);
    const client = await LspClient.start({
      transport: 'stdio',
      configuration: false,
      registryLookups: true,
      initializationOptions: { cacheDirectory, settings: {} },
    });
    try {
      const uri = 'file:///work/k8s/app.yaml';
      const image = `${registry.host}/someorg/tool:1`;
      const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: tool\n      image: ${image}\n    - name: db\n      image: arm64v8/postgres:16\n`;
      const since = client.diagnostics.length;
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'yaml', version: 1, text },
      });
      const first = await client.nextDiagnostics(uri, since);
      assert.deepEqual(
        first.diagnostics.map((d) => d.code),
        ['GC302'],
      );
      const second = await client.nextDiagnostics(uri, since, (p) => p.diagnostics.some((d) => d.code === 'GC301'));
      assert.deepEqual(
        second.diagnostics.map((d) => d.code),
        ['GC301', 'GC302'],
      );
      assert.match(
        ((m) => (typeof m === 'string' ? m : m.value))(second.diagnostics[0].message),
        new RegExp(`^Image '${image.replace(/[.]/g, '\\.')}' \\(container 'tool' of Pod 'app'\\) is published for linux/amd64 only`),
      );
      const h: Hover | null = await client.hover(uri, 7, 16);
      assert.ok(h, 'a hover on the image value');
      const md = (h.contents as MarkupContent).value;
      assert.match(md, /is a single-platform image/);
      assert.match(md, /\| linux\/amd64 \| \d+(\.\d)? (B|KiB) \|/);
      assert.match(md, /missing linux\/arm64, linux\/arm\/v7/);
      assert.match(md, /Pod 'app' can land/);
      const none: Hover | null = await client.hover(uri, 3, 4);
      assert.equal(none, null, 'no hover outside image values');
      assert.deepEqual(client.errorLogs(), []);
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
    }
  });

  it('a registry that refuses: one note for the images of a Kubernetes file and a Dockerfile together', async () => {
    const cacheDirectory = tempDir('lsp-yaml-refused');
    cleanup.push(cacheDirectory);
    const host = `127.0.0.1:${await freePort()}`; // nothing listens there
    const other = `127.0.0.1:${await freePort()}`;
    const client = await LspClient.start({
      transport: 'stdio',
      configuration: false,
      registryLookups: true,
      initializationOptions: { cacheDirectory, settings: {} },
    });
    try {
      const notes = (h: string) =>
        client.logs.filter((l) => l.type === MessageType.Warning && l.message.startsWith(`No answer from ${h} `));
      const containers = ['web', 'worker', 'cron'].map((n) => `    - name: ${n}\n      image: ${host}/team/${n}:1\n`).join('');
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: {
          uri: 'file:///work/k8s-refused/app.yaml',
          languageId: 'yaml',
          version: 1,
          text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n${containers}`,
        },
      });
      const [note] = await client.waitUntil('the note for the Kubernetes file', () => (notes(host).length > 0 ? notes(host) : undefined));
      assert.match(
        note.message,
        /\(connection refused\)\. Images from .* \(GC108, GC109, GC301\) until it answers; first seen for .*\/team\/(web|worker|cron):1\./,
      );
      // A Dockerfile with another image of that registry, and one of a second registry (whose note shows the run is over).
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: {
          uri: 'file:///work/k8s-refused/Dockerfile',
          languageId: 'dockerfile',
          version: 1,
          text: `FROM ${host}/team/base:1 AS base\nRUN true\nFROM ${other}/team/app:1\n`,
        },
      });
      await client.waitUntil('the note for the second registry', () => notes(other)[0]);
      assert.equal(
        notes(host).length,
        1,
        notes(host)
          .map((l) => l.message)
          .join('\n'),
      );
      assert.deepEqual(client.errorLogs(), []);
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
    }
  });

  it('a burst of edits makes one lookup batch, for the last version, after the quiet time (as for Dockerfiles)', async () => {
    const cacheDirectory = tempDir('lsp-yaml-burst');
    cleanup.push(cacheDirectory);
    const client = await LspClient.start({
      transport: 'stdio',
      configuration: false,
      registryLookups: true,
      initializationOptions: { cacheDirectory, settings: {} },
    });
    try {
      const uri = 'file:///work/k8s/burst.yaml';
      const podWith = (tag: string): string =>
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: burst\nspec:\n  containers:\n    - name: app\n      image: ${fake.host}/burst/app:${tag}\n`;
      // Typing the tag one character at a time: every version names another (uncached) image.
      const tags = ['1', '1.', '1.0', '1.0.', '1.0.1'];
      const requestsBefore = fake.log.length;
      const since = client.diagnostics.length;
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'yaml', version: 1, text: podWith(tags[0]) },
      });
      for (let i = 1; i < tags.length; i++) {
        await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri, version: i + 1 },
          contentChanges: [{ text: podWith(tags[i]) }],
        });
      }
      const last = tags.length;
      const found = await client.nextDiagnostics(uri, since, (p) => p.version === last && p.diagnostics.some((d) => d.code === 'GC301'));
      assert.deepEqual(
        found.diagnostics.map((d) => d.code),
        ['GC301'],
      );
      const tagRequests = fake.log
        .slice(requestsBefore)
        .filter((r) => r.path.startsWith('/v2/burst/app/manifests/') && !r.path.includes('sha256:'))
        .map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(tagRequests, ['HEAD /v2/burst/app/manifests/1.0.1'], 'one lookup, for the last version only');
      // Typing elsewhere while GC301 is shown: the known answer comes back right after the syntactic publish (no blink for a quiet time).
      const before = client.diagnostics.length;
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: last + 1 },
        contentChanges: [{ text: `${podWith('1.0.1')}      args: [serve]\n` }],
      });
      const syntactic = await client.nextDiagnostics(uri, before, (p) => p.version === last + 1);
      const syntacticAt = Date.now();
      const again = await client.nextDiagnostics(
        uri,
        before,
        (p) => p.version === last + 1 && p.diagnostics.some((d) => d.code === 'GC301'),
      );
      const gap = Date.now() - syntacticAt;
      assert.deepEqual(syntactic.diagnostics, []);
      assert.equal(again.diagnostics.length, 1);
      assert.ok(gap < LOOKUP_DEBOUNCE_MS, `registry findings ${gap} ms after the syntactic publish`);
      assert.deepEqual(client.errorLogs(), []);
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
    }
  });
});
