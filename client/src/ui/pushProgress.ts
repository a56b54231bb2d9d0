/**
 * The progress line of a push in words a person reads at a glance: VS Code shows it after the
 * title ("Green Cloud: pushing web:1.2: linux/arm64 (1 of 3 pushed)"), so the line neither repeats
 * the verb nor reads like a position, and never shows the raw "127.0.0.1:5000/web:arm64-1: pushed
 * sha256:…" (the registry port and the tag each add a colon). Digests stay in the output channel.
 * No `vscode` import.
 */
import type { PushStatus } from '../../../core/src/registry/push';

export class PushProgress {
  private readonly done = new Set<string>();

  /** `labels`: each image reference → what to call it (its platform, e.g. `linux/arm64`). */
  constructor(private readonly labels: ReadonlyMap<string, string>) {}

  /** Number of images being pushed. */
  get total(): number {
    return this.labels.size;
  }

  /** The line for a status change, or undefined when there is nothing new to say (queued). */
  line(image: string, status: PushStatus): string | undefined {
    const name = this.labels.get(image) ?? shortName(image);
    switch (status) {
      case 'queued':
        return undefined;
      case 'pushing':
        return `${name}…${this.count()}`;
      case 'pushed':
        this.done.add(image);
        return `${name} ✓${this.count()}`;
      case 'failed':
        return `${name} failed to push`;
      case 'cancelled':
        return `${name} cancelled`;
    }
  }

  /** " (2 of 3 pushed)": how many are done, not which one this is. */
  private count(): string {
    return this.total > 0 ? ` (${this.done.size} of ${this.total} pushed)` : '';
  }

  /** The share of the bar one image is worth (the list itself gets one share too). */
  get increment(): number {
    return 100 / (this.total + 1);
  }
}

/** `127.0.0.1:5000/team/web:arm64-1.2` → `web:arm64-1.2` (the last path segment). */
export function shortName(reference: string): string {
  const [withoutDigest = reference] = reference.split('@');
  return withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
}

/**
 * A list step of the core ("Resolving 127.0.0.1:5000/team/web:amd64-1") with each reference
 * shortened to its last path segment, so that the notification line stays readable.
 */
export function listStepLine(step: string): string {
  return step.replace(/\S*\/([^\s/]*[:@][^\s/]*)/g, (_, last: string) => last);
}
