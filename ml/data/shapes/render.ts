/**
 * Software renderer for Shapes scenarios: frame t → rgb24 bytes at any width × height.
 *
 * Speed matters (hundreds of thousands of frames per corpus on two cores), so it draws
 * straight into a typed array at the output size: a row-copy background fill, one tight
 * loop per shape over its bounding box only, and noise read from pre-computed tables (a
 * steady background is one memcpy from a cached pre-noised strip at a random offset).
 * Blur is rendered optically — shape edges get a linear coverage ramp of the blur width,
 * which is what blurring a flat-coloured scene produces — instead of a full-frame filter.
 */
import { hashSeed, Rng } from "../../core/rng";
import { BACKGROUND_RGB, backgroundAt, eventsByOwner, objectStateAt, type ObjectState, type Scenario } from "./world";

export interface RenderOptions {
  /** additive pixel noise (default true) */
  noise?: boolean;
  /** camera shake (default true) */
  shake?: boolean;
  /** soft (blurred) edges; false gives a 0.5-pixel anti-aliasing ramp (default true) */
  blur?: boolean;
}

const NOISE_BITS = 20;
const NOISE_MASK = (1 << NOISE_BITS) - 1;
const noiseTables = new Map<number, Int8Array>();
/** 1 Mi approximately-Gaussian samples with std-dev `sigma`, fixed for each sigma. */
function noiseTable(sigma: number): Int8Array {
  let tab = noiseTables.get(sigma);
  if (!tab) {
    tab = new Int8Array(1 << NOISE_BITS);
    const rng = Rng.hashed(0x6e6f6973 + sigma);
    // Sum of 4 uniforms: variance 4/12, so scale by sqrt(3) for unit std-dev.
    for (let i = 0; i < tab.length; i++) {
      const g = (rng.next() + rng.next() + rng.next() + rng.next() - 2) * Math.sqrt(3);
      tab[i] = Math.max(-127, Math.min(127, Math.round(g * sigma)));
    }
    noiseTables.set(sigma, tab);
  }
  return tab;
}

const noisyBackgrounds = new Map<string, Uint8Array>();
/**
 * A strip of `bytes` * 2 pre-noised background pixels. Copying a random, pixel-aligned
 * window of it gives a noisy background for the price of a memcpy. Kept for the preset
 * background colours only (a fading background uses the slow path), with a small LRU.
 */
function noisyBackground(rgb: readonly number[], sigma: number, bytes: number): Uint8Array {
  const key = `${rgb.join(",")}/${sigma}`;
  let strip = noisyBackgrounds.get(key);
  if (strip && strip.length >= 2 * bytes) {
    noisyBackgrounds.delete(key);
    noisyBackgrounds.set(key, strip);
    return strip;
  }
  strip = new Uint8Array(2 * bytes);
  fillRow(strip, strip.length / 3, rgb);
  addNoise(strip, strip.length, sigma, 0);
  noisyBackgrounds.set(key, strip);
  if (noisyBackgrounds.size > 12) noisyBackgrounds.delete(noisyBackgrounds.keys().next().value!);
  return strip;
}

function fillRow(buf: Uint8Array, pixels: number, rgb: readonly number[]): void {
  const r = rgb[0];
  const g = rgb[1];
  const b = rgb[2];
  for (let i = 0; i < pixels * 3; i += 3) {
    buf[i] = r;
    buf[i + 1] = g;
    buf[i + 2] = b;
  }
}

const PRESET_BACKGROUNDS = new Set(Object.values(BACKGROUND_RGB).map((c) => c.join(",")));

function fillBackground(buf: Uint8Array, width: number, height: number, rgb: readonly number[]): void {
  fillRow(buf, width, rgb);
  const rowBytes = width * 3;
  const total = rowBytes * height;
  // Doubling copies: log2(height) memmoves instead of a per-pixel loop.
  for (let filled = rowBytes; filled < total;) {
    const n = Math.min(filled, total - filled);
    buf.copyWithin(filled, 0, n);
    filled += n;
  }
}

/** Equal-area geometry: `size` is the radius of the circle with the shape's area. */
const SQUARE_HALF = Math.sqrt(Math.PI) / 2; // half-side / size
const TRI_R = Math.sqrt((4 * Math.PI) / (3 * Math.sqrt(3))); // circumradius / size
const S3_2 = Math.sqrt(3) / 2;

/**
 * Blends one shape into `buf`. With `noise`, the shape's colour gets the same per-pixel
 * noise as the background, so a shape and its surroundings look equally grainy.
 */
function drawShape(
  buf: Uint8Array,
  clamped: Uint8ClampedArray,
  width: number,
  height: number,
  st: ObjectState,
  cx: number,
  cy: number,
  s: number,
  soft: number,
  noise: Int8Array | null,
  noiseOffset: number,
): void {
  const alpha = st.alpha;
  if (alpha <= 0 || s <= 0) return;
  const extent = st.shape === "circle" ? s : st.shape === "square" ? s * SQUARE_HALF * Math.SQRT2 : s * TRI_R;
  const pad = extent + soft + 1;
  const x0 = Math.max(0, Math.floor(cx - pad));
  const x1 = Math.min(width - 1, Math.ceil(cx + pad));
  const y0 = Math.max(0, Math.floor(cy - pad));
  const y1 = Math.min(height - 1, Math.ceil(cy + pad));
  if (x0 > x1 || y0 > y1) return;
  const inv = 1 / soft;
  const r = st.rgb[0];
  const g = st.rgb[1];
  const b = st.rgb[2];
  const cos = Math.cos(st.angle);
  const sin = Math.sin(st.angle);
  const half = s * SQUARE_HALF;
  const R = s * TRI_R;
  const kind = st.shape === "circle" ? 0 : st.shape === "square" ? 1 : 2;
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5 - cy;
    let idx = (y * width + x0) * 3;
    for (let x = x0; x <= x1; x++, idx += 3) {
      const px = x + 0.5 - cx;
      // Signed distance (negative inside); exact along edges, approximate at corners.
      let d: number;
      if (kind === 0) d = Math.sqrt(px * px + py * py) - s;
      else {
        const u = cos * px + sin * py;
        const v = cos * py - sin * px;
        if (kind === 1) d = Math.max(Math.abs(u), Math.abs(v)) - half;
        else d = Math.max(v - R * 0.5, -S3_2 * u - 0.5 * v - R * 0.5, S3_2 * u - 0.5 * v - R * 0.5);
      }
      let cov = 0.5 - d * inv;
      if (cov <= 0) continue;
      if (cov > 1) cov = 1;
      const a = cov * alpha;
      if (noise === null) {
        buf[idx] = buf[idx] + (r - buf[idx]) * a + 0.5;
        buf[idx + 1] = buf[idx + 1] + (g - buf[idx + 1]) * a + 0.5;
        buf[idx + 2] = buf[idx + 2] + (b - buf[idx + 2]) * a + 0.5;
      } else {
        const j = noiseOffset + idx;
        clamped[idx] = buf[idx] + (r + noise[j & NOISE_MASK] - buf[idx]) * a;
        clamped[idx + 1] = buf[idx + 1] + (g + noise[(j + 1) & NOISE_MASK] - buf[idx + 1]) * a;
        clamped[idx + 2] = buf[idx + 2] + (b + noise[(j + 2) & NOISE_MASK] - buf[idx + 2]) * a;
      }
    }
  }
}

function addNoise(buf: Uint8Array, n: number, sigma: number, offset: number): void {
  const tab = noiseTable(sigma);
  // Writing through a clamped view saturates at 0/255 for free.
  const c = new Uint8ClampedArray(buf.buffer, buf.byteOffset, n);
  let j = offset & NOISE_MASK;
  for (let i = 0; i < n; i++) {
    c[i] = buf[i] + tab[j];
    j = (j + 1) & NOISE_MASK;
  }
}

/** Camera offset in pixels at time t (a smooth sum of two sinusoids per axis). */
export function shakeOffset(sc: Scenario, t: number, width: number, height: number): [number, number] {
  const { shake, shakeHz, shakePhase } = sc.look;
  if (!shake) return [0, 0];
  const amp = shake * Math.min(width, height);
  const w1 = 2 * Math.PI * shakeHz[0] * t;
  const w2 = 2 * Math.PI * shakeHz[1] * t;
  return [
    amp * (0.7 * Math.sin(w1 + shakePhase[0]) + 0.3 * Math.sin(w2 + shakePhase[1])),
    amp * (0.7 * Math.sin(w1 * 0.83 + shakePhase[2]) + 0.3 * Math.sin(w2 * 1.17 + shakePhase[3])),
  ];
}

/**
 * Renders frame t (seconds) of a scenario as rgb24 (row-major, 3 bytes per pixel).
 * Pure: the same (scenario, t, size, options) always gives the same bytes. Pass `out`
 * (at least width*height*3 bytes) to avoid an allocation per frame.
 */
export function renderFrame(
  sc: Scenario,
  t: number,
  width: number,
  height: number,
  out?: Uint8Array,
  opts: RenderOptions = {},
): Uint8Array {
  const n = width * height * 3;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`renderFrame: bad size ${width}x${height}`);
  }
  const buf = out ?? new Uint8Array(n);
  if (buf.length < n) throw new Error(`renderFrame: output buffer has ${buf.length} bytes, needs ${n}`);
  const p = eventsByOwner(sc);
  const sigma = opts.noise === false ? 0 : sc.look.noise;
  // One hash per frame decides where this frame's noise comes from.
  const noiseKey = hashSeed(sc.seed, Math.round(t * 1000));
  const bg = backgroundAt(sc.background, p.bg, t).map(Math.round);
  if (sigma > 0 && PRESET_BACKGROUNDS.has(bg.join(","))) {
    const strip = noisyBackground(bg, sigma, n);
    const off = 3 * (noiseKey % (strip.length / 3 - n / 3 + 1));
    buf.set(strip.subarray(off, off + n));
  } else {
    fillBackground(buf, width, height, bg);
    if (sigma > 0) addNoise(buf, n, sigma, noiseKey);
  }

  const clamped = new Uint8ClampedArray(buf.buffer, buf.byteOffset, n);
  const noise = sigma > 0 ? noiseTable(sigma) : null;
  const minDim = Math.min(width, height);
  const [sx, sy] = opts.shake === false ? [0, 0] : shakeOffset(sc, t, width, height);
  const soft = opts.blur === false ? 1 : Math.max(0.6, (sc.look.blur * minDim) / 240);
  for (const { obj, events } of p.own) {
    const st = objectStateAt(obj, events, t);
    drawShape(
      buf,
      clamped,
      width,
      height,
      st,
      st.x * width + sx,
      st.y * height + sy,
      st.size * minDim,
      soft,
      noise,
      noiseKey >>> 3,
    );
  }
  return buf;
}
