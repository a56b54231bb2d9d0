/**
 * Stream helpers of the registry client: a bounded body reader, an upload meter that enforces a
 * minimum rate, and a pass-through that verifies a blob's digest and size as it flows.
 */
import { checkDigest, digester } from './digest';
import { RegistryError } from './errors';

/** Reads at most `limit` bytes of a body; `truncated` when there was more (the rest is cancelled). */
export async function readBounded(
  stream: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  if (!stream) return { bytes: Buffer.alloc(0), truncated: false };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks), truncated: false };
    if (length + value.length > limit) {
      chunks.push(value.subarray(0, limit - length));
      await reader.cancel().catch(() => undefined);
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(value);
    length += value.length;
  }
}

/**
 * Passes a request body through, stopping it (`onStall`) when fewer than `minBytes` flowed in a
 * window of `windowMs`, and telling `onEnd` when the last byte was handed on. Call `stop` when
 * the exchange is over (its timer must not outlive it).
 */
export function meterUpload(
  source: ReadableStream<Uint8Array>,
  options: {
    windowMs: number;
    minBytes: number;
    onStall: (bytesInWindow: number) => void;
    onEnd: () => void;
    onError: (e: unknown) => void;
  },
): { stream: ReadableStream<Uint8Array>; stop: () => void } {
  const reader = source.getReader();
  let inWindow = 0;
  let finished = false;
  const stop = () => {
    finished = true;
    clearInterval(tick);
  };
  const tick = setInterval(() => {
    if (finished) return;
    if (inWindow < options.minBytes) {
      stop();
      options.onStall(inWindow);
      reader.cancel().catch(() => undefined);
    }
    inWindow = 0;
  }, options.windowMs);
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (finished) return;
        if (done) {
          stop();
          options.onEnd();
          controller.close();
          return;
        }
        inWindow += value.length;
        controller.enqueue(value);
      } catch (error) {
        stop();
        options.onError(error);
        controller.error(error);
      }
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason).catch(() => undefined);
    },
  });
  // `stop` ends the watch and releases the source whatever the consumer did with the stream.
  return {
    stream,
    stop: () => {
      if (!finished) reader.cancel().catch(() => undefined);
      stop();
    },
  };
}

/** A stream that errors when the bytes exceed `size`, end short of it, or do not hash to `digest`. */
export function verifyingStream(
  source: ReadableStream<Uint8Array>,
  digest: string,
  size: number,
  what: string,
): ReadableStream<Uint8Array> {
  const check = checkDigest(digest);
  if (!check.ok) throw new RegistryError(`${what}: the digest ${check.why}.`, 'unsupported');
  const hash = digester(check.algorithm);
  const reader = source.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        if (seen !== size) controller.error(new RegistryError(`${what} ended after ${seen} of its ${size} bytes.`, 'digest-mismatch'));
        else if (hash.digest() !== digest) controller.error(new RegistryError(`${what} does not match its digest.`, 'digest-mismatch'));
        else controller.close();
        return;
      }
      seen += value.length;
      if (seen > size) {
        await reader.cancel().catch(() => undefined);
        controller.error(new RegistryError(`${what} is longer than the ${size} bytes its descriptor says.`, 'digest-mismatch'));
        return;
      }
      hash.update(value);
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason).catch(() => undefined);
    },
  });
}
