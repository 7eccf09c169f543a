// Just enough PNG for the browser test, with node's zlib and no packages: decode what Chromium's
// Page.captureScreenshot writes (8-bit RGB or RGBA, not interlaced) into RGBA pixels, and
// compare two images. PNG: https://www.w3.org/TR/png-3/ (chunks §5, filters §7.3/§9).
import { inflateSync } from "node:zlib";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(buf) {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG");
  let width = 0, height = 0, channels = 0;
  const idat = [];
  for (let p = 8; p < buf.length;) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString("latin1", p + 4, p + 8);
    const data = buf.subarray(p + 8, p + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      channels = { 2: 3, 6: 4 }[colour];
      if (depth !== 8 || !channels || interlace) throw new Error(`unsupported PNG: depth ${depth}, colour ${colour}, interlace ${interlace}`);
    } else if (type === "IDAT") {
      idat.push(data);
    } else if (type === "IEND") {
      break;
    }
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const cur = Buffer.alloc(stride);
  let prev = Buffer.alloc(stride);
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let v = line[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter} on row ${y}`);
      cur[i] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      cur.copy(rgba, o, x * channels, x * channels + 3);
      rgba[o + 3] = channels === 4 ? cur[x * channels + 3] : 255;
    }
    prev = Buffer.from(cur);
  }
  return { width, height, rgba };
}

export function pixel(img, x, y) {
  const o = (Math.round(y) * img.width + Math.round(x)) * 4;
  return [img.rgba[o], img.rgba[o + 1], img.rgba[o + 2]];
}

// Share of pixels where some channel differs by more than `channelTolerance` (0-255).
export function diffShare(a, b, channelTolerance) {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let differing = 0;
  for (let o = 0; o < a.rgba.length; o += 4) {
    if (Math.abs(a.rgba[o] - b.rgba[o]) > channelTolerance || Math.abs(a.rgba[o + 1] - b.rgba[o + 1]) > channelTolerance ||
        Math.abs(a.rgba[o + 2] - b.rgba[o + 2]) > channelTolerance) differing++;
  }
  return differing / (a.width * a.height);
}

// How many distinct colours (to 4 bits a channel): a blank or one-colour page has one or two.
export function colourCount(img) {
  const seen = new Set();
  for (let o = 0; o < img.rgba.length; o += 4) seen.add(((img.rgba[o] >> 4) << 8) | ((img.rgba[o + 1] >> 4) << 4) | (img.rgba[o + 2] >> 4));
  return seen.size;
}
