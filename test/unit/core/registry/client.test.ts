import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_TIMEOUT_MS,
  isInsecureRegistry,
  MAX_MANIFEST_BYTES,
  mergeScopes,
  RegistryClient,
  retryAfterMs,
  sha256Digest,
  unansweredRequestMs,
} from '../../../../core/src/registry/client';
import { RegistryError } from '../../../../core/src/registry/errors';
import { redact, registryErrorCodes } from '../../../../core/src/registry/errors';

describe('registry client helpers', () => {
  it('uses plain HTTP for loopback and insecure hosts only', () => {
    for (const h of ['localhost', 'localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000']) assert.ok(isInsecureRegistry(h), h);
    for (const h of ['registry.example', '10.0.0.1:5000', '127.0.0.1.example:5000', 'docker.io']) assert.ok(!isInsecureRegistry(h), h);
    assert.ok(isInsecureRegistry('10.0.0.1:5000', ['10.0.0.1:5000']));
    assert.ok(isInsecureRegistry('reg.lan:5000', ['http://reg.lan']));
    assert.ok(!isInsecureRegistry('reg.lan:5000', ['reg.lan:6000']));
    assert.equal(new RegistryClient('127.0.0.1:5000').baseUrl, 'http://127.0.0.1:5000');
    assert.equal(new RegistryClient('reg.example').baseUrl, 'https://reg.example');
    assert.equal(new RegistryClient('docker.io').baseUrl, 'https://registry-1.docker.io');
  });

  it('merges scopes per repository', () => {
    assert.deepEqual(mergeScopes(['repository:a:pull', 'repository:b:pull', 'repository:a:push,pull']), [
      'repository:a:pull,push',
      'repository:b:pull',
    ]);
  });

  it('hashes bytes as sha256 digests', () => {
    assert.equal(sha256Digest(Buffer.from('')), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('redacts secrets and Authorization values', () => {
    assert.equal(redact('user pw=hunter22 sent', ['hunter22']), 'user pw=*** sent');
    assert.equal(redact('Authorization: Bearer eyJhbGciOi.abc.def'), 'Authorization: Bearer ***');
    assert.equal(redact('Basic YWxpY2U6cHc='), 'Basic ***');
  });

  it('reads registry error codes and ignores non-JSON bodies', () => {
    assert.equal(
      registryErrorCodes('{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry"}]}'),
      'MANIFEST_BLOB_UNKNOWN: blob unknown to registry',
    );
    assert.equal(registryErrorCodes('<html>'), '');
  });

  it('reads Retry-After as seconds or an HTTP date, capped at 10 s', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs('3600'), 10_000);
    const now = Date.parse('Tue, 24 Nov 2026 20:00:00 GMT');
    assert.equal(retryAfterMs('Tue, 24 Nov 2026 20:00:03 GMT', now), 3000);
    assert.equal(retryAfterMs('Tue, 24 Nov 2026 19:00:00 GMT', now), 0);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(null), undefined);
  });

  it('gives up on an unanswering registry in under 35 s by default, and caps manifests at 4 MiB', () => {
    assert.equal(DEFAULT_TIMEOUT_MS, 10_000);
    assert.equal(unansweredRequestMs(), 30_600);
    assert.ok(unansweredRequestMs() < 35_000);
    assert.equal(MAX_MANIFEST_BYTES, 4 * 1024 * 1024);
  });

  it('refuses an invalid registry address (port out of range) with a RegistryError, not a TypeError', () => {
    assert.throws(
      () => new RegistryClient('127.0.0.1:99999'),
      (e: unknown) => e instanceof RegistryError && /port 99999 is out of range/.test(e.message),
    );
    assert.throws(() => new RegistryClient('reg.example/x'), RegistryError);
    assert.throws(() => new RegistryClient('a@reg.example'), RegistryError);
  });

  it('reads at most 3 registry errors, escaped and capped', () => {
    const body = JSON.stringify({
      errors: [null, 'x', ...[1, 2, 3, 4].map((i) => ({ code: `E${i}`, message: `m\u001b[2J${'z'.repeat(300)}` }))],
    });
    const text = registryErrorCodes(body);
    assert.match(text, /^E1: m\\x1b\[2J/);
    assert.match(text, /; and 1 more$/);
    assert.ok(text.length < 800);
  });
});
