import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listStepLine, PushProgress, shortName } from '../../../../client/src/ui/pushProgress';

describe('push progress lines', () => {
  const labels = new Map([
    ['127.0.0.1:5000/team/web:amd64-1.2', 'linux/amd64'],
    ['127.0.0.1:5000/team/web:arm64-1.2', 'linux/arm64'],
    ['127.0.0.1:5000/team/web:armv7-1.2', 'linux/arm/v7'],
  ]);

  it('names the platform and counts the pushed images, never "host:port/x:tag: pushed sha256:…"', () => {
    const p = new PushProgress(labels);
    assert.equal(p.line('127.0.0.1:5000/team/web:amd64-1.2', 'queued'), undefined);
    assert.equal(p.line('127.0.0.1:5000/team/web:amd64-1.2', 'pushing'), 'linux/amd64… (0 of 3 pushed)');
    assert.equal(p.line('127.0.0.1:5000/team/web:amd64-1.2', 'pushed'), 'linux/amd64 ✓ (1 of 3 pushed)');
    assert.equal(p.line('127.0.0.1:5000/team/web:armv7-1.2', 'pushing'), 'linux/arm/v7… (1 of 3 pushed)');
    assert.equal(p.line('127.0.0.1:5000/team/web:arm64-1.2', 'pushed'), 'linux/arm64 ✓ (2 of 3 pushed)');
    assert.equal(p.line('127.0.0.1:5000/team/web:armv7-1.2', 'failed'), 'linux/arm/v7 failed to push');
    for (const status of ['pushing', 'pushed', 'failed', 'cancelled'] as const) {
      const line = p.line('127.0.0.1:5000/team/web:arm64-1.2', status) ?? '';
      assert.doesNotMatch(line, /sha256|5000|: \w+:/, line);
      // Shown after the title "Green Cloud: pushing web:1.2": no second "Pushing", no "images" that reads like a position.
      assert.doesNotMatch(line, /^Pushing|images\)/i, line);
    }
  });

  it('counts an image pushed twice once', () => {
    const p = new PushProgress(labels);
    p.line('127.0.0.1:5000/team/web:amd64-1.2', 'pushed');
    assert.equal(p.line('127.0.0.1:5000/team/web:amd64-1.2', 'pushed'), 'linux/amd64 ✓ (1 of 3 pushed)');
  });

  it('falls back to the short image name for an image it has no label for', () => {
    assert.equal(new PushProgress(labels).line('reg.example/a/b/app:arm64-2@sha256:0123', 'cancelled'), 'app:arm64-2 cancelled');
  });

  it('gives each image and the list an equal share of the bar', () => {
    assert.equal(new PushProgress(labels).increment, 25);
  });

  it('shortens references in the list steps to their last path segment', () => {
    assert.equal(shortName('127.0.0.1:5000/team/web:1.2'), 'web:1.2');
    assert.equal(shortName('web:1.2'), 'web:1.2');
    assert.equal(listStepLine('Resolving 127.0.0.1:5000/team/web:amd64-1.2'), 'Resolving web:amd64-1.2');
    assert.equal(listStepLine('Pushing the manifest list to 127.0.0.1:5000/team/web:1.2'), 'Pushing the manifest list to web:1.2');
    assert.equal(listStepLine('Reading the list at reg/web@sha256:abc'), 'Reading the list at web@sha256:abc');
    // Platforms are not references: left alone.
    assert.equal(listStepLine('Copying linux/arm64 into team/web'), 'Copying linux/arm64 into team/web');
  });
});
