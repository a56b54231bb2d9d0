/**
 * A minimal real LSP client for the protocol tests: starts `dist/server.js` as a child process
 * (stdio or node IPC), speaks JSON-RPC through vscode-languageserver-protocol, answers the
 * server's requests (workspace/configuration, client/registerCapability) and records every
 * publishDiagnostics so tests can wait for one with a deadline (no sleeps).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ConfigurationRequest,
  createProtocolConnection,
  ExitNotification,
  HoverRequest,
  type Hover,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type ConfigurationItem,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
} from 'vscode-languageserver-protocol/node';

export const ROOT = resolve(__dirname, '../..');
export const SERVER = join(ROOT, 'dist/server.js');

/** Generous, only to turn a hang into a clear failure. */
export const DEADLINE_MS = 20_000;

export function requireBuiltServer(): void {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run 'npm run build' first (npm test builds it before this suite).`);
}

export interface StartOptions {
  readonly transport: 'stdio' | 'ipc';
  /** Advertise workspace/configuration (the server then pulls settings per document). */
  readonly configuration: boolean;
  readonly initializationOptions?: unknown;
  /** Registry lookups (server/src/lookups); off by default: tests reach only loopback registries. */
  readonly registryLookups?: boolean;
}

export class LspClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly configurationRequests: ConfigurationItem[][] = [];
  readonly registrations: Registration[] = [];
  /** The `greenCloud` section returned to workspace/configuration. */
  settings: unknown = {};
  stderr = '';
  initializeResult: InitializeResult | undefined;
  private readonly waiters = new Set<() => void>();
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      this.notify();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.push(params);
      this.notify();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params);
      this.notify();
    });
    connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests.push(params.items);
      this.notify();
      return params.items.map((item) => (item.section === 'greenCloud' ? this.settings : null));
    });
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      this.notify();
    });
    connection.listen();
  }

  static async start(options: StartOptions): Promise<LspClient> {
    requireBuiltServer();
    let child: ChildProcess;
    let connection: ProtocolConnection;
    const env = { ...process.env, GREEN_CLOUD_OFFLINE: options.registryLookups ? '0' : '1' };
    if (options.transport === 'stdio') {
      child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
      connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    } else {
      child = fork(SERVER, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'], env });
      connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    }
    const client = new LspClient(child, connection);
    const capabilities: ClientCapabilities = {
      workspace: { configuration: options.configuration, didChangeConfiguration: { dynamicRegistration: options.configuration } },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
      },
    };
    client.initializeResult = await client.within(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        capabilities,
        initializationOptions: options.initializationOptions,
        workspaceFolders: null,
      }),
      'initialize',
    );
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** The server's hover at line:character (0-based), within the deadline. */
  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.within(this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }), 'hover');
  }

  /** Rejects when `promise` does not settle before the deadline, or the server exits first. */
  within<T>(promise: Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${what}: no answer within ${DEADLINE_MS} ms\nserver stderr: ${this.stderr}`)),
        DEADLINE_MS,
      );
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolvePromise(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Waits until `check` returns a value (re-checked on every message from the server). */
  waitUntil<T>(what: string, check: () => T | undefined): Promise<T> {
    return new Promise<T>((resolvePromise, reject) => {
      const done = (): void => {
        this.waiters.delete(poll);
        clearTimeout(timer);
      };
      const poll = (): void => {
        const value = check();
        if (value !== undefined) {
          done();
          resolvePromise(value);
        } else if (this.exited) {
          done();
          reject(new Error(`${what}: the server exited (${JSON.stringify(this.exited)})\nstderr: ${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `${what}: not within ${DEADLINE_MS} ms; diagnostics so far: ${JSON.stringify(this.diagnostics.map((d) => [d.uri, d.version, d.diagnostics.map((x) => x.code)]))}\nstderr: ${this.stderr}`,
          ),
        );
      }, DEADLINE_MS);
      this.waiters.add(poll);
      poll();
    });
  }

  /** The first publishDiagnostics for `uri` received after message number `since` that passes `accept`. */
  nextDiagnostics(
    uri: string,
    since: number,
    accept: (p: PublishDiagnosticsParams) => boolean = () => true,
  ): Promise<PublishDiagnosticsParams> {
    return this.waitUntil(`diagnostics for ${uri}`, () => this.diagnostics.slice(since).find((p) => p.uri === uri && accept(p)));
  }

  /** Error-level log messages (a rule or the server failing). */
  errorLogs(): string[] {
    return this.logs.filter((l) => l.type === MessageType.Error).map((l) => l.message);
  }

  get exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exited;
  }

  /** shutdown + exit, then waits for the process to end; resolves to its exit code. */
  async stop(): Promise<number | null> {
    await this.within(this.connection.sendRequest(ShutdownRequest.type), 'shutdown');
    await this.connection.sendNotification(ExitNotification.type);
    const status = await this.waitUntil('server exit', () => this.exited);
    this.connection.dispose();
    return status.code;
  }

  /** Last resort in `after` hooks: kill the process if a test left it running. */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
    this.connection.dispose();
  }
}
