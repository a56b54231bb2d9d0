// Bench section `lsp`: edit→diagnostics latency over LSP stdio, the typing path as an editor sees
// it. Our language server (server/src/server.ts bundled and minified as `npm run package` ships
// it) against dockerfile-language-server-nodejs (the peer: the server behind VS Code's Docker
// extensions, its own `docker-langserver --stdio`), both driven by the same JSON-RPC client in
// the same run, on the generated Dockerfiles of the `lint` section (1,000 and 10,000
// instructions; 100 too unless --quick).
//
// Each server gets a client that announces workspace/configuration (as VS Code does) and answers
// it, opens the file, then receives one incremental didChange per iteration: a character typed at
// the end of a RUN line in the middle of the file (every text differs from the ones before, so a
// server cannot answer from a cache of earlier texts). The time is from sending the change
// to the arrival (parsed) of the publishDiagnostics that answers it: ours carries the document
// version; the peer publishes without one, so its next publish for the URI. Iterations
// interleave the two servers, alternating who goes first. Also shown: each server's CPU time per
// edit (user + system from /proc, Linux only; it counts GC helper threads and does not depend
// on how busy the machine is, unlike wall time), the publish size, and the codeAction round trip
// at the first diagnostic (ours). Target (issue 12): our median <= 0.5x the
// peer's at 1,000 and 10,000 instructions, and under 16 ms at 1,000.
//
// Before/after: GREEN_CLOUD_BENCH_BASELINE=<git revision> also runs our server as bundled from
// that revision (`base`), interleaved with the other two, and shows ours/base (same run, same load).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateDockerfile } from './lint.mjs';
import { bundle, median, ms, percentile, table } from './lib.mjs';

const root = new URL('../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');

const PEER_BIN = join(root, 'node_modules/dockerfile-language-server-nodejs/bin/docker-langserver');
const DEADLINE_MS = 60_000;

/**
 * Bundles server/src/server.ts as esbuild.mjs --production does, into `dir`.
 * @param {string} dir
 */
export async function bundleServer(dir) {
  const outfile = join(dir, 'server.js');
  await bundle({ entryPoints: [join(root, 'server/src/server.ts')], outfile, external: ['vscode'] });
  return outfile;
}

/** @typedef {import('vscode-languageserver-protocol').PublishDiagnosticsParams} PublishDiagnosticsParams */
/**
 * @typedef {object} BenchServer
 * @property {string} name
 * @property {import('node:child_process').ChildProcessWithoutNullStreams} child
 * @property {import('vscode-languageserver-protocol').ProtocolConnection} connection
 * @property {() => string} stderr
 * @property {Map<string, PublishDiagnosticsParams>} last
 * @property {number} configurationRequests
 * @property {(uri: string, accept?: (params: PublishDiagnosticsParams) => boolean) => Promise<{ params: PublishDiagnosticsParams, at: number }>} nextPublish
 * @property {() => Promise<void>} stop
 */

/**
 * Bundles server/src/server.ts as of git revision `rev` (its server/ and core/ trees) into `dir`.
 * @param {string} rev
 * @param {string} dir
 * @returns {Promise<string>}
 */
export async function bundleBaseline(rev, dir) {
  const tree = join(dir, 'tree');
  execFileSync('mkdir', ['-p', tree]);
  execFileSync('sh', ['-c', 'git -C "$1" archive "$2" server core package.json | tar -x -C "$3"', 'sh', root, rev, tree]);
  const outfile = join(dir, 'baseline.js');
  await bundle({
    entryPoints: [join(tree, 'server/src/server.ts')],
    outfile,
    external: ['vscode'],
    nodePaths: [join(root, 'node_modules')],
  });
  return outfile;
}

/**
 * Starts `node script --stdio`, initializes it as a VS Code-like client would.
 * @param {string} name
 * @param {string} script
 * @param {string[]} [extraArgs]
 * @returns {Promise<BenchServer>}
 */
export async function startServer(name, script, extraArgs = []) {
  // GREEN_CLOUD_OFFLINE=1: the bench file's bases (alpine, golang…) are never looked up; a bench
  // reaches nothing but loopback, and the typing path is measured without registry work.
  const child = spawn(process.execPath, [...extraArgs, script, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, GREEN_CLOUD_OFFLINE: '1' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  /** @type {Map<string, { accept: (params: PublishDiagnosticsParams) => boolean, resolve: (value: { params: PublishDiagnosticsParams, at: number }) => void }>} */
  const waiters = new Map();
  const server = /** @type {BenchServer} */ ({ name, child, connection, stderr: () => stderr, last: new Map(), configurationRequests: 0 });
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
    const at = performance.now();
    server.last.set(params.uri, params);
    const waiter = waiters.get(params.uri);
    if (waiter && waiter.accept(params)) {
      waiters.delete(params.uri);
      waiter.resolve({ params, at });
    }
  });
  connection.onRequest(rpc.ConfigurationRequest.type, (params) => {
    server.configurationRequests++;
    return params.items.map((item) => (item.section === 'greenCloud' ? {} : null));
  });
  connection.onRequest(rpc.RegistrationRequest.type, () => undefined);
  connection.onNotification(rpc.LogMessageNotification.type, () => undefined);
  connection.onNotification(rpc.TelemetryEventNotification.type, () => undefined);
  connection.listen();
  /** The next publish for `uri` that passes `accept`: {params, at}. */
  server.nextPublish = (uri, accept = () => true) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name}: no diagnostics for ${uri} within ${DEADLINE_MS} ms\n${stderr}`)),
        DEADLINE_MS,
      );
      waiters.set(uri, {
        accept,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
      });
    });
  await connection.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } },
          isPreferredSupport: true,
          dataSupport: true,
          resolveSupport: { properties: ['edit'] },
        },
      },
    },
  });
  await connection.sendNotification(rpc.InitializedNotification.type, {});
  server.stop = async () => {
    try {
      await Promise.race([connection.sendRequest(rpc.ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await connection.sendNotification(rpc.ExitNotification.type);
    } catch {
      /* already gone */
    }
    const exited = /** @type {Promise<void>} */ (new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r))));
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    connection.dispose();
  };
  return server;
}

/**
 * CPU milliseconds (user + system) used so far by process `pid`, or NaN where /proc is absent.
 * @param {number | undefined} pid
 */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/**
 * The line (0-based) of the first `RUN echo $TARGETARCH` near the middle of `text`.
 * @param {string} text
 */
function editLine(text) {
  const lines = text.split('\n');
  const middle = Math.floor(lines.length / 2);
  for (let i = middle; i < lines.length; i++) if (lines[i].startsWith('RUN ')) return { line: i, length: lines[i].length };
  for (let i = middle; i >= 0; i--) if (lines[i].startsWith('RUN ')) return { line: i, length: lines[i].length };
  throw new Error('no RUN line to edit');
}

/**
 * One document session on a server: open, then `edit(k)` types / deletes a character.
 * @param {BenchServer} server
 * @param {string} uri
 * @param {string} text
 */
export async function openDocument(server, uri, text) {
  const { line, length: start } = editLine(text);
  let length = start;
  let version = 1;
  const first = server.nextPublish(uri, (p) => p.version === undefined || p.version === 1);
  await server.connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'dockerfile', version, text },
  });
  await first;
  return {
    /**
     * Sends one change; resolves to the edit→publish milliseconds and the publish.
     * @param {number} k
     */
    async edit(k) {
      version++;
      const v = version;
      const end = { line, character: length };
      const change = { range: { start: end, end }, text: 'abcdefghijklmnopqrstuvwxyz'[k % 26] };
      length++;
      const published = server.nextPublish(uri, (p) => p.version === undefined || p.version === v);
      const start = performance.now();
      await server.connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: v },
        contentChanges: [change],
      });
      const { params, at } = await published;
      return { ms: at - start, params };
    },
    async codeAction() {
      const diagnostic = server.last.get(uri)?.diagnostics[0];
      if (!diagnostic) return undefined;
      const start = performance.now();
      const actions = await server.connection.sendRequest(rpc.CodeActionRequest.type, {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
      let resolved = 0;
      // codeActionLiteralSupport: the servers answer CodeActions, not Commands.
      for (const action of /** @type {import('vscode-languageserver-protocol').CodeAction[]} */ (actions ?? [])) {
        if (!action.edit && action.data !== undefined) {
          await server.connection.sendRequest(rpc.CodeActionResolveRequest.type, action);
          resolved++;
        }
      }
      return { ms: performance.now() - start, actions: actions?.length ?? 0, resolved };
    },
  };
}

/** @typedef {'ours' | 'peer' | 'base'} Who */
/** @typedef {Awaited<ReturnType<typeof openDocument>>} BenchDocument */

const bytes = (/** @type {unknown} */ params) => Buffer.byteLength(JSON.stringify(params));

/** @type {import('./lib.mjs').BenchSection} */
export const section = {
  name: 'lsp',
  description: 'edit→diagnostics latency over LSP stdio vs dockerfile-language-server-nodejs on 1,000 / 10,000 instructions',
  async run({ quick = false } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'green-cloud-bench-lsp-'));
    const servers = [];
    try {
      const ourScript = await bundleServer(dir);
      const ours = await startServer('ours', ourScript);
      servers.push(ours);
      const peer = await startServer('peer', PEER_BIN);
      servers.push(peer);
      const baselineRev = process.env.GREEN_CLOUD_BENCH_BASELINE;
      const base = baselineRev ? await startServer('base', await bundleBaseline(baselineRev, dir)) : undefined;
      if (base) servers.push(base);
      const who = servers.map((s) => /** @type {Who} */ (s.name));
      const plan = [
        ...(quick ? [] : [{ size: 100, warmup: 30, iterations: 200 }]),
        { size: 1000, warmup: quick ? 10 : 30, iterations: quick ? 30 : 150 },
        { size: 10000, warmup: quick ? 2 : 5, iterations: quick ? 8 : 30 },
      ];
      const rows = [];
      const results = [];
      for (const { size, warmup, iterations } of plan) {
        const text = generateDockerfile(size);
        const uri = `file:///bench/${size}/Dockerfile`;
        const docs = [];
        for (const server of servers) docs.push(await openDocument(server, uri, text));
        const [a] = docs;
        /** @type {Record<Who, number[]>} */
        const times = { ours: [], peer: [], base: [] };
        /** @type {Record<Who, number>} */
        const cpu = { ours: 0, peer: 0, base: 0 };
        /** @type {Record<Who | `${Who}Count`, number>} */
        const size_ = { ours: 0, peer: 0, base: 0, oursCount: 0, peerCount: 0, baseCount: 0 };
        for (let k = 0; k < warmup + iterations; k++) {
          if (k === warmup) servers.forEach((s, i) => (cpu[who[i] ?? 'ours'] = -cpuMs(s.child.pid)));
          // Interleave, rotating who goes first, so drift, GC and other load hit all alike.
          for (let j = 0; j < servers.length; j++) {
            const i = (j + k) % servers.length;
            const { ms: t, params } = await docs[i].edit(k);
            if (k >= warmup) times[who[i]].push(t);
            if (k === warmup) {
              size_[who[i]] = bytes(params);
              size_[`${who[i]}Count`] = params.diagnostics.length;
            }
          }
        }
        servers.forEach((s, i) => (cpu[who[i] ?? 'ours'] += cpuMs(s.child.pid)));
        const action = await a.codeAction();
        const stats = (/** @type {number[]} */ x) => ({ median: median(x), p90: percentile(x, 90), min: Math.min(...x) });
        const result = {
          size,
          iterations,
          ours: { ...stats(times.ours), cpu: cpu.ours / iterations },
          peer: { ...stats(times.peer), cpu: cpu.peer / iterations },
          ...(base ? { base: { ...stats(times.base), cpu: cpu.base / iterations } } : {}),
          publish: size_,
          action,
        };
        results.push(result);
        rows.push([
          size.toLocaleString('en-US'),
          iterations,
          ms(result.ours.median),
          ms(result.ours.p90),
          ms(result.ours.min),
          ms(result.ours.cpu),
          ms(result.peer.median),
          ms(result.peer.p90),
          ms(result.peer.min),
          ms(result.peer.cpu),
          (result.ours.median / result.peer.median).toFixed(2),
          `${size_.oursCount}/${size_.peerCount}`,
          `${(size_.ours / 1024).toFixed(1)}/${(size_.peer / 1024).toFixed(1)}`,
          action ? `${ms(action.ms)} (${action.actions}${action.resolved ? `, ${action.resolved} resolved` : ''})` : '-',
          ...(result.base
            ? [ms(result.base.median), ms(result.base.min), ms(result.base.cpu), (result.ours.median / result.base.median).toFixed(2)]
            : []),
        ]);
      }
      const load = loadavg()[0];
      console.log(
        `node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} cores, load ${load.toFixed(1)}; times in ms from didChange sent to publishDiagnostics received (median, p90, minimum; server CPU per edit, mean)`,
      );
      console.log(
        'ours = server/src/server.ts bundled minified, --stdio; peer = dockerfile-language-server-nodejs docker-langserver --stdio; one character typed per iteration',
      );
      table(
        [
          'instructions',
          'runs',
          'ours med',
          'ours p90',
          'ours min',
          'ours cpu',
          'peer med',
          'peer p90',
          'peer min',
          'peer cpu',
          'ratio (med)',
          'diagnostics ours/peer',
          'publish KB ours/peer',
          'codeAction ms (actions)',
          ...(base ? ['base med', 'base min', 'base cpu', 'ours/base (med)'] : []),
        ],
        rows,
      );
      if (load > cpus().length)
        console.log(
          `note: load average ${load.toFixed(1)} exceeds the ${cpus().length} cores; wall times include waiting for other processes.`,
        );
      if (base) console.log(`base = our server bundled from git revision ${baselineRev}, run interleaved with the others`);
      console.log(
        `workspace/configuration requests during the run: ours ${ours.configurationRequests}, peer ${peer.configurationRequests}`,
      );
      const thousand = /** @type {(typeof results)[number]} */ (results.find((r) => r.size === 1000)); // the plan has 1,000
      const ratioOk = results.filter((r) => r.size >= 1000).every((r) => r.ours.median / r.peer.median <= 0.5);
      console.log(
        `target ratio <= 0.5 at 1,000 and 10,000 instructions: ${ratioOk ? 'met' : 'NOT met'}; target < 16 ms at 1,000 instructions: ${thousand.ours.median < 16 ? 'met' : 'NOT met'} (median ${ms(thousand.ours.median)} ms)`,
      );
      return results;
    } finally {
      for (const s of servers) await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
