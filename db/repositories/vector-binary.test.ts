import { describe, expect, it } from "vitest";
import { decodeHalfvecBinary, decodeVectorBinary } from "@/db/repositories/search";
import { toHalfRange } from "@/db/repositories/clips";

/** pgvector's vector_send layout: int16 dimensions, int16 unused, big-endian float32 values. */
function vectorSend(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * values.length);
  b.writeInt16BE(values.length, 0);
  values.forEach((v, i) => b.writeFloatBE(v, 4 + 4 * i));
  return b;
}

describe("decodeVectorBinary", () => {
  it("reads pgvector's binary format back to the same floats", () => {
    const values = [1, -2.5, 0.1, 3.4028234663852886e38, -0, 1e-30];
    expect(Array.from(decodeVectorBinary(vectorSend(values)))).toEqual(Array.from(Float32Array.from(values)));
  });
  it("reads a vector that sits at an odd offset inside a larger buffer (as pg hands out rows)", () => {
    const inner = vectorSend([0.5, 0.25, -8]);
    const outer = Buffer.concat([Buffer.from([9, 9, 9]), inner]);
    expect(Array.from(decodeVectorBinary(outer.subarray(3)))).toEqual([0.5, 0.25, -8]);
  });
  it("reads an empty vector", () => {
    expect(decodeVectorBinary(vectorSend([])).length).toBe(0);
  });
});

describe("decodeHalfvecBinary", () => {
  // halfvec_send's layout: int16 dimensions, int16 unused, big-endian float16 bit patterns
  const halfvecSend = (bits: number[]) =>
    Buffer.from([0, bits.length, 0, 0, ...bits.flatMap((h) => [h >> 8, h & 0xff])]);
  it("reads half-precision bit patterns (by hand: 1, 2.5, −3, 0.5, 65504, the smallest subnormal, −0)", () => {
    // 1 = 0x3c00, 2.5 = 0x4100, −3 = 0xc200 (what pgvector sent for '[1,2.5,-3]'), 0.5 = 0x3800
    const got = Array.from(decodeHalfvecBinary(halfvecSend([0x3c00, 0x4100, 0xc200, 0x3800, 0x7bff, 0x0001, 0x8000])));
    expect(got.slice(0, 5)).toEqual([1, 2.5, -3, 0.5, 65504]);
    expect(got[5]).toBeCloseTo(2 ** -24, 30);
    expect(Object.is(got[6], -0)).toBe(true);
  });
  it("reads a vector at an odd offset and an empty one", () => {
    const outer = Buffer.concat([Buffer.from([7]), halfvecSend([0x4200])]);
    expect(Array.from(decodeHalfvecBinary(outer.subarray(1)))).toEqual([3]);
    expect(decodeHalfvecBinary(halfvecSend([])).length).toBe(0);
  });
  it("features beyond half precision's range are clamped before they are stored", () => {
    expect([70000, -1e9, 12.5].map(toHalfRange)).toEqual([65504, -65504, 12.5]);
  });
});
