import { describe, expect, it } from "vitest";
import { CONTEXT_CLIPS, POOLS, spanClips, spanInput, verifierClipFeatures } from "./inputs";

// six one-value clips of 2 s: values 0, 10, 20, 30, 40, 50
const clips = [0, 10, 20, 30, 40, 50].map((x) => Float32Array.of(x));

describe("span verifier: a span's input", () => {
  it("covers the clips a span overlaps, at least one, inside the video", () => {
    expect(spanClips(4, 8, 2, 6)).toEqual([2, 4]);
    expect(spanClips(4.5, 7.1, 2, 6)).toEqual([2, 4]);
    expect(spanClips(11, 11, 2, 6)).toEqual([5, 6]);
    expect(spanClips(-1, 100, 2, 6)).toEqual([0, 6]);
  });

  it("pools the span, the clips before and after it, and the span's maximum", () => {
    expect(POOLS).toBe(4);
    expect(CONTEXT_CLIPS).toBe(2);
    // 4–8 s = clips 2, 3: mean 25; before = clips 0, 1: 5; after = clips 4, 5: 45; max 30
    expect([...spanInput(clips, 2, 4, 8)]).toEqual([25, 5, 45, 30]);
    // only one clip before: clip 0; after: clips 3, 4
    expect([...spanInput(clips, 2, 2, 6)]).toEqual([15, 0, 35, 20]);
  });

  it("reads the span's own edge clip where there is nothing before or after", () => {
    // 0–4 s = clips 0, 1: before = clip 0 itself; 8–12 s = clips 4, 5: after = clip 5 itself
    expect([...spanInput(clips, 2, 0, 4)]).toEqual([5, 0, 25, 10]);
    expect([...spanInput(clips, 2, 8, 12)]).toEqual([45, 25, 50, 50]);
  });
});

describe("span verifier: the clip features it reads", () => {
  const embedding = Float32Array.of(1);
  const clip = (r: number, s?: number) => ({
    embedding,
    relevance: Float32Array.of(r, r),
    ...(s === undefined ? {} : { slots: Float32Array.of(s) }),
  });

  it("the scorer's features, then the object-slot statistics when the verifier reads them", () => {
    expect(verifierClipFeatures([clip(1, 7), clip(2, 8)], true)!.map((f) => [...f])).toEqual([
      [1, 1, 7],
      [2, 2, 8],
    ]);
    expect(verifierClipFeatures([clip(1, 7)], false)!.map((f) => [...f])).toEqual([[1, 1]]);
  });

  it("nothing when a clip lacks them (stored before the slot statistics, or without a scorer)", () => {
    expect(verifierClipFeatures([clip(1, 7), clip(2)], true)).toBeNull();
    expect(verifierClipFeatures([clip(1), clip(2)], false)).not.toBeNull();
    expect(verifierClipFeatures([{ embedding }], false)).toBeNull();
  });
});
