/**
 * The packaged extension (`npm run package`): only what .vscodeignore allows, no source maps,
 * no node_modules, no tests, a bounded size; an icon; a README whose images are packaged and
 * still relative (it renders offline, in the Extensions view, with no github.com URL that does
 * not exist); the walkthrough's pages. Reads the .vsix's zip itself.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { vsixPath } from './vsix';

interface ZipRecord {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localHeader: number;
}

/** The records of a zip file's central directory. */
function zipRecords(zip: Buffer): ZipRecord[] {
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
  const records: ZipRecord[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `bad central directory entry ${n}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    records.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localHeader: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return records;
}

/** Entry names of a zip file (from its central directory). */
export function zipEntries(zip: Buffer): string[] {
  return zipRecords(zip).map((r) => r.name);
}

/** The content of one entry (stored or deflated). */
function zipEntry(zip: Buffer, name: string): Buffer {
  const record = zipRecords(zip).find((r) => r.name === name);
  assert.ok(record, `the .vsix has no ${name}`);
  assert.equal(zip.readUInt32LE(record.localHeader), 0x04034b50, `bad local header for ${name}`);
  const start = record.localHeader + 30 + zip.readUInt16LE(record.localHeader + 26) + zip.readUInt16LE(record.localHeader + 28);
  const data = zip.subarray(start, start + record.compressedSize);
  if (record.method === 0) return Buffer.from(data);
  assert.equal(record.method, 8, `${name}: compression method ${record.method}`);
  return inflateRawSync(data);
}

/** Width and height of a PNG (from its IHDR chunk). */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.ok(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'not a PNG file');
  assert.equal(png.toString('ascii', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog|contributing)\.md$/i,
  /^extension\/LICENSE(\.txt)?$/i,
  /^extension\/dist\/(extension|server|cli)\.js$/,
  /^extension\/docs\/rules\/GC\d{3}\.md$/,
  /^extension\/docs\/images\/[\w.-]+\.(png|gif|svg)$/,
  /^extension\/syntaxes\/[\w.-]+\.json$/,
  /^extension\/images\/icon\.png$/,
  /^extension\/media\/walkthrough\/[\w.-]+\.md$/,
];

describe('the packaged .vsix', () => {
  const file = vsixPath();
  const zip = readFileSync(file);
  const entries = zipEntries(zip);
  const manifest = JSON.parse(zipEntry(zip, 'extension/package.json').toString('utf8')) as {
    icon?: string;
    contributes?: { walkthroughs?: { steps: { media?: { markdown?: string; image?: string } }[] }[] };
  };

  it('holds only what .vscodeignore allows', () => {
    const unexpected = entries.filter((e) => !ALLOWED.some((re) => re.test(e)));
    assert.deepEqual(unexpected, []);
    assert.ok(!entries.some((e) => e.endsWith('.map') || e.includes('node_modules/') || /\/(test|out|src)\//.test(e)));
  });

  it('holds the three bundles, the manifest, the licence and a doc page per rule', () => {
    for (const f of [
      'extension/package.json',
      'extension/dist/extension.js',
      'extension/dist/server.js',
      'extension/dist/cli.js',
      'extension/LICENSE.txt',
    ]) {
      assert.ok(entries.includes(f) || (f.endsWith('LICENSE.txt') && entries.includes('extension/LICENSE')), `missing ${f}`);
    }
    assert.ok(
      entries.some((e) => /^extension\/readme\.md$/i.test(e)),
      'missing README.md',
    );
    assert.ok(
      entries.some((e) => /^extension\/docs\/rules\/GC101\.md$/.test(e)),
      'missing docs/rules/GC101.md',
    );
  });

  it('carries its icon: a PNG of at least 128×128 that the manifest names', () => {
    assert.equal(manifest.icon, 'images/icon.png');
    const { width, height } = pngSize(zipEntry(zip, 'extension/images/icon.png'));
    assert.ok(width >= 128 && height >= 128 && width === height, `icon is ${width}×${height}`);
    const vsixManifest = zipEntry(zip, 'extension.vsixmanifest').toString('utf8');
    assert.match(vsixManifest, /<Icon>extension\/images\/icon\.png<\/Icon>/);
  });

  it("keeps the README's images relative and packages every one of them (it renders offline)", () => {
    const readme = entries.find((e) => /^extension\/readme\.md$/i.test(e));
    assert.ok(readme);
    const text = zipEntry(zip, readme).toString('utf8');
    const images = [...text.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]+src=["']([^"']+)["']/g)].map((m) => m[1] ?? m[2]);
    assert.ok(images.length > 0, 'the README shows no image');
    assert.deepEqual(
      images.filter((src) => /^\w+:/.test(src)),
      [],
      'images rewritten to (or pointing at) remote URLs',
    );
    assert.deepEqual(
      images.filter((src) => !entries.includes(`extension/${src.replace(/^\.\//, '')}`)),
      [],
      'README images missing from the .vsix',
    );
    assert.ok(!text.includes('github.com/green-cloud/green-cloud/'), 'relative links were rewritten to github.com');
    const links = [...text.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s#]+)[^)]*\)/g)].map((m) => m[1]).filter((href) => !/^\w+:/.test(href));
    const missing = links.filter(
      (href) =>
        !entries.some(
          (e) => e === `extension/${href}` || e.startsWith(`extension/${href.replace(/\/$/, '')}/`) || e === `extension/${href}.txt`,
        ),
    );
    assert.deepEqual(missing, [], 'README links to files the .vsix does not hold');
  });

  it("packages every walkthrough step's media", () => {
    const media = (manifest.contributes?.walkthroughs ?? []).flatMap((w) => w.steps.map((s) => s.media?.markdown ?? s.media?.image));
    assert.ok(media.length >= 4, `walkthrough media: ${media.join(', ')}`);
    for (const m of media) assert.ok(m && entries.includes(`extension/${m}`), `missing walkthrough media ${String(m)}`);
  });

  it('stays small (under 5 MB: bundled, minified, no dependencies)', () => {
    const size = statSync(file).size;
    assert.ok(size < 5 * 1024 * 1024, `${file} is ${size} bytes`);
    assert.ok(entries.length < 80, `${entries.length} files`);
  });
});
