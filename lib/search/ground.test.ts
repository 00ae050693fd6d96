import { describe, expect, it } from "vitest";
import { groundableCandidates, groundCandidates } from "./ground";
import { clips, fixedGrounder, fixedRanker, video } from "./test-fixtures";

const query = Float32Array.from([1, 0, 0, 0]);

describe("stage 3: ground", () => {
  it("grounds only ready videos with clips and a duration, over the time their clips cover", () => {
    const videos = new Map([
      ["a", video("a", { duration: 10, clipSeconds: 1 })],
      ["b", video("b", { status: "failed" })],
      ["c", video("c", { duration: null })],
      ["d", video("d", { duration: 10, clipSeconds: null })],
    ]);
    const vectors = new Map([
      ["a", clips(6)],
      ["b", clips(3)],
      ["c", clips(3)],
      ["d", clips(5)],
    ]);
    const got = groundableCandidates(["a", "b", "c", "d", "e"], videos, vectors);
    expect(got.map((c) => [c.id, c.clipSeconds, c.duration])).toEqual([
      ["a", 1, 6],
      ["d", 2, 10],
    ]);
  });
  it("one batched call; the grounder's video scores order the moments, its other spans become alternatives", () => {
    const grounder = fixedGrounder(
      new Map([
        [4, { spans: [{ start: 0, end: 2, score: 1 }, { start: 2, end: 4, score: 0.5 }], videoScore: -1 }],
        [5, { spans: [{ start: 1, end: 3, score: 1 }], videoScore: 2 }],
      ]),
    );
    const candidates = groundableCandidates(["a", "b"], new Map([["a", video("a")], ["b", video("b")]]), new Map([["a", clips(4, (i) => (i < 2 ? 0 : 1))], ["b", clips(5)]]));
    const moments = groundCandidates("q", query, candidates, { grounder, ranker: null, bestClip: new Map(), scoped: false, alternatives: 4 });
    expect(grounder.calls).toBe(1);
    expect(moments.map((m) => [m.videoId, m.vectorScore])).toEqual([["b", 2], ["a", -1]]);
    // similarity: the mean query·clip cosine inside the span (clips 0–1 of a point along the query)
    expect(moments[1].similarity).toBe(1);
    expect(moments[1].alternatives).toMatchObject([{ start: 2, end: 4, score: 0 }]);
  });
  it("without the grounder's video scores, the ranker's; without either, the LocVTP similarities", () => {
    const grounder = fixedGrounder(new Map([[3, { spans: [{ start: 0, end: 1, score: 1 }], videoScore: null }], [4, { spans: [{ start: 0, end: 1, score: 1 }], videoScore: null }]]));
    const vectors = new Map([["a", clips(3, () => 0, 0.2)], ["b", clips(4, () => 1, 0.7)]]);
    const candidates = groundableCandidates(["a", "b"], new Map([["a", video("a")], ["b", video("b")]]), vectors);
    const ranked = groundCandidates("q", query, candidates, { grounder, ranker: fixedRanker(), bestClip: new Map(), scoped: false, alternatives: 4 });
    expect(ranked.map((m) => [m.videoId, m.vectorScore])).toEqual([["b", 0.699999988079071], ["a", 0.20000000298023224]]);
    const bySimilarity = groundCandidates("q", query, candidates, { grounder, ranker: null, bestClip: new Map([["a", 0.5], ["b", 0.9]]), scoped: false, alternatives: 4 });
    // 0.6 · span similarity + 0.4 · best clip similarity
    expect(bySimilarity.map((m) => [m.videoId, m.vectorScore])).toEqual([["a", 0.6 + 0.4 * 0.5], ["b", 0.4 * 0.9]]);
  });
  it("inside one video every distinct span is a moment; near-repeats (IoU > 0.7) are dropped", () => {
    const spans = [{ start: 0, end: 4, score: 3 }, { start: 0.2, end: 4, score: 2 }, { start: 6, end: 8, score: 1 }];
    const grounder = fixedGrounder(new Map([[10, { spans, videoScore: null }]]));
    const candidates = groundableCandidates(["a"], new Map([["a", video("a")]]), new Map([["a", clips(10)]]));
    const moments = groundCandidates("q", query, candidates, { grounder, ranker: null, bestClip: new Map([["a", 0]]), scoped: true, alternatives: 4 });
    expect(moments.map((m) => [m.start, m.end])).toEqual([[0, 4], [6, 8]]);
    expect(moments[0].alternatives.map((a) => a.start)).toEqual([0.2]);
  });
});
