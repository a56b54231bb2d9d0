/** The output channel's notes on registry lookups: a failing registry once per cause, not per image or edit. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LookupNotes } from '../../../../server/src/lookups/notes';
import type { LookupFailure, LookupResult } from '../../../../server/src/lookups';
import { registryAnswers } from '../../../support/lint';

function answer(reference: string, registry: string, status: LookupResult['status'] = 'ok', failure?: LookupFailure): LookupResult {
  const base = registryAnswers({ [reference]: { registry, platforms: ['linux/amd64'] } }).get(reference)!;
  return { ...base, status, ...(failure ? { failure, message: `Cannot reach ${registry} for ${reference}: …` } : {}) };
}

function capture() {
  const warnings: string[] = [];
  const logs: string[] = [];
  return {
    warnings,
    logs,
    notes: new LookupNotes(
      (l) => logs.push(l),
      (w) => warnings.push(w),
    ),
  };
}

const dns: LookupFailure = { cause: 'dns', host: 'registry-1.docker.io', code: 'ENOTFOUND' };
const refused: LookupFailure = { cause: 'refused', host: 'docker.io', code: 'ECONNREFUSED' };

describe('lookups: notes in the output channel', () => {
  it('eight images of one unreachable registry make one note, and edits add none', () => {
    const { warnings, notes } = capture();
    const images = ['alpine:3.7', 'debian:12', 'node:20', 'golang:1.22', 'nginx:1', 'redis:7', 'busybox:1', 'python:3'];
    const failed = images.map((i) => answer(`docker.io/library/${i}`, 'docker.io', 'unavailable', dns));
    notes.note(failed);
    for (let edit = 0; edit < 5; edit++) notes.note(failed);
    assert.deepEqual(warnings, [
      'No answer from docker.io (host not found). Host asked: registry-1.docker.io. Images from docker.io are not checked for platforms (GC108, GC109, GC301) until it answers; first seen for docker.io/library/alpine:3.7. Offline? Set greenCloud.registry.lookups to false.',
    ]);
  });

  it('a different cause, or another registry, is a note of its own', () => {
    const { warnings, notes } = capture();
    notes.note([answer('docker.io/library/alpine:3.7', 'docker.io', 'unavailable', dns)]);
    notes.note([answer('docker.io/library/debian:12', 'docker.io', 'unavailable', refused)]);
    notes.note([answer('ghcr.io/team/app:1', 'ghcr.io', 'unavailable', { cause: 'dns', host: 'ghcr.io', code: 'ENOTFOUND' })]);
    notes.note([answer('docker.io/library/node:20', 'docker.io', 'unavailable', dns)]);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0], /^No answer from docker\.io \(host not found\)\./);
    assert.match(
      warnings[1],
      /^No answer from docker\.io \(connection refused\)\. Images .* Start the registry, or set greenCloud\.registry\.lookups to false\.$/,
    );
    assert.match(warnings[2], /^No answer from ghcr\.io \(host not found\)\. Images from ghcr\.io/);
    assert.doesNotMatch(warnings[2], /Host asked/, 'the host is named once when it is the registry');
  });

  it('once the registry answers again, a new failure is noted again', () => {
    const { warnings, logs, notes } = capture();
    const down = answer('docker.io/library/alpine:3.7', 'docker.io', 'unavailable', dns);
    notes.note([down]);
    notes.note([answer('docker.io/library/alpine:3.7', 'docker.io')]);
    assert.equal(logs.length, 1, 'the answer is logged');
    notes.note([down]);
    notes.note([down]);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    notes.note([answer('docker.io/library/alpine:3.7', 'docker.io')]);
    assert.equal(logs.length, 2, 'the answer after a failure is logged again');
  });

  it('answers about one image are logged once per image and outcome; lookups that are off say nothing', () => {
    const { warnings, logs, notes } = capture();
    const ok = answer('docker.io/library/alpine:3.7', 'docker.io');
    notes.note([ok, ok, answer('docker.io/library/debian:12', 'docker.io', 'not-found'), answer('x:1', 'docker.io', 'offline')]);
    notes.note([ok]);
    assert.equal(logs.length, 2, logs.join('\n'));
    assert.deepEqual(warnings, []);
  });
});
