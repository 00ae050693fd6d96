/**
 * Groups a stream of sampled frames into fixed-length clips (pure, no I/O).
 * A trailing partial clip is padded by repeating its last frame, so every clip the
 * encoder sees has the same shape; its time span still ends where the frames end.
 */
export interface ClipBatch {
  /** rgb24 bytes of count × framesPerClip frames */
  frames: Uint8Array;
  count: number;
  /** index of the first clip in this batch */
  firstIndex: number;
  /** real (unpadded) frame count of each clip */
  realFrames: number[];
}

export async function* batchClips(
  frames: AsyncIterable<Uint8Array>,
  o: { frameBytes: number; framesPerClip: number; clipsPerBatch: number },
): AsyncGenerator<ClipBatch> {
  const batchFrames = o.framesPerClip * o.clipsPerBatch;
  let buf = new Uint8Array(batchFrames * o.frameBytes);
  let n = 0;
  let firstIndex = 0;
  const flush = (): ClipBatch => {
    const count = Math.ceil(n / o.framesPerClip);
    const realFrames: number[] = [];
    for (let c = 0; c < count; c++) realFrames.push(Math.min(o.framesPerClip, n - c * o.framesPerClip));
    // Pad the last clip with copies of its last real frame.
    const last = buf.subarray((n - 1) * o.frameBytes, n * o.frameBytes);
    for (let f = n; f < count * o.framesPerClip; f++) buf.set(last, f * o.frameBytes);
    const batch = { frames: buf.subarray(0, count * o.framesPerClip * o.frameBytes), count, firstIndex, realFrames };
    firstIndex += count;
    return batch;
  };
  for await (const frame of frames) {
    if (frame.length !== o.frameBytes) throw new Error(`frame of ${frame.length} bytes, expected ${o.frameBytes}`);
    buf.set(frame, n * o.frameBytes);
    n++;
    if (n === batchFrames) {
      yield flush();
      buf = new Uint8Array(batchFrames * o.frameBytes);
      n = 0;
    }
  }
  if (n > 0) yield flush();
}

/** Mean of l2-normalised vectors, l2-normalised again: the video-level embedding. */
export function meanEmbedding(vectors: ArrayLike<number>[], dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (const v of vectors) for (let i = 0; i < dim; i++) out[i] += v[i];
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += out[i] * out[i];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dim; i++) out[i] /= norm;
  return out;
}
