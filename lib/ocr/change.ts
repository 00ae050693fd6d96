/**
 * The cheap test that decides whether a sampled frame needs OCR: the frame, shrunk to a
 * small grey thumbnail, is compared with the thumbnail of the last frame that was read.
 * Comparing with the last *read* frame (not the previous one) lets slow drifts add up
 * until they matter. Pure functions.
 */

/** Box-averaged grey thumbnail `tw`×`th` of a `w`×`h` grey frame. */
export function thumbnail(gray: Uint8Array, w: number, h: number, tw = 80, th = 45): Uint8Array {
  const out = new Uint8Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    const y0 = Math.floor((ty * h) / th);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * h) / th));
    for (let tx = 0; tx < tw; tx++) {
      const x0 = Math.floor((tx * w) / tw);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * w) / tw));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        const row = y * w;
        for (let x = x0; x < x1; x++) sum += gray[row + x];
      }
      out[ty * tw + tx] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return out;
}

export interface ChangeTest {
  /** a thumbnail pixel counts as changed when its grey level moved by more than this (0–255) */
  pixelDelta: number;
  /** the frame changed when more than this fraction of the thumbnail's pixels did */
  changedFraction: number;
}

/**
 * Defaults: a line of text appearing covers a few hundred of the 3,600 thumbnail pixels,
 * far above 0.2 %; sensor noise moves almost no pixel by 12 levels once box-averaged.
 */
export const DEFAULT_CHANGE_TEST: ChangeTest = { pixelDelta: 12, changedFraction: 0.002 };

/** Fraction (0–1) of pixels that differ by more than `pixelDelta`. */
export function changedFraction(a: Uint8Array, b: Uint8Array, pixelDelta: number): number {
  if (a.length !== b.length) return 1;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > pixelDelta) n++;
  return n / a.length;
}

/** Whether `current` needs reading, given the thumbnail of the last frame read (null: none yet). */
export function frameChanged(
  lastRead: Uint8Array | null,
  current: Uint8Array,
  t: ChangeTest = DEFAULT_CHANGE_TEST,
): boolean {
  return lastRead === null || changedFraction(lastRead, current, t.pixelDelta) > t.changedFraction;
}
