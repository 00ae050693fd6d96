import { describe, expect, it } from "vitest";
import type { CueHit } from "@/db/repositories/cues";
import { fuseWithText, suppressOverlaps } from "./fuse";
import type { VectorMoment } from "./types";

const vm = (
  videoId: string,
  start: number,
  end: number,
  confidence: number,
  alternatives: VectorMoment["alternatives"] = [],
): VectorMoment => ({
  videoId,
  start,
  end,
  similarity: 0.5,
  vectorScore: 1,
  confidence,
  alternatives,
});
const cue = (videoId: string, start: number, end: number, text: string, rank = 1.1): CueHit => ({
  videoId,
  start,
  end,
  text,
  rank,
  source: "sidecar",
});

describe("stage 4: fuse with text", () => {
  it("temporal NMS keeps a video's distinct spans, most confident first", () => {
    const spans = [
      { start: 0, end: 4, confidence: 0.6 },
      { start: 1, end: 4, confidence: 0.7 }, // IoU 0.75 with the first: suppressed by the more confident one
      { start: 10, end: 12, confidence: 0.4 },
    ];
    expect(suppressOverlaps(spans)).toEqual([spans[1], spans[2]]);
  });

  it("a video with several matching events keeps each as a moment, ranked across videos by confidence", () => {
    const fused = fuseWithText(
      "x",
      [
        vm("a", 0, 2, 0.8, [
          { start: 10, end: 12, score: 0.3, confidence: 0.7 },
          { start: 0.5, end: 2, score: 0.3, confidence: 0.2 },
        ]),
        vm("b", 3, 5, 0.75),
      ],
      [],
    );
    expect(fused.map((f) => [f.videoId, f.start, f.confidence])).toEqual([
      ["a", 0, 0.8],
      ["b", 3, 0.75],
      ["a", 10, 0.7],
    ]);
    // the suppressed span stays as a faint alternative
    expect(fused[0].others.map((o) => o.start)).toEqual([10, 0.5]);
  });

  it("an exact text hit outranks a weak visual guess; text and pictures on one moment combine (noisy-OR), the stronger sets the span", () => {
    const fused = fuseWithText(
      "the red square",
      [vm("a", 2, 6, 0.6), vm("b", 0, 3, 0.3)],
      [cue("a", 4, 7, "The red square spins"), cue("c", 1, 2, "hello there")],
    );
    expect(fused.map((f) => [f.videoId, f.start, f.end])).toEqual([
      ["a", 4, 7],
      ["c", 1, 2],
      ["b", 0, 3],
    ]);
    // 1 − (1 − 0.97)(1 − 0.6) = 0.988
    expect(fused[0].confidence).toBeCloseTo(0.988, 12);
    expect(fused[0].vector?.start).toBe(2);
    expect(fused[1].confidence).toBe(0.9); // every word, not the phrase
    expect(fused[1].vector).toBeUndefined();
  });

  it("a fuzzy-only text hit sits in the middle of the scale", () => {
    const [m] = fuseWithText("revenve", [], [cue("a", 0, 1, "revenue", 0.7)]);
    expect(m.confidence).toBeCloseTo(0.5875, 12);
  });
});
