/**
 * `green-cloud build --push`: after every platform built and verified, push the per-arch
 * images (progress per image) and then the manifest list IMAGE:VERSION; print its digest.
 */
import type { PlatformResult } from '../../core/src/imageBuild';
import { ManifestListError, publishBuild, RegistryError } from '../../core/src/registry';
import { ExitCode, type CliIO } from './command';
import { phraseRegistryError } from './phrasing';

export async function pushBuiltImages(
  results: readonly PlatformResult[],
  target: string,
  insecureHosts: readonly string[],
  io: CliIO,
): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    io.stderr.write('Cancelling the push…\n');
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  const lastPercent = new Map<string, number>();
  io.stdout.write(`\nPushing ${results.length} image(s), then the list ${target}\n`);
  try {
    const published = await publishBuild(
      results,
      target,
      {
        onStatus: (image, status, detail) =>
          io.stdout.write(`[push ${image}] ${status}${status === 'pushed' && detail ? ` ${detail}` : ''}\n`),
        onProgress: (image, p) => {
          const percent = p.total > 0 ? Math.floor((p.current / p.total) * 4) * 25 : 0;
          if (percent > (lastPercent.get(image) ?? -1)) {
            lastPercent.set(image, percent);
            io.stdout.write(`[push ${image}] ${percent}% (${p.done}/${p.layers} layers)\n`);
          }
        },
      },
      {
        signal: controller.signal,
        env: io.env,
        list: { insecureHosts, credentialOptions: { env: io.env }, onStep: (line) => io.stdout.write(`${line}\n`) },
      },
    );
    const failed = published.pushes.filter((p) => p.status !== 'pushed');
    for (const f of failed) io.stderr.write(`${f.error ?? `${f.image}: ${f.status}`}\n`);
    if (!published.list) {
      io.stderr.write(`The list ${target} was not written because an image push did not succeed.\n`);
      return ExitCode.Failure;
    }
    io.stdout.write(`Pushed the list ${target} (${published.list.entries.length} platforms)\nDigest: ${published.list.digest}\n`);
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof ManifestListError || error instanceof RegistryError) {
      io.stderr.write(`green-cloud build: ${phraseRegistryError(error)}\n`);
      return ExitCode.Failure;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
  }
}
