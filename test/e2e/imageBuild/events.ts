/** Collects what runBuild reports, per platform. */
import { formatPlatform, type Platform } from '../../../core/src/platforms';
import type { BuildEvents, BuildStatus } from '../../../core/src/imageBuild';

export class Recorder implements BuildEvents {
  readonly logs = new Map<string, string[]>();
  readonly statuses = new Map<string, BuildStatus[]>();
  /** What onEmulation said per platform (emulated or native to its engine). */
  readonly emulation = new Map<string, boolean>();
  readonly listeners: ((platform: string, line: string) => void)[] = [];

  onLog(platform: Platform, line: string): void {
    const key = formatPlatform(platform);
    const list = this.logs.get(key) ?? [];
    list.push(line);
    this.logs.set(key, list);
    for (const l of this.listeners) l(key, line);
  }

  onStatus(platform: Platform, status: BuildStatus): void {
    const key = formatPlatform(platform);
    const list = this.statuses.get(key) ?? [];
    list.push(status);
    this.statuses.set(key, list);
  }

  onEmulation(platform: Platform, emulated: boolean): void {
    this.emulation.set(formatPlatform(platform), emulated);
  }

  log(platform: string): string {
    return (this.logs.get(platform) ?? []).join('\n');
  }
}
