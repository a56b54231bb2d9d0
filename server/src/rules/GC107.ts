/**
 * GC107 — a hard-coded architecture token in RUN/ADD/COPY/ENV (`…/linux/amd64/kubectl`,
 * `…-x86_64.tar.gz`, `_amd64.deb`) when the Dockerfile targets several platforms: every
 * image gets that architecture's file.
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
 * - comments (Dockerfile comment lines, shell `#` comments).
 */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { formatPlatform, platformOfArchToken, type Platform } from '../../../core/src/platforms';
import { flavourOf } from './archNames';
import { listPlatforms, otherTargets, stageNameMentionsArch } from './helpers';
import { isInside, scanInstruction, type ScannedInstruction } from './instructionText';
import { insertArgAfterFrom, isTargetPlatformValue, stageScope } from './platformArgs';
import type { Fix, Finding, Rule } from './types';

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

function dispatches(scanned: ScannedInstruction): boolean {
  const { text } = scanned;
  if (DISPATCH_MARKERS.some((re) => re.test(text))) return true;
  if (/\bcase\b/.test(text) && /\besac\b/.test(text)) return true;
  return scanned.references.some((r) => DISPATCH_VARIABLE.test(r.name));
}

/** True when the token at [start, end) of `text` names a toolchain target or a foreign package, not the image's own arch. */
function isToolchainOrForeign(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  const after = text.slice(end, end + 24);
  if (/qemu-$/.test(before)) return true;
  if (/--(?:add|remove)-architecture[ \t=]+$/.test(before)) return true;
  if (/crossbuild-essential-$/.test(before)) return true;
  if (/[A-Za-z0-9+.-]:$/.test(before)) return true; // Debian multiarch qualifier: libssl-dev:arm64
  return TOOLCHAIN_TAIL.test(after) && !before.endsWith('/');
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
  return keyword === 'ENV'
    ? `the ${token} value too (a path or setting that is wrong there).`
    : `the ${token} file too (a binary then fails with 'exec format error').`;
}

export const GC107: Rule = {
  code: 'GC107',
  title: 'Hard-coded architecture in a build step',
  description:
    'A hard-coded architecture (amd64, x86_64, arm64 …) in RUN/ADD/COPY/ENV gives every platform of a multi-arch build the same architecture-specific file.',
  defaultSeverity: 'warning',
  check(context) {
    const { model, platforms } = context;
    if (platforms.length < 2) return [];
    const findings: Finding[] = [];
    const targetArchs = new Set(platforms.map((p) => p.architecture));
    const goPreferred = [...targetArchs].every((a) => GO_NAMES_USUAL.has(a));
    const debianSafe = [...targetArchs].every((a) => GO_NAMES_LIKE_DEBIAN.has(a));
    const unamePreferred = [...targetArchs].every((a) => UNAME_NAMES.has(a));
    for (const stage of model.stages) {
      const flag = stage.platformFlag;
      if (flag && !isTargetPlatformValue(flag.value)) continue;
      const flavour = stage.base.path ? flavourOf(stage.base.path, stage.base.tag) : 'generic';
      let scope: ReturnType<typeof stageScope> | undefined;
      for (const instruction of stage.instructions) {
        const keyword = instruction.getKeyword().toUpperCase();
        if (!CHECKED.has(keyword)) continue;
        // Cheap pre-check on the raw text before scanning (most steps name no architecture).
        if (!TOKEN_ANYWHERE.test(model.document.getText(instruction.getRange()))) continue;
        const scanned = scanInstruction(model, instruction);
        const { text } = scanned;
        if (!TOKEN_ANYWHERE.test(text) || dispatches(scanned)) continue;
        const from = /--from=(\S*)/.exec(text);
        if (from && TOKEN_ANYWHERE.test(from[1])) continue;
        const hits: { start: number; end: number; token: string; platform: Platform }[] = [];
        TOKEN_RE.lastIndex = 0;
        for (let m = TOKEN_RE.exec(text); m && hits.length < MAX_HITS; m = TOKEN_RE.exec(text)) {
          const token = m[1];
          const start = m.index;
          const end = start + token.length;
          if (isToolchainOrForeign(text, start, end)) continue;
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
          if (stageNameMentionsArch(stage.name, platform)) continue;
          const others = otherTargets(context, platform);
          if (others.length === 0) continue;
          count++;
          const doc = model.document;
          const range: Range = { start: doc.positionAt(scanned.offset + hit.start), end: doc.positionAt(scanned.offset + hit.end) };
          const fixes: Fix[] = [];
          const literal = isInside(scanned.literal, hit.start);
          if (!scanned.execForm && !literal) {
            if ((token === 'amd64' || token === 'arm64') && (debianSafe || !usesDebianNames(text, hit.start, hit.end))) {
              scope ??= stageScope(model, stage);
              const edits: TextEdit[] = [{ range, newText: '${TARGETARCH}' }];
              const declare = !scope.definedBefore('TARGETARCH', instruction);
              if (declare) edits.push(insertArgAfterFrom(model, stage, 'TARGETARCH'));
              fixes.push({
                title: `Replace '${token}' with \${TARGETARCH}${declare ? ' and declare ARG TARGETARCH' : ''}`,
                edits,
                isPreferred: goPreferred,
              });
            }
            if (keyword === 'RUN' && (token === 'x86_64' || token === 'aarch64')) {
              fixes.push({
                title: `Replace '${token}' with $(uname -m)`,
                edits: [{ range, newText: '$(uname -m)' }],
                isPreferred: unamePreferred,
              });
            }
          }
          const goName = token === 'amd64' || token === 'arm64';
          const advice =
            !debianSafe && usesDebianNames(text, hit.start, hit.end)
              ? "Debian's names differ from ${TARGETARCH} on some platforms (armhf for linux/arm/v7, i386 for linux/386): dispatch on $(dpkg --print-architecture) in a RUN step, or use a path that does not depend on the architecture."
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
