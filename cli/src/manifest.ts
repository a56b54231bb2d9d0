/**
 * `green-cloud manifest push|inspect`: assemble and push a manifest list (or OCI index) from
 * per-architecture images, and read one back — the core's registry module from a terminal.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  formatInspect,
  formatPushed,
  inspectManifest,
  jsonForTerminal,
  ManifestListError,
  parseSourceArgument,
  pushManifestList,
  RegistryError,
  type ManifestListRequest,
  type RegistryClientOptions,
} from '../../core/src/registry';
import { requestFromArgs, requestFromSpec } from './manifestInputs';
import { CliError, ExitCode, parseCommandArgs, UsageError, type CliCommand, type CliIO } from './command';
import { phraseRegistryError } from './phrasing';

const USAGE = `Usage: green-cloud manifest push --target IMAGE:VERSION (SOURCE... | --platforms P --template T | --spec FILE) [options]
       green-cloud manifest inspect IMAGE [--format table|json]

push    Assembles a manifest list from per-architecture images of one registry and pushes it
        to IMAGE:VERSION. Each source's platform is read from its image config unless given;
        sources that are themselves lists are flattened (attestations dropped). Children in
        other repositories are cross-mounted (or copied, verified by digest and size). The
        list is stored by digest and read back before any tag moves; then extra tags are
        moved, and the target tag last. On any failure the target tag still points to its
        previous list; the error names any extra tag already moved, with the digest (the one
        exception, said so in the error: the registry's answer to the target tag's own PUT
        was lost, so either list may be there).
inspect Shows the platforms, digests and sizes of a list (or the platform of one image).

SOURCE is IMAGE[,platform=os/arch[/variant]][,os.version=V][,os.features=a;b][,annotation.KEY=VALUE]
(the 'docker manifest annotate' options, inline).

Options (push):
  --target IMAGE:VERSION   The list to write (with --spec: overrides the spec's 'image').
  --platforms P1,P2        manifest-tool from-args: platforms, with --template.
  --template T             Source name with OS, ARCH, VARIANT placeholders (e.g. reg/web:ARCH-1.2).
  --spec FILE              manifest-tool YAML spec (image, tags, manifests: [{image, platform}]).
  --format docker|oci      Docker manifest list (default) or OCI image index (default when
                           a child is an OCI image or annotations are given).
  --amend                  Merge into the list at the target, replacing same-platform entries.
  --annotation KEY=VALUE   Index annotation (OCI; repeatable).
  --insecure-host HOST     Reach HOST[:PORT] over plain HTTP (loopback always is; repeatable).
  --timeout SECONDS        Per-attempt timeout (default 10); idempotent requests are tried 3 times,
                           so a registry that never answers fails after about 31 s. A blob copy
                           must move 16 KiB/s in every such window.
  --json                   Print the result as JSON.
Options (inspect):
  --format table|json      A readable table (default) or JSON.
  --insecure-host HOST, --timeout SECONDS as above.

Credentials come from $DOCKER_CONFIG/config.json or ~/.docker/config.json (auths, credsStore,
credHelpers), as for 'docker login'. They are sent only to the registry itself and to the token
server its challenge names (https:, or http: for a plain-HTTP registry), as Docker does; an upload
location on another host gets none. A credential helper is killed after 15 s.

Exit codes: 0 pushed / shown; 1 the registry refused or a source is wrong; 2 bad usage.

Examples:
  green-cloud manifest push --target 127.0.0.1:5000/web:1.2 127.0.0.1:5000/web:amd64-1.2 127.0.0.1:5000/web:arm64-1.2
  green-cloud manifest push --platforms linux/amd64,linux/arm/v7 --template reg.example/web:ARCH-1.2 --target reg.example/web:1.2
  green-cloud manifest inspect 127.0.0.1:5000/web:1.2`;

function positiveSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout '${text}' is not a positive number of seconds.`);
  return n * 1000;
}

function clientOptions(values: { 'insecure-host'?: string[]; timeout?: string }, io: CliIO): RegistryClientOptions {
  return { insecureHosts: values['insecure-host'] ?? [], timeoutMs: positiveSeconds(values.timeout), credentialOptions: { env: io.env } };
}

function asCliError(error: unknown): never {
  if (error instanceof ManifestListError || error instanceof RegistryError)
    throw new CliError(phraseRegistryError(error), ExitCode.Failure);
  throw error;
}

export async function buildPushRequest(
  values: Record<string, unknown>,
  positionals: readonly string[],
  cwd: string,
): Promise<ManifestListRequest> {
  const target = values.target as string | undefined;
  const format = values.format as string | undefined;
  if (format !== undefined && format !== 'docker' && format !== 'oci')
    throw new UsageError(`--format '${format}' is not one of docker, oci.`);
  const modes = [positionals.length > 0, values.platforms !== undefined || values.template !== undefined, values.spec !== undefined].filter(
    Boolean,
  ).length;
  if (modes > 1) throw new UsageError('Give the sources one way: SOURCE arguments, or --platforms with --template, or --spec.');
  const annotations: Record<string, string> = {};
  for (const a of (values.annotation as string[] | undefined) ?? []) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`--annotation '${a}' is not KEY=VALUE.`);
    annotations[a.slice(0, eq)] = a.slice(eq + 1);
  }
  let request: ManifestListRequest;
  try {
    if (values.spec !== undefined) {
      const path = resolve(cwd, values.spec as string);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        throw new CliError(`Cannot read the spec ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, ExitCode.Usage);
      }
      request = requestFromSpec(text, path);
      if (target) request = { ...request, target };
    } else if (values.platforms !== undefined || values.template !== undefined) {
      if (values.platforms === undefined || values.template === undefined)
        throw new UsageError(
          '--platforms and --template go together (e.g. --platforms linux/amd64,linux/arm64 --template reg/web:ARCH-1.2).',
        );
      if (!target) throw new UsageError('--target IMAGE:VERSION is required.');
      request = requestFromArgs({ platforms: values.platforms as string, template: values.template as string, target });
    } else {
      if (!target) throw new UsageError('--target IMAGE:VERSION is required.');
      if (positionals.length === 0 && !values.amend)
        throw new UsageError('Name the source images (SOURCE...), or use --platforms with --template, or --spec.');
      request = { target, sources: positionals.map(parseSourceArgument) };
    }
  } catch (error) {
    if (error instanceof ManifestListError) throw new UsageError(error.message);
    throw error;
  }
  return {
    ...request,
    format: format,
    amend: values.amend === true,
    annotations: Object.keys(annotations).length ? annotations : undefined,
  };
}

async function push(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    target: { type: 'string' },
    platforms: { type: 'string' },
    template: { type: 'string' },
    spec: { type: 'string' },
    format: { type: 'string' },
    amend: { type: 'boolean' },
    annotation: { type: 'string', multiple: true },
    'insecure-host': { type: 'string', multiple: true },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  });
  const request = await buildPushRequest(values, positionals, io.cwd);
  const result = await pushManifestList(request, { ...clientOptions(values, io), onStep: (line) => io.stderr.write(`${line}\n`) }).catch(
    asCliError,
  );
  if (values.json) {
    io.stdout.write(
      `${jsonForTerminal({ reference: result.reference, digest: result.digest, mediaType: result.mediaType, size: result.size, tags: result.tags, requests: result.requests, manifests: result.entries.map((e) => ({ platform: e.platform, digest: e.digest, size: e.size, mediaType: e.mediaType, annotations: e.annotations, source: e.source })) })}\n`,
    );
    return ExitCode.Ok;
  }
  io.stdout.write(formatPushed(result));
  return ExitCode.Ok;
}

async function inspect(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: 'string', short: 'f', default: 'table' },
    'insecure-host': { type: 'string', multiple: true },
    timeout: { type: 'string' },
  });
  const [image] = positionals;
  if (image === undefined || positionals.length !== 1)
    throw new UsageError('Name one image (e.g. green-cloud manifest inspect 127.0.0.1:5000/web:1.2).');
  if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format '${values.format}' is not one of table, json.`);
  const result = await inspectManifest(image, clientOptions(values, io)).catch(asCliError);
  if (values.format === 'json') io.stdout.write(`${jsonForTerminal(result)}\n`);
  else io.stdout.write(formatInspect(result));
  return ExitCode.Ok;
}

export const manifestCommand: CliCommand = {
  name: 'manifest',
  summary: 'Push a multi-architecture manifest list, or inspect one.',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'push') return push(rest, io);
    if (sub === 'inspect') return inspect(rest, io);
    throw new UsageError(sub === undefined ? 'Say what to do: push or inspect.' : `Unknown subcommand '${sub}' (push or inspect).`);
  },
};
