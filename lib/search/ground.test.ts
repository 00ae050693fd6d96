import { describe, expect, it } from "vitest";
import { meanClipSimilarity } from "@/ml/calibration/evidence";
import type { Calibrator, MomentEvidence } from "@/ml";
import { spanSimilarity } from "./fusion";
import { groundableCandidates, groundCandidates } from "./ground";
import { clips, fixedGrounder, fixedRanker, video } from "./test-fixtures";

/** A calibrator that records the evidence it is shown and answers its span rank / 10. */
function recording(method: string | null = "cpl-vote"): Calibrator & { seen: MomentEvidence[] } {
  const seen: MomentEvidence[] = [];
  return {
    version: "rec",
    calibrated: true,
    method,
    threshold: 0.5,
    contrastVideos: 0,
    seen,
    confidence: (e) => (seen.push(e), e.spanRank / 10),
  };
}

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
        [
          4,
          {
            spans: [
              { start: 0, end: 2, score: 1 },
              { start: 2, end: 4, score: 0.5 },
            ],
            videoScore: -1,
          },
        ],
        [5, { spans: [{ start: 1, end: 3, score: 1 }], videoScore: 2 }],
      ]),
    );
    const candidates = groundableCandidates(
      ["a", "b"],
      new Map([
        ["a", video("a")],
        ["b", video("b")],
      ]),
      new Map([
        ["a", clips(4, (i) => (i < 2 ? 0 : 1))],
        ["b", clips(5)],
      ]),
    );
    const moments = groundCandidates("q", query, candidates, {
      grounder,
      ranker: null,
      bestClip: new Map(),
      scoped: false,
      alternatives: 4,
    });
    expect(grounder.calls).toBe(1);
    expect(moments.map((m) => [m.videoId, m.vectorScore])).toEqual([
      ["b", 2],
      ["a", -1],
    ]);
    // similarity: the mean query·clip cosine inside the span (clips 0–1 of a point along the query)
    expect(moments[1].similarity).toBe(1);
    expect(moments[1].alternatives).toMatchObject([{ start: 2, end: 4, score: 0 }]);
  });
  it("computes the contrast with one-word edits only for as many of the best videos as the calibration says", () => {
    const grounder = fixedGrounder(
      new Map([
        [3, { spans: [{ start: 0, end: 1, score: 1 }], videoScore: 1 }],
        [4, { spans: [{ start: 0, end: 1, score: 1 }], videoScore: 3 }],
        [5, { spans: [{ start: 1, end: 2, score: 1 }], videoScore: 2 }],
      ]),
    );
    const asked: number[] = [];
    const ranker = {
      ...fixedRanker(),
      contrast: (_s: string, videos: { clips: unknown[]; spans: unknown[] }[]) =>
        videos.map((v) => (asked.push(v.clips.length), { video: -v.clips.length, spans: v.spans.map(() => 0.5) })),
    };
    const ids = ["a", "b", "c"];
    const candidates = groundableCandidates(
      ids,
      new Map(ids.map((id) => [id, video(id)])),
      new Map(ids.map((id, i) => [id, clips(3 + i)])),
    );
    const calibrator = { ...recording("relevance"), contrastVideos: 2 };
    groundCandidates("the red square spins", query, candidates, {
      grounder: { ...grounder, method: "relevance" },
      ranker,
      bestClip: new Map(),
      scoped: false,
      alternatives: 0,
      calibrator,
    });
    // the two best by video score (4 and 5 clips) in one call; the third reads "no edits"
    expect(asked).toEqual([4, 5]);
    const byClips = new Map(calibrator.seen.map((e) => [e.duration, e]));
    expect(byClips.get(4)).toMatchObject({ editMargin: 0.5, videoEditMargin: -4 });
    expect(byClips.get(5)).toMatchObject({ editMargin: 0.5, videoEditMargin: -5 });
    expect(byClips.get(3)).toMatchObject({ editMargin: null, videoEditMargin: null });
  });
  it("gives every grounded span the span verifier's logit, in one call over all candidates, with the edit margins of the contrasted ones", () => {
    const grounder = fixedGrounder(
      new Map([
        [
          3,
          {
            spans: [
              { start: 0, end: 1, score: 1 },
              { start: 1, end: 3, score: 0.5 },
            ],
            videoScore: 1,
          },
        ],
        [4, { spans: [], videoScore: 3 }],
        [5, { spans: [{ start: 1, end: 2, score: 1 }], videoScore: 2 }],
      ]),
    );
    const calls: { clipSeconds: number; spans: number; contrast: boolean }[][] = [];
    const ranker = {
      ...fixedRanker(),
      // logit = clips + span start, edit margin = −logit where contrasted; the 5-clip video's
      // verifier says nothing (another scorer's features)
      verify: (
        _s: string,
        videos: { clips: unknown[]; clipSeconds: number; spans: { start: number }[]; contrast?: boolean }[],
      ) => {
        calls.push(
          videos.map((v) => ({ clipSeconds: v.clipSeconds, spans: v.spans.length, contrast: v.contrast ?? false })),
        );
        return videos.map((v) =>
          v.clips.length === 5
            ? null
            : v.spans.map((s) => {
                const logit = v.clips.length + s.start;
                return { logit, editMargin: v.contrast ? -logit : null };
              }),
        );
      },
      // the two best videos with spans are contrasted with the edits (the 5-clip one, then the 3-clip one)
      contrast: (_s: string, videos: unknown[]) => videos.map(() => ({ video: 0, spans: [0, 0] })),
    };
    const ids = ["a", "b", "c"];
    const candidates = groundableCandidates(
      ids,
      new Map(ids.map((id) => [id, video(id, { duration: 20, clipSeconds: 2 })])),
      new Map(ids.map((id, i) => [id, clips(3 + i)])),
    );
    const calibrator = { ...recording("relevance"), contrastVideos: 2, verifierEdits: true };
    const run = (c: Calibrator) =>
      groundCandidates("the red square spins", query, candidates, {
        grounder: { ...grounder, method: "relevance" },
        ranker,
        bestClip: new Map(),
        scoped: false,
        alternatives: 1,
        calibrator: c,
      });
    // a fit that does not read the verifier's edit margins: none are asked for
    run({ ...recording("relevance"), contrastVideos: 2 });
    expect(calls.pop()!.map((c) => c.contrast)).toEqual([false, false, false]);
    run(calibrator);
    expect(calls).toEqual([
      [
        { clipSeconds: 2, spans: 2, contrast: true },
        { clipSeconds: 2, spans: 0, contrast: false },
        { clipSeconds: 2, spans: 1, contrast: true },
      ],
    ]);
    expect(calibrator.seen.map((e) => [e.duration, e.spanRank, e.verifierLogit, e.verifierEditMargin])).toEqual([
      [6, 0, 3, -3],
      [6, 1, 4, -4],
      [10, 0, null, null],
    ]);
  });
  it("without the grounder's video scores, the ranker's; without either, the LocVTP similarities", () => {
    const grounder = fixedGrounder(
      new Map([
        [3, { spans: [{ start: 0, end: 1, score: 1 }], videoScore: null }],
        [4, { spans: [{ start: 0, end: 1, score: 1 }], videoScore: null }],
      ]),
    );
    const vectors = new Map([
      ["a", clips(3, () => 0, 0.2)],
      ["b", clips(4, () => 1, 0.7)],
    ]);
    const candidates = groundableCandidates(
      ["a", "b"],
      new Map([
        ["a", video("a")],
        ["b", video("b")],
      ]),
      vectors,
    );
    const ranked = groundCandidates("q", query, candidates, {
      grounder,
      ranker: fixedRanker(),
      bestClip: new Map(),
      scoped: false,
      alternatives: 4,
    });
    expect(ranked.map((m) => [m.videoId, m.vectorScore])).toEqual([
      ["b", 0.699999988079071],
      ["a", 0.20000000298023224],
    ]);
    const bySimilarity = groundCandidates("q", query, candidates, {
      grounder,
      ranker: null,
      bestClip: new Map([
        ["a", 0.5],
        ["b", 0.9],
      ]),
      scoped: false,
      alternatives: 4,
    });
    // 0.6 · span similarity + 0.4 · best clip similarity
    expect(bySimilarity.map((m) => [m.videoId, m.vectorScore])).toEqual([
      ["a", 0.6 + 0.4 * 0.5],
      ["b", 0.4 * 0.9],
    ]);
  });
  it("inside one video every distinct span is a moment; near-repeats (IoU > 0.7) are dropped", () => {
    const spans = [
      { start: 0, end: 4, score: 3 },
      { start: 0.2, end: 4, score: 2 },
      { start: 6, end: 8, score: 1 },
    ];
    const grounder = fixedGrounder(new Map([[10, { spans, videoScore: null }]]));
    const candidates = groundableCandidates(["a"], new Map([["a", video("a")]]), new Map([["a", clips(10)]]));
    const moments = groundCandidates("q", query, candidates, {
      grounder,
      ranker: null,
      bestClip: new Map([["a", 0]]),
      scoped: true,
      alternatives: 4,
    });
    expect(moments.map((m) => [m.start, m.end])).toEqual([
      [0, 4],
      [6, 8],
    ]);
    expect(moments[0].alternatives.map((a) => a.start)).toEqual([0.2]);
  });
  it("every span gets a confidence from the calibrator, shown the span's evidence and the pool of grounded videos", () => {
    const grounder = fixedGrounder(
      new Map([
        [
          4,
          {
            spans: [
              { start: 0, end: 2, score: 0.7 },
              { start: 2, end: 4, score: 3 },
            ],
            videoScore: -1,
          },
        ],
        [5, { spans: [{ start: 1, end: 3, score: 0.2 }], videoScore: 2 }],
        [6, { spans: [], videoScore: 9 }],
      ]),
    );
    const candidates = groundableCandidates(
      ["a", "b", "c"],
      new Map([
        ["a", video("a")],
        ["b", video("b")],
        ["c", video("c")],
      ]),
      new Map([
        ["a", clips(4, (i) => (i < 2 ? 0 : 1))],
        ["b", clips(5)],
        ["c", clips(6)],
      ]),
    );
    const calibrator = recording();
    const moments = groundCandidates("the red square spins", query, candidates, {
      grounder,
      ranker: null,
      bestClip: new Map(),
      scoped: false,
      alternatives: 4,
      calibrator,
    });
    expect(moments.map((m) => [m.videoId, m.confidence])).toEqual([
      ["b", 0],
      ["a", 0],
    ]);
    expect(moments[1].alternatives).toEqual([{ start: 2, end: 4, score: 0, confidence: 0.1 }]);
    const a = calibrator.seen.find((e) => e.spanRank === 1)!;
    // the pool: the grounded videos with spans (c has none), scores −1 and 2
    expect(a.pool).toMatchObject({ size: 2, median: 0.5, max: 2 });
    expect(a).toMatchObject({
      sentence: "the red square spins",
      videoScore: -1,
      spanScore: 3,
      spanRank: 1,
      similarity: 0,
      start: 2,
      end: 4,
      duration: 4,
    });
    expect(calibrator.seen.find((e) => e.videoScore === -1 && e.spanRank === 0)!.similarity).toBe(1);
  });
  it("inside one video the pool is that video; a calibrator fitted on another method's spans is replaced by the stand-in", () => {
    const grounder = fixedGrounder(new Map([[10, { spans: [{ start: 0, end: 4, score: 3 }], videoScore: 1.5 }]]));
    const candidates = groundableCandidates(["a"], new Map([["a", video("a")]]), new Map([["a", clips(10)]]));
    const calibrator = recording();
    groundCandidates("q", query, candidates, {
      grounder,
      ranker: null,
      bestClip: new Map([["a", 0]]),
      scoped: true,
      alternatives: 4,
      calibrator,
    });
    expect(calibrator.seen[0].pool).toMatchObject({ size: 1, median: 1.5 });
    const other = recording("relevance");
    const [m] = groundCandidates("q", query, candidates, {
      grounder,
      ranker: null,
      bestClip: new Map([["a", 0]]),
      scoped: true,
      alternatives: 4,
      calibrator: other,
    });
    expect(other.seen).toHaveLength(0);
    // the stand-in: σ(0 + 2·1 − 1) for a first span of similarity 1 in a pool of one
    expect(m.confidence).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
  it("the calibration's span similarity is search's", () => {
    const cs = [
      [1, 0],
      [0, 1],
      [0.6, 0.8],
      [1, 0],
    ];
    for (const [s, e] of [
      [0, 1],
      [0.5, 2.5],
      [1, 4],
      [3.9, 9],
    ])
      expect(meanClipSimilarity([0.6, 0.8], cs, 1.5, s, e)).toBe(spanSimilarity([0.6, 0.8], cs, 1.5, s, e));
  });
});
