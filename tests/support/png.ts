/**
 * A minimal PNG decoder for tests: 8-bit greyscale, RGB or RGBA (with or without alpha), not
 * interlaced — what Chromium's screenshots are. Enough to count the colours of a screenshot.
 */
import { inflateSync } from "node:zlib";

/** A decoded image: `pixels` as 0xRRGGBB numbers, row by row. */
export interface DecodedPng {
  width: number;
  height: number;
  pixels: Uint32Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Decodes `png`; throws on anything this decoder does not handle. */
export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      colourType = body[9] ?? -1;
      if (depth !== 8 || CHANNELS[colourType] === undefined || body[12] !== 0) {
        throw new Error(`unsupported PNG (depth ${depth}, colour type ${colourType}, interlace ${body[12]})`);
      }
    } else if (type === "IDAT") {
      data.push(body);
    } else if (type === "IEND") {
      break;
    }
    offset += 12 + length;
  }
  const channels = CHANNELS[colourType]!;
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      const v = line[x]!;
      let r: number;
      switch (filter) {
        case 0:
          r = v;
          break;
        case 1:
          r = v + a;
          break;
        case 2:
          r = v + b;
          break;
        case 3:
          r = v + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          r = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter} on line ${y}`);
      }
      out[y * stride + x] = r & 0xff;
    }
  }
  const pixels = new Uint32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    if (channels <= 2) {
      const g = out[p]!;
      pixels[i] = (g << 16) | (g << 8) | g;
    } else {
      pixels[i] = (out[p]! << 16) | (out[p + 1]! << 8) | out[p + 2]!;
    }
  }
  return { width, height, pixels };
}

/** How many pixels have each colour (0xRRGGBB). */
export function colourCounts(image: DecodedPng): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of image.pixels) counts.set(p, (counts.get(p) ?? 0) + 1);
  return counts;
}
