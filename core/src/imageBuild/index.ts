/** The image build module's public API (see ./types.ts for the contract). */
export * from './types';
export { planBuild, renderTag, splitImageTag, validateImageName, validateVersion, DEFAULT_TAG_TEMPLATE } from './plan';
export { runBuild } from './run';
export { describeStepFailure, exitCodeOf, outputTail, parseStepName, sanitizeLine, secretBuildArgs, type FailureDetails } from './failure';
export { packContext, listContext, type PackedContext } from './context';
export { verifyImagePlatform, readElfHeader, baseFromLine, type VerifyResult, type ElfInfo, type FromLine } from './verify';
export { decodeTrace, BuildOutputReader, type VertexTime } from './progress';
export {
  buildTiming,
  commandLabel,
  hostPlatformStages,
  emulationVerdict,
  isEmulated,
  normalizeEngineArch,
  timingLine,
  type BuildTiming,
  type StepTime,
} from './timing';
