/**
 * Registry lookups over LSP stdio (`node dist/server.js --stdio`), against a real loopback
 * `docker-registry` and the fault-injecting fake registry: syntactic diagnostics first and
 * unchanged, registry findings (GC108) in a second publish, the hover on FROM, and a registry
 * that never answers: diagnostics still within a second, the server keeps answering, and the
 * only trace is a note in the output.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  MessageType,
  type MarkupContent,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { RegistryClient } from '../../core/src/registry';
import { addImage, startFakeRegistry, type FakeRegistry } from '../e2e/registry/fakeRegistry';
import { dockerConfigDir, freePort, pushSyntheticImage, startRegistry, tempDir, type RunningRegistry } from '../e2e/registry/support';
import { LspClient } from './lspClient';

function codes(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics.map((d) => String(d.code));
}

async function open(client: LspClient, uri: string, text: string): Promise<{ first: PublishDiagnosticsParams; ms: number; since: number }> {
  const since = client.diagnostics.length;
  const started = Date.now();
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text },
  });
  const first = await client.nextDiagnostics(uri, since);
  return { first, ms: Date.now() - started, since };
}

describe('registry lookups in the language server (LSP stdio)', () => {
  let registry: RunningRegistry;
  let fake: FakeRegistry;
  const cleanup: string[] = [];
  const savedDockerConfig = process.env.DOCKER_CONFIG;

  before(async () => {
    registry = await startRegistry();
    const c = new RegistryClient(registry.host);
    await pushSyntheticImage(c, 'someorg/tool', '1', { os: 'linux', architecture: 'amd64' });
    fake = await startFakeRegistry();
    addImage(fake, 'slow/app', '1', { os: 'linux', architecture: 'amd64' });
    const config = dockerConfigDir({});
    cleanup.push(config);
    process.env.DOCKER_CONFIG = config; // the server (a child process) reads no login of this machine
  });
  after(async () => {
    if (savedDockerConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedDockerConfig;
    await registry?.stop();
    await fake?.stop();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  });

  async function start(settings: unknown = {}): Promise<LspClient> {
    const cacheDirectory = tempDir('lsp-lookups');
    cleanup.push(cacheDirectory);
    return LspClient.start({
      transport: 'stdio',
      configuration: false,
      registryLookups: true,
      initializationOptions: { cacheDirectory, settings },
    });
  }

  it('publishes the syntactic diagnostics first, then GC108 in a second publish; the hover shows the platforms', async () => {
    const client = await start();
    try {
      const uri = 'file:///work/lookups/Dockerfile';
      const image = `${registry.host}/someorg/tool:1`;
      const text = `FROM ${image}\nRUN tool --version\n`;
      const { first, since } = await open(client, uri, text);
      assert.deepEqual(codes(first), [], 'the syntactic publish is unchanged (nothing in the name says amd64)');
      const second = await client.nextDiagnostics(uri, since, (p) => p.diagnostics.some((d) => d.code === 'GC108'));
      assert.equal(second.version, 1);
      assert.equal(
        second.diagnostics[0].message,
        `Base image '${image}' is a single linux/amd64 image; the linux/arm64 and linux/arm/v7 builds get amd64 binaries. Use a base published for every target, or build those platforms FROM another image.`,
      );
      const h = await client.hover(uri, 0, 10);
      assert.ok(h, 'a hover on the FROM image');
      const md = (h.contents as MarkupContent).value;
      assert.match(md, /is a single-platform image/);
      assert.match(md, /\| linux\/amd64 \| \d+(\.\d)? (B|KiB) \|/);
      assert.match(md, /missing linux\/arm64, linux\/arm\/v7/);
      assert.match(md, /Looked up .*from the cache/);
      assert.equal(await client.hover(uri, 1, 3), null, 'no hover on RUN');
      // Typing elsewhere in the file: the known answer comes back right after the syntactic publish (no blink for a quiet time).
      const before = client.diagnostics.length;
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: `${text}RUN echo more\n` }],
      });
      const syntactic = await client.nextDiagnostics(uri, before, (p) => p.version === 2);
      const syntacticAt = Date.now();
      const again = await client.nextDiagnostics(uri, before, (p) => p.version === 2 && p.diagnostics.some((d) => d.code === 'GC108'));
      assert.deepEqual(codes(syntactic), []);
      assert.ok(Date.now() - syntacticAt < 200, `registry findings ${Date.now() - syntacticAt} ms after the syntactic publish`);
      assert.equal(again.diagnostics.length, 1);
      assert.deepEqual(client.errorLogs(), []);
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
    }
  });

  it('a registry that never answers: diagnostics within a second, the server keeps answering, a note in the output only', async () => {
    fake.fault = () => 'hang';
    const client = await start();
    try {
      const uri = 'file:///work/hang/Dockerfile';
      const text = `FROM ${fake.host}/slow/app:1\nRUN ./configure\nFROM arm64v8/alpine:3.20\n`;
      const { first, ms } = await open(client, uri, text);
      assert.deepEqual(codes(first), ['GC101']);
      assert.ok(ms < 1000, `syntactic diagnostics after ${ms} ms`);
      // While the lookup hangs: an edit is diagnosed within a second, code actions are answered.
      const since = client.diagnostics.length;
      const started = Date.now();
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: `${text}FROM arm32v7/debian\n` }],
      });
      const edited = await client.nextDiagnostics(uri, since, (p) => p.version === 2);
      assert.ok(Date.now() - started < 1000, `diagnostics of the edit after ${Date.now() - started} ms`);
      assert.deepEqual(codes(edited), ['GC101']);
      assert.equal(edited.diagnostics[0].range.start.line, 3, 'the new last stage is the one built');
      const actions = await client.within(
        client.connection.sendRequest(CodeActionRequest.type, {
          textDocument: { uri },
          range: edited.diagnostics[0].range,
          context: { diagnostics: [edited.diagnostics[0]] },
        }),
        'code actions while a lookup hangs',
      );
      assert.ok(actions && actions.length > 0);
      // The lookup gives up after its short timeouts: a warning in the output, no new diagnostic.
      const note = await client.waitUntil('the note in the output', () =>
        client.logs.find((l) => l.type === MessageType.Warning && l.message.startsWith(`No answer from ${fake.host} (timed out).`)),
      );
      assert.match(
        note.message,
        /until it answers; first seen for .*\/slow\/app:1\. Offline\? Set greenCloud\.registry\.lookups to false\.$/,
      );
      assert.ok(
        client.diagnostics.filter((p) => p.uri === uri).every((p) => !p.diagnostics.some((d) => d.code === 'GC108' || d.code === 'GC109')),
        'an unanswered lookup never becomes a diagnostic',
      );
      assert.deepEqual(client.errorLogs(), []);
      assert.equal(await client.stop(), 0);
    } finally {
      fake.fault = () => undefined;
      client.kill();
    }
  });

  it('a registry that refuses: one note for all its images, none again on an edit; a short hover that names the setting', async () => {
    const host = `127.0.0.1:${await freePort()}`; // nothing listens there
    const other = `127.0.0.1:${await freePort()}`;
    const client = await start();
    try {
      const uri = 'file:///work/refused/Dockerfile';
      const text = ['alpine:3.7', 'debian:12', 'node:20'].map((i, n) => `FROM ${host}/library/${i} AS s${n}\nRUN true\n`).join('');
      await open(client, uri, text);
      const notes = (h: string) =>
        client.logs.filter((l) => l.type === MessageType.Warning && l.message.startsWith(`No answer from ${h} `));
      const [note] = await client.waitUntil('the note in the output', () => (notes(host).length > 0 ? notes(host) : undefined));
      assert.match(
        note.message,
        new RegExp(
          `^No answer from ${host.replace(/\./g, '\\.')} \\(connection refused\\)\\. Images from .* until it answers; first seen for .*\\. Start the registry, or set greenCloud\\.registry\\.lookups to false\\.$`,
        ),
      );
      // An edit looks the bases up again (answered from memory): no second note. The note for a new
      // registry in the same run shows that run is over.
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: `${text}FROM ${other}/team/app:1\n` }],
      });
      await client.waitUntil('the note for the other registry', () => notes(other)[0]);
      assert.equal(
        notes(host).length,
        1,
        notes(host)
          .map((l) => l.message)
          .join('\n'),
      );
      const h = await client.hover(uri, 0, 8);
      assert.equal(
        (h?.contents as MarkupContent).value,
        `No answer from ${host} (connection refused). Its platforms are not checked. Start the registry, or set \`greenCloud.registry.lookups\` to false.`,
      );
      assert.deepEqual(client.errorLogs(), []);
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
    }
  });

  it('greenCloud.registry.lookups = false: no request to the registry, the hover says lookups are off', async () => {
    const before = fake.log.length;
    const client = await start({ registry: { lookups: false } });
    try {
      const uri = 'file:///work/off/Dockerfile';
      const text = `FROM ${fake.host}/slow/app:1\n`;
      const { first } = await open(client, uri, text);
      assert.deepEqual(codes(first), []);
      const h = await client.hover(uri, 0, 8);
      assert.match((h?.contents as MarkupContent).value, /registry lookups are off/);
      assert.equal(fake.log.length, before, 'no request reached the registry');
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
    }
  });
});
