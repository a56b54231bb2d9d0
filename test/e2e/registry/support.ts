/**
 * Real components for the registry end-to-end tests: a `docker-registry` (CNCF distribution)
 * per test file on a free loopback port with its own temp dir (open, htpasswd or token auth),
 * a token server written here (RS256 JWTs signed with a test-made certificate), a fault proxy
 * between client and registry, and synthetic single-arch images pushed as real blobs.
 * Processes are stopped by PID. No fixed sleeps: readiness is polled with a deadline.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { RegistryClient, MediaType, sha256Digest } from '../../../core/src/registry';
import { dockerEnv, ENV_FILE, ROOT, type DockerTestEnv } from '../support/dockerEnv';
import * as tar from 'tar-stream';
import { scratchDir } from '../../support/scratch';
import { GiveUp, waitFor } from '../../support/waitFor';

/**
 * Makes sure a command exists. The project installs it in one place, scripts/env/docker.sh
 * (its NEEDS table; `npm test` runs it before these suites): a test never installs anything
 * itself, so a missing install step fails here, on every machine, instead of being hidden.
 */
export function ensureCommand(command: string, aptPackage: string): void {
  if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command]).status === 0) return;
  throw new Error(
    `${command} is missing (Debian package ${aptPackage}). Install it with 'scripts/env/docker.sh install' ` +
      `(npm test runs it); if it is still missing, add ${command}=${aptPackage} to NEEDS in scripts/env/docker.sh.`,
  );
}

/** An empty scratch folder (the caller removes it). */
export function tempDir(prefix: string): string {
  return scratchDir({}, `gc-${prefix}-`).dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningRegistry {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; users: Record<string, string> }
  | { kind: 'token'; realm: string; service: string; issuer: string; certPath: string };

/** Starts `docker-registry serve` on a free loopback port; resolves when /v2/ answers. */
export async function startRegistry(auth: RegistryAuth = { kind: 'none' }): Promise<RunningRegistry> {
  ensureCommand('docker-registry', 'docker-registry');
  const dir = tempDir('registry');
  const port = await freePort();
  let authYaml = '';
  if (auth.kind === 'htpasswd') {
    ensureCommand('htpasswd', 'apache2-utils');
    const lines = Object.entries(auth.users).map(([u, p]) => execFileSync('htpasswd', ['-Bbn', u, p], { encoding: 'utf8' }).trim());
    writeFileSync(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    authYaml = `auth:\n  htpasswd:\n    realm: green-cloud-test\n    path: ${join(dir, 'htpasswd')}\n`;
  } else if (auth.kind === 'token') {
    authYaml = `auth:\n  token:\n    realm: ${auth.realm}\n    service: ${auth.service}\n    issuer: ${auth.issuer}\n    rootcertbundle: ${auth.certPath}\n`;
  }
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    authYaml,
  ].join('\n');
  writeFileSync(join(dir, 'config.yml'), config);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  const host = `127.0.0.1:${port}`;
  try {
    await waitFor(`docker-registry on ${host}`, async () => {
      if (exited) throw new GiveUp(`docker-registry exited: ${stderr.slice(-2000)}`);
      try {
        const r = await fetch(`http://${host}/v2/`);
        return r.status === 200 || r.status === 401;
      } catch {
        return false;
      }
    });
  } catch (error) {
    if (!exited && child.pid) process.kill(child.pid, 'SIGTERM');
    throw error;
  }
  return {
    host,
    port,
    dir,
    process: child,
    async stop() {
      if (!exited && child.pid) {
        const done = new Promise<void>((r) => child.once('exit', () => r()));
        process.kill(child.pid, 'SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------ token server

export interface TokenServer {
  readonly url: string;
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly certPath: string;
  /** Tokens issued so far (with their scopes). */
  readonly issued: { scopes: string[]; account: string }[];
  /** Seconds a token lives (changeable by a test). */
  expiresIn: number;
  stop(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * A token server as the distribution spec describes it: GET realm?service&scope… with Basic
 * credentials (or POST grant_type=refresh_token with an identity token), answering an RS256
 * JWT whose `access` grants the requested actions; the registry trusts the certificate.
 */
export async function startTokenServer(options: {
  users: Record<string, string>;
  identityTokens?: Record<string, string>;
}): Promise<TokenServer> {
  ensureCommand('openssl', 'openssl');
  const dir = tempDir('token');
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      '/CN=green-cloud-test-token',
    ],
    { stdio: 'ignore' },
  );
  const key = createPrivateKey(readFileSync(keyPath));
  const certDer = new X509Certificate(readFileSync(certPath)).raw;
  const service = 'green-cloud-test';
  const issuer = 'green-cloud-test-issuer';
  const issued: { scopes: string[]; account: string }[] = [];
  const state = { expiresIn: 300 };
  const server: Server = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (b: Buffer) => body.push(b));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      let account: string | undefined;
      let scopes = url.searchParams
        .getAll('scope')
        .flatMap((s) => s.split(' '))
        .filter(Boolean);
      if (req.method === 'POST') {
        const form = new URLSearchParams(Buffer.concat(body).toString());
        const who = Object.entries(options.identityTokens ?? {}).find(([, t]) => t === form.get('refresh_token'));
        account = who?.[0];
        scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
      } else {
        const header = req.headers.authorization ?? '';
        if (header.startsWith('Basic ')) {
          const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString().split(':');
          if (options.users[user] !== undefined && options.users[user] === rest.join(':')) account = user;
        }
      }
      if (!account) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
        return;
      }
      const access = scopes.map((s) => {
        const parts = s.split(':');
        const actions = parts.pop() ?? '';
        const [type, ...name] = parts;
        return { type, name: name.join(':'), actions: actions.split(',').filter(Boolean) };
      });
      const now = Math.floor(Date.now() / 1000);
      const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
      const claims = {
        iss: issuer,
        sub: account,
        aud: service,
        exp: now + state.expiresIn,
        nbf: now - 10,
        iat: now,
        jti: randomBytes(8).toString('hex'),
        access,
      };
      const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
      const token = `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), key))}`;
      issued.push({ scopes, account });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token, access_token: token, expires_in: state.expiresIn, issued_at: new Date().toISOString() }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    realm: `${url}/token`,
    service,
    issuer,
    certPath,
    issued,
    get expiresIn() {
      return state.expiresIn;
    },
    set expiresIn(v: number) {
      state.expiresIn = v;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------ fault proxy

export type ProxyAction =
  | 'pass'
  | 'reset-before'
  | 'reset-after'
  | 'hang'
  /** Forward to another path (e.g. a blob mount without `mount`/`from`: the registry then opens a plain upload, as when it refuses a mount). */
  | { forwardPath: string }
  | { status: number; headers?: Record<string, string>; body?: string };

export interface FaultProxy {
  readonly host: string;
  /** Every request seen: `METHOD path → status|reset`. */
  readonly log: string[];
  /** Decides what happens to each request; `pass` by default. */
  fault: (req: IncomingMessage) => ProxyAction;
  stop(): Promise<void>;
}

/** An HTTP proxy in front of a real registry that can fail chosen requests. */
export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  const log: string[] = [];
  const proxy: FaultProxy = {
    host: '',
    log,
    fault: () => 'pass',
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const action = proxy.fault(req);
    const line = `${req.method} ${req.url}`;
    if (action === 'reset-before') {
      log.push(`${line} → reset`);
      req.socket.destroy();
      return;
    }
    if (action === 'hang') {
      // Never answers: the client's timeout must fire (the socket is closed when the proxy stops).
      log.push(`${line} → hang`);
      req.resume();
      return;
    }
    const forwardPath = typeof action === 'object' && 'forwardPath' in action ? action.forwardPath : req.url;
    if (typeof action === 'object' && 'status' in action) {
      log.push(`${line} → ${action.status} (injected)`);
      req.resume();
      res.writeHead(action.status, { 'Content-Type': 'application/json', ...(action.headers ?? {}) });
      res.end(action.body ?? JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected by the test proxy' }] }));
      return;
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: forwardPath, headers: req.headers },
      (up) => {
        if (action === 'reset-after') {
          // The registry did the work; the client never hears about it.
          up.resume();
          up.on('end', () => {
            log.push(`${line} → ${up.statusCode} then reset`);
            req.socket.destroy();
          });
          return;
        }
        log.push(`${line} → ${up.statusCode}${forwardPath !== req.url ? ` (forwarded as ${forwardPath})` : ''}`);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  (proxy as { host: string }).host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

// ------------------------------------------------------------------ synthetic images

/** A layer tarball holding one file (tar-stream, as the build context is packed), with a fixed mtime so its bytes are stable. */
async function tarFile(name: string, content: Buffer): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name, mode: 0o644, uid: 0, gid: 0, mtime: new Date(Date.UTC(2024, 0, 1)) }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface SyntheticImage {
  readonly reference: string;
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
  readonly configDigest: string;
}

/**
 * Pushes a small single-platform image (a layer tarball holding /platform.txt and a config
 * with architecture/os/variant) through the registry client: real registry content.
 */
export async function pushSyntheticImage(
  client: RegistryClient,
  repository: string,
  tag: string,
  platform: { os: string; architecture: string; variant?: string; 'os.version'?: string; 'os.features'?: string[] },
  options: { oci?: boolean; salt?: string } = {},
): Promise<SyntheticImage> {
  const text = Buffer.from(
    `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''} ${options.salt ?? ''}\n`,
  );
  const tarball = await tarFile('platform.txt', text);
  const layer = gzipSync(tarball);
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      created: '2024-01-01T00:00:00Z',
      config: { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: [sha256Digest(tarball)] },
      history: [{ created_by: 'green-cloud test' }],
    }),
  );
  const layerDigest = await client.pushBlob(repository, layer);
  const configDigest = await client.pushBlob(repository, config);
  const mediaType = options.oci ? MediaType.ociManifest : MediaType.dockerManifest;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: options.oci ? MediaType.ociConfig : MediaType.dockerConfig, size: config.length, digest: configDigest },
      layers: [{ mediaType: options.oci ? MediaType.ociLayerGzip : MediaType.dockerLayer, size: layer.length, digest: layerDigest }],
    }),
  );
  const digest = await client.putManifest(repository, tag, manifest, mediaType);
  return { reference: `${client.registry}/${repository}:${tag}`, digest, size: manifest.length, mediaType, configDigest };
}

/** Pushes an index (e.g. buildx-style: images + an attestation entry) by tag. */
export async function pushIndex(
  client: RegistryClient,
  repository: string,
  tag: string,
  manifests: Record<string, unknown>[],
): Promise<string> {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }));
  return client.putManifest(repository, tag, bytes, MediaType.ociIndex);
}

/** Writes a Docker config dir with the given config.json and returns its path. */
export function dockerConfigDir(config: unknown): string {
  const dir = tempDir('docker-config');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

/** A `docker-credential-NAME` script in its own dir (prepend the dir to PATH). */
export function credentialHelper(
  name: string,
  answers: Record<string, { Username: string; Secret: string }>,
): { dir: string; calls: string } {
  const dir = tempDir('cred-helper');
  const calls = join(dir, 'calls.log');
  const table = join(dir, 'answers.json');
  writeFileSync(table, JSON.stringify(answers));
  const script = `#!/usr/bin/env node
const fs = require('fs');
const input = fs.readFileSync(0, 'utf8').trim();
fs.appendFileSync(${JSON.stringify(calls)}, process.argv.slice(2).join(' ') + ' ' + input + '\\n');
const answers = JSON.parse(fs.readFileSync(${JSON.stringify(table)}, 'utf8'));
if (process.argv[2] !== 'get') process.exit(1);
if (!answers[input]) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
process.stdout.write(JSON.stringify({ ServerURL: input, ...answers[input] }));
`;
  const path = join(dir, `docker-credential-${name}`);
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return { dir, calls };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The Docker environment of scripts/env/docker.sh. Missing under CI=true: a failure. Otherwise
 * it is started here (reference-counted; call the returned stop when `startedHere`).
 */
export function ensureDockerEnvironment(): { env: DockerTestEnv; startedHere: boolean } {
  if (existsSync(ENV_FILE)) return { env: dockerEnv(), startedHere: false };
  if (process.env.CI === 'true')
    throw new Error(`${ENV_FILE} is missing: CI=true needs the Docker environment (scripts/env/docker.sh start).`);
  execFileSync(join(ROOT, 'scripts/env/docker.sh'), ['start'], { stdio: 'inherit' });
  return { env: dockerEnv(), startedHere: true };
}
