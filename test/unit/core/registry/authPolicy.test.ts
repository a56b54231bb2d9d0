import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTokenRealm, checkUploadLocation } from '../../../../core/src/registry/authPolicy';
import { RegistryError } from '../../../../core/src/registry/errors';

const refused = (f: () => unknown, pattern: RegExp) =>
  assert.throws(f, (e: unknown) => e instanceof RegistryError && pattern.test(e.message) && !/\u001b/.test(e.message));

describe('where credentials may go', () => {
  it('accepts an https realm on any host (Docker sends its Basic credentials there too)', () => {
    assert.equal(checkTokenRealm('https://auth.docker.io/token', 'https://registry-1.docker.io', 'docker.io').host, 'auth.docker.io');
    assert.equal(checkTokenRealm('https://auth.other:8443/t', 'http://127.0.0.1:5000', '127.0.0.1:5000').port, '8443');
  });

  it('accepts a plain-http realm only for a plain-HTTP registry', () => {
    assert.equal(checkTokenRealm('http://127.0.0.1:9000/token', 'http://127.0.0.1:5000', '127.0.0.1:5000').protocol, 'http:');
    refused(
      () => checkTokenRealm('http://auth.other/token', 'https://reg.example', 'reg.example'),
      /reached over HTTPS .*plain HTTP.*clear text/,
    );
  });

  it('refuses other schemes, user info and junk, with the realm escaped', () => {
    refused(() => checkTokenRealm('file:///etc/passwd', 'https://reg.example', 'reg.example'), /scheme 'file:'/);
    refused(() => checkTokenRealm('data:,x', 'http://127.0.0.1:5000', '127.0.0.1:5000'), /scheme 'data:'/);
    refused(() => checkTokenRealm('https://u:p@auth.example/t', 'https://reg.example', 'reg.example'), /user info/);
    refused(
      () => checkTokenRealm('not a url \u001b[2J', 'https://reg.example', 'reg.example'),
      /invalid token server 'not a url \\x1b\[2J'/,
    );
  });

  it('marks upload locations on another origin, and refuses a downgrade to http or odd schemes', () => {
    assert.deepEqual(
      (({ url, sameOrigin }) => [url.toString(), sameOrigin])(
        checkUploadLocation('/v2/a/blobs/uploads/1?x=y', 'https://reg.example', 'reg.example'),
      ),
      ['https://reg.example/v2/a/blobs/uploads/1?x=y', true],
    );
    assert.equal(checkUploadLocation('https://bucket.s3.example/u?sig=1', 'https://reg.example', 'reg.example').sameOrigin, false);
    assert.equal(checkUploadLocation('https://reg.example:444/u', 'https://reg.example', 'reg.example').sameOrigin, false);
    assert.equal(checkUploadLocation('http://127.0.0.1:6000/u', 'http://127.0.0.1:5000', '127.0.0.1:5000').sameOrigin, false);
    refused(() => checkUploadLocation('http://other/u', 'https://reg.example', 'reg.example'), /plain HTTP .*clear text/);
    refused(() => checkUploadLocation('file:///tmp/x', 'https://reg.example', 'reg.example'), /'file:' Location/);
    refused(() => checkUploadLocation('https://u:p@other/u', 'https://reg.example', 'reg.example'), /user info/);
  });
});
