/**
 * "A manifest list was pushed", from any of the three paths (Push Manifest List, Build and Push
 * All Platforms, a `"push": true` task). The extension remembers the list for Inspect Manifest
 * List and completes the walkthrough's last step. No `vscode` import: the task's push uses it.
 */
type Listener = (reference: string) => void;

const listeners = new Set<Listener>();

/** Calls `listener` with each pushed list's reference (`IMAGE:TAG`, no digest). */
export function onListPushed(listener: Listener): { dispose(): void } {
  listeners.add(listener);
  return { dispose: () => listeners.delete(listener) };
}

/** Announces a pushed list; `reference` may carry `@sha256:…`, which is dropped. */
export function listPushed(reference: string): void {
  const [tagged = reference] = reference.split('@');
  for (const listener of [...listeners]) {
    try {
      listener(tagged);
    } catch {
      // a listener's failure must not turn a successful push into a failed one
    }
  }
}
