/**
 * What `activate` returns: a small, read-only view for the integration tests (and other
 * extensions) — which process serves the language server right now.
 */
import type { LanguageClient } from 'vscode-languageclient/node';

export interface GreenCloudApi {
  /** The PID of the running language server process, or undefined while it is not running. */
  serverProcessId(): number | undefined;
}

export function createApi(client: () => LanguageClient | undefined): GreenCloudApi {
  return {
    serverProcessId: () => {
      const c = client();
      return c?.isRunning() ? c.serverProcess?.pid : undefined;
    },
  };
}
