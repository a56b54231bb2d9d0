import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DOCKER_HUB,
  ImageReferenceError,
  familiarName,
  formatImageReference,
  isValidImageReference,
  isValidTag,
  parseImageReference,
  withDigest,
  withTag,
  type ImageReference,
} from '../../../core/src/imageRef';

const SHA = `sha256:${'0123456789abcdef'.repeat(4)}`;

type Expected = Omit<ImageReference, 'tag' | 'digest'> & { tag?: string; digest?: string };

describe('parseImageReference: valid references (distribution reference grammar)', () => {
  const cases: [string, Expected][] = [
    ['alpine', { registry: 'docker.io', repository: 'library/alpine', explicitRegistry: false }],
    ['alpine:3.19', { registry: 'docker.io', repository: 'library/alpine', tag: '3.19', explicitRegistry: false }],
    ['postgres:16-alpine3.19', { registry: 'docker.io', repository: 'library/postgres', tag: '16-alpine3.19', explicitRegistry: false }],
    ['arm64v8/alpine:3.7', { registry: 'docker.io', repository: 'arm64v8/alpine', tag: '3.7', explicitRegistry: false }],
    ['team/web', { registry: 'docker.io', repository: 'team/web', explicitRegistry: false }],
    ['docker.io/alpine', { registry: 'docker.io', repository: 'library/alpine', explicitRegistry: true }],
    ['docker.io/library/alpine:edge', { registry: 'docker.io', repository: 'library/alpine', tag: 'edge', explicitRegistry: true }],
    ['index.docker.io/alpine', { registry: 'docker.io', repository: 'library/alpine', explicitRegistry: true }],
    ['registry-1.docker.io/team/web:1', { registry: 'docker.io', repository: 'team/web', tag: '1', explicitRegistry: true }],
    ['localhost/web', { registry: 'localhost', repository: 'web', explicitRegistry: true }],
    ['localhost:5000/web:1.0', { registry: 'localhost:5000', repository: 'web', tag: '1.0', explicitRegistry: true }],
    ['localhost', { registry: 'docker.io', repository: 'library/localhost', explicitRegistry: false }],
    [
      '127.0.0.1:5000/base/busybox:arm64-1',
      { registry: '127.0.0.1:5000', repository: 'base/busybox', tag: 'arm64-1', explicitRegistry: true },
    ],
    [
      'ghcr.io/owner/repo/sub/image:v1.2.3',
      { registry: 'ghcr.io', repository: 'owner/repo/sub/image', tag: 'v1.2.3', explicitRegistry: true },
    ],
    ['quay.io/prometheus/node-exporter', { registry: 'quay.io', repository: 'prometheus/node-exporter', explicitRegistry: true }],
    ['my-registry.example.com:443/a/b', { registry: 'my-registry.example.com:443', repository: 'a/b', explicitRegistry: true }],
    ['[::1]:5000/web:1', { registry: '[::1]:5000', repository: 'web', tag: '1', explicitRegistry: true }],
    ['[::1]/web', { registry: '[::1]', repository: 'web', explicitRegistry: true }],
    ['[2001:db8::1]:443/team/web', { registry: '[2001:db8::1]:443', repository: 'team/web', explicitRegistry: true }],
    ['Example.COM/web', { registry: 'Example.COM', repository: 'web', explicitRegistry: true }],
    // An upper-case first component is a domain (distribution/reference splitDockerDomain).
    ['Team/web', { registry: 'Team', repository: 'web', explicitRegistry: true }],
    ['team/a.b_c__d-e--f', { registry: 'docker.io', repository: 'team/a.b_c__d-e--f', explicitRegistry: false }],
    // A first component with a dot is a domain, even when it would also be a valid path.
    ['a.b/g', { registry: 'a.b', repository: 'g', explicitRegistry: true }],
    ['web:Latest_1.0-rc', { registry: 'docker.io', repository: 'library/web', tag: 'Latest_1.0-rc', explicitRegistry: false }],
    ['web:_x', { registry: 'docker.io', repository: 'library/web', tag: '_x', explicitRegistry: false }],
    [`web:${'t'.repeat(128)}`, { registry: 'docker.io', repository: 'library/web', tag: 't'.repeat(128), explicitRegistry: false }],
    [`alpine@${SHA}`, { registry: 'docker.io', repository: 'library/alpine', digest: SHA, explicitRegistry: false }],
    [`alpine:3.19@${SHA}`, { registry: 'docker.io', repository: 'library/alpine', tag: '3.19', digest: SHA, explicitRegistry: false }],
    [`localhost:5000/web:1@${SHA}`, { registry: 'localhost:5000', repository: 'web', tag: '1', digest: SHA, explicitRegistry: true }],
    [
      `web@sha512:${'ab'.repeat(64)}`,
      { registry: 'docker.io', repository: 'library/web', digest: `sha512:${'ab'.repeat(64)}`, explicitRegistry: false },
    ],
    [
      `web@multihash+base58:${'A1'.repeat(16)}`,
      { registry: 'docker.io', repository: 'library/web', digest: `multihash+base58:${'A1'.repeat(16)}`, explicitRegistry: false },
    ],
    ['  alpine:3  ', { registry: 'docker.io', repository: 'library/alpine', tag: '3', explicitRegistry: false }],
  ];
  for (const [text, expected] of cases) {
    it(text.length > 60 ? `${text.slice(0, 60)}…` : text, () => {
      const ref = parseImageReference(text);
      assert.deepEqual({ ...ref }, { tag: undefined, digest: undefined, ...expected });
      assert.equal(isValidImageReference(text), true);
    });
  }

  it('uses the given default registry for names without a domain (no library/ outside Docker Hub)', () => {
    assert.deepEqual(
      { ...parseImageReference('web:1', '127.0.0.1:5000') },
      { registry: '127.0.0.1:5000', repository: 'web', tag: '1', digest: undefined, explicitRegistry: false },
    );
    assert.equal(parseImageReference('team/web', 'ghcr.io').repository, 'team/web');
  });

  it('accepts a name of exactly 255 characters (domain and path together)', () => {
    const name = `r.io/${'a'.repeat(250)}`;
    assert.equal(name.length, 255);
    assert.equal(parseImageReference(name).repository, 'a'.repeat(250));
  });
});

describe('parseImageReference: invalid references get a clear message', () => {
  const cases: [string, RegExp][] = [
    ['', /cannot be empty \(expected e\.g\. team\/web:1\.2\)/],
    ['   ', /cannot be empty/],
    ['alpine 3.7', /'alpine 3\.7' contains white space/],
    ['alpine\t:3', /contains white space/],
    ['al pine', /contains white space/],
    ['Alpine', /Invalid repository name component 'Alpine'.*must be lower case/],
    ['team/Web', /Invalid repository name component 'Web'.*lower case/],
    ['docker.io/Library/alpine', /'Library'.*lower case/],
    ['alpine:', /Invalid tag '' in 'alpine:'/],
    ['alpine:.3', /Invalid tag '\.3'.*not starting with '\.' or '-'/],
    ['alpine:-3', /Invalid tag '-3'/],
    ['alpine:3+1', /Invalid tag '3\+1'/],
    [`alpine:${'t'.repeat(129)}`, /Invalid tag 't+'.*at most 128/],
    [':3.7', /has no repository name/],
    ['alpine@', /Invalid digest '' in 'alpine@'/],
    ['alpine@sha256:abc', /Invalid digest 'sha256:abc'.*sha256:<64 hex digits>/],
    [`alpine@sha256:${'A'.repeat(64)}`, /Invalid sha256 digest.*64 lower-case hex digits/],
    [`alpine@sha256:${'a'.repeat(63)}`, /Invalid sha256 digest.*64 lower-case/],
    [`alpine@sha256:${'a'.repeat(65)}`, /Invalid sha256 digest/],
    [`alpine@sha512:${'a'.repeat(64)}`, /Invalid sha512 digest.*128 lower-case hex digits/],
    [`alpine@sha256:${'g'.repeat(64)}`, /Invalid digest/],
    [`alpine@foo:${'=a'.repeat(20)}`, /Invalid digest/],
    [`alpine@1sha:${'a'.repeat(32)}`, /Invalid digest/],
    [`alpine@${SHA}@${SHA}`, /Invalid digest/],
    ['alpine/', /Invalid repository name component ''/],
    ['/alpine', /Invalid repository name component ''/],
    ['team//web', /Invalid repository name component ''/],
    ['team/-web', /Invalid repository name component '-web'/],
    ['team/web_', /Invalid repository name component 'web_'/],
    ['team/we___b', /Invalid repository name component 'we___b'/],
    ['team/web..x', /Invalid repository name component 'web\.\.x'/],
    ['localhost:/web', /Invalid port '' in registry host 'localhost:'/],
    ['localhost:50a0/web', /Invalid port '50a0'/],
    ['localhost:123456/web', /Invalid port '123456'/],
    ['-bad.io/web', /Invalid registry host '-bad\.io'/],
    ['bad-.io/web', /Invalid registry host 'bad-\.io'/],
    ['bad_host.io/web', /Invalid registry host 'bad_host\.io'/],
    ['a..io/web', /Invalid registry host 'a\.\.io'/],
    ['[::1/web', /Invalid registry host '\[::1'/],
    ['[::1]x/web', /Invalid registry host '\[::1\]x'/],
    ['[...]/web', /Invalid IPv6 registry host '\[\.\.\.\]'/],
    ['[zz::1]/web', /Invalid IPv6 registry host/],
    ['[::1]:port/web', /Invalid port 'port'/],
    ['::1/web', /Invalid registry host '::1'/],
    [`r.io/${'a'.repeat(251)}`, /is 256 characters long; at most 255 are allowed/],
    [`${'a'.repeat(256)}`, /is 256 characters long; at most 255/],
    [`web:${'x'.repeat(5000)}`, /is 5004 characters long/],
  ];
  for (const [text, message] of cases) {
    it(text.length > 60 ? `${text.slice(0, 60)}…` : JSON.stringify(text), () => {
      assert.throws(
        () => parseImageReference(text),
        (e: unknown) => e instanceof ImageReferenceError && e.name === 'ImageReferenceError' && message.test(e.message),
      );
      assert.equal(isValidImageReference(text), false);
    });
  }
  it('keeps long inputs out of the message', () => {
    try {
      parseImageReference(`${'a'.repeat(10_000)}`);
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof ImageReferenceError);
      assert.ok(e.message.length < 300, e.message);
    }
  });
});

describe('formatImageReference and familiarName', () => {
  const cases: [string, string, string][] = [
    // input, familiar format, fully-qualified format
    ['alpine', 'alpine', 'docker.io/library/alpine'],
    ['docker.io/library/alpine:3.19', 'alpine:3.19', 'docker.io/library/alpine:3.19'],
    ['index.docker.io/team/web:1', 'team/web:1', 'docker.io/team/web:1'],
    ['127.0.0.1:5000/web:1', '127.0.0.1:5000/web:1', '127.0.0.1:5000/web:1'],
    [`[::1]:5000/web@${SHA}`, `[::1]:5000/web@${SHA}`, `[::1]:5000/web@${SHA}`],
    [`alpine:3@${SHA}`, `alpine:3@${SHA}`, `docker.io/library/alpine:3@${SHA}`],
  ];
  for (const [input, familiar, full] of cases) {
    it(input.length > 50 ? `${input.slice(0, 50)}…` : input, () => {
      const ref = parseImageReference(input);
      assert.equal(formatImageReference(ref), familiar);
      assert.equal(formatImageReference(ref, { familiar: false }), full);
      // Both forms parse back to the same reference.
      assert.deepEqual({ ...parseImageReference(familiar), explicitRegistry: true }, { ...ref, explicitRegistry: true });
      assert.deepEqual({ ...parseImageReference(full), explicitRegistry: true }, { ...ref, explicitRegistry: true });
    });
  }
  it('familiarName drops tag and digest', () => {
    assert.equal(familiarName(parseImageReference(`docker.io/library/alpine:3@${SHA}`)), 'alpine');
    assert.equal(familiarName(parseImageReference('team/web:1')), 'team/web');
    assert.equal(familiarName(parseImageReference('localhost:5000/team/web:1')), 'localhost:5000/team/web');
    assert.equal(DOCKER_HUB, 'docker.io');
  });
});

describe('withTag, withDigest, isValidTag', () => {
  const ref = parseImageReference(`127.0.0.1:5000/team/web:1@${SHA}`);
  it('withTag replaces the tag and drops the digest', () => {
    const tagged = withTag(ref, 'arm64-1.2');
    assert.equal(tagged.tag, 'arm64-1.2');
    assert.equal(tagged.digest, undefined);
    assert.equal(formatImageReference(tagged), '127.0.0.1:5000/team/web:arm64-1.2');
    assert.equal(ref.tag, '1', 'the original is not changed');
  });
  it('withTag rejects a bad tag', () => {
    assert.throws(() => withTag(ref, ''), /Invalid tag ''/);
    assert.throws(() => withTag(ref, '-x'), ImageReferenceError);
    assert.throws(() => withTag(ref, 't'.repeat(129)), ImageReferenceError);
  });
  it('withDigest pins to a digest and drops the tag', () => {
    const pinned = withDigest(parseImageReference('alpine:3'), SHA);
    assert.equal(pinned.digest, SHA);
    assert.equal(pinned.tag, undefined);
    assert.equal(formatImageReference(pinned), `alpine@${SHA}`);
  });
  it('withDigest validates like the parser (sha256 needs 64 lower-case hex digits)', () => {
    assert.throws(() => withDigest(ref, 'sha256:abc'), /Invalid digest 'sha256:abc'/);
    assert.throws(() => withDigest(ref, `sha256:${'A'.repeat(64)}`), /Invalid sha256 digest/);
    assert.throws(() => withDigest(ref, `sha256:${'a'.repeat(32)}`), /Invalid sha256 digest/);
    assert.throws(() => withDigest(ref, ''), ImageReferenceError);
  });
  const tags: [string, boolean][] = [
    ['latest', true],
    ['3.19', true],
    ['_private', true],
    ['v1.2.3-rc.1_build', true],
    ['UPPER', true],
    ['t'.repeat(128), true],
    ['', false],
    ['.hidden', false],
    ['-dash', false],
    ['a:b', false],
    ['a/b', false],
    ['a b', false],
    ['t'.repeat(129), false],
  ];
  for (const [tag, valid] of tags) {
    it(`isValidTag(${JSON.stringify(tag.length > 20 ? `${tag.slice(0, 20)}…` : tag)}) = ${valid}`, () =>
      assert.equal(isValidTag(tag), valid));
  }
});
