// Draws the extension's icon, media/icon.png (128x128): a caret followed by grey "ghost text" bars on
// a dark tile, the product in one picture. Plain Node (zlib) so that no image tool is needed; run it
// again only to change the picture: the PNG is committed.
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";

const SIZE = 128;
const pixels = Buffer.alloc(SIZE * SIZE * 4);
const fill = (x0, y0, x1, y1, [r, g, b, a = 255]) => {
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * SIZE + x) * 4;
      pixels.set([r, g, b, a], i);
    }
};
const rounded = (radius, color) => {
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const dx = Math.max(radius - x, x - (SIZE - 1 - radius), 0);
      const dy = Math.max(radius - y, y - (SIZE - 1 - radius), 0);
      if (dx * dx + dy * dy <= radius * radius) pixels.set(color, (y * SIZE + x) * 4);
    }
};
rounded(22, [30, 37, 56, 255]);
// Typed code: two white lines; then the caret and the grey suggestion on the third.
fill(18, 30, 78, 40, [230, 233, 240]);
fill(18, 52, 96, 62, [230, 233, 240]);
fill(18, 74, 50, 84, [230, 233, 240]);
fill(53, 70, 57, 88, [120, 200, 255]);
fill(61, 74, 110, 84, [120, 128, 150]);
fill(18, 96, 70, 106, [120, 128, 150]);

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buffer) => {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA
const rows = Buffer.concat(
  Array.from({ length: SIZE }, (_, y) => Buffer.concat([Buffer.from([0]), pixels.subarray(y * SIZE * 4, (y + 1) * SIZE * 4)])),
);
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk("IHDR", header),
  chunk("IDAT", zlib.deflateSync(rows)),
  chunk("IEND", Buffer.alloc(0)),
]);
const out = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "media", "icon.png");
fs.writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
