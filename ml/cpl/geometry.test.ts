import { describe, expect, it, beforeAll } from "vitest";
import * as tf from "@tensorflow/tfjs";
import {
  divLoss,
  divLossT,
  eta,
  gaussianMask,
  gaussianMaskT,
  iouVote,
  negativeProposals,
  negativeProposalsT,
  pointerProposal,
  pointerProposalT,
  spanIou,
  toSpan,
} from "../cpl/geometry";
import { bestPositive, recAndIvc, recAndIvcNum } from "./losses";
import { initBackend } from "../core/backend";

beforeAll(async () => {
  await initBackend();
});

describe("Gaussian mask", () => {
  it("matches the formula by hand and peaks at 1 after rescaling", () => {
    // N=4, c=0.5, w=0.9, σ=9 → s = 0.1; positions i/N = .25 .5 .75 1
    const raw = gaussianMask(0.5, 0.9, 4, 9, false);
    const s = 0.1;
    const norm = 1 / (Math.sqrt(2 * Math.PI) * s);
    expect(raw[1]).toBeCloseTo(norm, 6); // i/N = c
    expect(raw[0]).toBeCloseTo(norm * Math.exp(-(0.25 ** 2) / (2 * s * s)), 8);
    const m = gaussianMask(0.5, 0.9, 4, 9);
    expect(Math.max(...m)).toBeCloseTo(1, 9);
    expect(m[0]).toBeCloseTo(Math.exp(-3.125), 9);
    expect(m[2]).toBeCloseTo(m[0], 9); // symmetric about c
  });
  it("tensor version equals the number version", () => {
    const t = gaussianMaskT(tf.tensor1d([0.3, 0.8]), tf.tensor1d([0.2, 0.5]), 16, 9).arraySync() as number[][];
    const a = gaussianMask(0.3, 0.2, 16, 9);
    const b = gaussianMask(0.8, 0.5, 16, 9);
    t[0].forEach((v, i) => expect(v).toBeCloseTo(a[i], 5));
    t[1].forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
  });
});

describe("L_div", () => {
  it("disjoint one-hot proposals: K(1-λ)²", () => {
    expect(
      divLoss(
        [
          [1, 0],
          [0, 1],
        ],
        0.13,
      ),
    ).toBeCloseTo(2 * 0.87 ** 2, 10);
  });
  it("identical flat proposals: every entry of m mᵀ is 0.5", () => {
    // rows normalised to [.5,.5]; diagonal (0.5-λ)², off-diagonal 0.5²
    expect(
      divLoss(
        [
          [2, 2],
          [1, 1],
        ],
        0.15,
      ),
    ).toBeCloseTo(2 * 0.35 ** 2 + 2 * 0.25, 10);
  });
  it("tensor version agrees", () => {
    const m = [
      [0.2, 1, 0.3],
      [1, 0.5, 0],
    ];
    expect((divLossT(tf.tensor3d([m]), 0.13).arraySync() as number[])[0]).toBeCloseTo(divLoss(m, 0.13), 5);
  });
});

describe("negative proposals and η", () => {
  it("η = (e/e_max)^0.5", () => {
    expect(eta(5, 20)).toBeCloseTo(0.5, 12);
    expect(eta(20, 20)).toBe(1);
    expect(eta(0, 20)).toBe(0);
  });
  it("hard negatives (η=1) reach the positive's boundaries, anchored at the ends", () => {
    const [n1, n2] = negativeProposals({ c: 0.5, w: 0.2 }, 1);
    expect(n1.w).toBeCloseTo(0.4, 12);
    expect(n1.c).toBeCloseTo(0.2, 12); // spans [0, 0.4]
    expect(n2.w).toBeCloseTo(0.4, 12);
    expect(n2.c).toBeCloseTo(0.8, 12); // spans [0.6, 1]
  });
  it("easy negatives (small η) are narrow and far from the positive", () => {
    const [n1, n2] = negativeProposals({ c: 0.3, w: 0.2 }, 0.25);
    expect(n1.w).toBeCloseTo(0.05, 12); // gap 0.2 × 0.25
    expect(n1.c).toBeCloseTo(0.025, 12);
    expect(n2.w).toBeCloseTo(0.15, 12); // gap 0.6 × 0.25
    expect(n2.c).toBeCloseTo(0.925, 12);
    // never overlaps the positive [0.2, 0.4]
    expect(n1.c + n1.w / 2).toBeLessThanOrEqual(0.2 + 1e-12);
    expect(n2.c - n2.w / 2).toBeGreaterThanOrEqual(0.4 - 1e-12);
  });
  it("tensor version agrees", () => {
    const r = negativeProposalsT(tf.tensor1d([0.3]), tf.tensor1d([0.2]), 0.25);
    expect(r.w1.dataSync()[0]).toBeCloseTo(0.05, 6);
    expect(r.c2.dataSync()[0]).toBeCloseTo(0.925, 6);
  });
});

describe("spans and voting", () => {
  it("span conversion clips to the video", () => {
    expect(toSpan({ c: 0.1, w: 0.4 }, 10)).toEqual({ start: 0, end: expect.closeTo(3, 9) });
    const s = toSpan({ c: 0.9, w: 0.4 }, 20);
    expect(s.start).toBeCloseTo(14, 9);
    expect(s.end).toBe(20);
  });
  it("IoU vote picks the proposal that agrees most with the others", () => {
    const spans = [
      { start: 0, end: 2 },
      { start: 1, end: 3 },
      { start: 10, end: 12 },
      { start: 0.5, end: 2.5 },
    ];
    expect(spanIou(spans[0], spans[1])).toBeCloseTo(1 / 3, 12);
    const v = iouVote(spans);
    // scores: 0: 1/3+3/5, 1: 1/3+3/5, 3: 3/5+3/5, 2: 0
    expect(v.scores[3]).toBeCloseTo(1.2, 12);
    expect(v.order[0]).toBe(3);
    expect(v.order[3]).toBe(2);
  });
});

describe("CPL losses", () => {
  it("k* is the argmin of the positive losses", () => {
    expect(bestPositive(Float32Array.from([3, 1, 2, 0.5, 4, 9]), 2, 3)).toEqual([1, 0]);
  });
  it("L_rec and L_IVC by hand", () => {
    // lp=1, lr=1.5, ln1=1.05, ln2=3: ivc = max(1-1.5+.1,0) + max(1-1.05+.15,0) + max(1-3+.15,0) = 0 + .1 + 0
    const r = recAndIvcNum(1, 1.5, 1.05, 3, 0.1, 0.15);
    expect(r.rec).toBe(2.5);
    expect(r.ivc).toBeCloseTo(0.1, 12);
    const t = recAndIvc(tf.tensor1d([1]), tf.tensor1d([1.5]), tf.tensor1d([1.05]), tf.tensor1d([3]), 0.1, 0.15);
    expect(t.ivc.dataSync()[0]).toBeCloseTo(0.1, 5);
    expect(t.rec.dataSync()[0]).toBeCloseTo(2.5, 5);
  });
});

describe("pointer proposals (h_cls → pointer → centre, width)", () => {
  it("a uniform pointer over tokens 2..5 of 8 is the span [0.25, 0.75]", () => {
    // positions .3125 .4375 .5625 .6875: mean .5, variance .01953125; √(12·.01953125 + 1/64) = .5
    const p = pointerProposal([0, 0, 0.25, 0.25, 0.25, 0.25, 0, 0]);
    expect(p.c).toBeCloseTo(0.5, 10);
    expect(p.w).toBeCloseTo(0.5, 10);
  });
  it("a one-hot pointer is one token wide; a flat one covers the video", () => {
    const one = pointerProposal([0, 0, 0, 1]);
    expect(one.c).toBeCloseTo(0.875, 10);
    expect(one.w).toBeCloseTo(0.25, 10);
    const flat = pointerProposal(new Array(10).fill(0.1));
    expect(flat.c).toBeCloseTo(0.5, 10);
    expect(flat.w).toBeCloseTo(1, 10);
  });
  it("two equal peaks at tokens 0 and 3 of 4: centre between, width 1", () => {
    // positions .125 and .875: mean .5, variance .140625 → √(1.6875 + .0625) > 1 → clamped to 1
    const p = pointerProposal([0.5, 0, 0, 0.5]);
    expect(p.c).toBeCloseTo(0.5, 10);
    expect(p.w).toBe(1);
  });
  it("the tensor version agrees", () => {
    const rows = [
      [0, 0, 0.25, 0.25, 0.25, 0.25, 0, 0],
      [0.1, 0.2, 0.3, 0.1, 0.1, 0.1, 0.05, 0.05],
    ];
    const { c, w } = pointerProposalT(tf.tensor(rows));
    const cs = c.arraySync() as number[];
    const ws = w.arraySync() as number[];
    rows.forEach((r, i) => {
      const p = pointerProposal(r);
      expect(cs[i]).toBeCloseTo(p.c, 5);
      expect(ws[i]).toBeCloseTo(p.w, 5);
    });
  });
});

describe("similarity channel (LocVTP query–token cosine fed to the grounder)", () => {
  it("cosines renormalise blended tokens; the second channel is the z-score over the video", async () => {
    const { tokenSimilarity, simChannels } = await import("./model");
    // 3 tokens of dim 2; token 1 is a blend of length .5: its cosine is still 1
    const video = Float32Array.from([1, 0, 0.5, 0, 0, 1]);
    const sim = tokenSimilarity(video, Float32Array.from([1, 0]), 3, 2);
    expect(Array.from(sim).map((x) => +x.toFixed(6))).toEqual([1, 1, 0]);
    // mean 2/3, population std √2/3 = .4714; z = (1 − .6667)/(.4714 + .001) = .7055, (0 − .6667)/.4724 = −1.4112
    const ch = simChannels(sim, 1, 3);
    expect(ch[0]).toBeCloseTo(1, 6);
    expect(ch[1]).toBeCloseTo(0.7055, 3);
    expect(ch[5]).toBeCloseTo(-1.4112, 3);
  });
});

describe("upper-bound pointer target", () => {
  it("is uniform over the tokens inside the span, or the nearest token for a tiny span", async () => {
    const { spanTokens } = await import("./losses");
    // N = 8, span [0.25, 0.75]: token centres .3125 .4375 .5625 .6875 are inside
    expect(Array.from(spanTokens({ c: 0.5, w: 0.5 }, 8))).toEqual([0, 0, 0.25, 0.25, 0.25, 0.25, 0, 0]);
    expect(Array.from(spanTokens({ c: 0.51, w: 0.01 }, 8))).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
  });
});

describe("word masking for the reconstruction", () => {
  it("masks max(⌊n/3⌋, 1) distinct words, uniformly or by weight", async () => {
    const { randomWordMask } = await import("./losses");
    const { Rng } = await import("../core/rng");
    const rng = new Rng(4);
    for (const n of [1, 2, 3, 6, 7]) {
      const m = randomWordMask(n, rng);
      expect(m.filter(Boolean).length).toBe(Math.max(Math.floor(n / 3), 1));
    }
    // weights 0 / 0 / 1 / 0 / 0 / 0: the only word that can be masked is word 2 (twice per 6 words → 2 picks, the second among zeros)
    const w = Float32Array.from([0, 0, 1, 0, 0, 0]);
    for (let t = 0; t < 20; t++) expect(randomWordMask(6, rng, 1 / 3, w)[2]).toBe(true);
    // weights 1 : 3 → over many single-word draws from 3 words, word 1 is picked ≈ 3/5 of the time
    let hits = 0;
    for (let t = 0; t < 4000; t++) if (randomWordMask(3, rng, 1 / 3, Float32Array.from([1, 3, 1]))[1]) hits++;
    expect(hits / 4000).toBeGreaterThan(0.56);
    expect(hits / 4000).toBeLessThan(0.64);
  });
  it("idfWeights: log(S / S_w) + 0.1", async () => {
    const { idfWeights } = await import("./losses");
    const w = idfWeights([
      ["the", "red", "box"],
      ["the", "box", "spins"],
      ["the", "ball", "spins"],
      ["a", "ball"],
    ]);
    expect(w.get("the")).toBeCloseTo(Math.log(4 / 3) + 0.1, 6);
    expect(w.get("spins")).toBeCloseTo(Math.log(2) + 0.1, 6);
    expect(w.get("red")).toBeCloseTo(Math.log(4) + 0.1, 6);
  });
});
