/**
 * The packaged extension (`npm run package`): only what .vscodeignore allows, no source maps,
 * no node_modules, no tests, a bounded size. Reads the .vsix's zip central directory itself.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { vsixPath } from './vsix';

/** Entry names of a zip file (from its central directory). */
export function zipEntries(zip: Buffer): string[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip file: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `bad central directory entry ${n}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt)?$/i,
  /^extension\/dist\/(extension|server|cli)\.js$/,
  /^extension\/docs\/rules\/GC\d{3}\.md$/,
  /^extension\/docs\/images\/[\w.-]+\.(png|gif|svg)$/,
  /^extension\/syntaxes\/[\w.-]+\.json$/,
];

describe('the packaged .vsix', () => {
  const file = vsixPath();
  const entries = zipEntries(readFileSync(file));

  it('holds only what .vscodeignore allows', () => {
    const unexpected = entries.filter((e) => !ALLOWED.some((re) => re.test(e)));
    assert.deepEqual(unexpected, []);
    assert.ok(!entries.some((e) => e.endsWith('.map') || e.includes('node_modules/') || /\/(test|out|src)\//.test(e)));
  });

  it('holds the three bundles, the manifest, the licence and a doc page per rule', () => {
    for (const f of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/cli.js', 'extension/LICENSE.txt']) {
      assert.ok(entries.includes(f) || (f.endsWith('LICENSE.txt') && entries.includes('extension/LICENSE')), `missing ${f}`);
    }
    assert.ok(entries.some((e) => /^extension\/readme\.md$/i.test(e)), 'missing README.md');
    assert.ok(entries.some((e) => /^extension\/docs\/rules\/GC101\.md$/.test(e)), 'missing docs/rules/GC101.md');
  });

  it('stays small (under 5 MB: bundled, minified, no dependencies)', () => {
    const size = statSync(file).size;
    assert.ok(size < 5 * 1024 * 1024, `${file} is ${size} bytes`);
    assert.ok(entries.length < 80, `${entries.length} files`);
  });
});
