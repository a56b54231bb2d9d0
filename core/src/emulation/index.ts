/** QEMU emulation: detection and set-up (see ./binfmt.ts). */
export {
  detectEmulation,
  setUpEmulation,
  readBinfmtHandlers,
  parseBinfmtEntry,
  handlerFor,
  DEFAULT_BINFMT_DIR,
  DEFAULT_BINFMT_IMAGE,
  DEFAULT_BINFMT_MISC,
  type BinfmtHandler,
  type DetectOptions,
} from './binfmt';
export type { EmulationReport, EmulationStatus, SetUpEmulationOptions, SetUpEmulationResult } from './types';
