/**
 * A tiny dependency-free PNG line-chart renderer (RGBA raster + zlib + CRC32), used to draw
 * the training curves for docs/models.md. Panels side by side; each panel has its own
 * y-range, light grid lines and one polyline per series. Labels live in the markdown caption.
 */
import { deflateSync } from "node:zlib";

export interface Series {
  points: [number, number][];
  color: [number, number, number];
}
export interface Panel {
  series: Series[];
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const chunk = (type: string, data: Uint8Array) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), Buffer.from(data)]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

export function renderPanels(panels: Panel[], panelW = 420, panelH = 300): Buffer {
  const W = panelW * panels.length;
  const H = panelH;
  const img = new Uint8Array(W * H * 4).fill(255);
  const px = (x: number, y: number, c: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const o = (y * W + x) * 4;
    img[o] = c[0];
    img[o + 1] = c[1];
    img[o + 2] = c[2];
    img[o + 3] = 255;
  };
  const line = (x0: number, y0: number, x1: number, y1: number, c: [number, number, number], thick = 1) => {
    const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let i = 0; i <= n; i++) {
      const x = Math.round(x0 + ((x1 - x0) * i) / n);
      const y = Math.round(y0 + ((y1 - y0) * i) / n);
      for (let dx = 0; dx < thick; dx++) for (let dy = 0; dy < thick; dy++) px(x + dx, y + dy, c);
    }
  };
  panels.forEach((p, pi) => {
    const ox = pi * panelW;
    const m = 24;
    const all = p.series.flatMap((s) => s.points);
    if (!all.length) return;
    const xs = all.map((q) => q[0]);
    const ys = all.map((q) => q[1]).filter(Number.isFinite);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs) || 1];
    const y0 = Math.min(...ys);
    let y1 = Math.max(...ys);
    if (y1 - y0 < 1e-9) y1 = y0 + 1;
    const X = (x: number) => ox + m + ((x - x0) / (x1 - x0 || 1)) * (panelW - 2 * m);
    const Y = (y: number) => H - m - ((y - y0) / (y1 - y0)) * (H - 2 * m);
    for (let g = 0; g <= 4; g++) {
      const gy = Math.round(m + (g * (H - 2 * m)) / 4);
      line(ox + m, gy, ox + panelW - m, gy, [225, 225, 225]);
    }
    line(ox + m, m, ox + m, H - m, [0, 0, 0]);
    line(ox + m, H - m, ox + panelW - m, H - m, [0, 0, 0]);
    for (const s of p.series) {
      for (let i = 1; i < s.points.length; i++) {
        const [a, b] = [s.points[i - 1], s.points[i]];
        if (!Number.isFinite(a[1]) || !Number.isFinite(b[1])) continue;
        line(Math.round(X(a[0])), Math.round(Y(a[1])), Math.round(X(b[0])), Math.round(Y(b[1])), s.color, 2);
      }
    }
  });
  return encodePng(W, H, img);
}

/** Moving average (window w) — raw per-step losses are noisy. */
export function smooth(points: [number, number][], w = 10): [number, number][] {
  return points.map((p, i) => {
    const seg = points.slice(Math.max(0, i - w + 1), i + 1);
    return [p[0], seg.reduce((s, q) => s + q[1], 0) / seg.length];
  });
}
