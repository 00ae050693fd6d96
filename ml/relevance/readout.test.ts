import { describe, expect, it } from "vitest";
import { relevanceSpans, rerankByMass, spanMass } from "./readout";

describe("relevanceSpans", () => {
  it("relevanceSpans: runs around the peaks above a fraction of their height, best first", () => {
    // min 0, peak 4 at token 3, threshold .5 → 2: tokens 2–4 (3, 4, 2.5) form the run
    const s = [0, 1, 3, 4, 2.5, 0, 3, 0];
    expect(relevanceSpans(s, 16, 1, { kind: "peak", threshold: 0.5 })).toEqual([{ start: 4, end: 10, score: 4 }]);
    // next: token 6 (peak 3, threshold 1.5) alone; then token 1 (peak 1, threshold .5; its
    // neighbours 0 and the used token 2 stop it)
    expect(relevanceSpans(s, 16, 3, { kind: "peak", threshold: 0.5 })).toEqual([
      { start: 4, end: 10, score: 4 },
      { start: 12, end: 14, score: 3 },
      { start: 2, end: 4, score: 1 },
    ]);
    // a higher threshold keeps only the top of the peak: .7 → 2.8: tokens 2, 3
    expect(relevanceSpans(s, 16, 1, { kind: "peak", threshold: 0.7 })[0]).toEqual({ start: 4, end: 8, score: 4 });
    // flat scores: one token at a time, never more spans than tokens
    expect(relevanceSpans([1, 1], 8, 5, { kind: "peak", threshold: 0.5 })).toEqual([
      { start: 0, end: 4, score: 1 },
      { start: 4, end: 8, score: 1 },
    ]);
  });
  it("relevanceSpans, mass readout: the run with the most softmax mass less its price, then peak alternatives", () => {
    // scores [0, ln 3, ln 3, 0], T = 1: p = [1, 3, 3, 1] / 8; price 1 per video length (¼ a token):
    // [1, 2] → ¾ − ½ = ¼ beats [1] → ⅜ − ¼, [0, 2] → ⅞ − ¾ and [0, 3] → 1 − 1
    const s = [0, Math.log(3), Math.log(3), 0];
    const spans = relevanceSpans(s, 8, 3, { kind: "mass", temperature: 1, lengthPrice: 1, alternatives: 0.8 });
    expect(spans[0].start).toBe(2);
    expect(spans[0].end).toBe(6);
    expect(spans[0].score).toBeCloseTo(0.25, 6);
    // then the peak readout over the unused tokens: token 0, then token 3 (ties: the first)
    expect(spans.slice(1)).toEqual([
      { start: 0, end: 2, score: 0 },
      { start: 6, end: 8, score: 0 },
    ]);
    // a higher price shrinks the span to one token: at 2, [1] → ⅜ − ½ beats [1, 2] → ¾ − 1
    expect(relevanceSpans(s, 8, 1, { kind: "mass", temperature: 1, lengthPrice: 2, alternatives: 0.8 })).toEqual([
      { start: 2, end: 4, score: expect.closeTo(-0.125, 6) },
    ]);
    // trim ¼: each span gives up a quarter of its length at either end, [2, 6] → [3, 5], [0, 2] → [½, 1½];
    // which tokens a span uses is unchanged
    const trimmed = relevanceSpans(s, 8, 3, {
      kind: "mass",
      temperature: 1,
      lengthPrice: 1,
      alternatives: 0.8,
      trim: 0.25,
    });
    expect(trimmed.map((x) => [x.start, x.end])).toEqual([
      [3, 5],
      [0.5, 1.5],
      [6.5, 7.5],
    ]);
  });
});

describe("the mass readout of a given span", () => {
  // 4 tokens over 8 s, scores ln(1), ln(3), ln(3), ln(1): softmax p = 1/8, 3/8, 3/8, 1/8
  const scores = [0, Math.log(3), Math.log(3), 0];
  it("sums the softmax of the tokens whose centres lie inside, minus the length price", () => {
    // tokens 1 and 2 (centres 3 s and 5 s) inside [2, 6]: 6/8 − 1.5 × 4/8 = 0
    expect(spanMass(scores, 8, { start: 2, end: 6 })).toBeCloseTo(0, 10);
    // token 1 only (centre 3 s) inside [2.5, 4]: 3/8 − 1.5 × 1.5/8 = 0.09375
    expect(spanMass(scores, 8, { start: 2.5, end: 4 })).toBeCloseTo(0.09375, 10);
    // the whole video: 1 − 1.5 = −0.5
    expect(spanMass(scores, 8, { start: 0, end: 8 })).toBeCloseTo(-0.5, 10);
  });
  it("reranks proposals by their own score + β × that mass", () => {
    const proposals = [
      { start: 0, end: 8, score: 1 }, // 1 + 2 × (−0.5) = 0
      { start: 2.5, end: 4, score: 0.1 }, // 0.1 + 2 × 0.09375 = 0.2875
      { start: 2, end: 6, score: 0.2 }, // 0.2 + 0 = 0.2
    ];
    const ranked = rerankByMass(proposals, scores, 8, 2);
    expect(ranked.map((s) => s.start)).toEqual([2.5, 2, 0]);
    expect(ranked[0].score).toBeCloseTo(0.2875, 10);
    // β = 0 keeps the head's own order
    expect(rerankByMass(proposals, scores, 8, 0).map((s) => s.start)).toEqual([0, 2, 2.5]);
  });
});
