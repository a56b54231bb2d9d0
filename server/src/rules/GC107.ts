/**
 * GC107 — a hard-coded architecture token in RUN/ADD/COPY/ENV (`…/linux/amd64/kubectl`,
 * `…-x86_64.tar.gz`, `_amd64.deb`) when a target platform has another architecture: every
 * image gets that architecture's file (in a per-arch file, only other architectures' tokens).
 *
 * Not flagged (false positives are bugs):
 * - an instruction that dispatches on the architecture (`uname -m`, `arch`,
 *   `dpkg --print-architecture`, `apk --print-arch`, `rpm %_arch`, tonistiigi/xx helpers,
 *   `$TARGETARCH` or any `$…ARCH…`/`$…PLATFORM…` variable, a `case … esac`);
 * - an instruction that names two or more architectures (it enumerates them);
 * - stages with `--platform=` other than `$TARGETPLATFORM` (`$BUILDPLATFORM` stages run on the
 *   build machine and name cross-compilation targets; constant platforms are GC104's);
 * - stages whose name mentions the architecture (`AS tools-arm64`), `COPY --from=` a per-arch stage;
 * - toolchain target names (`gcc-aarch64-linux-gnu`, `crossbuild-essential-arm64`,
 *   `libc6-arm64-cross`, `rustup target add aarch64-unknown-linux-gnu`), Debian multiarch
 *   qualifiers (`libssl-dev:arm64`, `dpkg --add-architecture arm64`), `qemu-aarch64-static`;
 * - comments (Dockerfile comment lines, shell `#` comments);
 * - tokens that select nothing the image runs: a package index read for a version string
 *   (`…/x86_64/APKINDEX.tar.gz`, `…/binary-amd64/Packages`), a platform of another OS
 *   (`darwin/amd64`, `windows-amd64`), a list of two or more platforms (`linux/amd64 linux/arm/v7`),
 *   the foreign architecture of a cross-compiling apt set-up (`dpkg --add-architecture arm64`
 *   makes `deb [arch=arm64]`, `/usr/lib/aarch64-linux-gnu` foreign in that stage), an `echo` /
 *   `printf` message that is neither redirected to a file nor piped;
 * - stages the target platforms do not apply to (dockerfile/stageGraph.ts): never reached by the
 *   build, COPY-only sources of non-executable files, Windows stages;
 * - the architecture the stage's base is already pinned to (GC101–GC104 report that pin once).
 *
 * A variable counts as dispatch only when its value can differ per platform: an `ARG ARCH=arm64`
 * or `ENV ARCH=amd64` default is a constant, and an ARG default that reaches a download (a RUN
 * or ADD with a URL, `wget`, `curl`) is reported on the default itself.
 */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { formatPlatform, platformOfArchToken, type Platform } from '../../../core/src/platforms';
import type { DockerfileModel, Stage } from '../../../core/src/dockerfile/model';
import { constantValueOf } from '../../../core/src/dockerfile/constantValues';
import { runsOnTargets } from '../../../core/src/dockerfile/stageGraph';
import { flavourOf } from './archNames';
import { basePinOf, listPlatforms, stageNameMentionsArch } from './helpers';
import { isInside, scanInstruction, type ScannedInstruction } from '../../../core/src/dockerfile/instructionText';
import { inheritedNames, insertArgAfterFrom, isTargetPlatformValue, stageScope } from '../../../core/src/dockerfile/platformArgs';
import type { Fix, Finding, Rule, RuleContext } from './types';

const CHECKED = new Set(['RUN', 'ADD', 'COPY', 'ENV']);
/** At most this many diagnostics per instruction (a 1 MB line of tokens is not worth 100,000 squiggles). */
const MAX_PER_INSTRUCTION = 20;

/** Tokens examined per instruction (enough to see whether it enumerates architectures). */
const MAX_HITS = 200;

const TOKEN_RE =
  /(?<![A-Za-z0-9])(x86_64|x86-64|amd64|x64|arm64|aarch64|armhf|armel|armv7l|armv7|armv6l|armv6|i386|i686|ppc64le|ppc64el|s390x|riscv64)(?![A-Za-z0-9])/g;

/** Signs that the instruction works out the architecture itself. Each pattern is linear. */
const DISPATCH_MARKERS: readonly RegExp[] = [
  /\buname\b/,
  /--print-arch/,
  /\bdpkg-architecture\b/,
  /%\{?_arch\b/,
  /\$\(\s*arch\s*\)|`\s*arch\s*`/,
  /\bxx-[a-z]/,
  /\blscpu\b/,
  /\bgo\s+env\s+GOARCH\b/,
];
const TOKEN_ANYWHERE = new RegExp(TOKEN_RE.source);
const DISPATCH_VARIABLE = /arch|platform|hosttype|machtype/i;

/** What follows an architecture in a toolchain target triple or cross package name. */
const TOOLCHAIN_TAIL = /^[-_](?:unknown|linux[-_](?:gnu|musl|android)|none|apple|pc|w64|musl|gnu|elf|eabi|cross)/;

/** True when the instruction works the architecture out itself (commands, `case`), variables aside. */
function dispatchesByCommand(text: string): boolean {
  if (DISPATCH_MARKERS.some((re) => re.test(text))) return true;
  return /\bcase\b/.test(text) && /\besac\b/.test(text);
}

/**
 * True when the step itself sets the shell variable, and only to constants
 * (`ARCH=amd64 && wget …-$ARCH`): the variable then dispatches nothing.
 */
function assignedOnlyConstants(text: string, name: string): boolean {
  if (text.length > 100_000) return false;
  const re = new RegExp(`(?:^|[\\s;&|(])${name}=("[^"]*"|'[^']*'|[^\\s;&|)]*)`, 'g');
  let any = false;
  for (const m of text.matchAll(re)) {
    any = true;
    if (/[$`]/.test(m[1])) return false;
  }
  return any;
}

function dispatches(model: DockerfileModel, stage: Stage, scanned: ScannedInstruction): boolean {
  if (dispatchesByCommand(scanned.text)) return true;
  return scanned.references.some((r) => {
    if (!DISPATCH_VARIABLE.test(r.name)) return false;
    if (assignedOnlyConstants(scanned.text, r.name)) return false;
    const constant = constantValueOf(model, stage, scanned.instruction, r.name);
    return constant === undefined || !TOKEN_ANYWHERE.test(constant.value);
  });
}

/** `darwin/amd64`, `windows-amd64`, `freebsd_arm64`: a platform of another OS, not the image's. */
const OTHER_OS_BEFORE =
  /(?:^|[^A-Za-z0-9])(?:darwin|macos|osx|windows|win|freebsd|netbsd|openbsd|dragonfly|solaris|illumos|aix|android|ios|plan9|wasip1|js)[/_-]$/i;
/** `linux/amd64`, `linux/arm/v7` … (two or more in one instruction: a list of targets). */
const PLATFORM_SPEC = /(?<![A-Za-z0-9])(?:linux|darwin|windows|freebsd|netbsd|openbsd)\/[a-z0-9_]+/gi;

/** A package index read for a version string: `…/x86_64/APKINDEX.tar.gz`, `…/binary-amd64/Packages`. */
function isPackageIndex(text: string, start: number, end: number): boolean {
  const after = text.slice(end, end + 12);
  if (/^\/APKINDEX\b/.test(after)) return true;
  return /binary-$/.test(text.slice(Math.max(0, start - 7), start)) && /^\/(?:Packages|Release|InRelease|by-hash)\b/.test(after);
}

/** Debian architectures a stage adds with `dpkg --add-architecture` (its cross-compiling targets), as platforms. */
function foreignArchitectures(model: DockerfileModel, stage: Stage): string[] {
  const out: string[] = [];
  for (const ins of stage.instructions) {
    if (ins.getKeyword().toUpperCase() !== 'RUN') continue;
    const text = model.document.getText(ins.getRange());
    if (!text.includes('--add-architecture')) continue;
    for (const m of text.matchAll(/--add-architecture[ \t=]+([a-z0-9]+)/g)) {
      const p = platformOfArchToken(m[1], 'debian');
      if (p) out.push(p.architecture);
    }
  }
  return out;
}

/**
 * Stretches of a shell-form RUN that are `echo` / `printf` messages: the command's output is
 * neither redirected to a file nor piped nor captured, so an architecture in it selects nothing.
 * Separators are read outside quotes; one pass.
 */
export function messageSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let quote = '';
  let start = 0;
  let redirect = false;
  let before = '';
  const close = (end: number, separator: string): void => {
    const segment = text.slice(start, Math.min(end, start + 4096));
    const m = /^\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:echo|printf)(?=\s|$)/.exec(segment);
    const piped = separator === '|';
    const captured = before === '`' || before === '$(';
    if (m && !redirect && !piped && !captured) spans.push([start, end]);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    if (c === '>') {
      if (text[i + 1] === '&') {
        const fd = /^&([0-9-]*)/.exec(text.slice(i + 1, i + 6))?.[1] ?? '';
        if (fd !== '1' && fd !== '2' && fd !== '-') redirect = true;
        i += 1 + fd.length;
        continue;
      }
      const target = /^>?[ \t]*(\S*)/.exec(text.slice(i + 1, i + 40))?.[1] ?? '';
      if (!/^\/dev\/(?:stderr|stdout|null)$/.test(target)) redirect = true;
      continue;
    }
    if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '`' || c === '\n') {
      const separator = c === '|' && text[i + 1] === '|' ? '||' : c;
      close(i, separator);
      before = c === '(' && text[i - 1] === '$' ? '$(' : c;
      if (separator === '||') i++;
      start = i + 1;
      redirect = false;
    }
  }
  close(text.length, '');
  return spans;
}

/** True when the token at [start, end) of `text` names a toolchain target or a foreign package, not the image's own arch. */
function isToolchainOrForeign(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  const after = text.slice(end, end + 24);
  if (/qemu-$/.test(before)) return true;
  if (/--(?:add|remove)-architecture[ \t=]+$/.test(before)) return true;
  if (/crossbuild-essential-$/.test(before)) return true;
  if (/[A-Za-z0-9+.-]:$/.test(before)) return true; // Debian multiarch qualifier: libssl-dev:arm64
  // A compiler or toolchain named for its target: gcc-aarch64-linux-gnu, cross-toolchain-armv7-…
  if (/(?:^|[^A-Za-z0-9])(?:gcc|g\+\+|binutils|toolchain|cross|clang|llvm|musl)[-_]$/.test(before) && TOOLCHAIN_TAIL.test(after))
    return true;
  return TOOLCHAIN_TAIL.test(after) && !before.endsWith('/') && !isDownloadedArtifact(text, start, end);
}

const ARCHIVE = /\.(?:tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2?|tar\.zst|zip|deb|rpm|apk|gz|xz)$/;

/**
 * A target triple that names a downloaded artifact (`…/sccache-v0.8-x86_64-unknown-linux-musl.tar.gz`):
 * the file is built for that architecture, so it is not a toolchain name. A word naming two
 * architectures (`toolchain-x86_64-aarch64-none-linux-gnu.tar.xz`: host, then target) keeps the
 * toolchain reading for its target.
 */
function isDownloadedArtifact(text: string, start: number, end: number): boolean {
  let from = start;
  while (from > 0 && start - from < 300 && !/[\s"'=]/.test(text[from - 1])) from--;
  let to = end;
  while (to < text.length && to - end < 300 && !/[\s"';&|)]/.test(text[to])) to++;
  const word = text.slice(from, to);
  if (!word.includes('://') && !ARCHIVE.test(word)) return false;
  return !TOKEN_ANYWHERE.test(text.slice(from, start));
}

/** `.deb` files and Debian JDK directories use Debian names (armhf, i386, ppc64el), not Go's. */
function usesDebianNames(text: string, start: number, end: number): boolean {
  return /^\.d?deb\b/.test(text.slice(end, end + 6)) || /(?:openjdk|jdk|jre)-$/.test(text.slice(Math.max(0, start - 8), start));
}

/** Architectures whose Go name (TARGETARCH) equals the usual amd64/arm64 naming of artifacts. */
const GO_NAMES_LIKE_DEBIAN = new Set(['amd64', 'arm64', 's390x', 'riscv64']);
const GO_NAMES_USUAL = new Set(['amd64', 'arm64', 'ppc64le', 's390x', 'riscv64']);
const UNAME_NAMES = new Set(['amd64', 'arm64']);

function consequence(keyword: string, token: string): string {
  return keyword === 'ENV' ? `the ${token} value too.` : `the ${token} file too ('exec format error' for a binary).`;
}

/**
 * The target platforms that cannot run a file built for `platform`: other architectures, and
 * for ARM an older variant than the file's (an armv6 file runs on linux/arm/v7; an armv7 one
 * does not run on linux/arm/v6).
 */
function targetsThatCannotRun(context: RuleContext, platform: Platform): Platform[] {
  const level = (variant: string | undefined): number => Number(/^v(\d+)$/.exec(variant ?? '')?.[1] ?? 0);
  return context.platforms.filter(
    (target) =>
      target.architecture !== platform.architecture ||
      (target.os === platform.os && level(platform.variant) > level(target.variant) && level(target.variant) > 0),
  );
}

interface Hit {
  readonly start: number;
  readonly end: number;
  readonly token: string;
  readonly platform: Platform;
}

interface Naming {
  /** Every target's Go name is the usual artifact name (amd64, arm64 …): ${TARGETARCH} fits. */
  readonly goPreferred: boolean;
  /** Every target's Debian name equals its Go name. */
  readonly debianSafe: boolean;
  /** Every target is amd64 or arm64 (uname -m gives x86_64 / aarch64). */
  readonly unamePreferred: boolean;
}

/** A step that downloads something: a URL, or a fetch command. */
const DOWNLOADS = /:\/\/|\b(?:wget|curl|fetch|aria2c)\b/;

/**
 * `ARG ARCH=arm64` … `RUN wget …linux-${ARCH}.tar.gz`: a constant architecture in an ARG default
 * that reaches a download. Reported once per ARG declaration, on the token in its default, when
 * the download step does not work the architecture out itself (and does not reassign the name).
 */
function argDefaultFindings(
  context: RuleContext,
  stage: Stage,
  scanned: ScannedInstruction,
  skipArch: (platform: Platform) => boolean,
  reported: Set<string>,
  naming: Naming,
): Finding[] {
  const { model } = context;
  const { text } = scanned;
  if (scanned.references.length === 0 || !DOWNLOADS.test(text) || dispatchesByCommand(text)) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const ref of scanned.references) {
    if (ref.literal || seen.has(ref.name)) continue;
    seen.add(ref.name);
    const constant = constantValueOf(model, stage, scanned.instruction, ref.name);
    const declaration = constant?.declaration;
    if (!constant || !declaration) continue;
    const key = `${declaration.instruction.getRange().start.line}:${declaration.name}`;
    if (reported.has(key)) continue;
    // The step sets the name itself (`ARCH=$(uname -m)`).
    if (new RegExp(`(?:^|[\\s;&|(])${ref.name}=`).test(text)) continue;
    // Where the value lands names something else than the image's own architecture:
    // `qemu-${QEMU_ARCH}-static`, `gcc-${ARCH}-linux-gnu`, `libssl-dev:${ARCH}`, `darwin-${ARCH}`.
    if (isToolchainOrForeign(text, ref.start, ref.end) || OTHER_OS_BEFORE.test(text.slice(Math.max(0, ref.start - 12), ref.start)))
      continue;
    const tokens = [...constant.value.matchAll(new RegExp(TOKEN_RE.source, 'g'))];
    if (tokens.length === 0) continue;
    const valueFlavour = stage.base.path ? flavourOf(stage.base.path, stage.base.tag) : 'generic';
    const platformsNamed = tokens
      .filter((t) => !isToolchainOrForeign(constant.value, t.index, t.index + t[1].length))
      .map((t) => ({
        token: t[1],
        index: t.index,
        platform: t[1] === 'x64' ? { os: 'linux', architecture: 'amd64' } : platformOfArchToken(t[1], valueFlavour),
      }))
      .filter((t): t is { token: string; index: number; platform: Platform } => t.platform !== undefined);
    if (new Set(platformsNamed.map((t) => formatPlatform(t.platform))).size !== 1) continue;
    const { token, index, platform } = platformsNamed[0];
    if (skipArch(platform)) continue;
    const others = targetsThatCannotRun(context, platform);
    if (others.length === 0) continue;
    reported.add(key);
    const doc = model.document;
    const valueRange = declaration.valueRange;
    const range: Range = valueRange
      ? {
          start: doc.positionAt(doc.offsetAt(valueRange.start) + index),
          end: doc.positionAt(doc.offsetAt(valueRange.start) + index + token.length),
        }
      : declaration.instruction.getRange();
    const fixes: Fix[] = [];
    if (
      valueRange &&
      (token === 'amd64' || token === 'arm64') &&
      (naming.debianSafe || !usesDebianNames(constant.value, index, index + token.length))
    ) {
      const edits: TextEdit[] = [{ range, newText: '${TARGETARCH}' }];
      const owner = constant.stage;
      const declare =
        owner !== undefined &&
        !stageScope(model, owner).definedBefore('TARGETARCH', declaration.instruction) &&
        !inheritedNames(model, owner).has('TARGETARCH');
      if (declare && owner) edits.push(insertArgAfterFrom(model, owner, 'TARGETARCH'));
      fixes.push({
        title: `Replace '${token}' with \${TARGETARCH}${declare ? ' and declare ARG TARGETARCH' : ''}`,
        edits,
        isPreferred: naming.goPreferred,
      });
    }
    const line = doc.positionAt(scanned.offset).line + 1;
    out.push({
      range,
      message:
        `'${token}' in the default of ARG ${ref.name} hard-codes ${formatPlatform(platform)}, and the value reaches the download in line ${line}: ` +
        `the ${listPlatforms(others)} ${others.length > 1 ? 'images get' : 'image gets'} the ${token} file too. ` +
        (token === 'amd64' || token === 'arm64'
          ? `Default it to \${TARGETARCH} (after 'ARG TARGETARCH' in a stage) or dispatch on $(uname -m) in the step.`
          : `Derive it from $(uname -m) or \${TARGETARCH} in the step.`),
      instruction: declaration.instruction,
      fixes,
    });
  }
  return out;
}

export const GC107: Rule = {
  code: 'GC107',
  title: 'Hard-coded architecture in a build step',
  description:
    'A hard-coded architecture (amd64, x86_64, arm64 …) in RUN/ADD/COPY/ENV, or in an ARG default that reaches a download, gives every target platform the same architecture-specific file.',
  defaultSeverity: 'warning',
  check(context) {
    const { model, platforms } = context;
    if (platforms.length === 0) return [];
    const findings: Finding[] = [];
    const targetArchs = new Set(platforms.map((p) => p.architecture));
    const naming: Naming = {
      goPreferred: [...targetArchs].every((a) => GO_NAMES_USUAL.has(a)),
      debianSafe: [...targetArchs].every((a) => GO_NAMES_LIKE_DEBIAN.has(a)),
      unamePreferred: [...targetArchs].every((a) => UNAME_NAMES.has(a)),
    };
    const reportedDefaults = new Set<string>();
    for (const stage of model.stages) {
      const flag = stage.platformFlag;
      if (flag && !isTargetPlatformValue(flag.value)) continue;
      if (!runsOnTargets(model, stage)) continue;
      const flavour = stage.base.path ? flavourOf(stage.base.path, stage.base.tag) : 'generic';
      let pinned: string | null | undefined;
      let foreign: string[] | undefined;
      const skipArch = (platform: Platform): boolean => {
        if (pinned === undefined) pinned = basePinOf(model, stage)?.architecture ?? null;
        if (platform.architecture === pinned || stageNameMentionsArch(stage.name, platform)) return true;
        foreign ??= foreignArchitectures(model, stage);
        return foreign.includes(platform.architecture);
      };
      let scope: ReturnType<typeof stageScope> | undefined;
      for (const instruction of stage.instructions) {
        const keyword = instruction.getKeyword().toUpperCase();
        if (!CHECKED.has(keyword)) continue;
        const raw = model.document.getText(instruction.getRange());
        const hasToken = TOKEN_ANYWHERE.test(raw);
        const mayDownload = (keyword === 'RUN' || keyword === 'ADD') && raw.includes('$') && DOWNLOADS.test(raw);
        if (!hasToken && !mayDownload) continue;
        const scanned = scanInstruction(model, instruction);
        if (mayDownload) {
          for (const f of argDefaultFindings(context, stage, scanned, skipArch, reportedDefaults, naming)) findings.push(f);
        }
        if (!hasToken) continue;
        // A per-arch file names its own architecture freely; another one is only reported where
        // the step fetches a file (`GOARCH=arm64 go build` in an amd64-only file cross-compiles).
        if (platforms.length === 1 && keyword !== 'ADD' && !DOWNLOADS.test(raw)) continue;
        const { text } = scanned;
        if (!TOKEN_ANYWHERE.test(text) || dispatches(model, stage, scanned)) continue;
        const from = /--from=(\S*)/.exec(text);
        if (from && TOKEN_ANYWHERE.test(from[1])) continue;
        // Two or more platforms (`linux/amd64 linux/arm/v7 darwin/amd64`): a list of targets.
        if ((text.match(PLATFORM_SPEC)?.length ?? 0) >= 2) continue;
        const messages = keyword === 'RUN' && !scanned.execForm ? messageSpans(text) : [];
        const hits: Hit[] = [];
        TOKEN_RE.lastIndex = 0;
        for (let m = TOKEN_RE.exec(text); m && hits.length < MAX_HITS; m = TOKEN_RE.exec(text)) {
          const token = m[1];
          const start = m.index;
          const end = start + token.length;
          if (isToolchainOrForeign(text, start, end) || isPackageIndex(text, start, end)) continue;
          if (OTHER_OS_BEFORE.test(text.slice(Math.max(0, start - 12), start))) continue;
          if (messages.length > 0 && isInside(messages, start)) continue;
          const platform = token === 'x64' ? { os: 'linux', architecture: 'amd64' } : platformOfArchToken(token, flavour);
          if (!platform) continue;
          hits.push({ start, end, token, platform });
        }
        const distinct = new Set(hits.map((h) => formatPlatform(h.platform)));
        if (distinct.size !== 1) continue;
        let count = 0;
        for (const hit of hits) {
          if (count >= MAX_PER_INSTRUCTION) break;
          const { platform, token } = hit;
          if (skipArch(platform)) continue;
          const others = targetsThatCannotRun(context, platform);
          if (others.length === 0) continue;
          count++;
          const doc = model.document;
          const range: Range = { start: doc.positionAt(scanned.offset + hit.start), end: doc.positionAt(scanned.offset + hit.end) };
          const fixes: Fix[] = [];
          const literal = isInside(scanned.literal, hit.start);
          if (!scanned.execForm && !literal) {
            if ((token === 'amd64' || token === 'arm64') && (naming.debianSafe || !usesDebianNames(text, hit.start, hit.end))) {
              scope ??= stageScope(model, stage);
              const edits: TextEdit[] = [{ range, newText: '${TARGETARCH}' }];
              const declare = !scope.definedBefore('TARGETARCH', instruction);
              if (declare) edits.push(insertArgAfterFrom(model, stage, 'TARGETARCH'));
              fixes.push({
                title: `Replace '${token}' with \${TARGETARCH}${declare ? ' and declare ARG TARGETARCH' : ''}`,
                edits,
                isPreferred: naming.goPreferred,
              });
            }
            if (keyword === 'RUN' && (token === 'x86_64' || token === 'aarch64')) {
              fixes.push({
                title: `Replace '${token}' with $(uname -m)`,
                edits: [{ range, newText: '$(uname -m)' }],
                isPreferred: naming.unamePreferred,
              });
            }
          }
          const goName = token === 'amd64' || token === 'arm64';
          const advice =
            !naming.debianSafe && usesDebianNames(text, hit.start, hit.end)
              ? "Debian's names differ from ${TARGETARCH} (armhf for linux/arm/v7, i386 for linux/386): dispatch on $(dpkg --print-architecture) in a RUN step."
              : keyword === 'RUN'
                ? goName
                  ? "Use ${TARGETARCH} (after 'ARG TARGETARCH' in the stage) or dispatch on $(uname -m) / $(dpkg --print-architecture)."
                  : "Dispatch on $(uname -m) (x86_64, aarch64, armv7l) or map ${TARGETARCH} in a 'case' (after 'ARG TARGETARCH')."
                : goName
                  ? "Use ${TARGETARCH} (after 'ARG TARGETARCH' in the stage)."
                  : "Derive the name from ${TARGETARCH} (after 'ARG TARGETARCH') in a RUN step instead.";
          findings.push({
            range,
            message:
              `'${token}' hard-codes ${formatPlatform(platform)} in this ${keyword}: the ${listPlatforms(others)} ` +
              `${others.length > 1 ? 'images get' : 'image gets'} ${consequence(keyword, token)} ${advice}`,
            instruction,
            fixes,
          });
        }
      }
    }
    return findings;
  },
};
