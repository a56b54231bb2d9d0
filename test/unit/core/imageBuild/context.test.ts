import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import * as tar from 'tar-stream';
import { listContext, packContext } from '../../../../core/src/imageBuild';
import { scratchDir, type Scratch } from '../../../support/scratch';

const scratches: Scratch[] = [];
after(() => scratches.forEach((s) => s.dispose()));
function tree(files: Record<string, string>): string {
  const scratch = scratchDir(files, 'gc-ctx-');
  scratches.push(scratch);
  return scratch.dir;
}

async function entries(stream: Readable): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const extract = tar.extract();
  await new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, s, next) => {
      const chunks: Buffer[] = [];
      s.on('data', (c: Buffer) => chunks.push(c));
      s.on('end', () => {
        out[h.name] = h.type === 'symlink' ? `-> ${h.linkname}` : h.type === 'directory' ? '<dir>' : Buffer.concat(chunks).toString();
        next();
      });
    });
    extract.on('finish', () => resolve());
    extract.on('error', reject);
    stream.pipe(extract);
  });
  return out;
}

describe('build context', () => {
  it('honours .dockerignore with exceptions, always keeps Dockerfile and .dockerignore', () => {
    const dir = tree({
      Dockerfile: 'FROM x',
      '.dockerignore': '# comment\n*.log\nnode_modules\n!keep.log\nDockerfile\n.dockerignore\n',
      'a.txt': 'a',
      'b.log': 'b',
      'keep.log': 'k',
      'node_modules/x/index.js': '',
      'src/main.c': '',
    });
    assert.deepEqual(
      listContext(dir, 'Dockerfile').map((e) => e.name),
      ['.dockerignore', 'Dockerfile', 'a.txt', 'keep.log', 'src', 'src/main.c'],
    );
  });

  it('packs files, directories and symlinks', async () => {
    const dir = tree({ Dockerfile: 'FROM x\n', 'bin/tool': '#!/bin/sh\n' });
    symlinkSync('tool', join(dir, 'bin/alias'));
    const packed = packContext(dir, 'Dockerfile');
    assert.equal(packed.dockerfile, 'Dockerfile');
    assert.deepEqual(await entries(packed.stream), {
      Dockerfile: 'FROM x\n',
      'bin/': '<dir>',
      'bin/alias': '-> tool',
      'bin/tool': '#!/bin/sh\n',
    });
  });

  it('adds a Dockerfile from outside the context under a private name', async () => {
    const dir = tree({ 'app.txt': 'app' });
    const other = tree({ 'web.Dockerfile': 'FROM y\n' });
    const packed = packContext(dir, join(other, 'web.Dockerfile'));
    assert.match(packed.dockerfile, /^\.green-cloud\.Dockerfile\.[0-9a-f]{8}$/);
    assert.deepEqual(await entries(packed.stream), { 'app.txt': 'app', [packed.dockerfile]: 'FROM y\n' });
  });

  it('keeps a Dockerfile in a sub-folder by its relative path even when ignored', async () => {
    const dir = tree({ 'docker/Dockerfile.arm': 'FROM z', '.dockerignore': 'docker\n' });
    assert.deepEqual(
      listContext(dir, 'docker/Dockerfile.arm').map((e) => e.name),
      ['.dockerignore', 'docker/Dockerfile.arm'],
    );
    const packed = packContext(dir, 'docker/Dockerfile.arm');
    assert.equal(packed.dockerfile, 'docker/Dockerfile.arm');
    assert.deepEqual(Object.keys(await entries(packed.stream)), ['.dockerignore', 'docker/Dockerfile.arm']);
  });
});
