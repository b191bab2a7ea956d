import { inflateSync } from 'node:zlib';

/** A decoded PNG: 8-bit RGBA, row by row. */
export interface Pixels { width: number; height: number; rgba: Uint8Array }

/**
 * Decodes the PNGs vethmap writes (8-bit RGB or RGBA, not interlaced) so tests can look at
 * pixels: IHDR, the IDAT stream inflated, each scanline's filter undone.
 */
export function decodePng(buf: Buffer): Pixels {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, color, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || interlace !== 0 || (color !== 2 && color !== 6)) throw new Error(`unsupported PNG (depth ${depth}, colour ${color}, interlace ${interlace})`);
      channels = color === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = new Uint8Array(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (line[i - channels] ?? 0) : 0;
      const b = prev[i] ?? 0;
      const c = i >= channels ? (prev[i - channels] ?? 0) : 0;
      let v = line[i] ?? 0;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      out[o] = line[x * channels] ?? 0;
      out[o + 1] = line[x * channels + 1] ?? 0;
      out[o + 2] = line[x * channels + 2] ?? 0;
      out[o + 3] = channels === 4 ? (line[x * channels + 3] ?? 0) : 255;
    }
    prev = line;
  }
  return { width, height, rgba: out };
}

/** How many pixels differ from the background (the top-left pixel). */
export function inkedPixels(p: Pixels): number {
  const [r, g, b] = [p.rgba[0], p.rgba[1], p.rgba[2]];
  let n = 0;
  for (let i = 0; i < p.rgba.length; i += 4) if (p.rgba[i] !== r || p.rgba[i + 1] !== g || p.rgba[i + 2] !== b) n++;
  return n;
}

/** Whether any pixel within `radius` of (x, y) differs from `bg` by more than `tolerance` per channel. */
export function inkNear(p: Pixels, x: number, y: number, radius: number, bg: [number, number, number], tolerance = 40): boolean {
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const px = Math.round(x + dx);
      const py = Math.round(y + dy);
      if (px < 0 || py < 0 || px >= p.width || py >= p.height) continue;
      const o = (py * p.width + px) * 4;
      if (Math.abs((p.rgba[o] ?? 0) - bg[0]) > tolerance || Math.abs((p.rgba[o + 1] ?? 0) - bg[1]) > tolerance || Math.abs((p.rgba[o + 2] ?? 0) - bg[2]) > tolerance) return true;
    }
  }
  return false;
}
