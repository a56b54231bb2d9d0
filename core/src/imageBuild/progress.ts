/**
 * Reading the engine's build output stream. BuildKit (`version: '2'`) sends
 * `{"id":"moby.buildkit.trace","aux":"<base64>"}` whose payload is a protobuf
 * `moby.buildkit.v1.StatusResponse` (buildkit api/services/control/control.proto):
 *
 *   StatusResponse { repeated Vertex vertexes = 1; repeated VertexStatus statuses = 2;
 *                    repeated VertexLog logs = 3; repeated VertexWarning warnings = 4; }
 *   Vertex         { string digest = 1; repeated string inputs = 2; string name = 3; bool cached = 4;
 *                    Timestamp started = 5; Timestamp completed = 6; string error = 7; }
 *   VertexStatus   { string ID = 1; string vertex = 2; string name = 3; int64 current = 4; int64 total = 5; }
 *   VertexLog      { string vertex = 1; Timestamp timestamp = 2; int64 stream = 3; bytes msg = 4; }
 *   VertexWarning  { string vertex = 1; int64 level = 2; bytes short = 3; repeated bytes detail = 4; string url = 5; }
 *
 * A tiny wire-format reader is enough for these messages. The classic builder sends
 * `{"stream":"Step 1/3 : FROM …\n"}`; both send `{"error", "errorDetail"}` on failure and the
 * image id in an aux message (`moby.image.id` / `{"aux":{"ID":"sha256:…"}}`).
 */

export interface TraceVertex {
  digest: string;
  name: string;
  cached: boolean;
  started: boolean;
  completed: boolean;
  /** Vertex start/completion times (ms since the epoch, from the protobuf Timestamps). */
  startedAt?: number;
  completedAt?: number;
  error?: string;
}
export interface TraceLog {
  vertex: string;
  stream: number;
  msg: string;
}
export interface TraceStatus {
  vertex: string;
  id: string;
  name: string;
  current: number;
  total: number;
  completed: boolean;
}
export interface TraceWarning {
  vertex: string;
  short: string;
}
export interface Trace {
  vertexes: TraceVertex[];
  statuses: TraceStatus[];
  logs: TraceLog[];
  warnings: TraceWarning[];
}

interface Field {
  no: number;
  wire: number;
  value: bigint | Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw new Error('truncated field');
      yield { no, wire, value: buf.subarray(pos, pos + len) };
      pos += len;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = (v: bigint | Uint8Array): string => (typeof v === 'bigint' ? String(v) : Buffer.from(v).toString('utf8'));
const num = (v: bigint | Uint8Array): number => (typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : 0);

/** google.protobuf.Timestamp { int64 seconds = 1; int32 nanos = 2; } as ms since the epoch (undefined when absurd). */
function timestamp(v: bigint | Uint8Array): number | undefined {
  if (typeof v === 'bigint') return undefined;
  let seconds = 0;
  let nanos = 0;
  for (const f of fields(v)) {
    if (f.no === 1) seconds = num(f.value);
    else if (f.no === 2) nanos = num(f.value);
  }
  const ms = seconds * 1000 + Math.floor(nanos / 1e6);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Decodes one StatusResponse (the bytes of a base64 `moby.buildkit.trace` aux). Throws on corrupt input. */
export function decodeTrace(bytes: Uint8Array): Trace {
  const trace: Trace = { vertexes: [], statuses: [], logs: [], warnings: [] };
  for (const f of fields(bytes)) {
    if (f.wire !== 2 || typeof f.value === 'bigint') continue;
    if (f.no === 1) {
      const v: TraceVertex = { digest: '', name: '', cached: false, started: false, completed: false };
      for (const g of fields(f.value)) {
        if (g.no === 1) v.digest = text(g.value);
        else if (g.no === 3) v.name = text(g.value);
        else if (g.no === 4) v.cached = num(g.value) !== 0;
        else if (g.no === 5) {
          v.started = true;
          v.startedAt = timestamp(g.value);
        } else if (g.no === 6) {
          v.completed = true;
          v.completedAt = timestamp(g.value);
        } else if (g.no === 7) v.error = text(g.value);
      }
      trace.vertexes.push(v);
    } else if (f.no === 2) {
      const s: TraceStatus = { vertex: '', id: '', name: '', current: 0, total: 0, completed: false };
      for (const g of fields(f.value)) {
        if (g.no === 1) s.id = text(g.value);
        else if (g.no === 2) s.vertex = text(g.value);
        else if (g.no === 3) s.name = text(g.value);
        else if (g.no === 4) s.current = num(g.value);
        else if (g.no === 5) s.total = num(g.value);
        else if (g.no === 8) s.completed = true;
      }
      trace.statuses.push(s);
    } else if (f.no === 3) {
      const l: TraceLog = { vertex: '', stream: 0, msg: '' };
      for (const g of fields(f.value)) {
        if (g.no === 1) l.vertex = text(g.value);
        else if (g.no === 3) l.stream = num(g.value);
        else if (g.no === 4) l.msg = text(g.value);
      }
      trace.logs.push(l);
    } else if (f.no === 4) {
      const w: TraceWarning = { vertex: '', short: '' };
      for (const g of fields(f.value)) {
        if (g.no === 1) w.vertex = text(g.value);
        else if (g.no === 3) w.short = text(g.value);
      }
      trace.warnings.push(w);
    }
  }
  return trace;
}

import { MAX_OUTPUT_LINES, sanitizeLine } from './failure';
import type { LogLevel } from './types';

/** A BuildKit vertex's name and times as the reader saw them. */
export interface VertexTime {
  name: string;
  cached: boolean;
  startedAt?: number;
  completedAt?: number;
}

/** Vertices kept per build (a pathological stream cannot grow the map without bound). */
const MAX_VERTEXES = 10_000;
/** Running vertices whose last output lines are kept (about 6 MB at most), and the length kept of each line. */
const MAX_RECENT_VERTEXES = 1000;
const MAX_RECENT_LINE = 1024;
/** Suffix of the key of a vertex's unterminated stderr line. */
const STDERR = '\u0000stderr';

/** One message of the engine's JSON build stream. */
export interface BuildStreamMessage {
  id?: string;
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: unknown;
}

/**
 * Turns the build stream into log lines: step names as they start (`#3 [2/4] RUN uname -m`),
 * their output (`#3 aarch64`), `CACHED`/`DONE`/`ERROR` markers, and the image id.
 * Feed it messages in order; it keeps the vertex names between messages.
 */
export class BuildOutputReader {
  private readonly names = new Map<string, { n: number; name: string; started: boolean; done: boolean }>();
  /** Per vertex digest: name, cached, first start and last completion (ms since the epoch). */
  private readonly times = new Map<string, VertexTime>();
  private readonly partial = new Map<string, string>();
  private counter = 0;
  imageId: string | undefined;
  error: string | undefined;
  /** True once a BuildKit trace was seen. */
  buildkit = false;
  /** The name of the step that failed (`[2/3] RUN ./configure`, `Step 2/3 : RUN ./configure`), when the engine named one. */
  failedStep: string | undefined;
  private readonly vertexErrors: string[] = [];
  private classicStep: string | undefined;
  /** The digest of the failing step's vertex (BuildKit). */
  private failedDigest: string | undefined;
  /**
   * Per vertex still running (or failed): its last output lines on standard output and on
   * standard error, for the failure's reason (a vertex that completes without an error drops
   * them). `classic` is the classic builder's current step.
   */
  private readonly recent = new Map<string, { out: string[]; err: string[] }>();

  /** `emit` receives each line and its level: the failing step's error is `error`, everything else `info`. */
  constructor(private readonly emit: (line: string, level?: LogLevel) => void) {}

  private vertex(digest: string, name = ''): { n: number; name: string; started: boolean; done: boolean } {
    let v = this.names.get(digest);
    if (!v) {
      v = { n: ++this.counter, name, started: false, done: false };
      this.names.set(digest, v);
    }
    if (name) v.name = name;
    return v;
  }

  /** Splits `chunk` (of `key`'s output on `stream`, 2 = stderr) into lines; `flush` ends an unterminated one. */
  private lines(key: string, chunk: string, prefix: string, flush = false, stream = 1): void {
    // Each stream has its own unterminated line: a line cut in two is not joined with the other stream's.
    const pending = stream === 2 ? `${key}${STDERR}` : key;
    const all = (this.partial.get(pending) ?? '') + chunk;
    const parts = all.split(/\r?\n|\r/);
    const rest = parts.pop() ?? '';
    for (const p of parts) if (p.trim() !== '') this.output(key, p, prefix, stream === 2);
    if (flush && rest.trim() !== '') this.output(key, rest, prefix, stream === 2);
    this.partial.set(pending, flush ? '' : rest);
  }

  /** Emits one output line of a step and keeps it among the step's last lines. */
  private output(key: string, line: string, prefix: string, stderr: boolean): void {
    this.emit(`${prefix}${line}`);
    if (key === 'classic') {
      // The classic builder's own lines (` ---> 1234`, `Removing intermediate container …`) are
      // not the step's output; it colours stderr (ESC[91m) and may put the reset before its next line.
      const clean = sanitizeLine(line.slice(0, MAX_RECENT_LINE));
      if (/^Step \d+\/\d+ : /.test(clean)) this.recent.set(key, { out: [], err: [] });
      else if (!/^---> |^Removing intermediate container |^Successfully (?:built|tagged) /.test(clean))
        this.remember(key, line, /^(?:\x1b\[0m)*\x1b\[91m/.test(line));
      return;
    }
    this.remember(key, line, stderr);
  }

  private remember(key: string, line: string, stderr: boolean): void {
    let kept = this.recent.get(key);
    if (!kept) {
      if (this.recent.size >= MAX_RECENT_VERTEXES) return;
      kept = { out: [], err: [] };
      this.recent.set(key, kept);
    }
    // A few more than shown, each long enough for a shown line once colours are stripped: the
    // failure keeps the last non-empty ones after sanitizing.
    const lines = stderr ? kept.err : kept.out;
    lines.push(line.slice(0, MAX_RECENT_LINE));
    if (lines.length > MAX_OUTPUT_LINES * 2) lines.shift();
  }

  /**
   * The last lines the failing step printed (raw: describeStepFailure sanitizes and bounds them),
   * its standard output first and its standard error last: an error message goes to stderr, and
   * the engine reads the two streams apart, so their interleaving is not what the step wrote.
   * Empty when no step failed or it printed nothing. Read it after `end()`.
   */
  failedOutput(): string[] {
    const key = this.failedDigest ?? (!this.buildkit && this.failedStep !== undefined ? 'classic' : undefined);
    const kept = key === undefined ? undefined : this.recent.get(key);
    return kept ? [...kept.out, ...kept.err] : [];
  }

  push(message: BuildStreamMessage): void {
    if (message.id === 'moby.buildkit.trace' && typeof message.aux === 'string') {
      this.buildkit = true;
      let trace: Trace;
      try {
        trace = decodeTrace(Buffer.from(message.aux, 'base64'));
      } catch {
        return;
      }
      for (const v of trace.vertexes) {
        this.recordTime(v);
        const known = this.vertex(v.digest, v.name);
        if (!known.started && (v.started || v.cached)) {
          known.started = true;
          if (!/^\[internal\]/.test(known.name)) this.emit(`#${known.n} ${known.name}`);
        }
        if (!known.done && (v.completed || v.cached)) {
          known.done = true;
          this.lines(v.digest, '', `#${known.n} `, true);
          this.lines(v.digest, '', `#${known.n} `, true, 2);
          if (v.error) {
            this.emit(`#${known.n} ERROR: ${v.error}`, 'error');
            this.vertexErrors.push(v.error);
            // Siblings of the failing step are cancelled with it; the first real error names the step.
            if (!this.failedStep && !/^\[internal\]/.test(known.name) && !/^(?:context canceled|canceled)$/i.test(v.error.trim())) {
              this.failedStep = known.name;
              this.failedDigest = v.digest;
            }
          } else {
            this.recent.delete(v.digest);
            if (v.cached && !/^\[internal\]/.test(known.name)) this.emit(`#${known.n} CACHED`);
          }
        }
      }
      for (const l of trace.logs) {
        const known = this.vertex(l.vertex);
        this.lines(l.vertex, l.msg, `#${known.n} `, false, l.stream);
      }
      for (const w of trace.warnings) {
        const known = this.vertex(w.vertex);
        this.emit(`#${known.n} WARNING: ${w.short}`);
      }
      return;
    }
    if (message.id === 'moby.image.id' || (message.aux && typeof message.aux === 'object')) {
      const id = (message.aux as { ID?: string } | undefined)?.ID;
      if (typeof id === 'string') this.imageId = id;
      return;
    }
    if (typeof message.stream === 'string') {
      for (const step of message.stream.matchAll(/^Step \d+\/\d+ : .*$/gm)) this.classicStep = step[0];
      this.lines('classic', message.stream, '');
      const m = /Successfully built ([0-9a-f]{12,})/.exec(message.stream);
      if (m && !this.imageId) this.imageId = m[1];
      return;
    }
    if (message.error || message.errorDetail?.message) {
      const error = message.errorDetail?.message ?? message.error ?? '';
      this.error = error;
      if (!this.failedStep && !this.buildkit) this.failedStep = this.classicStep;
      // BuildKit already printed the failing step's error on its vertex: say it once.
      if (!this.vertexErrors.some((v) => v.trim() !== '' && (error.includes(v.trim()) || v.includes(error.trim()))))
        this.emit(`ERROR: ${error}`, 'error');
      return;
    }
    if (typeof message.status === 'string' && message.status.trim() !== '') this.emit(message.status.trim());
  }

  private recordTime(v: TraceVertex): void {
    if (!v.digest || (this.times.size >= MAX_VERTEXES && !this.times.has(v.digest))) return;
    const t = this.times.get(v.digest) ?? { name: '', cached: false };
    if (v.name) t.name = v.name.slice(0, 512);
    if (v.cached) t.cached = true;
    if (v.startedAt !== undefined && (t.startedAt === undefined || v.startedAt < t.startedAt)) t.startedAt = v.startedAt;
    if (v.completedAt !== undefined && (t.completedAt === undefined || v.completedAt > t.completedAt)) t.completedAt = v.completedAt;
    this.times.set(v.digest, t);
  }

  /** The vertices seen so far with their times (for `stepTimings`). */
  vertexTimes(): VertexTime[] {
    return [...this.times.values()].map((t) => ({ ...t }));
  }

  /** Flushes unterminated output. */
  end(): void {
    for (const [pending, rest] of this.partial) {
      if (rest.trim() !== '') {
        const stderr = pending.endsWith(STDERR);
        const key = stderr ? pending.slice(0, -STDERR.length) : pending;
        const v = this.names.get(key);
        this.output(key, rest, v ? `#${v.n} ` : '', stderr);
      }
    }
    this.partial.clear();
  }
}
