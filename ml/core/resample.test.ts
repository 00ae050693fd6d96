import { describe, expect, it } from "vitest";
import { resampleClips, resampleMatrix } from "./resample";

describe("resampling", () => {
  it("resampleMatrix reproduces resampleClips (3 clips → 4 tokens, by hand)", () => {
    // token j at (j + ½)/4 · 3 − ½ = 3j/4 − 1/8 clamped: −.125→0, .625, 1.375, 2.125→2
    expect(Array.from(resampleMatrix(3, 4))).toEqual([1, 0, 0, 0.375, 0.625, 0, 0, 0.625, 0.375, 0, 0, 1]);
    const clips = [
      Float32Array.from([1, 10]),
      Float32Array.from([2, 20]),
      Float32Array.from([4, 40]),
      Float32Array.from([8, 80]),
      Float32Array.from([0, 5]),
    ];
    const direct = resampleClips(clips, 7, 2);
    const R = resampleMatrix(5, 7);
    for (let j = 0; j < 7; j++)
      for (let k = 0; k < 2; k++) {
        let s = 0;
        for (let i = 0; i < 5; i++) s += R[j * 5 + i] * clips[i][k];
        expect(s).toBeCloseTo(direct[j * 2 + k], 5);
      }
  });
});
