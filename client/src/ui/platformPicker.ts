/** Multi-select QuickPick of target platforms (the caller remembers the choice). */
import * as vscode from 'vscode';
import { questionAsked } from './questions';
import { DEFAULT_TARGET_PLATFORMS, formatPlatform, parsePlatform, platformsEqual, type Platform } from '../../../core/src/platforms';

/** Platforms offered besides the configured ones. */
const COMMON = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/arm/v6',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
].map((p) => parsePlatform(p));

interface PlatformItem extends vscode.QuickPickItem {
  readonly platform: Platform;
}

/**
 * Asks which platforms to build. `offered` come first (e.g. the file's directive or the
 * settings), then the common ones; `selected` are ticked; `describe` gives each row its words
 * ("from your settings · emulated with QEMU"); `title` carries the step counter ("… (1/3)").
 * Resolves undefined when dismissed.
 */
export async function pickPlatforms(
  offered: readonly Platform[],
  selected: readonly Platform[],
  describe: (platform: Platform) => string | undefined,
  title = 'Green Cloud: Build for Platforms',
): Promise<Platform[] | undefined> {
  const all: Platform[] = [];
  for (const p of [...offered, ...selected, ...DEFAULT_TARGET_PLATFORMS, ...COMMON])
    if (!all.some((q) => platformsEqual(p, q))) all.push(p);
  const items: PlatformItem[] = all.map((platform) => ({ label: formatPlatform(platform), description: describe(platform), platform }));
  const pick = vscode.window.createQuickPick<PlatformItem>();
  pick.title = title;
  pick.placeholder = 'Choose the target platforms (Space to toggle, Enter to build)';
  pick.canSelectMany = true;
  pick.ignoreFocusOut = true;
  pick.items = items;
  pick.selectedItems = items.filter((i) => selected.some((q) => platformsEqual(q, i.platform)));
  try {
    return await new Promise<Platform[] | undefined>((resolve) => {
      pick.onDidAccept(() => {
        if (pick.selectedItems.length === 0) {
          pick.placeholder = 'Choose at least one platform (Space to toggle), then press Enter.';
          return;
        }
        resolve(pick.selectedItems.map((i) => i.platform));
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
      questionAsked('platforms');
    });
  } finally {
    pick.dispose();
  }
}
