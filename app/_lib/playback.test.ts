import { describe, expect, it } from "vitest";
import { frameSeconds, nextRate, PLAYBACK_RATES } from "@/app/_lib/playback";

describe("player speeds", () => {
  it("offers 0.25× to 2×", () => {
    expect([...PLAYBACK_RATES]).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
  });

  it("steps up and down through them, and stops at each end", () => {
    expect(nextRate(1, 1)).toBe(1.25);
    expect(nextRate(1, -1)).toBe(0.75);
    expect(nextRate(2, 1)).toBe(2);
    expect(nextRate(0.25, -1)).toBe(0.25);
  });

  it("from a speed that is not on the list, goes to the nearest one that way", () => {
    expect(nextRate(1.1, 1)).toBe(1.25);
    expect(nextRate(1.1, -1)).toBe(1);
    expect(nextRate(3, -1)).toBe(2);
    expect(nextRate(0.1, 1)).toBe(0.25);
  });
});

describe("one frame", () => {
  it("is 1/fps of the video", () => {
    expect(frameSeconds(25)).toBeCloseTo(0.04, 10);
    expect(frameSeconds(29.97)).toBeCloseTo(1 / 29.97, 10);
    expect(frameSeconds(1)).toBe(1);
  });

  it("is 1/30 s when the frame rate is unknown or nonsense", () => {
    for (const fps of [null, undefined, 0, -5, Number.NaN, Number.POSITIVE_INFINITY, 100_000])
      expect(frameSeconds(fps)).toBeCloseTo(1 / 30, 10);
  });
});
