// Draws images/icon.png (256×256, the Marketplace and Extensions view icon): a green cloud over
// three stacked layers (one image per platform) on a dark rounded square. Plain node (zlib), no
// image tool needed; the PNG is committed, so nothing runs this at build or test time.
// Usage: node images/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 256;
const SS = 4; // supersampling per axis

/** @typedef {[number, number, number, number]} RGBA */

/**
 * @param {number} x
 * @param {number} y
 * @param {number} x0
 * @param {number} y0
 * @param {number} x1
 * @param {number} y1
 * @param {number} r
 */
function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
/** @type {(x: number, y: number, cx: number, cy: number, r: number) => boolean} */
const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/**
 * @param {number} x
 * @param {number} y
 */
function inCloud(x, y) {
  return (
    inCircle(x, y, 78, 118, 36) || inCircle(x, y, 130, 92, 50) || inCircle(x, y, 184, 114, 38) || inRoundRect(x, y, 36, 108, 222, 154, 23)
  );
}

/**
 * Colour of a point (RGBA, 0–255), or undefined when transparent.
 * @param {number} x
 * @param {number} y
 * @returns {RGBA | undefined}
 */
function colour(x, y) {
  if (!inRoundRect(x, y, 8, 8, 248, 248, 44)) return undefined;
  // the three layers: one per platform, the top one overlapping the cloud
  /** @type {[number, number, number, number, [number, number, number]][]} */
  const layers = [
    [48, 166, 208, 184, [134, 239, 172]],
    [48, 192, 208, 210, [74, 222, 128]],
    [48, 218, 208, 236, [34, 197, 94]],
  ];
  for (const [x0, y0, x1, y1, c] of layers) if (inRoundRect(x, y, x0, y0, x1, y1, 8)) return [...c, 255];
  if (inCloud(x, y)) {
    const t = (y - 42) / 112;
    return [Math.round(240 - 40 * t), 253, Math.round(244 - 30 * t), 255];
  }
  const t = y / SIZE;
  return [Math.round(10 + 8 * t), Math.round(56 + 20 * t), Math.round(44 + 6 * t), 255];
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = colour(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (!c) continue;
        for (let i = 0; i < 3; i++) sum[i] += c[i] * c[3];
        sum[3] += c[3];
      }
    }
    const o = (py * SIZE + px) * 4;
    const alpha = sum[3] / (SS * SS);
    for (let i = 0; i < 3; i++) rgba[o + i] = sum[3] ? Math.round(sum[i] / sum[3]) : 0;
    rgba[o + 3] = Math.round(alpha);
  }
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
/** @param {Buffer} buf */
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
/**
 * @param {string} type
 * @param {Buffer} data
 */
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`images/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
