/**
 * Linear resampling of a clip sequence to N tokens: token j sits at relative time (j + ½)/N,
 * so relative time is what the grounders see, whatever the video's length. resampleClips and
 * resampleMatrix are the same interpolation (values, and a matrix training multiplies by).
 */

/** Token j of N sits at relative time (j + ½)/N: between clips i0 and i1 of n, weight f on i1. */
export function resamplePoint(j: number, n: number, N: number): { i0: number; i1: number; f: number } {
  const pos = Math.min(Math.max(((j + 0.5) / N) * n - 0.5, 0), n - 1);
  const i0 = Math.floor(pos);
  return { i0, i1: Math.min(i0 + 1, n - 1), f: pos - i0 };
}

/** Linear resampling of a clip sequence to exactly N tokens [N · dim], of the `dim` values from `offset` of each clip's vector. */
export function resampleClips(clips: ArrayLike<number>[], N: number, dim: number, offset = 0): Float32Array {
  const out = new Float32Array(N * dim);
  const n = clips.length;
  if (n === 0) return out;
  for (let j = 0; j < N; j++) {
    const { i0, i1, f } = resamplePoint(j, n, N);
    const a = clips[i0];
    const b = clips[i1];
    for (let k = 0; k < dim; k++) out[j * dim + k] = a[offset + k] * (1 - f) + b[offset + k] * f;
  }
  return out;
}

/**
 * Linear-interpolation weights [N, n] that resample n clips to N tokens exactly as
 * resampleClips does, so training can resample learned per-clip features with a matmul and
 * inference can resample the stored ones.
 */
export function resampleMatrix(n: number, N: number): Float32Array {
  const out = new Float32Array(N * n);
  if (n === 0) return out;
  for (let j = 0; j < N; j++) {
    const { i0, i1, f } = resamplePoint(j, n, N);
    out[j * n + i0] += 1 - f;
    out[j * n + i1] += f;
  }
  return out;
}
