import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { DEFAULT_CPL_CONFIG } from "./config";
import { gaussianMaskT, iouVote, selfOverlap, weightedIouVote } from "./geometry";
import { inferenceMasks } from "./ground";
import { CplModel } from "./model";
import { posMaskWeights } from "./pos";
import { clipFactor, learningRateAt } from "./schedule";
import { SHAPES_VOCAB } from "./vocab";

beforeAll(async () => {
  await initBackend();
});

const E = Math.E;

describe("part-of-speech masking weights (the reference: e² content words, e¹ the others)", () => {
  it("weights nouns, verbs, adjectives and adverbs by e², determiners and prepositions by e", () => {
    const w = posMaskWeights(["the", "red", "circle", "moves", "to", "the", "left"]);
    const want = [E, E * E, E * E, E * E, E, E, E * E];
    w.forEach((x, i) => expect(x).toBeCloseTo(want[i], 5));
  });
});

describe("the reference's schedule", () => {
  const s = { kind: "inverse-sqrt" as const, lr: 4e-4, warmup: 400, initLr: 1e-7 };
  it("warms up linearly from initLr, then decays as 1/√step", () => {
    expect(learningRateAt(200, s)).toBeCloseTo(1e-7 + 0.5 * (4e-4 - 1e-7), 12); // 2.0005e-4
    expect(learningRateAt(400, s)).toBeCloseTo(4e-4, 12);
    expect(learningRateAt(1600, s)).toBeCloseTo(2e-4, 12); // 4e-4 · √400 / √1600
    expect(learningRateAt(1600, { ...s, kind: "constant" })).toBe(4e-4);
  });
  it("clips the global gradient norm to maxNorm", () => {
    expect(clipFactor(20, 10)).toBeCloseTo(0.5, 6);
    expect(clipFactor(5, 10)).toBe(1);
  });
});

describe("CPL*'s IoU-weighted vote (the reference on Charades-STA)", () => {
  const spans = [
    { start: 0, end: 2 },
    { start: 1, end: 3 },
    { start: 10, end: 12 },
  ];
  it("lets only proposals near the loss-ranked first one vote", () => {
    // plain vote: A and B back each other (IoU ⅓ each), C stands alone
    expect(iouVote(spans).order[0]).toBe(0);
    // loss ranks C first: c = [0, 0, 1], so only C votes, for itself
    const v = weightedIouVote(spans, 2);
    expect(v.order[0]).toBe(2);
    expect(v.scores).toEqual([0, 0, 1]);
    // loss ranks A first: c = [1, ⅓, 0]; A = 1·1 + ⅓·⅓ = 10/9, B = ⅓·1 + 1·⅓ = ⅔, C = 0
    const w = weightedIouVote(spans, 0);
    expect(w.scores[0]).toBeCloseTo(10 / 9, 12);
    expect(w.scores[1]).toBeCloseTo(2 / 3, 12);
    expect(w.scores[2]).toBe(0);
  });
});

describe("the reconstruction's label smoothing", () => {
  it("is (1 − ε)·CE + ε·(mean −log p over the vocabulary), on the masked words", () => {
    const base = { ...DEFAULT_CPL_CONFIG, nTokens: 8, hidden: 16, ffn: 16, K: 2, buckets: 256 };
    const at = (eps: number) => {
      const m = new CplModel({ ...base, labelSmoothing: eps }, 7, SHAPES_VOCAB); // same seed: same weights
      const v = tf.tidy(() => {
        const enc = m.encode("the red circle moves left");
        const mem = tf.randomNormal([1, 8, 16], 0, 1, "float32", 3);
        const masks = gaussianMaskT(tf.tensor2d([[0.3, 0.7]]), tf.tensor2d([[0.2, 0.4]]), 8, 9);
        return Array.from(m.reconstructCE(mem, [enc], [[false, true, false, true, false]], masks).dataSync());
      });
      m.ps.dispose();
      return v;
    };
    const ce = at(0);
    const uniform = at(1); // ε = 1: the mean −log p over the vocabulary alone
    at(0.1).forEach((x, k) => expect(x).toBeCloseTo(0.9 * ce[k] + 0.1 * uniform[k], 4));
  });
  it("random inference masks are ⌊n/3⌋ words, the same for the same sentence", () => {
    const m = new CplModel(
      { ...DEFAULT_CPL_CONFIG, nTokens: 8, hidden: 16, ffn: 16, K: 2, buckets: 256, lossMasks: "random" },
      1,
      SHAPES_VOCAB,
    );
    const words = ["the", "blue", "box", "slides", "to", "the", "left"];
    const a = inferenceMasks(m, words);
    expect(a.length).toBe(3);
    for (const w of a) expect(w.filter(Boolean).length).toBe(2);
    expect(inferenceMasks(m, words)).toEqual(a);
    m.ps.dispose();
  });
});

describe("the width L_div's λ asks for", () => {
  it("is the normalised mask's self-overlap Σ p_i²", () => {
    // N = 2, c = 1, w = 0.9, σ = 9 → s = 0.1; positions ½ and 1: m = [e^{−12.5}, 1]
    const a = Math.exp(-12.5);
    const p = [a / (1 + a), 1 / (1 + a)];
    expect(selfOverlap(0.9, 2, 9, 1)).toBeCloseTo(p[0] ** 2 + p[1] ** 2, 12);
    // wider proposals overlap themselves less: λ = 0.13 holds a width near 0.30 on 64 tokens
    expect(selfOverlap(0.3, 64, 9)).toBeCloseTo(0.1322, 3);
    expect(selfOverlap(0.09, 64, 9)).toBeGreaterThan(selfOverlap(0.3, 64, 9));
  });
});
