import { describe, expect, it } from "vitest";
import { shapeMoments } from "./moments";
import { video } from "./test-fixtures";
import type { FusedMoment, VectorMoment } from "./types";

const vector = (start: number, end: number, alternatives: VectorMoment["alternatives"] = []): VectorMoment => ({ videoId: "a", start, end, similarity: 0.123456, vectorScore: 1, confidence: 0.5, alternatives });
const videos = new Map([["a", video("a")], ["b", video("b")]]);

describe("stage 5: shape moments", () => {
  it("across the library one card per video: its later moments become alternatives; rounded", () => {
    const fused: FusedMoment[] = [
      { videoId: "a", start: 1.23456, end: 2, score: 0.99999, vector: vector(1.23456, 2, [{ start: 5, end: 6, score: 0.2, confidence: 0.3 }]) },
      { videoId: "b", start: 0, end: 1, score: 0.5 },
      { videoId: "a", start: 7, end: 8, score: 0.4, vector: vector(7, 8) },
      { videoId: "gone", start: 0, end: 1, score: 0.3 },
    ];
    const m = shapeMoments(fused, videos, { scoped: false, alternatives: 4 });
    expect(m.map((x) => x.videoId)).toEqual(["a", "b"]);
    expect(m[0]).toMatchObject({ start: 1.235, end: 2, score: 1, similarity: 0.123, text: null });
    expect(m[0].alternatives).toEqual([{ start: 5, end: 6, score: 0.2 }, { start: 7, end: 8, score: 0.123 }]);
    expect(m[0].video).toMatchObject({ id: "a", name: "a.mp4", duration: 10 });
    expect(m[1].similarity).toBeNull();
  });
  it("inside one video every moment is a card; a cue that set the span keeps the grounded span as an alternative", () => {
    const fused: FusedMoment[] = [
      { videoId: "a", start: 4, end: 7, score: 1, vector: vector(2, 6), cue: { videoId: "a", start: 4, end: 7, text: "hi" } as FusedMoment["cue"] },
      { videoId: "a", start: 8, end: 9, score: 0.5, vector: vector(8, 9) },
    ];
    const m = shapeMoments(fused, videos, { scoped: true, alternatives: 4 });
    expect(m.length).toBe(2);
    expect(m[0].text).toBe("hi");
    expect(m[0].alternatives).toEqual([{ start: 2, end: 6, score: 0.123 }]);
  });
});
