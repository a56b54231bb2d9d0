import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  dockerConfigDir,
  engineAuthConfig,
  resolveCredentials,
  runCredentialHelper,
  serverAddress,
} from '../../../../core/src/registry/credentials';
import { RegistryError } from '../../../../core/src/registry/errors';
import { scratchDir, type Scratch } from '../../../support/scratch';
import { waitFor } from '../../../support/waitFor';

const scratches: Scratch[] = [];
function scratch(files: Record<string, string>, prefix: string): string {
  const made = scratchDir(files, prefix);
  scratches.push(made);
  return made.dir;
}
function configDir(config: unknown): string {
  return scratch({ 'config.json': typeof config === 'string' ? config : JSON.stringify(config) }, 'gc-config-');
}
/** A real helper program (a shell script) answering for one server URL. */
function helper(name: string, body: string): string {
  const dir = scratch({ [`docker-credential-${name}`]: `#!/bin/sh\n${body}\n` }, 'gc-helper-');
  chmodSync(join(dir, `docker-credential-${name}`), 0o755);
  return dir;
}
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Live (non-zombie) processes of a process group, from /proc (a zombie waits for its reaper, not for us). */
function liveMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') live.push(Number(entry));
    } catch {
      // Gone while reading.
    }
  }
  return live;
}

/** True when no live process of the group is left (polled with a deadline; signals are delivered asynchronously). */
async function groupGone(pgid: number, deadlineMs = 3000): Promise<boolean> {
  try {
    await waitFor(`process group ${pgid} to end`, () => liveMembers(pgid).length === 0, { timeoutMs: deadlineMs, intervalMs: 200 });
    return true;
  } catch {
    for (const pid of liveMembers(pgid)) process.kill(pid, 'SIGKILL'); // do not leave them behind
    return false;
  }
}

describe('Docker credentials (config.json and helpers)', () => {
  after(() => {
    for (const s of scratches) s.dispose();
  });

  it('finds config.json in DOCKER_CONFIG, else ~/.docker', () => {
    assert.equal(dockerConfigDir({ env: { DOCKER_CONFIG: '/x/y', HOME: '/home/u' } }), '/x/y');
    assert.equal(dockerConfigDir({ env: { HOME: '/home/u' } }), '/home/u/.docker');
  });

  it('reads auths.auth (user:password with a colon in the password) under several key spellings', async () => {
    assert.deepEqual(
      await resolveCredentials('reg.example:5000', { configDir: configDir({ auths: { 'reg.example:5000': { auth: b64('u:p:w') } } }) }),
      { kind: 'basic', username: 'u', password: 'p:w' },
    );
    assert.deepEqual(
      await resolveCredentials('reg.example', { configDir: configDir({ auths: { 'https://reg.example': { auth: b64('a:b') } } }) }),
      { kind: 'basic', username: 'a', password: 'b' },
    );
    assert.deepEqual(
      await resolveCredentials('docker.io', {
        configDir: configDir({ auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw') } } }),
      }),
      { kind: 'basic', username: 'hub', password: 'pw' },
    );
  });

  it('prefers identitytoken, and returns nothing for unknown hosts or no config', async () => {
    const dir = configDir({ auths: { 'reg.example': { auth: b64('a:b'), identitytoken: 'idt' } } });
    assert.deepEqual(await resolveCredentials('reg.example', { configDir: dir }), { kind: 'identityToken', token: 'idt' });
    assert.equal(await resolveCredentials('other.example', { configDir: dir }), undefined);
    const empty = scratch({}, 'gc-empty-');
    assert.equal(await resolveCredentials('reg.example', { configDir: empty }), undefined);
  });

  it('reports broken config.json and broken auth entries without echoing them', async () => {
    await assert.rejects(
      resolveCredentials('r', { configDir: configDir('{"auths": ') }),
      (e: Error) => e instanceof RegistryError && /is not valid JSON/.test(e.message),
    );
    await assert.rejects(
      resolveCredentials('r.example', { configDir: configDir({ auths: { 'r.example': { auth: b64('nocolon-secret') } } }) }),
      (e: Error) => /not base64 of user:password/.test(e.message) && !e.message.includes('nocolon-secret'),
    );
  });

  it('runs credHelpers[host] with the server URL on stdin (no shell), before credsStore and auths', async () => {
    const bin = helper(
      'gcunit',
      'read url; [ "$1" = get ] && [ "$url" = "reg.example:5000" ] && printf \'{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}\' "$url" || exit 3',
    );
    const dir = configDir({
      credHelpers: { 'reg.example:5000': 'gcunit' },
      credsStore: 'missing-store',
      auths: { 'reg.example:5000': { auth: b64('a:b') } },
    });
    assert.deepEqual(await resolveCredentials('reg.example:5000', { configDir: dir, env: { PATH: `${bin}:${process.env.PATH ?? ''}` } }), {
      kind: 'basic',
      username: 'helper-user',
      password: 'helper-secret',
    });
  });

  it('maps Username <token> to an identity token and "credentials not found" to anonymous', async () => {
    const bin = helper(
      'gctok',
      'read url; case "$url" in known.example) echo \'{"Username":"<token>","Secret":"refresh-me"}\';; *) echo "credentials not found in native keychain"; exit 1;; esac',
    );
    const dir = configDir({ credsStore: 'gctok' });
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
    assert.deepEqual(await resolveCredentials('known.example', { configDir: dir, env }), { kind: 'identityToken', token: 'refresh-me' });
    assert.equal(await resolveCredentials('unknown.example', { configDir: dir, env }), undefined);
  });

  it('explains a failing or missing helper without repeating its output', async () => {
    const bin = helper('gcfail', 'echo "leaked-secret-output" >&2; exit 4');
    await assert.rejects(
      resolveCredentials('r.example', {
        configDir: configDir({ credsStore: 'gcfail' }),
        env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
      }),
      (e: Error) =>
        /docker-credential-gcfail exited with code 4 for r\.example/.test(e.message) && !e.message.includes('leaked-secret-output'),
    );
    await assert.rejects(resolveCredentials('r.example', { configDir: configDir({ credsStore: 'gc-absent' }) }), (e: Error) =>
      /docker-credential-gc-absent is not on PATH/.test(e.message),
    );
    await assert.rejects(resolveCredentials('r.example', { configDir: configDir({ credsStore: '../../bin/sh' }) }), (e: Error) =>
      /not a valid credential helper name/.test(e.message),
    );
  });

  it('builds the engine X-Registry-Auth object', () => {
    assert.equal(serverAddress('docker.io'), 'https://index.docker.io/v1/');
    assert.deepEqual(engineAuthConfig('r:5000', { kind: 'basic', username: 'u', password: 'p' }), {
      username: 'u',
      password: 'p',
      serveraddress: 'r:5000',
    });
    assert.deepEqual(engineAuthConfig('r:5000', { kind: 'identityToken', token: 't' }), { identitytoken: 't', serveraddress: 'r:5000' });
    assert.deepEqual(engineAuthConfig('r:5000', undefined), { serveraddress: 'r:5000' });
  });

  it(
    'kills a helper that ignores SIGTERM while a grandchild holds stdout, with its whole group, within the timeout',
    { timeout: 20_000 },
    async () => {
      const bin = helper('gchang', 'echo $$ > "$(dirname "$0")/pid"; cat >/dev/null; trap \'\' TERM; (sleep 3600) & sleep 3600');
      const started = Date.now();
      await assert.rejects(
        runCredentialHelper('gchang', 'reg.example', { env: { PATH: `${bin}:${process.env.PATH ?? ''}` }, helperTimeoutMs: 1500 }),
        (e: Error) => e instanceof RegistryError && /did not answer within 1500 ms/.test(e.message),
      );
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 1500 + 500, `settled after ${elapsed} ms`);
      const pgid = Number(readFileSync(join(bin, 'pid'), 'utf8'));
      assert.ok(await groupGone(pgid), 'no process of the helper group is left');
    },
  );

  it('answers as soon as a helper exits, even when a grandchild keeps its stdout open', { timeout: 20_000 }, async () => {
    const bin = helper(
      'gcfork',
      'echo $$ > "$(dirname "$0")/pid"; cat >/dev/null; printf \'{"Username":"u","Secret":"s"}\'; (sleep 3600) &',
    );
    const started = Date.now();
    assert.deepEqual(await runCredentialHelper('gcfork', 'reg.example', { env: { PATH: `${bin}:${process.env.PATH ?? ''}` } }), {
      kind: 'basic',
      username: 'u',
      password: 's',
    });
    assert.ok(Date.now() - started < 3000);
    assert.ok(await groupGone(Number(readFileSync(join(bin, 'pid'), 'utf8'))));
  });

  it('refuses a helper that floods its output', { timeout: 20_000 }, async () => {
    const bin = helper('gcflood', 'cat >/dev/null; yes "{}"');
    await assert.rejects(
      runCredentialHelper('gcflood', 'reg.example', { env: { PATH: `${bin}:${process.env.PATH ?? ''}` } }),
      /printed more than 65536 bytes/,
    );
  });
});
