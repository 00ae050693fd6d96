import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { FRAME_FEATURE_DIM } from "./lowlevel";
import { slotStatsT } from "./slots";

beforeAll(async () => {
  await initBackend();
});

describe("object-slot clip encoder", () => {
  it("slot statistics: mean, last − first and std over the clip's frames, per colour slot", async () => {
    const F = 4;
    const x = new Float32Array(F * FRAME_FEATURE_DIM);
    // red (colour 0), component 1: centroid x 0.8, 0.7, 0.6, 0.5 (moving left)
    const redCx = 7 + 48 + 2;
    // blue (colour 2), component count: 0, 2, 0, 2 (blinking); per colour 48 grid + 2 × 8 + 1 = 65 values
    const blueCount = 7 + 2 * 65 + 48 + 16;
    // background red channel (slot 5, stat 0): constant 0.3
    for (let f = 0; f < F; f++) {
      x[f * FRAME_FEATURE_DIM + redCx] = 0.8 - 0.1 * f;
      x[f * FRAME_FEATURE_DIM + blueCount] = f % 2 ? 2 : 0;
      x[f * FRAME_FEATURE_DIM] = 0.3;
    }
    const st = slotStatsT(tf.tensor(x, [1, F, FRAME_FEATURE_DIM]), F).arraySync() as number[][][];
    expect(st[0].length).toBe(6);
    expect(st[0][0].length).toBe(51);
    // red cx: mean .65, last − first −.3, std √(.0125) (population std of .8 .7 .6 .5)
    expect(st[0][0][2]).toBeCloseTo(0.65, 5);
    expect(st[0][0][17 + 2]).toBeCloseTo(-0.3, 5);
    expect(st[0][0][34 + 2]).toBeCloseTo(Math.sqrt(0.0125), 3);
    // blue count: mean 1, last − first 2, std 1
    expect(st[0][2][16]).toBeCloseTo(1, 5);
    expect(st[0][2][17 + 16]).toBeCloseTo(2, 5);
    expect(st[0][2][34 + 16]).toBeCloseTo(1, 3);
    // background slot: its 7 values then zero padding
    expect(st[0][5][0]).toBeCloseTo(0.3, 5);
    expect(st[0][5][7]).toBe(0);
    // untouched green slot is all zeros (std floor ~1e-3)
    expect(Math.max(...st[0][1].map(Math.abs))).toBeLessThan(2e-3);
  });
});
