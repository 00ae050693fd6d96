/** Typed-array helpers shared by the models and their training. */

export function concatF32(a: Float32Array[]): Float32Array {
  const out = new Float32Array(a.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of a) out.set(x, (o += x.length) - x.length);
  return out;
}

export function concatI32(a: Int32Array[]): Int32Array {
  const out = new Int32Array(a.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of a) out.set(x, (o += x.length) - x.length);
  return out;
}
