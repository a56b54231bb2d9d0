/** The Docker engine connection's types (see ./connection.ts). */

/** A Docker engine: `unix:///var/run/docker.sock`, `tcp://host:2375`, `ssh://user@host`, `npipe:////./pipe/docker_engine`. */
export interface EngineEndpoint {
  readonly host: string;
  /** Short human label: `local` for the default engine, else the host. */
  readonly label: string;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    message: string,
    readonly host: string,
    /** The engine could not be reached (the front end then says where another engine is set). */
    readonly unreachable = false,
  ) {
    super(message);
  }
}
