/**
 * The build module's contract (no `vscode` import; shared by the extension, the task provider
 * and the CLI). Everything is re-exported from `core/src/imageBuild/index.ts`.
 *
 * Flow:
 *   1. `planBuild(request, {builders, defaultHost})` validates the request (context, Dockerfile,
 *      platforms, image repository, version, tag template) and returns one `BuildJob` per
 *      platform: the rendered tag and the engine that builds it (`builders[platform]` when the
 *      platform is mapped to another engine, else `defaultHost`, else `DOCKER_HOST`, else the
 *      default socket). Throws `BuildRequestError` with a message that names the bad input and
 *      the next step. Pure: no file system access beyond checking that context/Dockerfile exist.
 *   2. `runBuild(plan, events, {parallel, signal})` packs the context once per engine (honouring
 *      `.dockerignore`; the Dockerfile and `.dockerignore` are always sent, a Dockerfile outside
 *      the context is added under a private name), builds up to `parallel` platforms at a time
 *      through the Engine API with `platform` and BuildKit (`version: '2'`; the classic builder
 *      only when the engine has no BuildKit, which is logged), then VERIFIES each image: the ELF
 *      machine of a binary inside it (`/bin/sh`, `/bin/busybox`, …) must match the platform; a
 *      mismatch fails that platform naming the FROM line and both platforms.
 *      Events arrive as they happen: `onStatus(platform, 'queued'|'building'|'verifying'|…)` and
 *      `onLog(platform, line)` (lines without the `[os/arch]` prefix: the caller adds it).
 *      Aborting `signal` stops every running build within 2 s (the engine's build session is
 *      closed, BuildKit containers disappear) and marks unfinished platforms 'cancelled'.
 *      Never rejects for a platform failure: each platform has a `PlatformResult`. Rejects only
 *      when the plan itself cannot run (e.g. the context cannot be read).
 *   3. (core/src/docker/) `connectEngine(host?)` returns a dockerode client for `unix://`, `tcp://`, `ssh://`,
 *      `npipe://` hosts; `describeEngineError(err, host)` turns a connection error into
 *      "Cannot reach Docker at <host> (<code>). <next step>".
 *   4. Emulation (`core/src/emulation/`): `detectEmulation(engine, platforms)` says per platform
 *      whether the engine's host runs it natively, through QEMU binfmt_misc, not at all, or
 *      cannot tell; `setUpEmulation(engine, platforms, {confirmed: true, …})` registers missing
 *      handlers (local root: from /usr/lib/binfmt.d/qemu-*.conf; otherwise by running the
 *      privileged `tonistiigi/binfmt` image). The caller asks the user; the core only acts with
 *      `confirmed: true`.
 */
import type { EngineEndpoint } from '../docker/types';
import type { Platform } from '../platforms';
import type { BuildTiming } from './timing';

export interface BuildRequest {
  /** Absolute path of the build context directory. */
  readonly contextDir: string;
  /** Dockerfile path, relative to the context or absolute (may lie outside the context). */
  readonly dockerfile: string;
  readonly platforms: readonly Platform[];
  /** Repository reference without tag: `web`, `team/web`, `127.0.0.1:5000/team/web`. */
  readonly image: string;
  /** Version used in the tag (`1.2`). */
  readonly version: string;
  /** Tag template; placeholders {image} {os} {arch} {variant} {version}. Default `{image}:{arch}{variant}-{version}`. */
  readonly tagTemplate?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Target stage. */
  readonly target?: string;
  readonly noCache?: boolean;
}

export interface BuildJob {
  readonly platform: Platform;
  /** Full image reference with tag, e.g. `web:arm64-1.2`. */
  readonly tag: string;
  readonly engine: EngineEndpoint;
}

export interface BuildPlan {
  readonly request: BuildRequest;
  readonly jobs: readonly BuildJob[];
}

export interface PlanOptions {
  /** `greenCloud.builders`: platform string (`linux/arm64`) → engine host. */
  readonly builders?: Readonly<Record<string, string>>;
  /** The default engine (`greenCloud.docker.host`); else DOCKER_HOST, else the default socket. */
  readonly defaultHost?: string;
  /** Environment to read DOCKER_HOST from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type BuildStatus = 'queued' | 'building' | 'verifying' | 'succeeded' | 'failed' | 'cancelled';

/** How much a log line matters: the failing step's error is `error`, the classic-builder note `warning`. */
export type LogLevel = 'info' | 'warning' | 'error';

export interface BuildEvents {
  /** One line of build output for a platform (no prefix; callers print `[linux/arm64] line`); `level` defaults to info. */
  onLog(platform: Platform, line: string, level?: LogLevel): void;
  onStatus(platform: Platform, status: BuildStatus, detail?: string): void;
  /** Once per platform, before its build starts: whether it runs emulated (not native to the engine that builds it). */
  onEmulation?(platform: Platform, emulated: boolean): void;
}

export interface RunOptions {
  /** How many platforms build at once (`greenCloud.build.parallel`); at least 1. */
  readonly parallel: number;
  readonly signal?: AbortSignal;
  /** How many last log lines each result keeps (default 30). */
  readonly logTailLines?: number;
}

export interface PlatformResult {
  readonly platform: Platform;
  readonly tag: string;
  readonly engine: EngineEndpoint;
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly durationMs: number;
  /** `sha256:…` of the built image, when it was built. */
  readonly imageId?: string;
  /** Why it failed (one paragraph, names the platform and the next step). */
  readonly error?: string;
  /** For a failed build step: which step, its exit code and a one-line reason (see ./failure.ts). */
  readonly failure?: StepFailure;
  /** The engine could not be reached: the front end adds where another engine is set (a setting, DOCKER_HOST, a flag). */
  readonly engineUnreachable?: boolean;
  /** True for a platform cancelled before its build started (its duration means nothing). */
  readonly neverStarted?: boolean;
  /** The last lines of the build log. */
  readonly logTail: readonly string[];
  /** Which builder ran: BuildKit, or the classic builder as a fallback. */
  readonly builder?: 'buildkit' | 'classic';
  /** Where the time went (BuildKit vertex times): RUN steps, emulated or native. */
  readonly timing?: BuildTiming;
}

/** A failed build step, as the engine reported it (sanitised, bounded). */
export interface StepFailure {
  /** The step without BuildKit's `[stage N/M]` prefix: `RUN ./configure` (absent when the engine named no step). */
  readonly step?: string;
  /** The stage name from the step's prefix (`builder`), when it has one. */
  readonly stage?: string;
  /** N of BuildKit's `[N/M]` (1 is the stage's FROM). */
  readonly index?: number;
  /** Upper-case instruction of the step: `RUN`, `COPY` (`FROM` when the image failed verification). */
  readonly instruction?: string;
  /** 1-based Dockerfile line, when the core knows it (the pinned FROM of a failed verification). */
  readonly line?: number;
  readonly exitCode?: number;
  /** The engine's error text, one line. */
  readonly error: string;
  /**
   * The last non-empty lines the failing step printed (at most 3, 200 characters each; its
   * standard error last, where error messages go; sanitized, secret build arguments replaced by
   * `***`), when it printed any.
   */
  readonly output?: readonly string[];
  /** One line for a person: `RUN ./configure failed (exit code 1)`, with the step's last output line: `…: "no C compiler found"`. */
  readonly reason: string;
}

/** The request input a BuildRequestError is about (each front end names it its own way: a setting, a flag). */
export type BuildInput = 'context' | 'dockerfile' | 'platforms' | 'image' | 'version' | 'tagTemplate' | 'buildArgs' | 'builders';

/**
 * A request the planner refuses. `message` says what is wrong in words every front end can
 * show; `input` (and for `builders`, the platform `key` as given) says which input, so the
 * editor can name its setting and the CLI its flag.
 */
export class BuildRequestError extends Error {
  override readonly name = 'BuildRequestError';
  constructor(
    message: string,
    readonly input?: BuildInput,
    readonly key?: string,
  ) {
    super(message);
  }
}
