// `npm run bench [-- section...] [--quick]`: performance figures, never a test.
// Sections are the modules in scripts/bench/*.mjs that export `section` =
// { name, description, needsDocker?, run(options) }. By default every section runs; a section
// that needs a Docker engine is skipped with a message when none answers.
// Examples: `npm run bench -- lint`, `npm run bench -- lint --quick`, `npm run bench -- --list`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dockerEngine } from './bench/lib.mjs';

const here = new URL('./bench/', import.meta.url).pathname;
/** @type {import('./bench/lib.mjs').BenchSection[]} */
const sections = [];
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'lib.mjs')
  .sort()) {
  const module = await import(pathToFileURL(join(here, file)).href);
  if (module.section) sections.push(module.section);
}

const args = process.argv.slice(2);
/** @type {import('./bench/lib.mjs').BenchOptions} */
const options = { quick: args.includes('--quick') };
const wanted = args.filter((a) => !a.startsWith('--'));
if (args.includes('--list') || args.includes('--help')) {
  for (const s of sections) console.log(`${s.name.padEnd(10)} ${s.description}${s.needsDocker ? ' (needs a Docker engine)' : ''}`);
  process.exit(0);
}
const unknown = wanted.filter((w) => !sections.some((s) => s.name === w));
if (unknown.length > 0) {
  console.error(`Unknown bench section(s): ${unknown.join(', ')}. Available: ${sections.map((s) => s.name).join(', ')}.`);
  process.exit(2);
}
const selected = wanted.length > 0 ? sections.filter((s) => wanted.includes(s.name)) : sections;

let failed = false;
for (const s of selected) {
  console.log(`\n=== bench ${s.name}: ${s.description} ===`);
  if (s.needsDocker) {
    const engine = await dockerEngine();
    if (!engine.ok) {
      console.log(
        `skipped: no Docker engine answers at ${engine.host} (${engine.reason}). Start one (e.g. scripts/env) or set DOCKER_HOST.`,
      );
      continue;
    }
    options.dockerHost = engine.host;
  }
  try {
    await s.run(options);
  } catch (error) {
    failed = true;
    console.error(`bench ${s.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
