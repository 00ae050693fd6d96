import { describe, expect, it } from "vitest";
import { shapeMoments } from "./moments";
import { video } from "./test-fixtures";
import type { FusedMoment } from "./types";

const videos = new Map([
  ["a", video("a")],
  ["b", video("b")],
]);

describe("stage 5: shape moments", () => {
  it("each moment a card with its confidence in numbers and words, what found it, rounded; videos that are gone are skipped", () => {
    const fused: FusedMoment[] = [
      {
        videoId: "a",
        start: 1.23456,
        end: 2,
        confidence: 0.81234,
        vector: { start: 1.23456, end: 2, similarity: 0.123456, confidence: 0.81234 },
        others: [{ start: 5, end: 6, score: 0.2, confidence: 0.3 }],
      },
      {
        videoId: "b",
        start: 0,
        end: 1,
        confidence: 0.6,
        cue: { videoId: "b", start: 0, end: 1, text: "hi", rank: 1.1, source: "ocr" },
        others: [],
      },
      { videoId: "gone", start: 0, end: 1, confidence: 0.3, others: [] },
    ];
    const m = shapeMoments(fused, videos, { threshold: 0.5, alternatives: 4 });
    expect(m.map((x) => x.videoId)).toEqual(["a", "b"]);
    expect(m[0]).toMatchObject({
      start: 1.235,
      end: 2,
      confidence: 0.812,
      score: 0.812,
      level: "strong",
      source: "visual",
      similarity: 0.123,
      text: null,
      textSource: null,
    });
    expect(m[0].alternatives).toEqual([{ start: 5, end: 6, score: 0.2, confidence: 0.3 }]);
    expect(m[0].video).toMatchObject({ id: "a", name: "a.mp4", duration: 10 });
    expect(m[1]).toMatchObject({ level: "possible", source: "text", text: "hi", textSource: "ocr", similarity: null });
  });

  it("when a text hit set the span, the grounded span stays as an alternative", () => {
    const fused: FusedMoment[] = [
      {
        videoId: "a",
        start: 4,
        end: 7,
        confidence: 0.99,
        vector: { start: 2, end: 6, similarity: 0.5, confidence: 0.6 },
        cue: { videoId: "a", start: 4, end: 7, text: "x", rank: 1.2, source: "sidecar" },
        others: [],
      },
    ];
    const [m] = shapeMoments(fused, videos, { threshold: 0.5, alternatives: 4 });
    expect(m.source).toBe("both");
    expect(m.alternatives).toEqual([{ start: 2, end: 6, score: 0.5, confidence: 0.6 }]);
  });
});
