/**
 * `green-cloud lint`: the editor's diagnostics for terminals and CI, from the same `lint()`
 * engine. Settings come from flags (the CLI reads no configuration file).
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatPlatform, parsePlatformList } from '../../core/src/platforms';
import { DEFAULT_DOCS_BASE, lint } from '../../server/src/linter';
import { ALL_RULES, anyRuleByCode, YAML_RULES } from '../../server/src/rules';
import {
  isSeverityName,
  lookupsEnabled,
  sanitizeSettings,
  SEVERITY_NAMES,
  type LintSettings,
  type SeverityName,
} from '../../core/src/settings';
import { displayText } from '../../core/src/registry/sanitize';
import { buildModel } from '../../core/src/dockerfile/model';
import { defaultCacheDirectory, lookupBases, LookupService, withRegistryFindings, type LookupFailure } from '../../server/src/lookups';
import { phraseLookupFailure } from './phrasing';
import { CliError, ExitCode, parseCommandArgs, readAll, UsageError, type CliCommand, type CliIO } from './command';
import { isComposeFileName, lookUpAll } from '../../server/src/yaml';
import { lintYaml, yamlImagesToLookUp } from '../../server/src/yamlLinter';
import { serviceLookup } from '../../server/src/yamlLookups';
import { findLintableFiles, MAX_FILE_BYTES } from './findDockerfiles';
import { formatJson } from './formats/json';
import { SEVERITY_RANK, severityName, type LintedFile, type ReportSeverity } from './formats/report';
import { formatSarif } from './formats/sarif';
import { formatTty, wantsColour } from './formats/tty';
import { HOMEPAGE, VERSION } from '../../core/src/version';

const FORMATS = ['tty', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const FAIL_LEVELS = ['error', 'warning', 'info', 'hint', 'none'] as const;
type FailLevel = (typeof FAIL_LEVELS)[number];

const USAGE = `Usage: green-cloud lint [options] FILE...

Lints Dockerfiles, Kubernetes manifests and Compose files for multi-architecture mistakes
(the rules GCnnn of the editor extension). FILE '-' reads standard input (a Dockerfile, or
YAML when --stdin-filename ends in .yaml/.yml). A directory is searched for Dockerfile,
Containerfile, Dockerfile.*, *.Dockerfile …, Compose files (compose.yaml, docker-compose.*.yml …)
and Kubernetes YAML (by content), skipping node_modules, hidden folders and files over 1 MB.
A Kubernetes or Compose file over 1 MB is skipped with a note, also when named directly.

Options:
  -f, --format tty|json|sarif   Output format (default: tty).
                                  tty    file:line:col severity code message, and a summary
                                  json   [{file, code, severity, message, range}], 0-based LSP ranges
                                  sarif  SARIF 2.1.0 for GitHub code scanning
  --platforms P1,P2             Target platforms (default: linux/amd64,linux/arm64,linux/arm/v7);
                                a '# platforms=' line in a Dockerfile still overrides them.
  --fail-level LEVEL            Exit 1 when a finding is at or above LEVEL:
                                error|warning|info|hint|none (default: warning).
  --rule CODE=SEVERITY          Set a rule's severity: off|hint|info|warning|error
                                (repeatable, e.g. --rule GC101=off --rule GC104=error).
  --cross-build-image IMAGE     A base image that ships the cross-build markers (repeatable).
  --stdin-filename NAME         The name reported for standard input (default: <stdin>).
  --offline                     No registry lookups (GC108/GC109 and GC301 need them; GC303/GC304
                                then use cached answers only). Also: GREEN_CLOUD_OFFLINE=1.
  --insecure-host HOST          A registry reached over plain HTTP besides loopback (repeatable).
  --verbose                     List the registry lookups and their outcomes on standard error.
  -h, --help                    Show this help.

Exit codes: 0 nothing at or above the fail level; 1 findings at or above it;
2 bad usage or a file that cannot be read. A failed registry lookup, or a file skipped for its
size, never changes the exit code.

Registry lookups: each base image's platforms are looked up (HEAD for tags, manifests by
digest; docker login credentials from ~/.docker/config.json) and cached in
$XDG_CACHE_HOME/green-cloud (default ~/.cache/green-cloud).

Examples:
  green-cloud lint Dockerfile
  green-cloud lint --format sarif --platforms linux/amd64,linux/arm64 Dockerfile > green-cloud.sarif
  cat Dockerfile | green-cloud lint --rule GC107=off -`;

interface LintArguments {
  readonly format: Format;
  readonly failLevel: FailLevel;
  readonly settings: LintSettings;
  readonly files: readonly string[];
  readonly stdinName: string | undefined;
  readonly offline: boolean;
  readonly verbose: boolean;
  readonly insecureHosts: readonly string[];
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} '${value}' is not one of ${allowed.join(', ')}.`);
}

function parseRuleOverride(text: string): [string, SeverityName] {
  const [, codeText, severityText] = /^\s*([A-Za-z]+[0-9]+)\s*[=:]\s*([A-Za-z]+)\s*$/.exec(text) ?? [];
  if (codeText === undefined || severityText === undefined)
    throw new UsageError(`--rule '${text}' is not CODE=SEVERITY (e.g. --rule GC101=off).`);
  const code = codeText.toUpperCase();
  const severity = severityText.toLowerCase();
  if (!anyRuleByCode(code))
    throw new UsageError(`--rule '${text}': there is no rule ${code} (rules: ${ALL_RULES.map((r) => r.code).join(', ')}).`);
  if (!isSeverityName(severity))
    throw new UsageError(`--rule '${text}': '${severityText}' is not a severity (${SEVERITY_NAMES.join(', ')}).`);
  return [code, severity];
}

export function parseLintArguments(argv: readonly string[]): LintArguments {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: 'string', short: 'f', default: 'tty' },
    platforms: { type: 'string' },
    'fail-level': { type: 'string', default: 'warning' },
    rule: { type: 'string', multiple: true, default: [] },
    'cross-build-image': { type: 'string', multiple: true, default: [] },
    'stdin-filename': { type: 'string' },
    offline: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    'insecure-host': { type: 'string', multiple: true, default: [] },
  });
  const format = oneOf(values.format, FORMATS, '--format');
  const failLevel = oneOf(values['fail-level'], FAIL_LEVELS, '--fail-level');
  const raw: { platforms?: string[]; rules: Record<string, SeverityName>; crossBuild: { images: string[] } } = {
    rules: {},
    crossBuild: { images: values['cross-build-image'] },
  };
  if (values.platforms !== undefined) {
    let platforms;
    try {
      platforms = parsePlatformList(values.platforms);
    } catch (error) {
      throw new UsageError(`--platforms: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (platforms.length === 0) throw new UsageError('--platforms is empty (expected e.g. --platforms linux/amd64,linux/arm64).');
    raw.platforms = platforms.map(formatPlatform);
  }
  for (const override of values.rule) {
    const [code, severity] = parseRuleOverride(override);
    raw.rules[code] = severity;
  }
  if (positionals.length === 0) throw new UsageError("No files given. Pass Dockerfile paths, or '-' to read standard input.");
  if (positionals.filter((p) => p === '-').length > 1) throw new UsageError("'-' (standard input) can be given only once.");
  const stdinName = values['stdin-filename'];
  if (stdinName !== undefined && stdinName.trim() === '') throw new UsageError('--stdin-filename is empty.');
  return {
    format,
    failLevel,
    settings: sanitizeSettings(raw),
    files: positionals,
    stdinName,
    offline: values.offline,
    verbose: values.verbose,
    insecureHosts: values['insecure-host'],
  };
}

function describeReadError(name: string, error: unknown, cwd: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `Cannot read '${name}': no such file. Check the path (it is relative to ${cwd}).`;
    case 'EACCES':
    case 'EPERM':
      return `Cannot read '${name}': permission denied. Check the file's permissions.`;
    default:
      return `Cannot read '${name}': ${error instanceof Error ? error.message : String(error)}.`;
  }
}

/**
 * A Kubernetes/Compose file over 1 MB is not linted (the YAML lint's limit): named directly, it
 * is skipped with a note, like the directory walk's, and leaves the exit code alone.
 */
function skippedAsTooLarge(name: string, text: string, io: CliIO): boolean {
  if (!isYamlName(name)) return false;
  const size = Buffer.byteLength(text, 'utf8');
  if (size <= MAX_FILE_BYTES) return false;
  io.stderr.write(
    `green-cloud lint: Skipped '${name}': ${size} bytes is over the 1 MB (${MAX_FILE_BYTES} bytes) limit of Kubernetes and Compose files; it was not linted.\n`,
  );
  return true;
}

/** Reads every input first, so a typo fails fast (exit 2) before any report is written. */
async function readInputs(args: LintArguments, io: CliIO): Promise<{ name: string; path: string | undefined; text: string }[]> {
  const inputs: { name: string; path: string | undefined; text: string }[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const file of args.files) {
    if (file === '-') {
      const name = args.stdinName ?? '<stdin>';
      const text = await readAll(io.stdin);
      if (skippedAsTooLarge(name, text, io)) continue;
      inputs.push({ name, path: args.stdinName === undefined ? undefined : resolve(io.cwd, args.stdinName), text });
      continue;
    }
    const path = resolve(io.cwd, file);
    let names = [file];
    try {
      if ((await stat(path)).isDirectory()) {
        const found = await findLintableFiles(path);
        for (const note of found.notes) io.stderr.write(`green-cloud lint: ${note}\n`);
        if (found.files.length === 0) {
          errors.push(
            `'${file}' is a directory with no Dockerfile, Compose file or Kubernetes manifest in it (looked for Dockerfile, Containerfile, Dockerfile.*, Dockerfile-*, *.Dockerfile, compose.yaml, docker-compose.*.yml, and *.yaml with apiVersion and kind). Pass a file's path.`,
          );
          continue;
        }
        names = found.files.map((f) => join(file, f));
      }
    } catch (error) {
      errors.push(describeReadError(file, error, io.cwd));
      continue;
    }
    for (const name of names) {
      const namePath = resolve(io.cwd, name);
      if (seen.has(namePath)) continue;
      seen.add(namePath);
      try {
        const text = await readFile(namePath, 'utf8');
        if (skippedAsTooLarge(name, text, io)) continue;
        inputs.push({ name, path: namePath, text });
      } catch (error) {
        errors.push(describeReadError(name, error, io.cwd));
      }
    }
  }
  if (errors.length > 0) throw new CliError(errors.join('\n'), ExitCode.Usage);
  return inputs;
}

/** Kubernetes manifests and Compose files are linted as YAML; everything else as a Dockerfile. */
function isYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name) || isComposeFileName(name);
}

function failsAt(severity: ReportSeverity, failLevel: FailLevel): boolean {
  return failLevel !== 'none' && SEVERITY_RANK[severity] <= SEVERITY_RANK[failLevel];
}

async function runLint(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseLintArguments(argv);
  const inputs = await readInputs(args, io);
  let ruleFailed = false;
  const linted: LintedFile[] = inputs.map((input) => {
    const onRuleError = (code: string, error: unknown): void => {
      ruleFailed = true;
      io.stderr.write(
        `green-cloud lint: rule ${code} failed on ${input.name}: ${error instanceof Error ? error.message : String(error)}. This is a bug in green-cloud; please report it with the file.\n`,
      );
    };
    const diagnostics = isYamlName(input.name)
      ? lintYaml(input.text, args.settings, { fileName: input.name, docsBase: DEFAULT_DOCS_BASE, onRuleError })
      : lint(input.text, args.settings, { docsBase: DEFAULT_DOCS_BASE, onRuleError });
    return { ...input, diagnostics };
  });
  const files = await addRegistryFindings(linted, args, io);
  switch (args.format) {
    case 'json':
      io.stdout.write(formatJson(files));
      break;
    case 'sarif':
      io.stdout.write(
        formatSarif(files, { rules: ALL_RULES, version: VERSION, informationUri: HOMEPAGE, docsBase: DEFAULT_DOCS_BASE, cwd: io.cwd }),
      );
      break;
    default:
      io.stdout.write(formatTty(files, wantsColour(io.env, io.stdoutIsTTY)));
  }
  const failing = files.some((f) => f.diagnostics.some((d) => failsAt(severityName(d.severity), args.failLevel)));
  return failing || ruleFailed ? ExitCode.Failure : ExitCode.Ok;
}

/**
 * Registry findings: GC108/GC109 (and the registry's confirmation in GC101–GC103) for
 * Dockerfiles, GC301/GC303/GC304 for Kubernetes and Compose files. A failed lookup only shows in
 * --verbose. Offline, Dockerfiles get none; YAML files get GC303/GC304 from the on-disk cache
 * (no network) and never GC301.
 */
async function addRegistryFindings(files: LintedFile[], args: LintArguments, io: CliIO): Promise<LintedFile[]> {
  const offline = !lookupsEnabled(!args.offline, io.env); // the settings schema's rule: GREEN_CLOUD_OFFLINE=1 wins
  if (offline && args.verbose) io.stderr.write('green-cloud lint: registry lookups are off (--offline or GREEN_CLOUD_OFFLINE=1).\n');
  if (offline && !files.some((f) => isYamlName(f.name))) return files;
  const service = new LookupService({ cacheDirectory: defaultCacheDirectory(io.env), insecureHosts: args.insecureHosts });
  const out = await Promise.all(
    files.map(async (file): Promise<LintedFile> => {
      if (isYamlName(file.name)) return withYamlRegistryFindings(file, args, service, offline, io);
      if (offline) return file;
      const answers = await lookupBases(buildModel(file.text), service);
      if (![...answers.values()].some((a) => a.status === 'ok')) return file;
      return {
        ...file,
        diagnostics: withRegistryFindings(file.text, file.diagnostics, args.settings, answers, { docsBase: DEFAULT_DOCS_BASE }),
      };
    }),
  );
  if (!offline) await service.flush();
  if (args.verbose && !offline) {
    for (const h of service.history) {
      const how = h.status === 'ok' ? (h.fromCache ? 'ok (cache)' : 'ok') : h.status;
      io.stderr.write(
        `green-cloud lint: lookup ${displayText(h.reference, 300)}: ${how} in ${h.ms} ms${h.message ? ` — ${h.message}` : ''}\n`,
      );
    }
    if (service.history.length === 0) io.stderr.write('green-cloud lint: no image to look up.\n');
    // A registry that gave no answer, once per registry and cause, with the flag that is the next step.
    const failing = new Map<string, { registry: string; failure: LookupFailure | undefined; images: number }>();
    for (const h of service.history) {
      if (h.status !== 'unavailable') continue;
      const key = `${h.registry}\u0000${h.failure?.cause ?? ''}`;
      const seen = failing.get(key);
      if (seen) seen.images++;
      else failing.set(key, { registry: h.registry, failure: h.failure, images: 1 });
    }
    for (const f of failing.values())
      io.stderr.write(`green-cloud lint: ${phraseLookupFailure(displayText(f.registry, 300), f.failure, f.images)}\n`);
  }
  return out;
}

/** A Kubernetes/Compose file linted again with its images' registry answers. */
async function withYamlRegistryFindings(
  file: LintedFile,
  args: LintArguments,
  service: LookupService,
  offline: boolean,
  io: CliIO,
): Promise<LintedFile> {
  const options = { fileName: file.name, docsBase: DEFAULT_DOCS_BASE };
  const images = yamlImagesToLookUp(file.text, args.settings, options);
  if (images.length === 0) return file;
  const table = await lookUpAll(images, serviceLookup(service, { cacheOnly: offline }));
  if (![...table.values()].some((a) => a.kind === 'found')) return file;
  const rules = offline ? YAML_RULES.filter((r) => r.code !== 'GC301') : YAML_RULES;
  const diagnostics = lintYaml(file.text, args.settings, {
    ...options,
    images: table,
    rules,
    onRuleError: (code, error) =>
      io.stderr.write(
        `green-cloud lint: rule ${code} failed on ${file.name}: ${error instanceof Error ? error.message : String(error)}. This is a bug in green-cloud; please report it with the file.\n`,
      ),
  });
  return { ...file, diagnostics };
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'Lint Dockerfiles for multi-architecture mistakes (tty, json or SARIF output).',
  usage: USAGE,
  run: runLint,
};
