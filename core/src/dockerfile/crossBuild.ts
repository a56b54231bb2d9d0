/**
 * The cross-build marker analysis shared by GC201–GC207: which RUN steps are markers
 * (`RUN [ "cross-build-start" ]`, `RUN [ "cross-build-end" ]`, also written with a path or in shell
 * form), which run an explicit QEMU emulator, whether a stage's base is known to ship the
 * markers, and where the emulated regions open and close. Computed once per lint (cached on the
 * model) so every GC2xx rule sees the same picture. Linear in the size of the file; never throws.
 *
 * Background (DOMAIN.md): resin/balena images ship `cross-build-start` and `cross-build-end`.
 * Start replaces /bin/sh with a shim that runs the real shell through `qemu-<arch>-static`; end
 * puts the real shell back. Shell-form RUN steps between the two are emulated.
 */
import { JSONInstruction, type Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { parsePlatform, type Platform } from '../platforms';
import { baseSupport, platformOfImage, type MarkerSupport } from './crossBuildImages';
import type { DockerfileModel, Stage } from './model';
import { execFormStrings } from './model';
import { stageUses } from './stageGraph';

export type { MarkerSupport } from './crossBuildImages';

export type MarkerKind = 'start' | 'end';

/** A `cross-build-start` / `cross-build-end` step. */
export interface Marker {
  readonly kind: MarkerKind;
  readonly instruction: Instruction;
  /**
   * `exec`: valid JSON exec form. `shell`: shell form, or JSON that Docker cannot parse (Docker
   * then runs the text through /bin/sh, exactly like shell form).
   */
  readonly form: 'exec' | 'shell';
  /** The command as written: `cross-build-start`, `/usr/bin/cross-build-end`. */
  readonly command: string;
  /** The marker name as written (the JSON string with its quotes, or the shell word). */
  readonly range: Range;
  /**
   * For a shell-form marker that is the whole step: the range of the step's arguments, which a
   * fix can replace with the exec form. Undefined when the step does more than the marker.
   */
  readonly rewriteRange?: Range;
  /** True when the marker is quoted with typographic quotes (`RUN [ “cross-build-start” ]`). */
  readonly typographicQuotes?: boolean;
}

/** An exec-form step that runs an explicit emulator: `RUN ["/usr/bin/qemu-arm-static", …]`. */
export interface QemuStep {
  readonly instruction: Instruction;
  /** The first JSON string's value (`/usr/bin/qemu-arm-static`). */
  readonly binary: string;
  /** The first JSON string with its quotes (diagnostic range). */
  readonly range: Range;
  /** The range of `qemu-…-static` inside the string, when the string is written without escapes. */
  readonly nameRange?: Range;
}

/** A run of plain RUN steps after a `cross-build-end` and before the next start (GC204). */
export interface StepsAfterEnd {
  readonly end: Marker;
  readonly runs: readonly Instruction[];
}

export interface StageCrossBuild {
  readonly stage: Stage;
  readonly support: MarkerSupport;
  /** Base ships the markers, or (base not known to lack them) the stage contains a marker. */
  readonly isCrossBuild: boolean;
  /** The stage's base image for messages (`resin/armv7hf-debian`, or the stage it builds on). */
  readonly baseName: string;
  /** The platform the base is pinned to, when the name or a constant `--platform` tells. */
  readonly platform?: Platform;
  /** Every RUN of the stage, in order. */
  readonly runs: readonly Instruction[];
  /** Marker steps, in order. */
  readonly markers: readonly Marker[];
  readonly qemuSteps: readonly QemuStep[];
  /** RUN steps that run through /bin/sh and are not markers (exec-form steps are left out). */
  readonly plainRuns: readonly Instruction[];
  // The region analysis below is only filled for cross-build stages.
  /** Plain RUN steps before any `cross-build-start` (GC201); none when the base is amd64/386. */
  readonly beforeStart: readonly Instruction[];
  /** Plain RUN steps after a `cross-build-end` (GC204), grouped by the end they follow; none when the base is amd64/386. */
  readonly afterEnd: readonly StepsAfterEnd[];
  /** An end with no open start, or a start while one is open (GC203), with the open start if any. */
  readonly stray: readonly { readonly marker: Marker; readonly open?: Marker; readonly previousEnd?: Marker }[];
  /** The start whose region is still open at the end of the stage (GC202). */
  readonly unclosed?: Marker;
}

// ---------------------------------------------------------------------------------------------
// Step classification

const TYPOGRAPHIC_QUOTE = /[\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\uff02]/;
const MARKER_RE = /^(?:[^\s"'[\]]*\/)?cross-build-(start|end)$/;
const QEMU_RE = /(?:^|\/)(qemu-[a-z0-9_]+-static)$/;

/** `start` / `end` when the command names a marker (`cross-build-start`, `/usr/bin/cross-build-end`). */
export function markerKindOf(command: string): MarkerKind | undefined {
  const m = MARKER_RE.exec(command);
  return m ? (m[1] as MarkerKind) : undefined;
}

function rangeOf(model: DockerfileModel, start: number, end: number): Range {
  return { start: model.document.positionAt(start), end: model.document.positionAt(end) };
}

/**
 * `plain`: a step that runs through /bin/sh (shell form, heredoc, JSON Docker cannot parse), which
 * the markers emulate. `exec`: another exec-form step, which never goes through /bin/sh, so the
 * markers neither help nor matter; it is left out of the region analysis.
 */
type Step = { kind: 'marker'; marker: Marker } | { kind: 'qemu'; qemu: QemuStep } | { kind: 'exec' } | { kind: 'plain' };

/** What a RUN step is. */
function classify(model: DockerfileModel, run: Instruction): Step {
  const exec = execFormStrings(run);
  if (exec && run instanceof JSONInstruction) {
    const json = run.getJSONStrings();
    const first = exec[0];
    const kind = markerKindOf(first);
    if (kind) return { kind: 'marker', marker: { kind, instruction: run, form: 'exec', command: first, range: json[0].getRange() } };
    const q = QEMU_RE.exec(first);
    if (q) {
      let nameRange: Range | undefined;
      const valueRange = json[0].getJSONRange();
      if (model.document.getText(valueRange) === first) {
        const end = model.document.offsetAt(valueRange.end);
        nameRange = rangeOf(model, end - q[1].length, end);
      }
      return { kind: 'qemu', qemu: { instruction: run, binary: first, range: json[0].getRange(), nameRange } };
    }
    return { kind: 'exec' };
  }
  const args = run.getArguments();
  if (args.length === 0) return { kind: 'plain' };
  const first = args[0];
  const firstValue = first.getValue();
  if (firstValue.startsWith('[')) {
    // JSON Docker cannot parse (unterminated, single quotes): it runs as shell form.
    const start = model.document.offsetAt(first.getRange().start);
    const end = model.document.offsetAt(args[args.length - 1].getRange().end);
    const raw = model.text.slice(start, Math.min(end, start + 1024));
    // Straight quotes, or typographic ones (“…”, ‘…’, „…“) that editors and chat tools put in.
    const m =
      /^\[[ \t]*(["'\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\uff02]?)([^"'\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\uff02\s,[\]]+)(["'\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\uff02]?)/.exec(
        raw,
      );
    const kind = m ? markerKindOf(m[2]) : undefined;
    if (!m || !kind) return { kind: 'plain' };
    const typographic = TYPOGRAPHIC_QUOTE.test(m[1] + m[3]);
    if (!typographic && m[1] !== m[3]) return { kind: 'plain' };
    const at = start + raw.indexOf(m[2], 1) - m[1].length;
    const whole =
      end - start <= 1024 &&
      /^\[[ \t]*["'\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\uff02]?[^"'\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\uff02\s,[\]]+["'\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\uff02]?[ \t]*\]?$/.test(
        raw,
      );
    return {
      kind: 'marker',
      marker: {
        kind,
        instruction: run,
        form: 'shell',
        command: m[2],
        range: rangeOf(model, at, at + m[1].length + m[2].length + m[3].length),
        rewriteRange: whole ? rangeOf(model, start, end) : undefined,
        typographicQuotes: typographic || undefined,
      },
    };
  }
  const kind = markerKindOf(firstValue);
  if (!kind) return { kind: 'plain' };
  const written = model.document.getText(first.getRange()) === firstValue;
  return {
    kind: 'marker',
    marker: {
      kind,
      instruction: run,
      form: 'shell',
      command: firstValue,
      range: first.getRange(),
      rewriteRange: args.length === 1 && written ? first.getRange() : undefined,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The analysis

interface BaseFacts {
  readonly support: MarkerSupport;
  readonly platform?: Platform;
}

function baseFacts(stage: Stage, earlier: readonly BaseFacts[], crossBuildImages: readonly string[]): BaseFacts {
  let platform: Platform | undefined;
  if (stage.platformFlag && !stage.platformFlag.hasVariable) {
    try {
      platform = parsePlatform(stage.platformFlag.value);
    } catch {
      platform = undefined;
    }
  }
  const { base } = stage;
  if (base.stageIndex !== undefined) {
    const parent = earlier[base.stageIndex];
    return { support: parent?.support ?? 'unknown', platform: platform ?? parent?.platform };
  }
  if (base.scratch) return { support: 'lacks', platform };
  if (!base.reference) return { support: 'unknown', platform };
  return { support: baseSupport(base.reference, crossBuildImages), platform: platform ?? platformOfImage(base.reference) };
}

function analyseStage(model: DockerfileModel, stage: Stage, facts: BaseFacts): StageCrossBuild {
  const runs: Instruction[] = [];
  const markers: Marker[] = [];
  const qemuSteps: QemuStep[] = [];
  const plainRuns: Instruction[] = [];
  const steps: Step[] = [];
  for (const ins of stage.instructions) {
    if (ins.getKeyword() !== 'RUN') continue;
    const step = classify(model, ins);
    runs.push(ins);
    steps.push(step);
    if (step.kind === 'marker') markers.push(step.marker);
    else if (step.kind === 'qemu') qemuSteps.push(step.qemu);
    else if (step.kind === 'plain') plainRuns.push(ins);
  }
  const isCrossBuild = facts.support === 'ships' || (facts.support === 'unknown' && markers.length > 0);
  // An x86 base runs natively on the x86 hosts the markers are for: RUNs outside them are fine.
  const native = facts.platform?.architecture === 'amd64' || facts.platform?.architecture === '386';
  const beforeStart: Instruction[] = [];
  const afterEnd: { end: Marker; runs: Instruction[] }[] = [];
  const stray: { marker: Marker; open?: Marker; previousEnd?: Marker }[] = [];
  let open: Marker | undefined;
  if (isCrossBuild) {
    let lastEnd: Marker | undefined;
    let group: { end: Marker; runs: Instruction[] } | undefined;
    for (let i = 0; i < runs.length; i++) {
      const step = steps[i];
      if (step.kind === 'marker') {
        const { marker } = step;
        if (marker.kind === 'start') {
          if (open) stray.push({ marker, open });
          else open = marker;
        } else if (open) {
          open = undefined;
          lastEnd = marker;
        } else {
          stray.push({ marker, previousEnd: lastEnd });
        }
        group = undefined;
      } else if (step.kind === 'plain' && !open && !native) {
        if (!lastEnd) beforeStart.push(runs[i]);
        else {
          if (!group) {
            group = { end: lastEnd, runs: [] };
            afterEnd.push(group);
          }
          group.runs.push(runs[i]);
        }
      }
    }
  }
  const from = stage.base;
  const baseName = from.stageIndex !== undefined ? `stage '${from.resolved ?? from.written}'` : `'${from.resolved ?? from.written}'`;
  return {
    stage,
    support: facts.support,
    isCrossBuild,
    baseName,
    platform: facts.platform,
    runs,
    markers,
    qemuSteps,
    plainRuns,
    beforeStart,
    afterEnd,
    stray,
    unclosed: open,
  };
}

const cache = new WeakMap<DockerfileModel, { crossBuildImages: readonly string[]; stages: readonly StageCrossBuild[] }>();

/**
 * The cross-build analysis of every stage (cached per model and setting), given the extra base
 * images known to ship the markers (the crossBuild.images setting).
 */
export function analyseCrossBuild(model: DockerfileModel, crossBuildImages: readonly string[]): readonly StageCrossBuild[] {
  const hit = cache.get(model);
  if (hit && hit.crossBuildImages === crossBuildImages) return hit.stages;
  const facts: BaseFacts[] = [];
  const stages: StageCrossBuild[] = [];
  for (const stage of model.stages) {
    const f = baseFacts(stage, facts, crossBuildImages);
    facts.push(f);
    stages.push(analyseStage(model, stage, f));
  }
  cache.set(model, { crossBuildImages, stages });
  return stages;
}

/**
 * The analysis of the stages the build reaches (dockerfile/stageGraph.ts): the GC2xx rules say
 * nothing about a stage BuildKit never builds.
 */
export function analyseReachedStages(model: DockerfileModel, crossBuildImages: readonly string[]): readonly StageCrossBuild[] {
  const uses = stageUses(model);
  return analyseCrossBuild(model, crossBuildImages).filter((a) => uses[a.stage.index]?.reached !== false);
}

// ---------------------------------------------------------------------------------------------
// Messages

export const START_MARKER = 'RUN [ "cross-build-start" ]';
export const END_MARKER = 'RUN [ "cross-build-end" ]';

/** `linux/arm/v7 binaries` or `foreign binaries`. */
export function binariesOf(analysis: StageCrossBuild): string {
  const p = analysis.platform;
  return p ? `${p.architecture}${p.variant ? `/${p.variant}` : ''} binaries` : 'foreign binaries';
}

/** Why the stage counts as a cross-build stage, for messages. */
export function whyCrossBuild(analysis: StageCrossBuild): string {
  return analysis.support === 'ships'
    ? `the base ${analysis.baseName} ships the cross-build markers`
    : 'this stage uses the cross-build markers';
}
