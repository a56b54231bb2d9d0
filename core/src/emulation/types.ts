/** Emulation's contract (see ./binfmt.ts). */
import type { Platform } from '../platforms';

export type EmulationStatus = 'native' | 'emulated' | 'missing' | 'unknown';

export interface EmulationReport {
  readonly platform: Platform;
  readonly status: EmulationStatus;
  /** Human explanation: `binfmt_misc qemu-aarch64 enabled (/usr/libexec/qemu-binfmt/aarch64-binfmt-P, flags POF)`. */
  readonly detail: string;
  /** The binfmt_misc handler name when known (`qemu-aarch64`). */
  readonly handler?: string;
}

export interface SetUpEmulationOptions {
  /** Must be true: the caller has asked the user (the core never registers handlers silently). */
  readonly confirmed: boolean;
  /** `host`: write /proc/sys/fs/binfmt_misc/register from binfmt.d files (local root only);
   *  `image`: run the privileged binfmt image on the engine; `auto` (default): host when possible. */
  readonly method?: 'auto' | 'host' | 'image';
  /** Image for the `image` method (default `tonistiigi/binfmt`), run with `--install <arches>`. */
  readonly image?: string;
  /** Directory of binfmt definitions (default /usr/lib/binfmt.d). */
  readonly binfmtDir?: string;
  /** binfmt_misc mount point (default /proc/sys/fs/binfmt_misc). */
  readonly binfmtMisc?: string;
}

export interface SetUpEmulationResult {
  readonly method: 'host' | 'image' | 'none';
  /** Handlers registered now (`qemu-aarch64`). */
  readonly registered: readonly string[];
  /** Platforms still without emulation, with the reason. */
  readonly failed: readonly { platform: Platform; reason: string }[];
}
