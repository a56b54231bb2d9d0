/**
 * The output channel's notes about registry lookups. A registry that gives no answer is noted
 * once per registry and cause (not once per image, not again on every edit); once it answers
 * again, a new failure is noted again. Answers about one image (found, not found, not
 * authorized) are noted once per image and outcome.
 */
import { describeUnavailable } from './format';
import type { LookupResult } from './types';

/** Bounds on what is remembered (a file may name any number of registries and images). */
const MAX_REMEMBERED = 1000;

export class LookupNotes {
  /** The last outcome noted per image. */
  private readonly perImage = new Map<string, string>();
  /** Per registry, the causes of "no answer" already noted since it last answered. */
  private readonly failing = new Map<string, Set<string>>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly warn: (line: string) => void,
  ) {}

  note(results: Iterable<LookupResult>): void {
    for (const r of results) {
      if (r.status === 'offline' || r.status === 'invalid') continue;
      if (r.status === 'unavailable') {
        this.noteUnavailable(r);
        continue;
      }
      this.failing.delete(r.registry); // it answered: a later failure is news again
      const outcome = r.status === 'ok' ? `ok ${r.digest ?? ''}` : `${r.status}: ${r.message ?? ''}`;
      if (this.perImage.get(r.canonical) === outcome) continue;
      if (this.perImage.size >= MAX_REMEMBERED) this.perImage.clear();
      this.perImage.set(r.canonical, outcome);
      if (r.status === 'ok')
        this.log(`Registry lookup of ${r.canonical}: ${r.kind ?? ''} ${r.platforms.map((p) => p.platform).join(', ')}`);
      else this.log(`Registry lookup of ${r.canonical}: ${r.status} (credentials tried: ${r.credentialsSource}). ${r.message ?? ''}`);
    }
  }

  private noteUnavailable(r: LookupResult): void {
    const cause = r.failure?.cause ?? 'unknown';
    let causes = this.failing.get(r.registry);
    if (causes?.has(cause)) return;
    if (!causes) {
      if (this.failing.size >= MAX_REMEMBERED) this.failing.clear();
      causes = new Set();
      this.failing.set(r.registry, causes);
    }
    causes.add(cause);
    this.perImage.delete(r.canonical); // its next answer is noted
    const { reason, next } = describeUnavailable(r, false);
    const host = r.failure?.host && r.failure.host !== r.registry ? ` Host asked: ${r.failure.host}.` : '';
    this.warn(
      `${reason}${host} Images from ${r.registry} are not checked for platforms (GC108, GC109, GC301) until it answers; first seen for ${r.canonical}.${next ? ` ${next}` : ''}`,
    );
  }
}
