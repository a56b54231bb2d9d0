// `npm run typecheck`'s second pass: tsconfig.strict.json (noUncheckedIndexedAccess) over the
// folders that adopted it (its `include` list). Only those files' findings count: a file they
// import from a folder that has not adopted it (core/src/dockerfile, server/src/rules…) is
// checked under tsconfig.json alone, so adopting a folder never needs its imports adopted first.
//
// Usage: node scripts/lib/typecheck-strict.mjs   (exit 1 on any finding)
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('../../', import.meta.url).pathname;
const configFile = join(root, 'tsconfig.strict.json');

/** @type {ts.FormatDiagnosticsHost} */
const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };

/** @param {readonly ts.Diagnostic[]} diagnostics */
function report(diagnostics) {
  process.stdout.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}

const config = ts.getParsedCommandLineOfConfigFile(configFile, undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => report([d]),
});
if (!config) throw new Error(`${configFile} could not be read.`);
if (config.errors.length > 0) report(config.errors);
if (config.fileNames.length === 0) {
  process.stderr.write(`${configFile}: the include list matches no file; name the adopted folders.\n`);
  process.exit(1);
}
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const adopted = config.fileNames.map((f) => program.getSourceFile(f)).filter((f) => f !== undefined);
const diagnostics = [
  ...program.getOptionsDiagnostics(),
  ...program.getGlobalDiagnostics(),
  ...adopted.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
];
if (diagnostics.length > 0) report(diagnostics);
