import { describe, expect, it } from "vitest";
import { defaultModelsDir as modelsDir, initBackend, loadGroundingModels, type ClipVector } from "../index";
import { BOUNDARY_VIDEOS } from "./boundary-rerank";
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

  it("installs the shipped methods; the boundary head ranked by the scorer is the default", async () => {
    await initBackend();
    const models = await loadGroundingModels(modelsDir());
    expect(models.defaultMethod).toBe("boundary-rerank");
    expect(models.methods).toEqual(
      expect.arrayContaining([
        "relevance",
        "cpl-vote",
        "cpl-loss",
        "single-gaussian",
        "upper-bound",
        "boundary-rerank",
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

  it("boundary-rerank: the head's proposals in the best videos, the scorer's spans in the rest, the scorer's video scores", async () => {
    await initBackend();
    const models = await loadGroundingModels(modelsDir());
    const F = 64 * 5;
    // six videos of clips with made-up scorer features (non-negative, as ReLU outputs are)
    const videos = Array.from({ length: 6 }, (_, v) => ({
      durationSeconds: 20 + 5 * v,
      clips: Array.from({ length: 20 + 5 * v }, (_, i) => ({
        ...clip(100 * v + i),
        relevance: Float32Array.from({ length: F }, (_, k) => Math.max(0, Math.sin(v * 7.1 + i * 0.37 + k * 1.3))),
      })),
    }));
    const q = "the red square moves to the left";
    const br = models.grounder("boundary-rerank").ground(q, videos, { topK: 3 });
    const rel = models.grounder("relevance").ground(q, videos, { topK: 3 });
    const alone = videos.map((v) => models.grounder("boundary-rerank").ground(q, [v], { topK: 3 })[0]);
    const order = rel.map((r, i) => ({ i, s: r.videoScore! })).sort((a, b) => b.s - a.s);
    const best = new Set(order.slice(0, BOUNDARY_VIDEOS).map((x) => x.i));
    expect(best.size).toBe(BOUNDARY_VIDEOS);
    br.forEach((g, i) => {
      expect(g.videoScore).toBeCloseTo(rel[i].videoScore!, 4);
      expect(g.spans).toHaveLength(3);
      // best first
      for (let k = 1; k < g.spans.length; k++) expect(g.spans[k].score).toBeLessThanOrEqual(g.spans[k - 1].score);
      // a video among the best gets what it gets alone (the head's proposals, reranked); the others the scorer's own spans
      const want = best.has(i) ? alone[i].spans : rel[i].spans;
      g.spans.forEach((s, k) => {
        expect(s.start).toBeCloseTo(want[k].start, 3);
        expect(s.end).toBeCloseTo(want[k].end, 3);
      });
    });
    // alone, a video's spans are the head's, not the scorer's readout (which trims its ends by 10 %)
    expect(alone.some((g, i) => g.spans[0].start !== rel[i].spans[0].start)).toBe(true);
  });
});
