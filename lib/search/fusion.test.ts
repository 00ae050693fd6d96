import { describe, expect, it } from "vitest";
import { overlaps, reciprocalRankFusion, spanSimilarity, vectorMomentScore } from "@/lib/search/fusion";

describe("reciprocalRankFusion", () => {
  const same = (a: string, b: string) => a[0] === b[0];
  it("sums 1/(k+rank) over lists, so agreement beats a single first place", () => {
    const fused = reciprocalRankFusion(
      [
        ["a1", "b1"],
        ["b2", "c2"],
      ],
      same,
      60,
    );
    expect(fused.map((f) => f.item)).toEqual(["b2", "a1", "c2"]);
    expect(fused[0].score).toBeCloseTo(1 / 62 + 1 / 61, 10);
    expect(fused[1].score).toBeCloseTo(1 / 61, 10);
  });
  it("keeps the item from the list that ranked it best, and every list's member", () => {
    const [top] = reciprocalRankFusion([["x0", "b1"], ["b2"]], same, 60);
    expect(top.item).toBe("b2");
    expect(top.members).toEqual(["b1", "b2"]);
  });
  it("does not merge two items of the same list", () => {
    expect(reciprocalRankFusion([["a1", "a2"]], same).map((f) => f.item)).toEqual(["a1", "a2"]);
  });
});

describe("span evidence", () => {
  const q = [1, 0];
  const clips = [
    [1, 0],
    [0, 1],
    [0.5, 0.5],
    [1, 0],
  ];
  it("averages query·clip over the clips a span covers", () => {
    expect(spanSimilarity(q, clips, 1, 0, 2)).toBeCloseTo(0.5, 10);
    expect(spanSimilarity(q, clips, 1, 1.5, 3.2)).toBeCloseTo((0 + 0.5 + 1) / 3, 10);
    expect(spanSimilarity(q, [], 1, 0, 1)).toBe(0);
  });
  it("weights span and video evidence 0.6 / 0.4", () => {
    expect(vectorMomentScore(0.5, 1)).toBeCloseTo(0.7, 10);
  });
  it("spans that only touch do not overlap", () => {
    expect(overlaps({ start: 0, end: 2 }, { start: 2, end: 3 })).toBe(false);
    expect(overlaps({ start: 0, end: 2.1 }, { start: 2, end: 3 })).toBe(true);
  });
});
