/**
 * How the build uses each stage, following BuildKit's own graph (pure; cached per model):
 *
 * - **reached**: BuildKit builds only the target stage (the last one by default) and the stages
 *   it depends on: its `FROM` parent, `COPY --from=` sources and `RUN --mount=…,from=` sources,
 *   transitively. Any other stage is never built (`docker build` without `--target`), so
 *   diagnostics about what it would contain mislead. A reference through a variable
 *   (`FROM base-${TARGETARCH}`, `COPY --from=build-$VARIANT`) may name any stage its pattern
 *   matches: all of them count as reached.
 * - **dataOnly**: a reached stage that runs nothing (no RUN) and is used only as a
 *   `COPY --from=` source of files no image executes as its own binaries: data and text files
 *   (`/etc/ssl/certs`, `*.json`, `/usr/share/…`, `dist/`), arch-independent scripts and bytecode
 *   (`*.sh`, `*.py`, `*.jar`), and QEMU user emulators (`qemu-aarch64-static`, which run on the
 *   build host, so their architecture names the host). Any other source (`/usr/local/bin/tool`,
 *   `/out/app`, `/`) may be a binary the image runs, so a stage that supplies it still counts.
 *   A stage that is only the `FROM` parent of data-only stages is data-only too.
 * - **windows**: a Windows stage (`mcr.microsoft.com/windows/servercore`, `mcr.microsoft.com/dotnet/framework/…`, `…-nanoserver-…`,
 *   `…-windowsservercore-…`, `--platform=windows/…`, or built FROM such a stage): the Linux
 *   target platforms do not apply to it.
 */
import { Copy, type Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from './model';

export interface StageUse {
  readonly reached: boolean;
  readonly dataOnly: boolean;
  readonly windows: boolean;
}

/** An edge from a stage to the stages it names. */
interface Reference {
  readonly kind: 'from' | 'copy' | 'mount';
  /** Target stage indexes. */
  readonly targets: readonly number[];
  /** For `copy`: whether every source is a non-executable file (see above). */
  readonly data: boolean;
}

const cache = new WeakMap<DockerfileModel, readonly StageUse[]>();

/** The use of every stage, indexed like `model.stages`. */
export function stageUses(model: DockerfileModel): readonly StageUse[] {
  let uses = cache.get(model);
  if (!uses) {
    uses = compute(model);
    cache.set(model, uses);
  }
  return uses;
}

export function stageUse(model: DockerfileModel, stage: Stage): StageUse {
  return stageUses(model)[stage.index] ?? { reached: true, dataOnly: false, windows: false };
}

/** True when rules about the target platforms should look at this stage. */
export function runsOnTargets(model: DockerfileModel, stage: Stage): boolean {
  const use = stageUse(model, stage);
  return use.reached && !use.dataOnly && !use.windows;
}

const VARIABLE = /\$(?:\{[A-Za-z_][A-Za-z0-9_]*(?::?[-+][^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)/g;

const NAMES = new WeakMap<DockerfileModel, Map<string, number[]>>();

function stagesByName(model: DockerfileModel): Map<string, number[]> {
  let names = NAMES.get(model);
  if (!names) {
    names = new Map();
    for (const s of model.stages) if (s.name !== undefined) names.set(s.name, [...(names.get(s.name) ?? []), s.index]);
    NAMES.set(model, names);
  }
  return names;
}

/** Stage indexes a written stage reference can name (a number, a name, or a pattern with variables). */
function resolveReference(model: DockerfileModel, written: string, self: number): number[] {
  const value = written
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2')
    .toLowerCase();
  if (value === '' || value.length > 256) return [];
  if (/^[0-9]+$/.test(value)) {
    const i = Number(value);
    return i < model.stages.length && i !== self ? [i] : [];
  }
  VARIABLE.lastIndex = 0;
  if (VARIABLE.test(value)) {
    const pieces = value.split(VARIABLE).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const pattern = new RegExp(`^${pieces.join('.*')}$`);
    return model.stages.filter((s) => s.index !== self && s.name !== undefined && pattern.test(s.name)).map((s) => s.index);
  }
  return (stagesByName(model).get(value) ?? []).filter((i) => i !== self);
}

const DATA_EXTENSION =
  /\.(?:conf|cfg|cnf|ini|json|ya?ml|toml|xml|html?|css|s[ac]ss|m?js|cjs|map|svg|png|jpe?g|gif|ico|webp|woff2?|ttf|otf|eot|txt|md|rst|pem|crt|cer|key|pub|asc|gpg|csv|sql|properties|env|lock|sh|bash|py|pyc|rb|pl|php|jar|war|ear|class|tmpl|tpl|template|repo|list|rules|service|desktop)$/i;
const DATA_DIRECTORY =
  /^\/?(?:etc\/|usr\/share\/|usr\/local\/share\/|var\/www\/|srv\/www\/)|(?:^|\/)(?:dist|public|static|assets|docs?|html|www|templates|locales?|i18n|migrations|certs?|zoneinfo)(?:\/|$)/i;
const QEMU_EMULATOR = /(?:^|\/)qemu-[a-z0-9_]+(?:-static)?$/i;
/** Runtimes installed under data-looking directories (`/usr/share/dotnet` holds native binaries). */
const RUNTIME_UNDER_SHARE = /^\/?usr\/(?:local\/)?share\/(?:dotnet|powershell|code|elasticsearch|logstash|kibana)(?:\/|$)/i;

/** True when a COPY source is a file no image executes as its own binary. */
export function isDataSource(source: string): boolean {
  const path = source.trim().replace(/^(["'])(.*)\1$/, '$2');
  if (path === '' || path === '/' || path === '.' || /[*?[]$/.test(path)) return false;
  const withoutSlash = path.replace(/\/+$/, '');
  if (QEMU_EMULATOR.test(withoutSlash)) return true;
  if (RUNTIME_UNDER_SHARE.test(withoutSlash)) return false;
  return DATA_EXTENSION.test(withoutSlash) || DATA_DIRECTORY.test(withoutSlash);
}

function flagValue(instruction: Instruction, name: string): string[] {
  const out: string[] = [];
  const flags = (instruction as Partial<{ getFlags(): { getName(): string; getValue(): string | null }[] }>).getFlags?.() ?? [];
  for (const flag of flags) if (flag.getName().toLowerCase() === name) out.push(flag.getValue() ?? '');
  return out;
}

function referencesOf(model: DockerfileModel, stage: Stage): Reference[] {
  const refs: Reference[] = [];
  const { base } = stage;
  if (base.stageIndex !== undefined) refs.push({ kind: 'from', targets: [base.stageIndex], data: false });
  else if (base.resolved === undefined && base.path === undefined && base.viaVariable) {
    // `FROM base-${TARGETARCH}`: any earlier stage the pattern matches.
    const targets = resolveReference(model, base.written, stage.index).filter((i) => i < stage.index);
    if (targets.length > 0) refs.push({ kind: 'from', targets, data: false });
  }
  for (const ins of stage.instructions) {
    const keyword = ins.getKeyword().toUpperCase();
    if (keyword === 'COPY' || keyword === 'ADD') {
      for (const from of flagValue(ins, 'from')) {
        const targets = resolveReference(model, from, stage.index);
        if (targets.length === 0) continue;
        const args = ins instanceof Copy || keyword === 'ADD' ? ins.getArguments().map((a) => a.getValue()) : [];
        const sources = args.slice(0, -1);
        const data = sources.length > 0 && sources.every(isDataSource);
        refs.push({ kind: 'copy', targets, data });
      }
    } else if (keyword === 'RUN') {
      for (const mount of flagValue(ins, 'mount')) {
        for (const option of mount.split(',')) {
          const eq = option.indexOf('=');
          if (eq < 0 || option.slice(0, eq).trim().toLowerCase() !== 'from') continue;
          const targets = resolveReference(model, option.slice(eq + 1), stage.index);
          if (targets.length > 0) refs.push({ kind: 'mount', targets, data: false });
        }
      }
    }
  }
  return refs;
}

const WINDOWS_NAME = /(?:^|[/:._-])(?:windows|windowsservercore|servercore|nanoserver|ltsc20[0-9]{2})(?:$|[/:._-])/;

function isWindowsBase(stage: Stage): boolean {
  const flag = stage.platformFlag;
  if (flag && /^["']?windows\//i.test(flag.value.trim())) return true;
  const { path, tag, registry } = stage.base;
  if (!path) return false;
  // Windows images on MCR: windows/servercore, windows/nanoserver …, and .NET Framework (Windows only).
  if (registry?.toLowerCase() === 'mcr.microsoft.com' && /^(?:windows|dotnet\/framework)(?:\/|$)/.test(path)) return true;
  return WINDOWS_NAME.test(`${path}:${(tag ?? '').toLowerCase()}`);
}

function compute(model: DockerfileModel): StageUse[] {
  const { stages } = model;
  const n = stages.length;
  if (n === 0) return [];
  const refs = stages.map((s) => referencesOf(model, s));
  // Reached: from the last stage along every edge.
  const reached = new Array<boolean>(n).fill(false);
  const queue = [n - 1];
  reached[n - 1] = true;
  while (queue.length > 0) {
    const i = queue.pop() as number;
    for (const ref of refs[i]) {
      for (const t of ref.targets) {
        if (!reached[t]) {
          reached[t] = true;
          queue.push(t);
        }
      }
    }
  }
  // Data-only, from the last stage backwards: consumers come after their sources, except for
  // forward COPY --from references, which conservatively count as executable uses.
  const dataOnly = new Array<boolean>(n).fill(false);
  const hasRun = stages.map((s) => s.instructions.some((ins) => ins.getKeyword().toUpperCase() === 'RUN'));
  const uses: { consumer: number; ref: Reference }[][] = stages.map(() => []);
  for (let i = 0; i < n; i++) {
    if (!reached[i]) continue;
    for (const ref of refs[i]) for (const t of ref.targets) uses[t].push({ consumer: i, ref });
  }
  for (let i = n - 2; i >= 0; i--) {
    if (!reached[i] || hasRun[i] || uses[i].length === 0) continue;
    dataOnly[i] = uses[i].every(({ consumer, ref }) => {
      if (ref.kind === 'copy') return ref.data && ref.targets.length === 1;
      if (ref.kind === 'from') return consumer > i && dataOnly[consumer] && ref.targets.length === 1;
      return false;
    });
  }
  // Windows: by base, inherited along FROM.
  const windows = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    const parent = stages[i].base.stageIndex;
    windows[i] = isWindowsBase(stages[i]) || (parent !== undefined && parent < i && windows[parent]);
  }
  return stages.map((_, i) => ({ reached: reached[i], dataOnly: dataOnly[i], windows: windows[i] }));
}
