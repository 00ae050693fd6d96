import { describe, expect, it } from "vitest";
import { gatherCandidates, scopedCandidates } from "./candidates";
import { video } from "./test-fixtures";

describe("stage 1: gather candidates", () => {
  it("fuses the clip ranking (each video at its best clip) and the video ranking into one pool", () => {
    const clipHits = [
      { videoId: "a", similarity: 0.9 },
      { videoId: "b", similarity: 0.8 },
      { videoId: "a", similarity: 0.7 },
      { videoId: "c", similarity: 0.6 },
    ];
    const { pool, bestClip } = gatherCandidates(clipHits, [{ videoId: "c" }, { videoId: "d" }, { videoId: "a" }], 10);
    // a: ranks 1 and 3; c: ranks 3 and 1; b: rank 2 only; d: rank 2 only. Ties keep the first list's order.
    expect(pool).toEqual(["a", "c", "b", "d"]);
    expect([...bestClip]).toEqual([
      ["a", 0.9],
      ["b", 0.8],
      ["c", 0.6],
    ]);
    expect(gatherCandidates(clipHits, [], 2).pool).toEqual(["a", "b"]);
  });
  it("inside one video: that video when it is ready, else nothing", () => {
    expect(scopedCandidates(video("v"))).toEqual({ pool: ["v"], bestClip: new Map([["v", 0]]) });
    expect(scopedCandidates(video("v", { status: "processing" })).pool).toEqual([]);
  });
});
