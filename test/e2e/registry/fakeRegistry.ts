/**
 * A fault-injecting fake registry for the hostile-registry tests: a real HTTP server (Node's
 * `http`, loopback only) speaking enough of the OCI distribution API for inspect and push
 * (manifests by tag/digest, blobs, monolithic uploads, cross-repository mounts, Basic or
 * Bearer auth with its own token endpoint), whose answers a test can replace per request
 * (`fault`): any status/headers/body, a hang, a reset, a dripping or an endless body, an
 * upload `Location` on another origin. The real `docker-registry` stays the reference for
 * correct behaviour (the other files of this folder); this server plays the registry that
 * lies. It needs no Docker environment and starts in milliseconds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeAction =
  | { status: number; headers?: Record<string, string>; body?: string | Buffer }
  | 'hang'
  | 'reset'
  /** Sends `body` `chunk` bytes at a time every `intervalMs` (headers as given: e.g. a lying Content-Length). */
  | { drip: { body: Buffer; chunk: number; intervalMs: number; status?: number; headers?: Record<string, string> } }
  /** Sends 64 KiB chunks for as long as the client reads (`flooded` counts the bytes). */
  | { flood: { status?: number; headers?: Record<string, string> } };

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

export type FakeAuth =
  | { kind: 'none' }
  | { kind: 'basic'; user: string; password: string }
  /** Tokens from `${url}/token` (or another realm the test names in `realm`). */
  | { kind: 'bearer'; user: string; password: string; realm?: string };

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  outcome: string;
}

interface Store {
  blobs: Map<string, Buffer>;
  repos: Map<string, { tags: Map<string, string>; manifests: Map<string, { bytes: Buffer; mediaType: string }>; blobs: Set<string> }>;
  tokens: Set<string>;
}

export interface FakeRegistry {
  readonly host: string;
  readonly url: string;
  readonly log: LoggedRequest[];
  fault: (req: FakeRequest) => FakeAction | undefined;
  auth: FakeAuth;
  /** Cross-repository mounts succeed when true (default); false answers 202 (a new upload) as registries that refuse do. */
  mountAllowed: boolean;
  /** Where upload sessions live (default: this server). Another FakeRegistry sharing the store plays a pre-signed upload host. */
  uploadOrigin?: string;
  /** Bytes sent by `flood` answers so far. */
  flooded: number;
  putBlob(repository: string, bytes: Buffer): string;
  /** Stores bytes under any digest string (a lying registry). */
  putBlobAs(repository: string, digest: string, bytes: Buffer): void;
  blob(digest: string): Buffer | undefined;
  putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): string;
  tagDigest(repository: string, tag: string): string | undefined;
  hasBlob(digest: string): boolean;
  /** A server sharing this one's content (blobs, manifests, tokens): an upload host or a token realm on another origin. */
  sibling(auth?: FakeAuth): Promise<FakeRegistry>;
  stop(): Promise<void>;
}

export function digestOf(bytes: Buffer, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (b: Buffer) => {
      n += b.length;
      if (n > limit) req.destroy(new Error('too large'));
      else chunks.push(b);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ errors: [{ code, message }] });
}

export async function startFakeRegistry(options: { auth?: FakeAuth; store?: Store } = {}): Promise<FakeRegistry> {
  const store: Store = options.store ?? { blobs: new Map(), repos: new Map(), tokens: new Set() };
  const repo = (name: string) => {
    let r = store.repos.get(name);
    if (!r) store.repos.set(name, (r = { tags: new Map(), manifests: new Map(), blobs: new Set() }));
    return r;
  };
  const uploads = new Map<string, string>();
  const siblings: FakeRegistry[] = [];

  const registry: FakeRegistry = {
    host: '',
    url: '',
    log: [],
    fault: () => undefined,
    auth: options.auth ?? { kind: 'none' },
    mountAllowed: true,
    flooded: 0,
    putBlob(repository, bytes) {
      const digest = digestOf(bytes);
      store.blobs.set(digest, bytes);
      repo(repository).blobs.add(digest);
      return digest;
    },
    putBlobAs(repository, digest, bytes) {
      store.blobs.set(digest, bytes);
      repo(repository).blobs.add(digest);
    },
    blob(digest) {
      return store.blobs.get(digest);
    },
    putManifest(repository, reference, bytes, mediaType) {
      const digest = digestOf(bytes);
      const r = repo(repository);
      r.manifests.set(digest, { bytes, mediaType });
      if (!reference.includes(':')) r.tags.set(reference, digest);
      return digest;
    },
    tagDigest(repository, tag) {
      return store.repos.get(repository)?.tags.get(tag);
    },
    hasBlob(digest) {
      return store.blobs.has(digest);
    },
    async sibling(auth) {
      const other = await startFakeRegistry({ auth, store });
      siblings.push(other);
      return other;
    },
    async stop() {
      for (const s of siblings) await s.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  function authorized(req: IncomingMessage): boolean {
    const auth = registry.auth;
    if (auth.kind === 'none') return true;
    const header = req.headers.authorization ?? '';
    if (auth.kind === 'basic') return header === `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
    return header.startsWith('Bearer ') && store.tokens.has(header.slice(7));
  }

  function challenge(res: ServerResponse, scope: string): void {
    const auth = registry.auth;
    const value =
      auth.kind === 'basic'
        ? 'Basic realm="fake"'
        : `Bearer realm="${auth.kind === 'bearer' ? (auth.realm ?? `${registry.url}/token`) : ''}",service="fake",scope="${scope}"`;
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': value });
    res.end(errorBody('UNAUTHORIZED', 'authentication required'));
  }

  async function handle(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest, url: URL): Promise<void> {
    const path = url.pathname;
    const send = (status: number, headers: Record<string, string | number> = {}, body?: Buffer | string) => {
      entry.outcome = String(status);
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (path === '/token') {
      const auth = registry.auth;
      let ok = false;
      if (req.method === 'POST') {
        const form = new URLSearchParams((await readBody(req)).toString());
        ok = form.get('grant_type') === 'refresh_token' && !!form.get('refresh_token');
      } else if (auth.kind !== 'none') {
        ok = req.headers.authorization === `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
      }
      if (!ok) return send(401, { 'Content-Type': 'application/json' }, errorBody('UNAUTHORIZED', 'bad credentials'));
      const token = randomBytes(16).toString('hex');
      store.tokens.add(token);
      return send(200, { 'Content-Type': 'application/json' }, JSON.stringify({ token, expires_in: 300 }));
    }
    if (path === '/v2/' || path === '/v2') {
      if (!authorized(req)) return challenge(res, '');
      return send(200, { 'Content-Type': 'application/json' }, '{}');
    }
    const upload = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/.exec(path);
    const item = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(path);
    const name = upload?.[1] ?? item?.[1] ?? '';
    if (!authorized(req)) {
      await readBody(req).catch(() => undefined);
      return challenge(res, `repository:${name}:${req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'pull,push'}`);
    }
    if (upload && req.method === 'POST' && upload[2] === '') {
      await readBody(req);
      const mount = url.searchParams.get('mount');
      const from = url.searchParams.get('from');
      if (mount && from && registry.mountAllowed && store.repos.get(from)?.blobs.has(mount)) {
        repo(name).blobs.add(mount);
        return send(201, { Location: `/v2/${name}/blobs/${mount}`, 'Docker-Content-Digest': mount });
      }
      const id = randomBytes(8).toString('hex');
      uploads.set(id, name);
      return send(202, { Location: `${registry.uploadOrigin ?? ''}/v2/${name}/blobs/uploads/${id}`, 'Docker-Upload-UUID': id });
    }
    if (upload && req.method === 'PUT') {
      const body = await readBody(req);
      const digest = url.searchParams.get('digest') ?? '';
      const algorithm = digest.startsWith('sha512:') ? 'sha512' : 'sha256';
      if (digestOf(body, algorithm) !== digest)
        return send(400, { 'Content-Type': 'application/json' }, errorBody('DIGEST_INVALID', 'digest mismatch'));
      store.blobs.set(digest, body);
      repo(name).blobs.add(digest);
      return send(201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
    }
    if (item && item[2] === 'blobs' && (req.method === 'GET' || req.method === 'HEAD')) {
      const blob = store.repos.get(name)?.blobs.has(item[3]) ? store.blobs.get(item[3]) : undefined;
      if (!blob) return send(404, { 'Content-Type': 'application/json' }, errorBody('BLOB_UNKNOWN', 'blob unknown'));
      return send(
        200,
        { 'Content-Type': 'application/octet-stream', 'Content-Length': blob.length, 'Docker-Content-Digest': item[3] },
        blob,
      );
    }
    if (item && item[2] === 'manifests' && (req.method === 'GET' || req.method === 'HEAD')) {
      const r = store.repos.get(name);
      const digest = item[3].includes(':') ? item[3] : r?.tags.get(item[3]);
      const m = digest ? r?.manifests.get(digest) : undefined;
      if (!m || !digest) return send(404, { 'Content-Type': 'application/json' }, errorBody('MANIFEST_UNKNOWN', 'manifest unknown'));
      return send(200, { 'Content-Type': m.mediaType, 'Content-Length': m.bytes.length, 'Docker-Content-Digest': digest }, m.bytes);
    }
    if (item && item[2] === 'manifests' && req.method === 'PUT') {
      const bytes = await readBody(req);
      const digest = digestOf(bytes);
      if (item[3].includes(':') && item[3] !== digest)
        return send(400, { 'Content-Type': 'application/json' }, errorBody('DIGEST_INVALID', 'digest mismatch'));
      registry.putManifest(name, item[3], bytes, (req.headers['content-type'] ?? '').split(';')[0]);
      return send(201, { Location: `/v2/${name}/manifests/${digest}`, 'Docker-Content-Digest': digest });
    }
    await readBody(req).catch(() => undefined);
    return send(404, { 'Content-Type': 'application/json' }, errorBody('UNSUPPORTED', `${req.method} ${path}`));
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const entry: LoggedRequest = { method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization, outcome: '' };
    registry.log.push(entry);
    const action = registry.fault({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers });
    if (action === undefined) {
      handle(req, res, entry, url).catch(() => {
        entry.outcome = 'error';
        res.destroy();
      });
      return;
    }
    req.resume();
    if (action === 'hang') {
      entry.outcome = 'hang';
      return;
    }
    if (action === 'reset') {
      entry.outcome = 'reset';
      req.socket.destroy();
      return;
    }
    if ('drip' in action) {
      const { body, chunk, intervalMs, status, headers } = action.drip;
      entry.outcome = 'drip';
      res.writeHead(status ?? 200, headers ?? {});
      let at = 0;
      const timer = setInterval(() => {
        if (at >= body.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(body.subarray(at, at + chunk));
        at += chunk;
      }, intervalMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if ('flood' in action) {
      entry.outcome = 'flood';
      res.writeHead(action.flood.status ?? 200, action.flood.headers ?? {});
      const block = Buffer.alloc(64 * 1024, 0x20);
      let open = true;
      res.on('close', () => (open = false));
      const pump = () => {
        while (open) {
          registry.flooded += block.length;
          if (!res.write(block)) return void res.once('drain', pump);
        }
      };
      pump();
      return;
    }
    entry.outcome = `${action.status} (injected)`;
    res.writeHead(action.status, { 'Content-Type': 'application/json', ...(action.headers ?? {}) });
    res.end(action.body ?? errorBody('UNKNOWN', 'injected by the test'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  (registry as { host: string }).host = `127.0.0.1:${port}`;
  (registry as { url: string }).url = `http://127.0.0.1:${port}`;
  return registry;
}

// ------------------------------------------------------------------ content

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/** Stores a single-platform image (config + one layer) directly; returns its manifest digest and size. */
export function addImage(
  registry: FakeRegistry,
  repository: string,
  tag: string,
  platform: Record<string, unknown>,
  options: { layerBytes?: number; configDescriptor?: Record<string, unknown>; salt?: string } = {},
): { digest: string; size: number; layer: { digest: string; size: number }; config: { digest: string; size: number } } {
  const config = Buffer.from(JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [] }, salt: options.salt ?? tag }));
  const layer = randomBytes(options.layerBytes ?? 1024);
  const configDigest = registry.putBlob(repository, config);
  const layerDigest = registry.putBlob(repository, layer);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: options.configDescriptor ?? { mediaType: DOCKER_CONFIG, size: config.length, digest: configDigest },
      layers: [{ mediaType: DOCKER_LAYER, size: layer.length, digest: layerDigest }],
    }),
  );
  const digest = registry.putManifest(repository, tag, manifest, DOCKER_MANIFEST);
  return {
    digest,
    size: manifest.length,
    layer: { digest: layerDigest, size: layer.length },
    config: { digest: configDigest, size: config.length },
  };
}

/** Stores raw bytes as a manifest under a tag, with the given Content-Type. */
export function addRawManifest(
  registry: FakeRegistry,
  repository: string,
  tag: string,
  body: string | Buffer,
  mediaType = OCI_INDEX,
): string {
  return registry.putManifest(repository, tag, Buffer.isBuffer(body) ? body : Buffer.from(body), mediaType);
}

/** A CLI IO that captures stdout/stderr (test/support/cliIO.ts). */
export { captureIO } from '../../support/cliIO';
