/**
 * Registry credentials the way the Docker CLI finds them: `$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json`; `credHelpers[host]` first, then `credsStore`, then `auths[host]`
 * (`auth` = base64 `user:password`, or `identitytoken`). Helpers run as
 * `docker-credential-<name> get` without a shell, the server URL on stdin, answering
 * `{"Username","Secret"}`; Username `<token>` means Secret is an identity token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_HUB } from '../imageRef';
import { RegistryError } from './errors';

export type Credentials =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'identityToken'; readonly token: string; readonly username?: string };

export interface CredentialOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory holding config.json (default `$DOCKER_CONFIG` or `~/.docker`). */
  readonly configDir?: string;
  /** Milliseconds a credential helper may take, killed with its process group at the end (default 15 s). */
  readonly helperTimeoutMs?: number;
}

export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; identitytoken?: string; username?: string; password?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** The key Docker uses for a registry in config.json and with helpers. */
export function serverAddress(registry: string): string {
  return registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
}

export function dockerConfigDir(options: CredentialOptions = {}): string {
  const env = options.env ?? process.env;
  return options.configDir ?? env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker');
}

/** Reads config.json; a missing file is an empty config, a broken one a clear error. */
export async function readDockerConfig(options: CredentialOptions = {}): Promise<{ path: string; config: DockerConfigFile }> {
  const path = join(dockerConfigDir(options), 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, config: {} };
    throw new RegistryError(
      `Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check its permissions.`,
      'credentials',
    );
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return { path, config: parsed };
  } catch {
    throw new RegistryError(`${path} is not valid JSON. Fix it or run \`docker login\` again.`, 'credentials');
  }
}

/** Host aliases under which config.json may file a registry. */
function keysFor(registry: string): string[] {
  if (registry === DOCKER_HUB)
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'https://index.docker.io/v1', 'registry-1.docker.io'];
  return [
    registry,
    `https://${registry}`,
    `http://${registry}`,
    `https://${registry}/`,
    `http://${registry}/`,
    `https://${registry}/v1/`,
    `http://${registry}/v1/`,
    `https://${registry}/v2/`,
  ];
}

function fromAuths(config: DockerConfigFile, registry: string, path: string): Credentials | undefined {
  const auths = config.auths ?? {};
  for (const key of keysFor(registry)) {
    const entry = auths[key];
    if (!entry || typeof entry !== 'object') continue;
    if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') return { kind: 'identityToken', token: entry.identitytoken };
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0)
        throw new RegistryError(
          `The 'auth' entry for ${key} in ${path} is not base64 of user:password. Run \`docker login ${registry}\` again.`,
          'credentials',
        );
      return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string')
      return { kind: 'basic', username: entry.username, password: entry.password };
  }
  return undefined;
}

/** The most a credential helper may print (a JSON pair of a user name and a secret). */
export const MAX_HELPER_OUTPUT_BYTES = 64 * 1024;
/** Default time a credential helper may take, from start to its last process killed. */
export const DEFAULT_HELPER_TIMEOUT_MS = 15_000;

const OWN_GROUP = process.platform !== 'win32';

/** Sends `signal` to the helper's whole process group (it runs as a group leader; on Windows, to the helper); never throws. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    if (OWN_GROUP) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

/**
 * Runs `docker-credential-<helper> get` (no shell) with the server URL on stdin.
 *
 * Every wait ends within `helperTimeoutMs`, whatever the helper does: it runs in its own
 * process group; at the deadline minus a grace period (a fifth of the timeout, at most 2 s)
 * the group gets SIGTERM, at the deadline SIGKILL, and the answer is settled then even if a
 * grandchild still holds the pipes. A helper that exits is answered as soon as its output
 * ends, or after a short wait for a grandchild that keeps the pipes open. Output beyond
 * MAX_HELPER_OUTPUT_BYTES is refused.
 */
export function runCredentialHelper(helper: string, server: string, options: CredentialOptions = {}): Promise<Credentials | undefined> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(helper)) {
    return Promise.reject(
      new RegistryError(
        `'${helper}' is not a valid credential helper name (docker-credential-<name>). Fix credsStore/credHelpers in config.json.`,
        'credentials',
      ),
    );
  }
  const program = `docker-credential-${helper}`;
  const timeout = options.helperTimeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
  const grace = Math.min(2000, Math.floor(timeout / 5));
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], {
      env: { ...process.env, ...(options.env ?? {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      // Its own process group, so that its children can be stopped with it (POSIX; no console window on Windows).
      detached: OWN_GROUP,
      windowsHide: true,
    });
    let settled = false;
    let why: string | undefined;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let afterExit: ReturnType<typeof setTimeout> | undefined;
    const term = setTimeout(() => {
      why = `did not answer within ${timeout} ms`;
      killGroup(child, 'SIGTERM');
    }, timeout - grace);
    const kill = setTimeout(() => {
      why ??= `did not answer within ${timeout} ms`;
      killGroup(child, 'SIGKILL');
      finish();
    }, timeout);
    // In its own group it would not share our fate: stop it if we exit first.
    const onExit = () => killGroup(child, 'SIGKILL');
    process.once('exit', onExit);
    const cleanup = () => {
      process.removeListener('exit', onExit);
      clearTimeout(term);
      clearTimeout(kill);
      clearTimeout(afterExit);
      child.stdout.destroy();
      child.stderr.destroy();
      child.stdin.destroy();
    };
    const fail = (text: string) =>
      new RegistryError(
        `The credential helper ${program} ${text} for ${server}. Run \`echo ${server} | ${program} get\` to see why.`,
        'credentials',
      );
    const finish = () => {
      if (settled) return;
      settled = true;
      cleanup();
      if (!exit || why) {
        // Still running at the deadline (killed above), or stopped by us.
        killGroup(child, 'SIGKILL');
        return reject(fail(why ?? `did not answer within ${timeout} ms`));
      }
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8') + stdout;
      if (exit.code !== 0) {
        if (/credentials not found/i.test(stderr)) return resolve(undefined);
        // The helper's own output is not repeated: it may echo a secret.
        return reject(fail(exit.signal ? `was stopped (${exit.signal})` : `exited with code ${exit.code}`));
      }
      try {
        const parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown } | null;
        const username = typeof parsed?.Username === 'string' ? parsed.Username : '';
        const secret = typeof parsed?.Secret === 'string' ? parsed.Secret : '';
        if (secret === '') return resolve(undefined);
        if (username === '<token>') return resolve({ kind: 'identityToken', token: secret });
        resolve({ kind: 'basic', username, password: secret });
      } catch {
        reject(new RegistryError(`The credential helper ${program} printed something that is not JSON for ${server}.`, 'credentials'));
      }
    };
    const collect = (into: Buffer[]) => (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > MAX_HELPER_OUTPUT_BYTES) {
        why = `printed more than ${MAX_HELPER_OUTPUT_BYTES} bytes`;
        killGroup(child, 'SIGKILL');
        finish();
        return;
      }
      into.push(b);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      cleanup();
      const hint =
        error.code === 'ENOENT'
          ? ` is not on PATH. Install it or remove it from config.json (credsStore/credHelpers).`
          : ` could not be started (${error.code ?? 'error'}).`;
      reject(new RegistryError(`The credential helper ${program}${hint}`, 'credentials'));
    });
    child.stdin.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A grandchild may keep the pipes open: do not wait for it long (nor past the deadline);
      // what is left of the group then is stopped with it.
      afterExit = setTimeout(
        () => {
          killGroup(child, 'SIGKILL');
          finish();
        },
        Math.min(500, grace),
      );
    });
    child.on('close', () => finish());
    child.stdin.end(server);
  });
}

/**
 * The credentials for a registry host (`127.0.0.1:5000`, `docker.io`), or undefined for
 * anonymous access.
 */
export async function resolveCredentials(registry: string, options: CredentialOptions = {}): Promise<Credentials | undefined> {
  const { path, config } = await readDockerConfig(options);
  const server = serverAddress(registry);
  const helpers = config.credHelpers ?? {};
  const helper = keysFor(registry)
    .map((k) => helpers[k])
    .find((h) => typeof h === 'string' && h !== '');
  if (helper) return runCredentialHelper(helper, server, options);
  if (typeof config.credsStore === 'string' && config.credsStore !== '') {
    const stored = await runCredentialHelper(config.credsStore, server, options);
    if (stored) return stored;
  }
  return fromAuths(config, registry, path);
}

/** The Engine API's `X-Registry-Auth` object for `image.push({authconfig})`. */
export function engineAuthConfig(registry: string, credentials: Credentials | undefined): Record<string, string> {
  const serveraddress = serverAddress(registry);
  if (!credentials) return { serveraddress };
  if (credentials.kind === 'identityToken') return { identitytoken: credentials.token, serveraddress };
  return { username: credentials.username, password: credentials.password, serveraddress };
}

/** Every secret string in the credentials (for redaction). */
export function secretsOf(credentials: Credentials | undefined): string[] {
  if (!credentials) return [];
  if (credentials.kind === 'identityToken') return [credentials.token];
  const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  return [credentials.password, basic];
}
