import { describe, expect, it } from "vitest";
import { defaultModelsDir as modelsDir, initBackend, loadGroundingModels, type ClipVector } from "../index";
import { LEGACY_GROUND_METHODS, parseGroundMethod } from "./registry";

function clip(seed: number): ClipVector {
  const v = Float32Array.from({ length: 128 }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233));
  const n = Math.hypot(...v);
  return { embedding: v.map((x) => x / n) };
}

describe("grounder registry", () => {
  it("maps the search API's old method names to the methods they were", () => {
    expect(parseGroundMethod("vote")).toBe("cpl-vote");
    expect(parseGroundMethod("loss")).toBe("cpl-loss");
    expect(parseGroundMethod("relevance")).toBe("relevance");
    expect(parseGroundMethod("cpl-vote")).toBe("cpl-vote");
    expect(parseGroundMethod("votes")).toBeUndefined();
    expect(Object.values(LEGACY_GROUND_METHODS)).toEqual(["cpl-vote", "cpl-loss"]);
  });

  it("installs the shipped methods, relevance first", async () => {
    await initBackend();
    const models = await loadGroundingModels(modelsDir());
    expect(models.defaultMethod).toBe("relevance");
    expect(models.methods).toEqual(
      expect.arrayContaining([
        "relevance",
        "cpl-vote",
        "cpl-loss",
        "single-gaussian",
        "upper-bound",
        "sliding-window",
        "random",
      ]),
    );
    expect(models.grounder("cpl-vote").method).toBe("cpl-vote");
    expect(models.ranker?.firstPassDims).toBe(64);
  });

  it("cpl-vote gives each video the same spans as grounding it alone, in one batch", async () => {
    await initBackend();
    const g = (await loadGroundingModels(modelsDir())).grounder("cpl-vote");
    const videos = [
      { clips: Array.from({ length: 40 }, (_, i) => clip(i)), durationSeconds: 40 },
      { clips: [], durationSeconds: 10 },
      { clips: Array.from({ length: 128 }, (_, i) => clip(1000 + i * 3)), durationSeconds: 120.5 },
    ];
    const q = "the red square moves to the left";
    const many = g.ground(q, videos, { topK: 3 });
    expect(many).toHaveLength(3);
    expect(many[1].spans).toEqual([]);
    for (const i of [0, 2]) {
      const alone = g.ground(q, [videos[i]], { topK: 3 })[0].spans;
      expect(many[i].spans).toHaveLength(alone.length);
      many[i].spans.forEach((s, k) => {
        expect(s.start).toBeCloseTo(alone[k].start, 3);
        expect(s.end).toBeCloseTo(alone[k].end, 3);
      });
    }
  });

  it("relevance falls back to CPL's vote for clips stored without relevance features", async () => {
    await initBackend();
    const models = await loadGroundingModels(modelsDir());
    const video = { clips: Array.from({ length: 30 }, (_, i) => clip(i)), durationSeconds: 30 };
    const [r] = models.grounder("relevance").ground("a red circle appears", [video], { topK: 3 });
    const [v] = models.grounder("cpl-vote").ground("a red circle appears", [video], { topK: 3 });
    expect(r.spans).toEqual(v.spans);
    expect(r.videoScore).toBeNull();
  });
});
