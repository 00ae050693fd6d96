import { describe, expect, it } from "vitest";
import type { Calibrator } from "./calibrator";
import type { CandidateMoment, QueryCase } from "./collect";
import { evaluateCalibration, temporalNms } from "./evaluate";
import { poolEvidence } from "./evidence";

/** The calibrator's confidence is the span score itself, so each case reads off directly. */
const identity: Calibrator = {
  version: "id",
  calibrated: true,
  method: null,
  threshold: 0.5,
  contrastVideos: 0,
  confidence: (e) => e.spanScore,
};

function cand(
  query: number,
  video: string,
  videoRank: number,
  spanRank: number,
  confidence: number,
  iou: number,
  annotatedIou = 0,
  start = spanRank * 10,
): CandidateMoment {
  return {
    query,
    video,
    videoRank,
    start,
    end: start + 5,
    iou,
    annotatedIou,
    evidence: {
      sentence: "q",
      videoScore: 0,
      pool: poolEvidence([0, 0]),
      spanScore: confidence,
      spanRank,
      similarity: 0,
      start,
      end: start + 5,
      duration: 60,
    },
  };
}

describe("confidence evaluation", () => {
  it("temporal NMS drops a moment overlapping a better one of the same video (IoU > 0.5), never another video's", () => {
    const m = (video: string, start: number, end: number, confidence: number) => ({ video, start, end, confidence });
    const kept = temporalNms([
      m("a", 0, 10, 0.5),
      m("a", 1, 10, 0.9),
      m("b", 0, 10, 0.8),
      m("a", 5, 15, 0.7),
      m("a", 20, 30, 0.1),
    ]);
    // (0–10) vs (1–10): IoU 0.9 → dropped; (5–15) vs (1–10): IoU 5/14 → kept
    expect(kept.map((k) => [k.video, k.start])).toEqual([
      ["a", 1],
      ["b", 0],
      ["a", 5],
      ["a", 20],
    ]);
  });

  it("no good match, real-query recall and retrieval on a hand-made query set", () => {
    const queries: QueryCase[] = [
      { sentence: "real 1", kind: "real", video: "a" },
      { sentence: "real 2", kind: "real", video: "c" },
      { sentence: "absent", kind: "absent" },
      { sentence: "oov", kind: "oov" },
    ];
    const candidates = [
      // real 1: its annotated moment is video a's second span (0.6), above the wrong first one of video b (0.7)
      cand(0, "b", 0, 0, 0.7, 0),
      cand(0, "a", 1, 0, 0.2, 0),
      cand(0, "a", 1, 1, 0.6, 0.8, 0.8),
      // real 2: true only in another video (d), below the threshold
      cand(1, "d", 0, 0, 0.4, 0.9),
      cand(1, "c", 1, 0, 0.3, 0),
      // absent: one moment above the threshold → not "no good match"
      cand(2, "a", 0, 0, 0.55, 0),
      // oov: all below → "no good match"
      cand(3, "a", 0, 0, 0.1, 0),
    ];
    const r = evaluateCalibration(queries, candidates, identity, 0.5);
    expect(r.queries).toEqual({ real: 2, absent: 1, oov: 1 });
    expect(r.noGoodMatch).toMatchObject({
      threshold: 0.5,
      realKeepsCorrect: 0.5,
      realKeepsAnnotated: 0.5,
      realAnyAbove: 0.5,
      absentNoMatch: 0,
      oovNoMatch: 1,
    });
    // "no good match" for real 2 (wrong) and oov (right); missed for absent
    expect(r.noGoodMatch.noMatchPrecision).toBe(0.5);
    expect(r.noGoodMatch.noMatchRecall).toBe(0.5);
    expect(r.moments.samples).toBe(5);
    expect(r.moments.positives).toBe(2);
    // top-1 per real query: 0.7 (false) and 0.4 (true)
    expect(r.top1).toMatchObject({ samples: 2, positives: 1 });
    // one per video (score order, first spans): real 1 → b, a(first span, IoU 0) → no R5 hit; by confidence with NMS: b, a#2 (hit at rank 2)
    expect(r.retrieval.onePerVideo["R5@0.5"]).toBe(0);
    expect(r.retrieval.byConfidence["R1@0.5"]).toBe(0);
    expect(r.retrieval.byConfidence["R5@0.5"]).toBe(50);
    expect(r.retrieval.byConfidence["R1@0.5 any true video"]).toBe(50);
  });
});
