/**
 * The fixed (non-learned) low-level visual stage: one compact, deliberately informative
 * vector per frame. Learning a conv stem from pixels is not affordable on a 2-core CPU in
 * tfjs, and for the Shapes world what matters is *which colour is where, how big, what
 * shape, and the background*, so we measure exactly that:
 *
 *   - background: the modal colour of the frame (robust to noise/blur) as RGB + a soft
 *     assignment to the 4 background palette colours;
 *   - per object colour (red, green, blue, yellow, white): an occupancy grid (fraction of
 *     each cell's pixels of that colour) — position and coarse extent;
 *   - per object colour: the 2 largest connected components with area, centroid, bbox size,
 *     fill ratio (area / bbox area: circle ≈ .79, axis-aligned square ≈ 1, triangle ≈ .5,
 *     rotating square oscillates .5–1 → spin) and radial fill (area / π·(largest distance from
 *     the centroid)²: circle ≈ .9, square ≈ .58–.76, triangle ≈ .40–.49 at any angle → shape), plus the
 *     component count. The fill ratio alone cannot name a shape: a square turned by 20–70° has
 *     a triangle's, and one turned by 4–13° a circle's.
 *
 * Temporal cues (motion, growth, blinking, spinning) come from the learned layers that see
 * 4 consecutive frames of these vectors.
 */
export const OBJECT_COLOURS = ["red", "green", "blue", "yellow", "white"] as const;
export const BG_PALETTE: Record<string, [number, number, number]> = {
  // the Shapes renderer's background colours (ml/data/shapes/world.ts BACKGROUND_RGB)
  black: [12, 12, 12],
  gray: [112, 112, 112],
  navy: [18, 24, 92],
  "dark green": [14, 72, 30],
};

export const GRID_W = 8;
export const GRID_H = 6;
export const N_COMP = 2;
/** per component: present, area, cx, cy, bw, bh, fill, radial fill */
export const COMP_STATS = 8;
export const BG_DIMS = 3 + Object.keys(BG_PALETTE).length;
const PER_COLOUR = GRID_W * GRID_H + N_COMP * COMP_STATS + 1;
export const FRAME_FEATURE_DIM = BG_DIMS + OBJECT_COLOURS.length * PER_COLOUR;

/** Object-colour index of one pixel given the background colour, or -1 (background/noise). */
export function classifyPixel(r: number, g: number, b: number, br: number, bgc: number, bb: number): number {
  const d = Math.abs(r - br) + Math.abs(g - bgc) + Math.abs(b - bb);
  if (d < 90) return -1;
  const mx = Math.max(r, g, b);
  const mn = Math.min(r, g, b);
  const sat = mx === 0 ? 0 : (mx - mn) / mx;
  if (sat < 0.3) return mx > 170 ? 4 : -1; // white, or a gray-ish pixel that is no object colour
  if (mx < 70) return -1;
  // hue in degrees; object colours sit at red 0, yellow 60, green 120, blue 240
  let h: number;
  const c = mx - mn;
  if (mx === r) h = (60 * ((g - b) / c) + 360) % 360;
  else if (mx === g) h = 60 * ((b - r) / c) + 120;
  else h = 60 * ((r - g) / c) + 240;
  const centres = [0, 120, 240, 60];
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < 4; i++) {
    const dd = Math.min(Math.abs(h - centres[i]), 360 - Math.abs(h - centres[i]));
    if (dd < bestD) {
      bestD = dd;
      best = i;
    }
  }
  return best; // 0 red, 1 green, 2 blue, 3 yellow
}

/** Modal colour (12-bit quantised histogram), averaged over the pixels of the modal bin. */
export function backgroundColour(rgb: Uint8Array, offset: number, nPix: number): [number, number, number] {
  const hist = new Uint32Array(4096);
  for (let p = 0; p < nPix; p++) {
    const o = offset + p * 3;
    hist[((rgb[o] >> 4) << 8) | ((rgb[o + 1] >> 4) << 4) | (rgb[o + 2] >> 4)]++;
  }
  let bin = 0;
  for (let i = 1; i < 4096; i++) if (hist[i] > hist[bin]) bin = i;
  let sr = 0;
  let sg = 0;
  let sb = 0;
  let n = 0;
  // average neighbouring bins too, so noise straddling a bin edge does not bias the estimate
  const br0 = bin >> 8;
  const bg0 = (bin >> 4) & 15;
  const bb0 = bin & 15;
  for (let p = 0; p < nPix; p++) {
    const o = offset + p * 3;
    if (
      Math.abs((rgb[o] >> 4) - br0) <= 1 &&
      Math.abs((rgb[o + 1] >> 4) - bg0) <= 1 &&
      Math.abs((rgb[o + 2] >> 4) - bb0) <= 1
    ) {
      sr += rgb[o];
      sg += rgb[o + 1];
      sb += rgb[o + 2];
      n++;
    }
  }
  return [sr / n, sg / n, sb / n];
}

/** Scratch buffers of one frame size, reused across frames (frameFeatures allocates none then). */
export interface FrameScratch {
  labels: Int8Array;
  comp: Int32Array;
  stack: Int32Array;
}

export function frameScratch(nPix: number): FrameScratch {
  return { labels: new Int8Array(nPix), comp: new Int32Array(nPix), stack: new Int32Array(nPix) };
}

/**
 * Features of one rgb24 frame (width*height*3 bytes starting at `offset`) written into
 * `out[outOffset .. outOffset+FRAME_FEATURE_DIM)`. Pure and allocation-light.
 */
export function frameFeatures(
  rgb: Uint8Array,
  offset: number,
  width: number,
  height: number,
  out: Float32Array,
  outOffset: number,
  scratch?: FrameScratch,
): void {
  const nPix = width * height;
  const s = scratch ?? frameScratch(nPix);
  const bg = backgroundColour(rgb, offset, nPix);
  let o = writeBackground(bg, out, outOffset);
  labelPixels(rgb, offset, nPix, bg, s.labels);
  for (let c = 0; c < OBJECT_COLOURS.length; c++) {
    o = writeOccupancyGrid(s.labels, c, width, height, out, o);
    const found = largestComponents(s, c, width, height);
    o = writeComponents(found, width, height, out, o);
    out[o++] = Math.min(found.length, 4) / 2;
  }
}

/** The background's RGB and its soft assignment to the palette (softmax of negative distances); returns the next offset. */
function writeBackground([br, bgc, bb]: [number, number, number], out: Float32Array, o: number): number {
  out[o++] = br / 255;
  out[o++] = bgc / 255;
  out[o++] = bb / 255;
  const pal = Object.values(BG_PALETTE);
  const ds = pal.map(([r, g, b]) => -Math.hypot(br - r, bgc - g, bb - b) / 20);
  const mx = Math.max(...ds);
  const es = ds.map((d) => Math.exp(d - mx));
  const se = es.reduce((a, b) => a + b, 0);
  for (const e of es) out[o++] = e / se;
  return o;
}

/** Each pixel's object colour (classifyPixel) against the background, into `labels`. */
function labelPixels(
  rgb: Uint8Array,
  offset: number,
  nPix: number,
  [br, bgc, bb]: [number, number, number],
  labels: Int8Array,
): void {
  for (let p = 0; p < nPix; p++) {
    const q = offset + p * 3;
    labels[p] = classifyPixel(rgb[q], rgb[q + 1], rgb[q + 2], br, bgc, bb);
  }
}

/** Colour c's occupancy grid: the fraction of each cell's pixels of that colour; returns the next offset. */
function writeOccupancyGrid(
  labels: Int8Array,
  c: number,
  width: number,
  height: number,
  out: Float32Array,
  o: number,
): number {
  const cellW = width / GRID_W;
  const cellH = height / GRID_H;
  const cellArea = cellW * cellH;
  for (let i = 0; i < GRID_W * GRID_H; i++) out[o + i] = 0;
  for (let y = 0; y < height; y++) {
    const gy = Math.min(GRID_H - 1, Math.floor(y / cellH));
    for (let x = 0; x < width; x++) {
      if (labels[y * width + x] === c)
        out[o + gy * GRID_W + Math.min(GRID_W - 1, Math.floor(x / cellW))] += 1 / cellArea;
    }
  }
  return o + GRID_W * GRID_H;
}

/** A connected component of one colour: area, coordinate sums, bounding box, squared radius from its centroid. */
interface Component {
  id: number;
  area: number;
  sx: number;
  sy: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  r2: number;
}

/**
 * Colour c's connected components (4-neighbourhood, 3 pixels or more), largest first; the
 * N_COMP largest also get their radial extent (a second pass over their bounding boxes).
 */
function largestComponents(s: FrameScratch, c: number, width: number, height: number): Component[] {
  const { labels, comp } = s;
  const nPix = width * height;
  comp.fill(0, 0, nPix);
  const found: Component[] = [];
  let id = 0;
  for (let p = 0; p < nPix; p++) {
    if (labels[p] !== c || comp[p] !== 0) continue;
    const f = floodFill(s, c, p, ++id, width, height);
    if (f.area >= 3) found.push(f); // ignore noise specks
  }
  found.sort((a, b) => b.area - a.area);
  for (const f of found.slice(0, N_COMP)) {
    const cx = f.sx / f.area;
    const cy = f.sy / f.area;
    for (let y = f.y0; y <= f.y1; y++)
      for (let x = f.x0; x <= f.x1; x++)
        if (comp[y * width + x] === f.id) f.r2 = Math.max(f.r2, (x - cx) ** 2 + (y - cy) ** 2);
  }
  return found;
}

/** The component of colour c that contains pixel p, labelled `id` in s.comp (an explicit stack, no recursion). */
function floodFill(s: FrameScratch, c: number, p: number, id: number, width: number, height: number): Component {
  const { labels, comp, stack } = s;
  let sp = 0;
  stack[sp++] = p;
  comp[p] = id;
  // locals, not the result's fields: this loop runs for every object pixel of every frame
  let area = 0;
  let sx = 0;
  let sy = 0;
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  while (sp > 0) {
    const q = stack[--sp];
    const x = q % width;
    const y = (q - x) / width;
    area++;
    sx += x;
    sy += y;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (x > 0 && labels[q - 1] === c && comp[q - 1] === 0) {
      comp[q - 1] = id;
      stack[sp++] = q - 1;
    }
    if (x < width - 1 && labels[q + 1] === c && comp[q + 1] === 0) {
      comp[q + 1] = id;
      stack[sp++] = q + 1;
    }
    if (y > 0 && labels[q - width] === c && comp[q - width] === 0) {
      comp[q - width] = id;
      stack[sp++] = q - width;
    }
    if (y < height - 1 && labels[q + width] === c && comp[q + width] === 0) {
      comp[q + width] = id;
      stack[sp++] = q + width;
    }
  }
  return { id, area, sx, sy, x0, x1, y0, y1, r2: 0 };
}

/** COMP_STATS values for each of the N_COMP largest components (zeros where there are fewer); returns the next offset. */
function writeComponents(found: Component[], width: number, height: number, out: Float32Array, o: number): number {
  const nPix = width * height;
  for (let k = 0; k < N_COMP; k++) {
    const f = found[k];
    if (!f) {
      for (let j = 0; j < COMP_STATS; j++) out[o++] = 0;
      continue;
    }
    const bw = f.x1 - f.x0 + 1;
    const bh = f.y1 - f.y0 + 1;
    out[o++] = 1;
    out[o++] = Math.sqrt(f.area / nPix) * 4; // sqrt: linear in object size, ~O(1)
    out[o++] = f.sx / f.area / width;
    out[o++] = f.sy / f.area / height;
    out[o++] = (bw / width) * 4;
    out[o++] = (bh / height) * 4;
    out[o++] = f.area / (bw * bh);
    // pixel centres reach half a pixel short of the shape's outline
    out[o++] = Math.min(f.area / (Math.PI * (Math.sqrt(f.r2) + 0.5) ** 2), 1.5);
  }
  return o;
}

/** Features of `nFrames` consecutive frames → Float32Array [nFrames, FRAME_FEATURE_DIM]. */
export function framesFeatures(rgb: Uint8Array, nFrames: number, width: number, height: number): Float32Array {
  const nPix = width * height;
  const out = new Float32Array(nFrames * FRAME_FEATURE_DIM);
  const scratch = frameScratch(nPix);
  for (let f = 0; f < nFrames; f++)
    frameFeatures(rgb, f * nPix * 3, width, height, out, f * FRAME_FEATURE_DIM, scratch);
  return out;
}
