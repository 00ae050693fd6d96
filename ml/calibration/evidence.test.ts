import { describe, expect, it } from "vitest";
import {
  FEATURE_NAMES,
  featureVector,
  meanClipSimilarity,
  poolEvidence,
  unknownShare,
  words,
  type MomentEvidence,
} from "./evidence";

const e = (o: Partial<MomentEvidence> = {}): MomentEvidence => ({
  sentence: "the red square spins",
  videoScore: 2,
  pool: poolEvidence([2, 0, -1]),
  spanScore: 0.4,
  spanRank: 0,
  similarity: 0.3,
  start: 2,
  end: 6,
  duration: 20,
  ...o,
});

describe("moment evidence", () => {
  it("summarises the pool's video scores", () => {
    const p = poolEvidence([2, null, 0, -1]);
    expect(p).toMatchObject({ size: 3, median: 0, max: 2 });
    expect(p.logSumExp).toBeCloseTo(Math.log(Math.exp(2) + 1 + Math.exp(-1)), 12);
    expect(poolEvidence([1, 3]).median).toBe(2);
    expect(poolEvidence([null])).toEqual({ size: 0, median: null, max: null, logSumExp: null });
  });

  it("computes each feature by hand", () => {
    const x = Object.fromEntries(
      FEATURE_NAMES.map((n, i) => [
        n,
        featureVector(e(), FEATURE_NAMES, { vocabulary: new Set(["the", "red", "square"]) })[i],
      ]),
    );
    expect(x.videoScore).toBe(2);
    expect(x.margin).toBe(2);
    expect(x.gapToBest).toBe(0);
    expect(x.logShare).toBeCloseTo(2 - Math.log(Math.exp(2) + 1 + Math.exp(-1)), 12);
    expect(x.first).toBe(1);
    expect(x.firstScore).toBe(0.4);
    expect(x.altPeak).toBe(0);
    expect(x.width).toBe(0.2);
    expect(x.logSeconds).toBeCloseTo(Math.log(4), 12);
    expect(x.unknownWords).toBe(0.25);
    const alt = featureVector(e({ spanRank: 2, spanScore: 3 }), ["first", "firstScore", "altPeak"]);
    expect(alt).toEqual([0, 0, 1]);
    // contrast with one-word edits: absent (no edits, or evidence from before it existed) reads as 0
    expect(featureVector(e(), ["hasEdits", "editMargin", "videoEditMargin"])).toEqual([0, 0, 0]);
    expect(featureVector(e({ editMargin: null, videoEditMargin: null }), ["hasEdits", "editMargin"])).toEqual([0, 0]);
    expect(
      featureVector(e({ editMargin: -1.5, videoEditMargin: 0.25 }), ["hasEdits", "editMargin", "videoEditMargin"]),
    ).toEqual([1, -1.5, 0.25]);
    // the span verifier: silent (no verifier, a sentence outside its grammar) reads as 0
    expect(featureVector(e(), ["hasVerifier", "verifierLogit"])).toEqual([0, 0]);
    expect(featureVector(e({ verifierLogit: null }), ["hasVerifier", "verifierLogit"])).toEqual([0, 0]);
    expect(featureVector(e({ verifierLogit: -2.5 }), ["hasVerifier", "verifierLogit"])).toEqual([1, -2.5]);
  });

  it("a pool of one and a missing video score give the neutral 0", () => {
    const one = e({ pool: poolEvidence([2]) });
    expect(featureVector(one, ["margin", "gapToBest", "logShare"])).toEqual([0, 0, 0]);
    expect(featureVector(e({ videoScore: null }), ["videoScore", "margin", "altPeak"])).toEqual([0, 0, 0]);
  });

  it("unknown words: share outside the vocabulary; 0 without one", () => {
    const v = new Set(["a", "red", "circle"]);
    expect(words("A red dog, on the beach!")).toEqual(["a", "red", "dog", "on", "the", "beach"]);
    expect(unknownShare("a red dog", v)).toBeCloseTo(1 / 3, 12);
    expect(unknownShare("?!", v)).toBe(1);
    expect(unknownShare("a red dog", new Set())).toBe(0);
  });

  it("mean query–clip similarity over the clips a span overlaps", () => {
    const clips = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    // clips 1 and 2 (seconds 1–3) with q = [0, 1]: (1 + 1)/2; with q = [1, 0] over 1.5–2.5 s: (0 + 1)/2
    expect(meanClipSimilarity([0, 1], clips, 1, 1, 3)).toBe(1);
    expect(meanClipSimilarity([1, 0], clips, 1, 1.5, 2.5)).toBe(0.5);
    expect(meanClipSimilarity([1, 0], [], 1, 0, 1)).toBe(0);
  });
});
