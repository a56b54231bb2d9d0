import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWwwAuthenticate, splitScopes } from '../../../../core/src/registry/wwwAuthenticate';

describe('parseWwwAuthenticate', () => {
  it('reads a Bearer challenge with quoted parameters', () => {
    assert.deepEqual(
      parseWwwAuthenticate('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/web:pull,push"'),
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:team/web:pull,push' },
        },
      ],
    );
  });

  it('accepts parameters in any order, spaces, bare tokens and upper-case names', () => {
    const [c] = parseWwwAuthenticate('bearer  Scope="repository:a:pull" ,  SERVICE=reg.example , Realm = "http://127.0.0.1:9/t"');
    assert.deepEqual(c, {
      scheme: 'bearer',
      params: { scope: 'repository:a:pull', service: 'reg.example', realm: 'http://127.0.0.1:9/t' },
    });
  });

  it('keeps commas and escaped quotes inside quoted values', () => {
    const [c] = parseWwwAuthenticate(
      'Bearer realm="https://a/t?x=1,y=2",error="insufficient_scope",scope="repository:a:pull,push repository:b:pull",note="say \\"hi\\""',
    );
    assert.equal(c.params.realm, 'https://a/t?x=1,y=2');
    assert.equal(c.params.scope, 'repository:a:pull,push repository:b:pull');
    assert.equal(c.params.error, 'insufficient_scope');
    assert.equal(c.params.note, 'say "hi"');
  });

  it('reads Basic and several challenges in one header', () => {
    assert.deepEqual(parseWwwAuthenticate('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
    assert.deepEqual(
      parseWwwAuthenticate('Negotiate abc==, Basic realm="x", Bearer realm="https://a/t",service="s"').map((c) => c.scheme),
      ['negotiate', 'basic', 'bearer'],
    );
    assert.equal(parseWwwAuthenticate('Negotiate abc==, Basic realm="x"')[0].params.token68, 'abc==');
  });

  it('never throws on junk', () => {
    for (const junk of ['', '=', '"', ',,,', 'Bearer realm="unterminated', '\u0000\u0001', 'Bearer ===', 'x'.repeat(100_000)]) {
      assert.ok(Array.isArray(parseWwwAuthenticate(junk)));
    }
    assert.equal(parseWwwAuthenticate('Bearer realm="unterminated').at(0)?.params.realm, 'unterminated');
  });

  it('splits scope lists', () => {
    assert.deepEqual(splitScopes('repository:a:pull  repository:b:pull,push'), ['repository:a:pull', 'repository:b:pull,push']);
    assert.deepEqual(splitScopes(undefined), []);
  });
});
