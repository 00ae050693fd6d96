import { describe, expect, it } from "vitest";
import { decodeVectorBinary } from "@/db/repositories/search";

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
