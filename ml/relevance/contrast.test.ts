import { describe, expect, it, beforeAll } from "vitest";
import { initBackend } from "../core/backend";
import { Rng } from "../core/rng";
import { editContrast, meanTokens, spanTokens } from "./contrast";
import { editSentences } from "./hard-negatives";
import { RelevanceModel } from "./model";
import { tokenScores, tokenScoresMany, videoScores } from "./scores";
import { SMALL } from "./test-fixtures";

beforeAll(async () => {
  await initBackend();
});

describe("contrast with one-word edits", () => {
  it("spanTokens: the tokens a span covers", () => {
    // 10 s read as 8 tokens of 1.25 s: [2.5, 5) covers tokens 2 and 3; [2.4, 5.1) covers 1–4
    expect(spanTokens(2.5, 5, 10, 8)).toEqual([2, 3]);
    expect(spanTokens(2.4, 5.1, 10, 8)).toEqual([1, 4]);
    expect(spanTokens(0, 10, 10, 8)).toEqual([0, 7]);
    expect(spanTokens(9.9, 9.95, 10, 8)).toEqual([7, 7]);
  });

  it("meanTokens: the mean of one video's row", () => {
    const scores = [0, 1, 2, 3, 10, 20, 30, 40];
    expect(meanTokens(scores, 1, 4, [1, 3])).toBeCloseTo(30, 6);
    expect(meanTokens(scores, 0, 4, [0, 0])).toBe(0);
  });

  it("editSentences: every one-word edit, canonically phrased; none outside the grammar", () => {
    const edits = editSentences("a blue block becomes yellow");
    expect(edits).toContain("the yellow square turns blue");
    expect(edits).toContain("the blue square turns red");
    expect(edits).toContain("the blue circle turns yellow");
    expect(edits).toContain("the blue square spins");
    expect(edits).not.toContain("the blue square turns yellow");
    // split by whether the edit changes the shape
    expect(editSentences("a blue block becomes yellow", true)).toEqual([
      "the blue circle turns yellow",
      "the blue triangle turns yellow",
    ]);
    const others = editSentences("a blue block becomes yellow", false);
    expect(others).toHaveLength(edits.length - 2);
    expect(others).toContain("the yellow square turns blue");
    expect(others.some((e) => !e.includes("square"))).toBe(false);
    expect(editSentences("a dog runs on the beach")).toEqual([]);
    expect(editSentences("the background turns gray")).toEqual([]);
  });

  it("editContrast: the query's score minus the best edit's, per video and per span", () => {
    const model = new RelevanceModel(SMALL, 3);
    const rng = new Rng(4);
    const video = (n: number) => Array.from({ length: n }, () => Float32Array.from({ length: 8 }, () => rng.normal()));
    const a = video(6);
    const b = video(11);
    const edits = ["the red square spins", "a green circle grows"];
    const q = "the blue square spins";
    const out = editContrast(
      model,
      q,
      [
        { features: a, duration: 12, spans: [{ start: 3, end: 6 }] },
        { features: [], duration: 5, spans: [{ start: 0, end: 1 }] },
        { features: b, duration: 22, spans: [] },
      ],
      edits,
    );
    const vq = videoScores(model, q, [a])[0]!;
    const ve = edits.map((e) => videoScores(model, e, [a])[0]!);
    expect(out[0].video).toBeCloseTo(vq - Math.max(...ve), 5);
    // 12 s as 8 tokens of 1.5 s: [3, 6) is tokens 2–3
    const N = SMALL.nTokens;
    const span = (s: string) => meanTokens(tokenScores(model, s, [a]), 0, N, [2, 3]);
    expect(out[0].spans[0]).toBeCloseTo(span(q) - Math.max(...edits.map(span)), 5);
    // no clips, or no span asked: nothing to contrast
    expect(out[1]).toEqual({ video: null, spans: [null] });
    expect(out[2]).toEqual({ video: null, spans: [] });
    // a sentence outside the grammar has no edits
    expect(editContrast(model, "asdf", [{ features: a, duration: 12, spans: [{ start: 0, end: 1 }] }])).toEqual([
      { video: null, spans: [null] },
    ]);
  });
});

describe("several sentences in one pass", () => {
  it("tokenScoresMany gives each sentence's tokenScores (one member or three; odd and even kernels)", () => {
    const rng = new Rng(9);
    const video = (n: number, dim: number) =>
      Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => rng.normal()));
    const sentences = ["the red square spins", "a blue circle grows", "the background turns gray"];
    for (const [members, kernel] of [
      [1, 3],
      [3, 3],
      [3, 2],
    ] as const) {
      const parts = Array.from(
        { length: members },
        (_, m) => new RelevanceModel({ ...SMALL, temporalKernel: kernel }, 10 + m),
      );
      const model = members === 1 ? parts[0] : RelevanceModel.ensemble(parts);
      const videos = [video(5, model.featureDim), video(13, model.featureDim)];
      const many = tokenScoresMany(model, sentences, videos);
      sentences.forEach((s, i) => {
        const one = tokenScores(model, s, videos);
        expect(many[i]).toHaveLength(one.length);
        one.forEach((x, j) => expect(many[i][j]).toBeCloseTo(x, 4));
      });
    }
  });
});
