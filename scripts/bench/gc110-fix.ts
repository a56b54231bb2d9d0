// Applies GC110's "Cross-compile on the build platform" quick fix to a Dockerfile in place
// (used by the `emulation` bench section and the e2e test). Exits 1 when the file has no GC110
// fix, or when the fixed file still has any diagnostic.
import { readFileSync, writeFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lint } from '../../server/src/linter';
import { DEFAULT_SETTINGS } from '../../core/src/settings';

export function applyGc110Fix(text: string): string {
  const diagnostic = lint(text, DEFAULT_SETTINGS).find(
    (d) => d.code === 'GC110' && d.data.fixes.some((f) => f.title === 'Cross-compile on the build platform'),
  );
  if (!diagnostic) throw new Error('no GC110 quick fix in this Dockerfile');
  const fix = diagnostic.data.fixes.find((f) => f.title === 'Cross-compile on the build platform');
  const fixed = TextDocument.applyEdits(TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text), [...(fix?.edits ?? [])]);
  const left = lint(fixed, DEFAULT_SETTINGS);
  if (left.length > 0)
    throw new Error(`the fixed Dockerfile still has diagnostics: ${left.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return fixed;
}

if (process.argv[1] && /gc110-fix\.ts$/.test(process.argv[1])) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node --import tsx scripts/bench/gc110-fix.ts <Dockerfile>\n');
    process.exit(2);
  }
  try {
    writeFileSync(file, applyGc110Fix(readFileSync(file, 'utf8')));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
