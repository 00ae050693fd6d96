/**
 * What the span verifier sees of a span: the stored per-clip features (the relevance scorer's
 * clip tower, ClipVector.relevance) pooled over the span, over the clips just before it and just
 * after it, and their maximum over the span. Before/after is what tells "the blue block turns
 * yellow" from "the yellow block turns blue" on the same clips: the scorer's own readout pools
 * token scores over the span and loses that order (docs/experiments/019-calibration.md).
 */
import type { ClipVector } from "../types";

/** Clips either side of a span that describe the state before and after it. */
export const CONTEXT_CLIPS = 2;

/** Pooled groups: span mean, before mean, after mean, span max. */
export const POOLS = 4;

/** The clip range [a, z) a span covers (at least one clip, inside the video). */
export function spanClips(start: number, end: number, clipSeconds: number, nClips: number): [number, number] {
  const a = Math.min(Math.max(Math.floor(start / clipSeconds + 1e-6), 0), nClips - 1);
  const z = Math.min(Math.max(Math.ceil(end / clipSeconds - 1e-6), a + 1), nClips);
  return [a, z];
}

/**
 * The span's input row [POOLS · d]: mean over its clips, mean over up to CONTEXT_CLIPS clips
 * before it (its first clip where there are none), mean over as many after it (its last clip
 * where there are none), and the maximum over its clips.
 */
export function spanInput(
  clips: readonly Float32Array[],
  clipSeconds: number,
  start: number,
  end: number,
): Float32Array {
  const n = clips.length;
  const d = clips[0].length;
  const [a, z] = spanClips(start, end, clipSeconds, n);
  const out = new Float32Array(POOLS * d);
  const mean = (from: number, to: number, offset: number) => {
    for (let k = from; k < to; k++) for (let j = 0; j < d; j++) out[offset + j] += clips[k][j] / (to - from);
  };
  mean(a, z, 0);
  if (a > 0) mean(Math.max(0, a - CONTEXT_CLIPS), a, d);
  else mean(a, a + 1, d);
  if (z < n) mean(z, Math.min(n, z + CONTEXT_CLIPS), 2 * d);
  else mean(z - 1, z, 2 * d);
  out.fill(-Infinity, 3 * d, 4 * d);
  for (let k = a; k < z; k++) for (let j = 0; j < d; j++) out[3 * d + j] = Math.max(out[3 * d + j], clips[k][j]);
  return out;
}

/**
 * The per-clip features a verifier reads: the scorer's clip features, followed by the clip's
 * object-slot statistics when it was trained with them; null when a clip lacks either (clips
 * embedded without a scorer, or stored before the slot statistics were).
 */
export function verifierClipFeatures(clips: readonly ClipVector[], withSlots: boolean): Float32Array[] | null {
  if (!clips.every((c) => c.relevance && (!withSlots || c.slots))) return null;
  if (!withSlots) return clips.map((c) => c.relevance!);
  return clips.map((c) => {
    const out = new Float32Array(c.relevance!.length + c.slots!.length);
    out.set(c.relevance!);
    out.set(c.slots!, c.relevance!.length);
    return out;
  });
}
