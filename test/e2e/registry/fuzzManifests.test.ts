/**
 * Property: whatever manifest or index the (fake) registry answers, `inspect` and `push` end
 * with a result or a RegistryError / ManifestListError — never a TypeError — and the CLI
 * exits 0 or 1 without "a bug in green-cloud" and without a raw control character.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../../../cli/src/main';
import { formatInspect, inspectManifest, ManifestListError, pushManifestList, RegistryError } from '../../../core/src/registry';
import {
  addImage,
  addRawManifest,
  captureIO,
  DOCKER_LIST,
  DOCKER_MANIFEST,
  OCI_INDEX,
  startFakeRegistry,
  type FakeRegistry,
} from './fakeRegistry';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function expected(error: unknown): boolean {
  return error instanceof RegistryError || error instanceof ManifestListError;
}

describe('random manifests from a registry never crash inspect or push', () => {
  let registry: FakeRegistry;
  let real: { digest: string; size: number };
  before(async () => {
    registry = await startFakeRegistry();
    real = addImage(registry, 'team/fuzz', 'real', { os: 'linux', architecture: 'amd64' });
  });
  after(async () => {
    await registry.stop();
  });

  const text = fc.oneof(fc.string(), fc.constantFrom('linux', 'amd64', 'arm64', 'arm', 'v7', 'unknown', 'linux\u001b[2J\r', '\u009b31m'));
  const anything = fc.oneof(fc.jsonValue(), fc.constant(undefined));
  const digest = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(`sha256:${'0'.repeat(64)}`, `sha512:${'1'.repeat(128)}`, `sha384:${'2'.repeat(96)}`, 'sha256:xyz', ''),
    fc.string(),
    fc.integer(),
  );
  const platform = fc.oneof(
    anything,
    fc.record(
      {
        os: fc.oneof(text, anything),
        architecture: fc.oneof(text, anything),
        variant: fc.oneof(text, anything),
        'os.version': anything,
        'os.features': anything,
      },
      { requiredKeys: [] },
    ),
  );
  const entry = fc.oneof(
    fc.constant(null),
    fc.jsonValue(),
    fc.record(
      {
        mediaType: fc.oneof(fc.constantFrom(DOCKER_MANIFEST, OCI_MANIFEST, OCI_INDEX, 'x'), text, anything),
        digest,
        size: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string(), anything),
        platform,
        annotations: fc.oneof(anything, fc.dictionary(fc.string(), fc.oneof(text, anything))),
      },
      { requiredKeys: [] },
    ),
  );
  const document = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        schemaVersion: fc.oneof(fc.constant(2), anything),
        mediaType: fc.oneof(fc.constantFrom(OCI_INDEX, DOCKER_LIST, DOCKER_MANIFEST), anything),
        manifests: fc.oneof(fc.array(entry, { maxLength: 4 }), anything),
        config: fc.oneof(entry, anything),
        layers: fc.oneof(fc.array(entry, { maxLength: 3 }), anything),
        annotations: fc.oneof(anything, fc.dictionary(fc.string(), text)),
      },
      { requiredKeys: [] },
    ),
  );
  const contentType = fc.constantFrom(
    OCI_INDEX,
    DOCKER_LIST,
    DOCKER_MANIFEST,
    OCI_MANIFEST,
    'application/json',
    'text/plain',
    'application/x-junk',
  );

  it('inspect (library and CLI) and push end in a result or a registry error', { timeout: 240_000 }, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(document, contentType, fc.boolean(), async (doc, type, withReal) => {
        // Sometimes point an entry at a real image, so that deeper code paths run too.
        if (withReal && doc && typeof doc === 'object' && !Array.isArray(doc) && Array.isArray((doc as { manifests?: unknown }).manifests))
          (doc as { manifests: unknown[] }).manifests.push({
            mediaType: DOCKER_MANIFEST,
            digest: real.digest,
            size: real.size,
            platform: { os: 'linux', architecture: 'arm64' },
          });
        const tag = `t${n++}`;
        addRawManifest(registry, 'team/fuzz', tag, doc === undefined ? '' : JSON.stringify(doc), type);
        const reference = `${registry.host}/team/fuzz:${tag}`;
        const inspected = await inspectManifest(reference, { retries: 0, timeoutMs: 5000 }).then(
          (r) => r,
          (e: unknown) => {
            assert.ok(expected(e), `inspect threw ${String((e as Error)?.stack ?? e)}`);
            return undefined;
          },
        );
        if (inspected) assert.doesNotMatch(formatInspect(inspected), CONTROL);
        const { io, out, err } = captureIO();
        const code = await runCli(['manifest', 'inspect', reference], io);
        assert.ok(code === 0 || code === 1, `exit ${code}: ${err()}`);
        assert.doesNotMatch(err(), /bug in green-cloud/);
        assert.doesNotMatch(out() + err(), CONTROL);
        await pushManifestList(
          { target: `${registry.host}/team/out:${tag}`, sources: [{ reference }] },
          { retries: 0, timeoutMs: 5000 },
        ).catch((e: unknown) => assert.ok(expected(e), `push threw ${String((e as Error)?.stack ?? e)}`));
      }),
      { numRuns: 300 },
    );
  });
});
