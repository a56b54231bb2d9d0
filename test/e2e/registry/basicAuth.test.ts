/**
 * A real `docker-registry` with htpasswd (Basic) authentication: credentials from config.json
 * `auth`, from a test-made credential helper (credHelpers and credsStore), refused credentials,
 * and no secret in any log line or error message.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { runCli } from '../../../cli/src/main';
import { pushManifestList, RegistryClient, RegistryError } from '../../../core/src/registry';
import { credentialHelper, dockerConfigDir, pushSyntheticImage, startRegistry, type RunningRegistry } from './support';
import { captureIO } from '../../support/cliIO';

const USER = 'alice';
const PASSWORD = 'Pa55-basic-secret-7f3e9c';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

describe('registry with htpasswd (Basic) authentication', () => {
  let registry: RunningRegistry;
  const cleanup: string[] = [];
  const logged: string[] = [];
  const thrown: string[] = [];

  before(async () => {
    registry = await startRegistry({ kind: 'htpasswd', users: { [USER]: PASSWORD } });
  });
  after(async () => {
    await registry?.stop();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  });
  // Each test's own log lines and errors: none may hold the password or the Basic header.
  beforeEach(() => {
    logged.length = 0;
    thrown.length = 0;
  });
  afterEach(() => {
    const all = [...logged, ...thrown].join('\n');
    assert.ok(!all.includes(PASSWORD), 'password leaked');
    assert.ok(!all.includes(BASIC), 'Basic credentials leaked');
  });

  function clientWith(config: unknown, env: Record<string, string> = {}): RegistryClient {
    const dir = dockerConfigDir(config);
    cleanup.push(dir);
    return new RegistryClient(registry.host, {
      credentialOptions: { configDir: dir, env: { ...process.env, ...env } },
      log: (l) => logged.push(l),
    });
  }

  it('tells an anonymous user to log in', async () => {
    const client = clientWith({});
    const error = await client.getManifest('team/web', '1').catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    thrown.push(error.message);
    assert.equal(error.kind, 'unauthorized');
    assert.match(
      error.message,
      new RegExp(`401 from ${registry.host} for repository team/web:1: the registry needs a login; run \`docker login ${registry.host}\``),
    );
  });

  it('pushes images and a list with credentials from config.json auths.auth', async () => {
    const client = clientWith({ auths: { [registry.host]: { auth: BASIC } } });
    const a = await pushSyntheticImage(client, 'team/web', 'amd64', { os: 'linux', architecture: 'amd64' });
    const b = await pushSyntheticImage(client, 'team/web', 'arm64', { os: 'linux', architecture: 'arm64' });
    const result = await pushManifestList(
      { target: `${registry.host}/team/web:1`, sources: [{ reference: a.reference }, { reference: b.reference }] },
      { client },
    );
    assert.equal((await client.headManifest('team/web', '1'))?.digest, result.digest);
    assert.ok(logged.length > 10, 'requests were logged');
  });

  it('uses a credential helper from credHelpers (server URL on stdin, no shell)', async () => {
    const helper = credentialHelper('gctest', { [registry.host]: { Username: USER, Secret: PASSWORD } });
    cleanup.push(helper.dir);
    const client = clientWith({ credHelpers: { [registry.host]: 'gctest' } }, { PATH: `${helper.dir}:${process.env.PATH ?? ''}` });
    const m = await client.getManifest('team/web', '1');
    assert.match(m.mediaType, /manifest\.list/);
    assert.equal(readFileSync(helper.calls, 'utf8'), `get ${registry.host}\n`);
  });

  it('uses a credsStore helper for every registry', async () => {
    const helper = credentialHelper('gcstore', { [registry.host]: { Username: USER, Secret: PASSWORD } });
    cleanup.push(helper.dir);
    const client = clientWith(
      { credsStore: 'gcstore', auths: { [registry.host]: {} } },
      { PATH: `${helper.dir}:${process.env.PATH ?? ''}` },
    );
    assert.ok(await client.headManifest('team/web', '1'));
  });

  it('says the stored credentials were refused when the password is wrong', async () => {
    const client = clientWith({ auths: { [registry.host]: { auth: Buffer.from(`${USER}:wrong-${PASSWORD}`).toString('base64') } } });
    const error = await client.getManifest('team/web', '1').catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    thrown.push(error.message);
    assert.match(error.message, /stored credentials were refused: run `docker login 127\.0\.0\.1:\d+` again/);
  });

  it('names a missing credential helper and the next step', async () => {
    const client = clientWith({ credHelpers: { [registry.host]: 'gc-not-installed' } });
    const error = await client.getManifest('team/web', '1').catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    thrown.push(error.message);
    assert.match(error.message, /docker-credential-gc-not-installed is not on PATH/);
  });

  it('the CLI pushes with DOCKER_CONFIG credentials and prints no secret', async () => {
    const dir = dockerConfigDir({ auths: { [registry.host]: { auth: BASIC } } });
    cleanup.push(dir);
    const { io, out, err } = captureIO({ DOCKER_CONFIG: dir });
    assert.equal(
      await runCli(['manifest', 'push', '--target', `${registry.host}/team/web:cli`, `${registry.host}/team/web:amd64`], io),
      0,
      err(),
    );
    assert.equal(await runCli(['manifest', 'inspect', `${registry.host}/team/web:nope`], io), 1);
    logged.push(out(), err());
  });
});
