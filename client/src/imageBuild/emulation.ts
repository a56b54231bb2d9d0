/**
 * Emulation as the editor sees it: which engine builds each target platform
 * (`greenCloud.builders`, else `greenCloud.docker.host`, else DOCKER_HOST, else the default
 * socket), whether that engine answers, and whether its host can run the platform. No `vscode`
 * import; the status bar and the two emulation commands share it.
 */
import { formatPlatform, parsePlatform, platformsEqual, type Platform } from '../../../core/src/platforms';
import { connectEngine, pingEngine, resolveEngineHost, validateEngineHost, type EngineEndpoint } from '../../../core/src/docker';
import type { SetUpEmulationResult } from '../../../core/src/emulation';
import { detectEmulation, setUpEmulation } from '../../../core/src/emulation';
import { neededFor, unreachableEngines, type PlatformReadiness } from './format';

export interface EngineSettings {
  readonly builders: Readonly<Record<string, string>>;
  readonly defaultHost?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface EngineGroup {
  readonly engine: EngineEndpoint;
  readonly platforms: Platform[];
  /** Set when the engine address itself is invalid (names the setting). */
  readonly settingError?: string;
}

/** Groups the platforms by the engine that builds them. Never throws: bad addresses become `settingError`. */
export function groupByEngine(platforms: readonly Platform[], settings: EngineSettings): EngineGroup[] {
  const groups = new Map<string, { engine: EngineEndpoint; platforms: Platform[]; settingError?: string }>();
  let fallback: EngineEndpoint;
  let fallbackError: string | undefined;
  try {
    fallback = resolveEngineHost(settings.defaultHost, settings.env ?? process.env);
  } catch (error) {
    fallback = { host: settings.defaultHost ?? '', label: settings.defaultHost ?? '' };
    fallbackError = `greenCloud.docker.host: ${error instanceof Error ? error.message : String(error)}`;
  }
  const mapped: { platform: Platform; host: string }[] = [];
  for (const [key, host] of Object.entries(settings.builders)) {
    try {
      mapped.push({ platform: parsePlatform(key), host });
    } catch {
      // an invalid key is reported by the build planner; it maps nothing here
    }
  }
  for (const platform of platforms) {
    const builder = mapped.find((m) => platformsEqual(m.platform, platform));
    let engine = fallback;
    let settingError = fallbackError;
    if (builder) {
      engine = { host: builder.host, label: builder.host };
      try {
        validateEngineHost(builder.host);
        settingError = undefined;
      } catch (error) {
        settingError = `greenCloud.builders["${formatPlatform(platform)}"]: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    const key = `${engine.host}\n${settingError ?? ''}`;
    const group = groups.get(key) ?? { engine, platforms: [], settingError };
    group.platforms.push(platform);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Pings each engine and asks it (or its host) which platforms it can run. */
export async function checkReadiness(
  platforms: readonly Platform[],
  settings: EngineSettings,
  pingTimeoutMs = 3000,
): Promise<PlatformReadiness[]> {
  const perGroup = await Promise.all(
    groupByEngine(platforms, settings).map(async (group): Promise<PlatformReadiness[]> => {
      const engine = group.engine.label;
      if (group.settingError) return group.platforms.map((platform) => ({ platform, engine, engineError: group.settingError }));
      try {
        await pingEngine(connectEngine(group.engine), group.engine.host, pingTimeoutMs);
        const reports = await detectEmulation(group.engine, group.platforms);
        return group.platforms.map((platform) => ({ platform, engine, report: reports.find((r) => platformsEqual(r.platform, platform)) }));
      } catch (error) {
        const engineError = error instanceof Error ? error.message : String(error);
        return group.platforms.map((platform) => ({ platform, engine, engineError }));
      }
    }),
  );
  // Keep the order of `platforms`.
  const flat = perGroup.flat();
  return platforms.map((p) => flat.find((r) => platformsEqual(r.platform, p))).filter((r): r is PlatformReadiness => r !== undefined);
}

/** Platforms that are reachable but cannot run, grouped by engine (what "Set Up QEMU Emulation" acts on). */
export function missingByEngine(readiness: readonly PlatformReadiness[], settings: EngineSettings): EngineGroup[] {
  const missing = readiness
    .filter((r) => !r.engineError && (r.report?.status === 'missing' || r.report?.status === 'unknown'))
    .map((r) => r.platform);
  return missing.length === 0 ? [] : groupByEngine(missing, settings);
}

export interface SetUpOutcome {
  readonly engine: EngineEndpoint;
  readonly result?: SetUpEmulationResult;
  readonly error?: string;
}

/** Registers the missing handlers on each engine (the caller has asked the user). */
export async function setUpMissing(groups: readonly EngineGroup[], image: string): Promise<SetUpOutcome[]> {
  return Promise.all(
    groups.map(async (group): Promise<SetUpOutcome> => {
      try {
        const result = await setUpEmulation(group.engine, group.platforms, { confirmed: true, image });
        return { engine: group.engine, result };
      } catch (error) {
        return { engine: group.engine, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

/** An engine that does not answer, once, with the platforms that need it and the setting that chooses it. */
export interface EngineProblem {
  readonly engine: string;
  /** describeEngineError's text, the setting, then the platforms: `Cannot reach Docker at … (ENOENT: no such socket). Start Docker there. To use another engine, set greenCloud.docker.host. Needed for linux/amd64, linux/arm64.`. */
  readonly message: string;
  readonly platforms: readonly Platform[];
  /** `greenCloud.builders` when the platforms are mapped there, else `greenCloud.docker.host`. */
  readonly setting: string;
}

/** The engines in `readiness` that did not answer (none when every engine answered). */
export function engineProblems(readiness: readonly PlatformReadiness[], settings: EngineSettings): EngineProblem[] {
  const mapped = (platform: Platform): boolean =>
    Object.keys(settings.builders).some((key) => {
      try {
        return platformsEqual(parsePlatform(key), platform);
      } catch {
        return false;
      }
    });
  return unreachableEngines(readiness).map((g) => {
    const setting = g.platforms.some(mapped) ? 'greenCloud.builders' : 'greenCloud.docker.host';
    // The core names no setting (the CLI says DOCKER_HOST / --builder): the editor's next step is its setting.
    const error = g.error.trim();
    const next = `To use another engine, set ${setting}.`;
    return {
      engine: g.engine,
      platforms: g.platforms,
      message: neededFor(error.includes(setting) ? error : `${/[.!?]$/.test(error) ? error : `${error}.`} ${next}`, g.platforms),
      setting,
    };
  });
}
