/**
 * A second, independent renderer of Shapes scenarios (issue 20 item 3): the same world model
 * (objects, events, ground truth), drawn with pixels the shipped models never trained on.
 *
 * Where it differs from render.ts, on purpose:
 *  - textures: the background is a textured field (gradient, stripes, checker or blotches)
 *    around the named colour; objects are shaded, striped or outlined instead of flat;
 *  - camera: a slow pan and zoom drift over the whole video (texture moves with it), not shake;
 *  - anti-aliasing: edges are supersampled (S × S sub-pixel tests) instead of a coverage ramp;
 *  - blur: a real full-frame filter after drawing (two box passes per axis, a Gaussian-like
 *    kernel, or one dominant axis for motion blur) instead of the optical edge ramp;
 *  - noise: independent per-channel Gaussian noise whose level drifts during the video, plus
 *    salt-and-pepper pixels, instead of one fixed level from a shared table;
 *  - compression, frame rates and sizes: H.264 at a high CRF, HEVC or MPEG-4 part 2 at a coarse
 *    quantiser, at frame rates and sizes outside the sampler's tables (still 160×120 … 640×480).
 *
 * The look is drawn from the scenario's seed alone (sampleVariantLook), so a corpus renders
 * identically on every machine.
 */
import { hashSeed, Rng } from "../../core/rng";
import { backgroundAt, eventsByOwner, objectStateAt, type ObjectState, type Scenario } from "./world";

export const VARIANT_TEXTURES = ["gradient", "stripes", "checker", "blotches"] as const;
export type VariantTexture = (typeof VARIANT_TEXTURES)[number];
export const VARIANT_FILLS = ["shaded", "striped", "outlined"] as const;
export type VariantFill = (typeof VARIANT_FILLS)[number];
export const VARIANT_CODECS = ["h264", "hevc", "mpeg4"] as const;
export type VariantCodec = (typeof VARIANT_CODECS)[number];

/**
 * Frame rates and sizes of the variant: none is in the sampler's DEFAULT_FPS_CHOICES /
 * DEFAULT_SIZES (render-variant.test.ts checks), all within datasets.md's 160×120 … 640×480,
 * even dimensions (yuv420p). Small frames weighted up, as in the sampler, for rendering time.
 */
export const VARIANT_FPS_CHOICES = [8, 9, 14, 16, 18, 29.97] as const;
export const VARIANT_SIZES: readonly (readonly [number, number, number])[] = [
  [176, 144, 3],
  [208, 156, 3],
  [288, 216, 2],
  [352, 288, 2],
  [400, 300, 1],
  [480, 270, 1],
  [544, 408, 1],
  [600, 338, 1],
];

export interface VariantLook {
  fps: number;
  width: number;
  height: number;
  texture: {
    kind: VariantTexture;
    /** peak luminance offset, 0–255 units */
    amplitude: number;
    /** cycles across the frame (stripes, checker, blotches) */
    frequency: number;
    /** radians: direction of the gradient / stripes */
    angle: number;
    /** per-channel gain of the offset (a slight tint) */
    tint: [number, number, number];
    /** blotches: three plane waves (direction, phase) */
    waves: [number, number][];
  };
  /** one fill per object id */
  fills: { kind: VariantFill; strength: number; bands: number }[];
  /** outline width in pixels at a 240-pixel-high frame */
  outline: number;
  /** sub-pixel tests per axis on edges (1 = aliased) */
  supersample: number;
  /** box-blur radius per axis in pixels at a 240-pixel-high frame (0 = none); two passes each */
  blur: [number, number];
  noise: {
    /** per-channel std-dev, 0–255 units, drifting between the two */
    sigma: [number, number];
    /** Hz of the drift */
    hz: number;
    phase: number;
    /** fraction of pixels set to black or white */
    saltPepper: number;
  };
  camera: {
    /** pan at the end minus pan at the start, fractions of the frame */
    pan: [number, number];
    /** zoom at the start and at the end (1 = the scenario's framing) */
    zoom: [number, number];
    /** a slow wander on top: amplitude (fraction of the frame) and Hz */
    wander: number;
    wanderHz: number;
  };
  codec: { name: VariantCodec; /** CRF (h264, hevc) or -q:v (mpeg4) */ quality: number };
}

const VARIANT_SALT = 0x7a71a47;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The variant look of one scenario, from its seed alone. */
export function sampleVariantLook(sc: Pick<Scenario, "seed" | "objects">): VariantLook {
  const rng = Rng.hashed(sc.seed, VARIANT_SALT);
  const fps = rng.pick(VARIANT_FPS_CHOICES);
  const [width, height] = rng.weighted(VARIANT_SIZES.map((s) => [[s[0], s[1]] as const, s[2]] as const));
  const kind = rng.pick(VARIANT_TEXTURES);
  const texture: VariantLook["texture"] = {
    kind,
    amplitude: rng.int(8, 22),
    frequency: round2(kind === "blotches" ? rng.float(1.5, 4) : rng.float(3, 9)),
    angle: round2(rng.float(0, Math.PI * 2)),
    tint: [round2(rng.float(0.8, 1.2)), round2(rng.float(0.8, 1.2)), round2(rng.float(0.8, 1.2))],
    waves: [0, 1, 2].map(() => [round2(rng.float(0, Math.PI * 2)), round2(rng.float(0, Math.PI * 2))]),
  };
  const fills = sc.objects.map(() => ({
    kind: rng.pick(VARIANT_FILLS),
    strength: round2(rng.float(0.12, 0.3)),
    bands: rng.int(2, 5),
  }));
  const motion = rng.chance(0.4);
  const r = round2(rng.float(0.8, 2.2));
  const blur: [number, number] = motion ? (rng.chance(0.5) ? [round2(r * 2), 0.5] : [0.5, round2(r * 2)]) : [r, r];
  const lo = rng.int(2, 7);
  const codecName = rng.pick(VARIANT_CODECS);
  return {
    fps,
    width,
    height,
    texture,
    fills,
    outline: round2(rng.float(1, 2.5)),
    supersample: rng.pick([3, 4, 5]),
    blur,
    noise: {
      sigma: [lo, lo + rng.int(2, 6)],
      hz: round2(rng.float(0.02, 0.2)),
      phase: round2(rng.float(0, Math.PI * 2)),
      saltPepper: rng.chance(0.5) ? Math.round(rng.float(0.0005, 0.004) * 1e4) / 1e4 : 0,
    },
    camera: {
      pan: [round2(rng.float(-0.04, 0.04)), round2(rng.float(-0.03, 0.03))],
      zoom: [round2(rng.float(0.95, 1.06)), round2(rng.float(0.95, 1.06))],
      wander: round2(rng.float(0, 0.008) * 1000) / 1000,
      wanderHz: round2(rng.float(0.03, 0.12)),
    },
    codec:
      codecName === "h264"
        ? { name: codecName, quality: rng.int(30, 37) }
        : codecName === "hevc"
          ? { name: codecName, quality: rng.int(30, 36) }
          : { name: codecName, quality: rng.int(6, 13) },
  };
}

/** ffmpeg output arguments (codec, its quality, pixel format) for a variant look. */
export function variantCodecArgs(look: VariantLook): string[] {
  const { name, quality } = look.codec;
  if (name === "h264") return ["-c:v", "libx264", "-preset", "veryfast", "-crf", String(quality)];
  if (name === "hevc")
    return [
      "-c:v",
      "libx265",
      "-preset",
      "ultrafast",
      "-crf",
      String(quality),
      "-x265-params",
      "log-level=error",
      "-tag:v",
      "hvc1",
    ];
  return ["-c:v", "mpeg4", "-q:v", String(quality), "-g", "60"];
}

/** Camera at time t: zoom and the pan (fractions of the frame) of the world's centre. */
export function variantCamera(
  look: VariantLook,
  duration: number,
  t: number,
): { zoom: number; dx: number; dy: number } {
  const { pan, zoom, wander, wanderHz } = look.camera;
  const p = duration > 0 ? Math.min(1, Math.max(0, t / duration)) : 0;
  const ease = p * p * (3 - 2 * p);
  const w = 2 * Math.PI * wanderHz * t;
  return {
    zoom: zoom[0] + (zoom[1] - zoom[0]) * ease,
    dx: pan[0] * (ease - 0.5) + wander * Math.sin(w),
    dy: pan[1] * (ease - 0.5) + wander * Math.sin(0.77 * w + 1.3),
  };
}

// ---------------------------------------------------------------------------------------
// Pre-computed per (look, size): the background texture over a world margin, the noise table
// ---------------------------------------------------------------------------------------

/** world coordinates beyond [0, 1] covered by the texture (zoom ≥ 0.95, pan ≤ 0.05) */
const MARGIN = 0.2;

interface Texture {
  w: number;
  h: number;
  /** luminance offset per texel, 0–255 units */
  off: Float32Array;
}

function textureValue(tex: VariantLook["texture"], x: number, y: number): number {
  const { kind, amplitude: a, frequency: f, angle } = tex;
  const u = (x - 0.5) * Math.cos(angle) + (y - 0.5) * Math.sin(angle);
  switch (kind) {
    case "gradient":
      return a * Math.max(-1, Math.min(1, u * 1.6));
    case "stripes":
      return a * Math.sin(2 * Math.PI * f * u);
    case "checker":
      return a * Math.tanh(4 * Math.sin(2 * Math.PI * f * x) * Math.sin(2 * Math.PI * f * y * 0.75));
    case "blotches": {
      let s = 0;
      for (const [dir, ph] of tex.waves) s += Math.sin(2 * Math.PI * f * (x * Math.cos(dir) + y * Math.sin(dir)) + ph);
      return (a * s) / 2;
    }
  }
}

const textures = new WeakMap<VariantLook, Map<string, Texture>>();
function textureOf(look: VariantLook, width: number, height: number): Texture {
  let bySize = textures.get(look);
  if (!bySize) textures.set(look, (bySize = new Map()));
  const key = `${width}x${height}`;
  let t = bySize.get(key);
  if (!t) {
    const w = Math.ceil(width * (1 + 2 * MARGIN));
    const h = Math.ceil(height * (1 + 2 * MARGIN));
    const off = new Float32Array(w * h);
    for (let j = 0; j < h; j++)
      for (let i = 0; i < w; i++)
        off[j * w + i] = textureValue(look.texture, (i + 0.5) / width - MARGIN, (j + 0.5) / height - MARGIN);
    t = { w, h, off };
    bySize.set(key, t);
  }
  return t;
}

const NOISE_BITS = 20;
const NOISE_MASK = (1 << NOISE_BITS) - 1;
let unitNoise: Float32Array | null = null;
/** 1 Mi standard normal samples (Box–Muller), the same on every machine. */
function unitNormals(): Float32Array {
  if (!unitNoise) {
    unitNoise = new Float32Array(1 << NOISE_BITS);
    const rng = Rng.hashed(VARIANT_SALT, 0x6e);
    for (let i = 0; i < unitNoise.length; i++) unitNoise[i] = rng.normal();
  }
  return unitNoise;
}

// ---------------------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------------------

const SQUARE_HALF = Math.sqrt(Math.PI) / 2;
const TRI_R = Math.sqrt((4 * Math.PI) / (3 * Math.sqrt(3)));
const S3_2 = Math.sqrt(3) / 2;

/** Signed distance (pixels, negative inside) of a point in the shape's own rotated frame. */
function sdf(kind: number, u: number, v: number, s: number): number {
  if (kind === 0) return Math.sqrt(u * u + v * v) - s;
  if (kind === 1) return Math.max(Math.abs(u), Math.abs(v)) - s * SQUARE_HALF;
  const R = s * TRI_R;
  return Math.max(v - R * 0.5, -S3_2 * u - 0.5 * v - R * 0.5, S3_2 * u - 0.5 * v - R * 0.5);
}

function drawObject(
  buf: Float32Array,
  width: number,
  height: number,
  st: ObjectState,
  cx: number,
  cy: number,
  s: number,
  fill: VariantLook["fills"][number],
  outline: number,
  ss: number,
): void {
  if (st.alpha <= 0 || s <= 0) return;
  const kind = st.shape === "circle" ? 0 : st.shape === "square" ? 1 : 2;
  const extent = kind === 0 ? s : kind === 1 ? s * SQUARE_HALF * Math.SQRT2 : s * TRI_R;
  const x0 = Math.max(0, Math.floor(cx - extent - 2));
  const x1 = Math.min(width - 1, Math.ceil(cx + extent + 2));
  const y0 = Math.max(0, Math.floor(cy - extent - 2));
  const y1 = Math.min(height - 1, Math.ceil(cy + extent + 2));
  if (x0 > x1 || y0 > y1) return;
  const cos = Math.cos(st.angle);
  const sin = Math.sin(st.angle);
  const [r, g, b] = st.rgb;
  // The outline is dark on light colours and light on dark ones, like a drawn contour.
  const lum = 0.3 * r + 0.59 * g + 0.11 * b;
  const edgeRgb =
    lum > 110 ? [r * 0.35, g * 0.35, b * 0.35] : [r + (255 - r) * 0.6, g + (255 - g) * 0.6, b + (255 - b) * 0.6];
  const step = 1 / ss;
  const diag = Math.SQRT1_2 + 0.01;
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5 - cy;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5 - cx;
      const u = cos * px + sin * py;
      const v = cos * py - sin * px;
      const d = sdf(kind, u, v, s);
      if (d > diag) continue;
      let cov = 1;
      if (d > -diag) {
        // Supersampled coverage: count the sub-pixel centres inside the shape.
        let inside = 0;
        for (let j = 0; j < ss; j++) {
          const sy = py + (j + 0.5) * step - 0.5;
          for (let i = 0; i < ss; i++) {
            const sx = px + (i + 0.5) * step - 0.5;
            if (sdf(kind, cos * sx + sin * sy, cos * sy - sin * sx, s) < 0) inside++;
          }
        }
        if (inside === 0) continue;
        cov = inside / (ss * ss);
      }
      let fr: number, fg: number, fb: number;
      if (fill.kind === "outlined" && d > -outline) {
        fr = edgeRgb[0];
        fg = edgeRgb[1];
        fb = edgeRgb[2];
      } else {
        // shaded: light from the top left of the object's own frame; striped: bands across it
        const k =
          fill.kind === "shaded"
            ? 1 - (fill.strength * (u + v)) / (Math.SQRT2 * s)
            : fill.kind === "striped"
              ? 1 + fill.strength * Math.sin((Math.PI * fill.bands * u) / s)
              : 1;
        fr = r * k;
        fg = g * k;
        fb = b * k;
      }
      const a = cov * st.alpha;
      const idx = (y * width + x) * 3;
      buf[idx] += (fr - buf[idx]) * a;
      buf[idx + 1] += (fg - buf[idx + 1]) * a;
      buf[idx + 2] += (fb - buf[idx + 2]) * a;
    }
  }
}

/**
 * One box-filter pass of radius `r` (pixels, fractional: the two end taps weigh the fraction)
 * along rows (`horizontal`) or columns, from `src` into `dst`, edges clamped. Each line is
 * copied once into a padded scratch line so the running sum needs no bounds checks.
 */
function boxPass(src: Float32Array, dst: Float32Array, width: number, height: number, r: number, horizontal: boolean) {
  const whole = Math.floor(r);
  const frac = r - whole;
  const norm = 1 / (2 * r + 1);
  const len = horizontal ? width : height;
  const lines = horizontal ? height : width;
  const stride = horizontal ? 3 : width * 3;
  const pad = whole + 1;
  const line = new Float32Array(len + 2 * pad);
  for (let li = 0; li < lines; li++) {
    const base = horizontal ? li * width * 3 : li * 3;
    for (let c = 0; c < 3; c++) {
      const b = base + c;
      for (let k = 0; k < len; k++) line[pad + k] = src[b + k * stride];
      const first = line[pad];
      const last = line[pad + len - 1];
      for (let k = 0; k < pad; k++) {
        line[k] = first;
        line[pad + len + k] = last;
      }
      let sum = 0;
      for (let k = pad - whole; k <= pad + whole; k++) sum += line[k];
      for (let k = 0; k < len; k++) {
        const m = pad + k;
        dst[b + k * stride] = (sum + frac * (line[m - whole - 1] + line[m + whole + 1])) * norm;
        sum += line[m + whole + 1] - line[m - whole];
      }
    }
  }
}

function blurFrame(buf: Float32Array, tmp: Float32Array, width: number, height: number, rx: number, ry: number) {
  // Two box passes per axis: a triangle kernel, close to a Gaussian of std ≈ r·0.82.
  if (rx > 0) {
    boxPass(buf, tmp, width, height, rx, true);
    boxPass(tmp, buf, width, height, rx, true);
  }
  if (ry > 0) {
    boxPass(buf, tmp, width, height, ry, false);
    boxPass(tmp, buf, width, height, ry, false);
  }
}

let scratchBufs: { buf: Float32Array; tmp: Float32Array } | null = null;
/** Float working frames, reused across calls (rendering is synchronous). */
function scratch(n: number): { buf: Float32Array; tmp: Float32Array } {
  if (!scratchBufs || scratchBufs.buf.length !== n)
    scratchBufs = { buf: new Float32Array(n), tmp: new Float32Array(n) };
  return scratchBufs;
}

export interface VariantFrameOptions {
  /** defaults: the look's size */
  width?: number;
  height?: number;
  /** at least width*height*3 bytes */
  out?: Uint8Array;
}

/**
 * Renders frame t (seconds) of a scenario with the variant look as rgb24. Pure: the same
 * (scenario, look, t, size) always gives the same bytes.
 */
export function renderVariantFrame(
  sc: Scenario,
  look: VariantLook,
  t: number,
  opts: VariantFrameOptions = {},
): Uint8Array {
  const width = opts.width ?? look.width;
  const height = opts.height ?? look.height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
    throw new Error(`renderVariantFrame: bad size ${width}x${height}`);
  const n = width * height * 3;
  const out = opts.out ?? new Uint8Array(n);
  if (out.length < n) throw new Error(`renderVariantFrame: output buffer has ${out.length} bytes, needs ${n}`);
  const p = eventsByOwner(sc);
  const cam = variantCamera(look, sc.duration, t);
  const minDim = Math.min(width, height);
  const scale = height / 240;

  // Background: the named colour plus the texture, seen through the camera.
  const tex = textureOf(look, width, height);
  const bg = backgroundAt(sc.background, p.bg, t);
  const { buf, tmp } = scratch(n);
  const col = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    const xw = ((x + 0.5) / width - 0.5 - cam.dx) / cam.zoom + 0.5;
    col[x] = Math.min(tex.w - 1, Math.max(0, Math.floor((xw + MARGIN) * width)));
  }
  const [tr, tg, tb] = look.texture.tint;
  for (let y = 0; y < height; y++) {
    const yw = ((y + 0.5) / height - 0.5 - cam.dy) / cam.zoom + 0.5;
    const row = Math.min(tex.h - 1, Math.max(0, Math.floor((yw + MARGIN) * height))) * tex.w;
    let idx = y * width * 3;
    for (let x = 0; x < width; x++, idx += 3) {
      const o = tex.off[row + col[x]];
      buf[idx] = bg[0] + o * tr;
      buf[idx + 1] = bg[1] + o * tg;
      buf[idx + 2] = bg[2] + o * tb;
    }
  }

  // Objects, through the same camera, with supersampled edges.
  const outline = look.outline * scale;
  for (const { obj, events } of p.own) {
    const st = objectStateAt(obj, events, t);
    const fill = look.fills[obj.id] ?? { kind: "shaded" as const, strength: 0.2, bands: 3 };
    drawObject(
      buf,
      width,
      height,
      st,
      ((st.x - 0.5) * cam.zoom + 0.5 + cam.dx) * width,
      ((st.y - 0.5) * cam.zoom + 0.5 + cam.dy) * height,
      st.size * minDim * cam.zoom,
      fill,
      outline,
      look.supersample,
    );
  }

  // Optics, then the sensor: blur, then per-channel noise at a drifting level, then dead pixels.
  const [bx, by] = look.blur;
  if (bx > 0 || by > 0) blurFrame(buf, tmp, width, height, bx * scale, by * scale);
  const [lo, hi] = look.noise.sigma;
  const sigma = lo + (hi - lo) * (0.5 + 0.5 * Math.sin(2 * Math.PI * look.noise.hz * t + look.noise.phase));
  const frameKey = hashSeed(sc.seed, VARIANT_SALT, Math.round(t * 1000));
  const clamped = new Uint8ClampedArray(out.buffer, out.byteOffset, n);
  if (sigma > 0) {
    const z = unitNormals();
    let j = frameKey & NOISE_MASK;
    for (let i = 0; i < n; i++) {
      clamped[i] = buf[i] + sigma * z[j];
      j = (j + 1) & NOISE_MASK;
    }
  } else for (let i = 0; i < n; i++) clamped[i] = buf[i];
  if (look.noise.saltPepper > 0) {
    const rng = Rng.hashed(frameKey, 0x5a17);
    const count = Math.round(look.noise.saltPepper * width * height);
    for (let k = 0; k < count; k++) {
      const i = Math.floor(rng.next() * width * height) * 3;
      const v = rng.chance(0.5) ? 255 : 0;
      out[i] = v;
      out[i + 1] = v;
      out[i + 2] = v;
    }
  }
  return out;
}

/**
 * The variant's factors, each of which `withoutFactor` can switch back to plain: for the
 * diagnosis of which difference from the training renderer costs the models most.
 */
export const VARIANT_FACTORS = [
  "texture",
  "fill",
  "blur",
  "noise",
  "camera",
  "codec",
  "size-fps",
  "antialias",
] as const;
export type VariantFactor = (typeof VARIANT_FACTORS)[number];

/**
 * The look with one factor made plain: a flat background, flat fills, no blur filter, no
 * noise, a still camera, the training encoder (H.264 CRF 24), the scenario's own size and
 * frame rate, or aliased edges (one sample a pixel).
 */
export function withoutFactor(
  look: VariantLook,
  factor: VariantFactor,
  sc: Pick<Scenario, "width" | "height" | "fps">,
): VariantLook {
  switch (factor) {
    case "texture":
      return { ...look, texture: { ...look.texture, amplitude: 0 } };
    case "fill":
      return { ...look, fills: look.fills.map((f) => ({ ...f, kind: "shaded" as const, strength: 0 })) };
    case "blur":
      return { ...look, blur: [0, 0] };
    case "noise":
      return { ...look, noise: { ...look.noise, sigma: [0, 0], saltPepper: 0 } };
    case "camera":
      return { ...look, camera: { pan: [0, 0], zoom: [1, 1], wander: 0, wanderHz: look.camera.wanderHz } };
    case "codec":
      return { ...look, codec: { name: "h264", quality: 24 } };
    case "size-fps":
      return { ...look, width: sc.width, height: sc.height, fps: sc.fps };
    case "antialias":
      return { ...look, supersample: 1 };
  }
}
