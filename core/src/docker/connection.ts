/**
 * Docker engine endpoints: resolving the host (setting → DOCKER_HOST → default socket),
 * connecting through dockerode, and turning connection failures into messages that name the
 * address and the next step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { EngineError, type EngineEndpoint } from './types';

export const DEFAULT_DOCKER_HOST = process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';

const SCHEMES = ['unix:', 'tcp:', 'ssh:', 'npipe:', 'http:', 'https:'];

/** Throws EngineError unless the host is a supported engine address. */
export function validateEngineHost(host: string): void {
  const h = host.trim();
  const scheme = /^([a-z]+:)\/\//.exec(h)?.[1];
  if (!scheme || !SCHEMES.includes(scheme)) {
    throw new EngineError(
      `'${host}' is not a Docker engine address (expected unix:///path, tcp://host:port, ssh://user@host or npipe:////./pipe/name).`,
      host,
    );
  }
  if ((scheme === 'unix:' || scheme === 'npipe:') && h.length <= scheme.length + 2) {
    throw new EngineError(`'${host}' names no socket path (e.g. unix:///var/run/docker.sock).`, host);
  }
  if (scheme !== 'unix:' && scheme !== 'npipe:') {
    let url: URL;
    try {
      url = new URL(h);
    } catch {
      throw new EngineError(`'${host}' is not a valid engine URL (expected e.g. tcp://192.168.1.20:2375).`, host);
    }
    if (!url.hostname) throw new EngineError(`'${host}' names no host (expected e.g. tcp://192.168.1.20:2375).`, host);
  }
}

/** The engine to use: the explicit setting, else DOCKER_HOST, else the platform's default socket. */
export function resolveEngineHost(
  host: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): EngineEndpoint {
  const explicit = host?.trim();
  if (explicit) {
    validateEngineHost(explicit);
    return { host: explicit, label: explicit };
  }
  const fromEnv = env.DOCKER_HOST?.trim();
  if (fromEnv) {
    validateEngineHost(fromEnv);
    return { host: fromEnv, label: fromEnv };
  }
  return { host: DEFAULT_DOCKER_HOST, label: 'local' };
}

/** dockerode options for an engine address. */
export function dockerOptions(host: string, env: Readonly<Record<string, string | undefined>> = process.env): Docker.DockerOptions {
  validateEngineHost(host);
  const h = host.trim();
  if (h.startsWith('unix://')) return { socketPath: h.slice('unix://'.length) };
  if (h.startsWith('npipe://')) return { socketPath: h.slice('npipe://'.length) };
  const url = new URL(h);
  if (url.protocol === 'ssh:') {
    return {
      protocol: 'ssh',
      host: url.hostname,
      port: url.port ? Number(url.port) : 22,
      username: decodeURIComponent(url.username) || undefined,
      sshOptions: { agent: env.SSH_AUTH_SOCK },
    };
  }
  const tls = url.protocol === 'https:' || env.DOCKER_TLS_VERIFY === '1' || url.port === '2376';
  const options: Docker.DockerOptions = {
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port: url.port ? Number(url.port) : tls ? 2376 : 2375,
  };
  if (tls && env.DOCKER_CERT_PATH) {
    options.ca = readFileSync(join(env.DOCKER_CERT_PATH, 'ca.pem'));
    options.cert = readFileSync(join(env.DOCKER_CERT_PATH, 'cert.pem'));
    options.key = readFileSync(join(env.DOCKER_CERT_PATH, 'key.pem'));
  }
  return options;
}

/** A dockerode client for the engine (no request is made yet). */
export function connectEngine(host?: string | EngineEndpoint, env: Readonly<Record<string, string | undefined>> = process.env): Docker {
  const endpoint = typeof host === 'object' ? host : resolveEngineHost(host, env);
  return new Docker(dockerOptions(endpoint.host, env));
}

// The next step here is only "start it": the front ends add, once, where another engine is set
// (greenCloud.docker.host / greenCloud.builders in the editor, DOCKER_HOST / --builder in the
// terminal) when PlatformResult.engineUnreachable is set or the engine check failed.
const NEXT_STEP = 'Start Docker there.';

/** True when the error says the engine could not be reached at all (as opposed to an API answer). */
export function isUnreachable(err: unknown): boolean {
  return (err as { statusCode?: unknown } | undefined)?.statusCode === undefined;
}

/** "Cannot reach Docker at <host> (<code>: reason). <next step>" — or the engine's own message for API errors. */
export function describeEngineError(err: unknown, host: string): string {
  const e = err as { code?: string; statusCode?: number; message?: string; json?: { message?: string } } | undefined;
  const code = e?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such socket',
    ECONNREFUSED: 'connection refused',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ETIMEDOUT: 'timed out',
    ENOTFOUND: 'unknown host',
    EHOSTUNREACH: 'host unreachable',
    ECONNRESET: 'connection reset',
    EAI_AGAIN: 'name lookup failed',
  };
  if (code && reasons[code]) {
    // Docker runs but refuses this user: starting it is not the next step.
    const next = code === 'EACCES' || code === 'EPERM' ? 'Add your user to the docker group, or use an engine you may access.' : NEXT_STEP;
    return `Cannot reach Docker at ${host} (${code}: ${reasons[code]}). ${next}`;
  }
  if (e?.statusCode !== undefined) {
    const msg = e.json?.message ?? e.message ?? '';
    return `Docker at ${host} answered ${e.statusCode}: ${msg.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim()}`;
  }
  const message = e?.message ?? String(err);
  if (/ssh|handshake|authentication/i.test(message)) {
    return `Cannot reach Docker at ${host} over SSH (${message}). Check the SSH key/agent (SSH_AUTH_SOCK) and that docker runs there.`;
  }
  return `Cannot reach Docker at ${host} (${message}). ${NEXT_STEP}`;
}

/** Pings the engine; throws EngineError with describeEngineError's message when it cannot be reached. */
export async function pingEngine(docker: Docker, host: string, timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new EngineError(describeEngineError(error, host), host, isUnreachable(error));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The text of a non-TTY container's logs: the Engine API multiplexes stdout and stderr into
 * frames with an 8-byte header (stream, 3 zero bytes, big-endian payload size).
 */
export function demultiplexLogs(logs: Buffer): string {
  let output = '';
  for (let i = 0; i + 8 <= logs.length;) {
    const size = logs.readUInt32BE(i + 4);
    output += logs.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return output;
}
