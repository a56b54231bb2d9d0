/**
 * Running a build plan: one Engine API build per platform (BuildKit, classic builder only as a
 * fallback), up to `parallel` at once, each verified after it is built. See ./types.ts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { formatPlatform } from '../platforms';
import { packContext } from './context';
import { connectEngine, describeEngineError, isUnreachable, pingEngine } from '../docker/connection';
import { EngineError, type EngineEndpoint } from '../docker/types';
import { BuildOutputReader, type BuildStreamMessage } from './progress';
import { buildTiming, hostPlatformStages, isEmulated, normalizeEngineArch } from './timing';
import { verifyImagePlatform } from './verify';
import { describeStepFailure, secretBuildArgs } from './failure';
import { redact } from '../redact';
import type { BuildEvents, BuildJob, BuildPlan, LogLevel, PlatformResult, RunOptions, StepFailure } from './types';

const CLASSIC_WARNING =
  'This engine has no BuildKit: using the classic builder, which is not multi-arch safe (it may reuse a cached base of another architecture and leaves TARGETARCH empty). The image is still verified below.';

interface EngineState {
  readonly docker: Docker;
  /** Resolves to the builder to use, or rejects with a clear message when the engine is unreachable. */
  readonly ready: Promise<'buildkit' | 'classic'>;
  /** The engine's architecture (`amd64`) once `ready` resolved. */
  arch?: string;
}

function engineState(endpoint: EngineEndpoint): EngineState {
  const docker = connectEngine(endpoint);
  const state: { docker: Docker; ready: Promise<'buildkit' | 'classic'>; arch?: string } = { docker, ready: Promise.resolve('buildkit') };
  state.ready = (async (): Promise<'buildkit' | 'classic'> => {
    await pingEngine(docker, endpoint.host);
    const version = await docker.version();
    state.arch = normalizeEngineArch(typeof version.Arch === 'string' ? version.Arch : undefined);
    const [major = 0, minor = 0] = (version.ApiVersion ?? '0').split('.').map(Number);
    const apiOk = major > 1 || (major === 1 && minor >= 39);
    return apiOk && (version.Os ?? 'linux') !== 'windows' ? 'buildkit' : 'classic';
  })();
  state.ready.catch(() => undefined);
  return state;
}

/** Sends POST /build and returns the response stream (dockerode's buildImage would add a gRPC session we do not need). */
function startBuild(docker: Docker, context: Readable, query: Record<string, unknown>, signal: AbortSignal): Promise<Readable> {
  return new Promise((resolvePromise, reject) => {
    (docker.modem as { dial(options: unknown, callback: (err: unknown, data: unknown) => void): void }).dial(
      {
        path: '/build?',
        method: 'POST',
        file: context,
        options: query,
        abortSignal: signal,
        isStream: true,
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      // dockerode's error objects carry the statusCode and json that describeEngineError reads.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      (err, data) => (err ? reject(err) : resolvePromise(data as Readable)),
    );
  });
}

/** Reads the newline-delimited JSON stream into the reader until it ends (or is aborted). */
function readStream(stream: Readable, reader: BuildOutputReader, signal: AbortSignal): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let buffer = '';
    const onAbort = (): void => {
      stream.destroy();
      reject(new DOMException('The build was cancelled.', 'AbortError'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line === '') continue;
        try {
          reader.push(JSON.parse(line) as BuildStreamMessage);
        } catch {
          reader.push({ stream: `${line}\n` });
        }
      }
    });
    stream.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      if (buffer.trim() !== '') {
        try {
          reader.push(JSON.parse(buffer) as BuildStreamMessage);
        } catch {
          reader.push({ stream: buffer });
        }
      }
      reader.end();
      resolvePromise();
    });
    stream.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(signal.aborted ? new DOMException('The build was cancelled.', 'AbortError') : error);
    });
  });
}

/** Asks the engine to cancel a BuildKit build (POST /build/cancel); best effort. */
async function cancelOnEngine(docker: Docker, buildId: string): Promise<void> {
  await new Promise<void>((resolvePromise) => {
    (docker.modem as { dial(options: unknown, callback: (err: unknown) => void): void }).dial(
      { path: `/build/cancel?id=${encodeURIComponent(buildId)}`, method: 'POST', statusCodes: { 200: true, 500: 'server error' } },
      () => resolvePromise(),
    );
  });
}

async function buildOne(
  job: BuildJob,
  plan: BuildPlan,
  dockerfileText: string,
  engine: EngineState,
  events: BuildEvents,
  signal: AbortSignal,
  tailLines: number,
  showEngine: boolean,
): Promise<PlatformResult> {
  const started = Date.now();
  const tail: string[] = [];
  const label = formatPlatform(job.platform);
  // BuildKit writes build-arg values into step names and output: a secret-looking one (see
  // secretBuildArgs) never reaches a log, the log tail or an error.
  const secrets = secretBuildArgs(plan.request.buildArgs);
  const hide = (text: string): string => (secrets.length > 0 ? redact(text, secrets) : text);
  const log = (text: string, level: LogLevel = 'info'): void => {
    const line = hide(text);
    tail.push(line);
    if (tail.length > tailLines) tail.shift();
    events.onLog(job.platform, line, level);
  };
  const result = (status: PlatformResult['status'], extra: Partial<PlatformResult> = {}): PlatformResult => {
    const r: PlatformResult = {
      platform: job.platform,
      tag: job.tag,
      engine: job.engine,
      status,
      durationMs: Date.now() - started,
      logTail: [...tail],
      ...extra,
    };
    // The status line carries the one-line reason; the full error stays in the result.
    events.onStatus(job.platform, status, r.failure?.reason ?? r.error);
    return r;
  };
  if (signal.aborted) return result('cancelled', { error: `${label}: cancelled before it started.`, neverStarted: true });
  events.onStatus(job.platform, 'building', showEngine ? `on ${job.engine.label}` : undefined);
  let builder: 'buildkit' | 'classic';
  try {
    builder = await engine.ready;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(message, 'error');
    return result('failed', {
      error: `${label}: ${message}`,
      failure: describeStepFailure(undefined, message),
      engineUnreachable: error instanceof EngineError && error.unreachable,
    });
  }
  if (showEngine) log(`building on ${job.engine.host}`);
  const emulated = isEmulated(job.platform, engine.arch);
  if (emulated !== undefined) events.onEmulation?.(job.platform, emulated);
  if (emulated)
    log(`${label} is not native to this engine (${engine.arch}): RUN steps of its target-platform stages run under QEMU emulation`);
  if (builder === 'classic') log(CLASSIC_WARNING, 'warning');
  const request = plan.request;
  const buildId = `green-cloud-${randomBytes(8).toString('hex')}`;
  const packed = packContext(request.contextDir, request.dockerfile);
  const query: Record<string, unknown> = {
    t: job.tag,
    dockerfile: packed.dockerfile,
    platform: formatPlatform(job.platform),
    version: builder === 'buildkit' ? '2' : '1',
    rm: true,
    forcerm: true,
    buildid: buildId,
  };
  if (request.buildArgs && Object.keys(request.buildArgs).length > 0) query.buildargs = { ...request.buildArgs };
  if (request.target) query.target = request.target;
  if (request.noCache) query.nocache = true;
  const reader = new BuildOutputReader(log);
  const timing = (): Partial<PlatformResult> => {
    const t = buildTiming(reader.vertexTimes(), job.platform, engine.arch, hostPlatformStages(dockerfileText));
    return t ? { timing: t } : {};
  };
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const stream = await startBuild(engine.docker, packed.stream, query, controller.signal);
    await readStream(stream, reader, controller.signal);
  } catch (error) {
    packed.stream.destroy();
    if (signal.aborted) {
      if (builder === 'buildkit') await cancelOnEngine(engine.docker, buildId);
      log('cancelled');
      return result('cancelled', { error: `${label}: cancelled.`, builder });
    }
    const message = describeEngineError(error, job.engine.host);
    log(message, 'error');
    return result('failed', {
      error: `${label}: the build could not run: ${message}`,
      failure: describeStepFailure(undefined, message),
      builder,
      engineUnreachable: isUnreachable(error),
    });
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (reader.error) {
    return result('failed', {
      error: `${label}: the build failed: ${hide(reader.error)}`,
      failure: describeStepFailure(reader.failedStep, reader.error, { output: reader.failedOutput(), secrets }),
      builder,
      ...timing(),
    });
  }
  if (signal.aborted) return result('cancelled', { error: `${label}: cancelled.`, builder });
  events.onStatus(job.platform, 'verifying');
  try {
    const dockerfileName = basename(request.dockerfile);
    const check = await verifyImagePlatform(engine.docker, job.tag, job.platform, {
      text: dockerfileText,
      name: dockerfileName,
      target: request.target,
    });
    log(check.message, check.ok ? 'info' : 'error');
    const imageId = (await engine.docker.getImage(job.tag).inspect()).Id;
    if (!check.ok)
      return result('failed', {
        error: `${label}: ${check.message}`,
        failure: verificationFailure(check.message, check.line),
        imageId,
        builder,
        ...timing(),
      });
    return result('succeeded', { imageId, builder, ...timing() });
  } catch (error) {
    const message = describeEngineError(error, job.engine.host);
    log(`verification failed: ${message}`, 'error');
    return result('failed', {
      error: `${label}: the image could not be verified: ${message}`,
      failure: describeStepFailure(undefined, `the image could not be verified: ${message}`),
      builder,
    });
  }
}

/** A verification failure as a StepFailure: the FROM line whose base is of another platform. */
function verificationFailure(message: string, line: number | undefined): StepFailure {
  const failure = describeStepFailure(undefined, message);
  const binaries = /contains (\S+) binaries/.exec(message)?.[1];
  const labelled = /is labelled (\S+?)\.? /.exec(message)?.[1];
  const reason = binaries ? `the image contains ${binaries} binaries` : labelled ? `the image is labelled ${labelled}` : failure.reason;
  return { ...failure, instruction: 'FROM', line, reason: line ? `${reason} (base on line ${line})` : reason };
}

/** Runs every job of the plan (see the contract in ./types.ts). Results are in the plan's job order. */
export async function runBuild(plan: BuildPlan, events: BuildEvents, options: RunOptions): Promise<PlatformResult[]> {
  const parallel = Math.max(1, Math.floor(options.parallel || 1));
  const signal = options.signal ?? new AbortController().signal;
  const tailLines = options.logTailLines ?? 30;
  const dockerfileText = readFileSync(resolve(plan.request.contextDir, plan.request.dockerfile), 'utf8');
  const engines = new Map<string, EngineState>();
  for (const job of plan.jobs) if (!engines.has(job.engine.host)) engines.set(job.engine.host, engineState(job.engine));
  for (const job of plan.jobs) events.onStatus(job.platform, 'queued');
  const results = new Array<PlatformResult>(plan.jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      const job = plan.jobs[index];
      if (job === undefined) return; // every job is taken
      results[index] = await buildOne(
        job,
        plan,
        dockerfileText,
        engines.get(job.engine.host) as EngineState,
        events,
        signal,
        tailLines,
        engines.size > 1,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, plan.jobs.length) }, () => worker()));
  return results;
}
