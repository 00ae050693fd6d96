import { describe, expect, it } from "vitest";
import type { CueHit } from "@/db/repositories/cues";
import { fuseWithText } from "./fuse";
import type { VectorMoment } from "./types";

const vm = (videoId: string, start: number, end: number): VectorMoment => ({ videoId, start, end, similarity: 0.5, vectorScore: 1, confidence: 0.5, alternatives: [] });
const cue = (videoId: string, start: number, end: number, text: string): CueHit => ({ videoId, start, end, text, rank: 1 }) as CueHit;

describe("stage 4: fuse with text", () => {
  it("an overlapping cue and span of one video are one moment, first in both lists: score 1, the cue's timing", () => {
    const fused = fuseWithText([vm("a", 2, 6), vm("b", 0, 3)], [cue("a", 4, 7, "the red square"), cue("c", 1, 2, "hello")]);
    expect(fused.map((f) => [f.videoId, f.start, f.end])).toEqual([["a", 4, 7], ["c", 1, 2], ["b", 0, 3]]);
    expect(fused[0].score).toBe(1);
    expect(fused[0].cue?.text).toBe("the red square");
    expect(fused[0].vector?.start).toBe(2);
    expect(fused[1].vector).toBeUndefined();
  });
  it("one list alone: its first moment scores 1", () => {
    const fused = fuseWithText([vm("a", 0, 1), vm("b", 0, 1)], []);
    expect(fused[0].score).toBe(1);
    expect(fused[1].score).toBeCloseTo(61 / 62, 12);
  });
});
