/** The Docker engine connection shared by image builds, pushes and emulation (see ./connection.ts). */
export {
  connectEngine,
  demultiplexLogs,
  describeEngineError,
  isUnreachable,
  dockerOptions,
  pingEngine,
  resolveEngineHost,
  validateEngineHost,
  DEFAULT_DOCKER_HOST,
} from './connection';
export { EngineError, type EngineEndpoint } from './types';
