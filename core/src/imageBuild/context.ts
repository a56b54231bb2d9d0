/**
 * Build context packing: a tar stream of the context folder that honours `.dockerignore`
 * (Docker's semantics through @balena/dockerignore), always includes the Dockerfile and
 * `.dockerignore` (as Docker does), and carries a Dockerfile from outside the context under a
 * private name.
 */
import { createReadStream, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import ignore from '@balena/dockerignore';
import * as tar from 'tar-stream';

export interface PackedContext {
  /** The tar stream to send to the engine. */
  readonly stream: Readable;
  /** The Dockerfile path inside the tar (`Dockerfile`, `docker/Dockerfile.arm`, `.green-cloud.Dockerfile.1a2b`). */
  readonly dockerfile: string;
}

export interface ContextEntry {
  readonly name: string;
  readonly stats: Stats;
  readonly absolute: string;
}

/** The context's files after `.dockerignore` (paths with `/`), Dockerfile and .dockerignore always kept. */
export function listContext(contextDir: string, dockerfileInContext?: string): ContextEntry[] {
  const root = resolve(contextDir);
  const ignoreFile = join(root, '.dockerignore');
  const patterns = existsSync(ignoreFile)
    ? readFileSync(ignoreFile, 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'))
    : [];
  const ig = ignore().add(patterns);
  const hasExceptions = patterns.some((p) => p.startsWith('!'));
  const always = new Set(['.dockerignore', ...(dockerfileInContext ? [dockerfileInContext] : [])]);
  const out: ContextEntry[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const absolute = join(dir, entry.name);
      const name = relative(root, absolute).split(sep).join('/');
      const stats = lstatSync(absolute);
      const ignored = ig.ignores(name) && !always.has(name);
      if (stats.isDirectory()) {
        // A directory is pruned only when nothing below it can be re-included by a `!` rule.
        if (ignored && !hasExceptions && ![...always].some((a) => a.startsWith(`${name}/`))) continue;
        if (!ignored) out.push({ name, stats, absolute });
        walk(absolute);
      } else if (!ignored && (stats.isFile() || stats.isSymbolicLink())) {
        out.push({ name, stats, absolute });
      }
    }
  };
  walk(root);
  return out;
}

/** Packs the context for one build. `dockerfile` is relative to the context or absolute. */
export function packContext(contextDir: string, dockerfile: string): PackedContext {
  const root = resolve(contextDir);
  const dockerfileAbs = resolve(root, dockerfile);
  const rel = relative(root, dockerfileAbs);
  const inside = rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
  const dockerfileName = inside ? rel.split(sep).join('/') : `.green-cloud.Dockerfile.${randomBytes(4).toString('hex')}`;
  const entries = listContext(root, inside ? dockerfileName : undefined);
  const pack = tar.pack();
  const add = async (): Promise<void> => {
    for (const e of entries) {
      const mode = e.stats.mode & 0o7777;
      const mtime = e.stats.mtime;
      if (e.stats.isDirectory()) {
        await new Promise<void>((res, rej) =>
          pack.entry({ name: `${e.name}/`, type: 'directory', mode, mtime }, (err) => (err ? rej(err) : res())),
        );
      } else if (e.stats.isSymbolicLink()) {
        const linkname = readlinkSync(e.absolute);
        await new Promise<void>((res, rej) =>
          pack.entry({ name: e.name, type: 'symlink', linkname, mode, mtime }, (err) => (err ? rej(err) : res())),
        );
      } else {
        await new Promise<void>((res, rej) => {
          const sink = pack.entry({ name: e.name, type: 'file', size: e.stats.size, mode, mtime }, (err) => (err ? rej(err) : res()));
          const source = createReadStream(e.absolute);
          source.on('error', rej);
          source.pipe(sink);
        });
      }
    }
    if (!inside) {
      const body = readFileSync(dockerfileAbs);
      await new Promise<void>((res, rej) =>
        pack.entry({ name: dockerfileName, type: 'file', size: body.length, mode: 0o644, mtime: new Date() }, body, (err) =>
          err ? rej(err) : res(),
        ),
      );
    }
    pack.finalize();
  };
  add().catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  return { stream: pack, dockerfile: dockerfileName };
}
