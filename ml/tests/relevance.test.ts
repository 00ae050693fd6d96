import { describe, expect, it, beforeAll } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { initBackend } from "../core/backend";
import { LocVtpModel } from "../models/locvtp";
import { CplModel } from "../models/cpl";
import { RelevanceModel, componentSlotsT, relevanceSpans } from "../models/relevance";
import { DEFAULT_CPL_CONFIG } from "../config";
import { defaultLocVtpConfig, groundManyWithModel, groundWithModel, loadClipEncoder, loadGrounder, relevanceClipFeatures, relevanceConfigFor, relevanceScores, sentenceEmbedderFor } from "../index";
import { batchTokensT, flipSentence, flipSlots, permuteColours, permuteSlots, presentColours, relevanceLoss, reverseSentence, reverseSlots, sampleRelevanceBatch, trainRelevance, type RelevanceBatch } from "../train/relevance";
import { saveCpl, saveLocVtp } from "../train/run";
import { Rng } from "../core/rng";
import { SHAPES_VOCAB } from "../vocab";
import type { Corpus } from "../train/corpus";
import { resampleClips, resampleMatrix } from "../core/resample";

beforeAll(async () => {
  await initBackend();
});

const SMALL = { slots: 6, slotInput: 4, hidden: 8, temporalKernel: 3, nTokens: 8, maxWords: 8, buckets: 256 };

function batch(model: RelevanceModel, rng: Rng): RelevanceBatch {
  const vid = (n: number) => ({ slots: new Float32Array(n * 6 * model.cfg.slotInput).map(() => rng.normal()), nClips: n });
  return {
    videos: [vid(5), vid(9), vid(12)],
    sentences: ["the red circle moves left", "a blue box grows", "the green dot appears", "a white block spins", "the red ball shrinks"],
    group: [0, 0, 1, 2, 2],
  };
}

describe("relevance scorer: pure pieces", () => {
  it("resampleMatrix reproduces resampleClips (3 clips → 4 tokens, by hand)", () => {
    // token j at (j + ½)/4 · 3 − ½ = 3j/4 − 1/8 clamped: −.125→0, .625, 1.375, 2.125→2
    expect(Array.from(resampleMatrix(3, 4))).toEqual([1, 0, 0, 0.375, 0.625, 0, 0, 0.625, 0.375, 0, 0, 1]);
    const clips = [Float32Array.from([1, 10]), Float32Array.from([2, 20]), Float32Array.from([4, 40]), Float32Array.from([8, 80]), Float32Array.from([0, 5])];
    const direct = resampleClips(clips, 7, 2);
    const R = resampleMatrix(5, 7);
    for (let j = 0; j < 7; j++)
      for (let k = 0; k < 2; k++) {
        let s = 0;
        for (let i = 0; i < 5; i++) s += R[j * 5 + i] * clips[i][k];
        expect(s).toBeCloseTo(direct[j * 2 + k], 5);
      }
  });
  it("relevanceSpans: runs around the peaks above a fraction of their height, best first", () => {
    // min 0, peak 4 at token 3, threshold .5 → 2: tokens 2–4 (3, 4, 2.5) form the run
    const s = [0, 1, 3, 4, 2.5, 0, 3, 0];
    expect(relevanceSpans(s, 16, 1, { kind: "peak", threshold: 0.5 })).toEqual([{ start: 4, end: 10, score: 4 }]);
    // next: token 6 (peak 3, threshold 1.5) alone; then token 1 (peak 1, threshold .5; its
    // neighbours 0 and the used token 2 stop it)
    expect(relevanceSpans(s, 16, 3, { kind: "peak", threshold: 0.5 })).toEqual([
      { start: 4, end: 10, score: 4 },
      { start: 12, end: 14, score: 3 },
      { start: 2, end: 4, score: 1 },
    ]);
    // a higher threshold keeps only the top of the peak: .7 → 2.8: tokens 2, 3
    expect(relevanceSpans(s, 16, 1, { kind: "peak", threshold: 0.7 })[0]).toEqual({ start: 4, end: 8, score: 4 });
    // flat scores: one token at a time, never more spans than tokens
    expect(relevanceSpans([1, 1], 8, 5, { kind: "peak", threshold: 0.5 })).toEqual([{ start: 0, end: 4, score: 1 }, { start: 4, end: 8, score: 1 }]);
  });
  it("relevanceSpans, mass readout: the run with the most softmax mass less its price, then peak alternatives", () => {
    // scores [0, ln 3, ln 3, 0], T = 1: p = [1, 3, 3, 1] / 8; price 1 per video length (¼ a token):
    // [1, 2] → ¾ − ½ = ¼ beats [1] → ⅜ − ¼, [0, 2] → ⅞ − ¾ and [0, 3] → 1 − 1
    const s = [0, Math.log(3), Math.log(3), 0];
    const spans = relevanceSpans(s, 8, 3, { kind: "mass", temperature: 1, lengthPrice: 1, alternatives: 0.8 });
    expect(spans[0].start).toBe(2);
    expect(spans[0].end).toBe(6);
    expect(spans[0].score).toBeCloseTo(0.25, 6);
    // then the peak readout over the unused tokens: token 0, then token 3 (ties: the first)
    expect(spans.slice(1)).toEqual([{ start: 0, end: 2, score: 0 }, { start: 6, end: 8, score: 0 }]);
    // a higher price shrinks the span to one token: at 2, [1] → ⅜ − ½ beats [1, 2] → ¾ − 1
    expect(relevanceSpans(s, 8, 1, { kind: "mass", temperature: 1, lengthPrice: 2, alternatives: 0.8 })).toEqual([{ start: 2, end: 4, score: expect.closeTo(-0.125, 6) }]);
    // trim ¼: each span gives up a quarter of its length at either end, [2, 6] → [3, 5], [0, 2] → [½, 1½];
    // which tokens a span uses is unchanged
    const trimmed = relevanceSpans(s, 8, 3, { kind: "mass", temperature: 1, lengthPrice: 1, alternatives: 0.8, trim: 0.25 });
    expect(trimmed.map((x) => [x.start, x.end])).toEqual([[3, 5], [0.5, 1.5], [6.5, 7.5]]);
  });
  it("within-video term on hand-checked scores: −mean_s max_t log p(s | t)", () => {
    // one video, two sentences, N = 2 tokens: logits s1 = [ln 3, 0], s2 = [0, 0]
    // p(s1|t) = [3/4, 1/2], p(s2|t) = [1/4, 1/2]; best tokens: 3/4 and 1/2
    const model = new RelevanceModel({ ...SMALL, nTokens: 2 }, 1);
    const s = tf.tensor([[Math.log(3), 0], [0, 0]]);
    const logp = tf.logSoftmax(s.transpose(), -1).transpose();
    expect(-tf.mean(tf.max(logp, 1)).dataSync()[0]).toBeCloseTo(-(Math.log(3 / 4) + Math.log(1 / 2)) / 2, 5);
    // and relevanceLoss reports exactly that term for the model's own scores
    // a second video with one sentence: counted across videos, skipped within
    const vid = (n: number, k: number) => ({ slots: new Float32Array(n * 6 * 4).map((_, i) => Math.sin(i * k)), nClips: n });
    const b = { videos: [vid(3, 1), vid(4, 2)], sentences: ["a red box grows", "the blue dot blinks", "a white ball appears"], group: [0, 0, 1] };
    const all = tf.tidy(() => model.pairScoresT(batchTokensT(model, b.videos), model.queryT(b.sentences.map((x) => model.encode(x)))).arraySync() as number[][][]);
    const own = [all[0][0], all[1][0]]; // sentences 0 and 1 on video 0, per token
    const p = [0, 1].map((t) => {
      const z = Math.exp(own[0][t]) + Math.exp(own[1][t]);
      return [Math.exp(own[0][t]) / z, Math.exp(own[1][t]) / z];
    });
    const expected = -(Math.log(Math.max(p[0][0], p[1][0])) + Math.log(Math.max(p[0][1], p[1][1]))) / 2;
    expect(relevanceLoss(model, b).within.dataSync()[0]).toBeCloseTo(expected, 4);
    model.ps.dispose();
  });
});

describe("component slots (slotLayout: component)", () => {
  it("regroups each colour slot's two components, with the colour's count, into slots of their own", () => {
    // 1 clip, 3 colour slots (2 colours + background) of 2 groups × 17 values; value = s·100 + position
    const S = 3;
    const w = 34;
    const x = tf.tensor(Array.from({ length: S * w }, (_, i) => Math.floor(i / w) * 100 + (i % w)), [1, S, w]);
    const { x: c, identity } = componentSlotsT(x);
    expect(identity).toEqual([0, 0, 1, 1, 2]);
    expect(c.shape).toEqual([1, 5, 18]);
    const rows = (c.arraySync() as number[][][])[0];
    // colour 0, component 1: values 0–7 of group 0, 17–24 of group 1, then the counts 16 and 33
    expect(rows[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 17, 18, 19, 20, 21, 22, 23, 24, 16, 33]);
    // colour 1, component 2: values 8–15 and 25–32 of slot 1, its counts
    expect(rows[3]).toEqual([108, 109, 110, 111, 112, 113, 114, 115, 125, 126, 127, 128, 129, 130, 131, 132, 116, 133]);
    // the background: only its first 8 values per group (where component 1 sits)
    expect(rows[4].slice(0, 8)).toEqual([200, 201, 202, 203, 204, 205, 206, 207]);
    expect(() => componentSlotsT(tf.zeros([1, 2, 20]))).toThrow(/multiple of 17/);
  });
  it("a second object of a colour is read by the same detector as the first: swapping them changes nothing", () => {
    const model = new RelevanceModel({ ...SMALL, slotInput: 34, slotLayout: "component" }, 2);
    const rng = new Rng(5);
    const x = Float32Array.from({ length: 2 * 6 * 34 }, () => rng.normal());
    const swapped = Float32Array.from(x);
    // swap the two components of colour 2 in both groups of both clips
    for (let n = 0; n < 2; n++)
      for (let g = 0; g < 2; g++) {
        const o = (n * 6 + 2) * 34 + g * 17;
        for (let j = 0; j < 8; j++) [swapped[o + j], swapped[o + 8 + j]] = [x[o + 8 + j], x[o + j]];
      }
    const f = (v: Float32Array) => Array.from(tf.tidy(() => model.clipFeaturesT(tf.tensor(v, [2, 6, 34])).dataSync()));
    const a = f(x);
    const b = f(swapped);
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 5));
    // while the colour layout tells the components apart
    const colour = new RelevanceModel({ ...SMALL, slotInput: 34 }, 2);
    const g = (v: Float32Array) => Array.from(tf.tidy(() => colour.clipFeaturesT(tf.tensor(v, [2, 6, 34])).dataSync()));
    expect(Math.max(...g(x).map((v, i) => Math.abs(v - g(swapped)[i])))).toBeGreaterThan(1e-3);
    model.ps.dispose();
    colour.ps.dispose();
  });
});

describe("colour relabelling (augmentation)", () => {
  // OBJECT_COLOURS = red, green, blue, yellow, white; perm: red→blue, blue→red, others fixed
  const perm = [2, 1, 0, 3, 4];
  it("renames object colours in sentences, but not the background's dark green", () => {
    expect(permuteColours("the red square turns blue", perm)).toBe("the blue square turns red");
    expect(permuteColours("the background becomes dark green", [0, 3, 2, 1, 4])).toBe("the background becomes dark green");
    expect(permuteColours("a green circle appears", [0, 3, 2, 1, 4])).toBe("a yellow circle appears");
  });
  it("moves each colour's slot block to its new colour's place; the background slot stays", () => {
    // 1 clip, 6 slots of width 2: slot s holds [s, 10 + s]
    const slots = Float32Array.from({ length: 12 }, (_, i) => (i % 2 ? 10 : 0) + Math.floor(i / 2));
    expect(Array.from(permuteSlots(slots, 1, perm))).toEqual([2, 12, 1, 11, 0, 10, 3, 13, 4, 14, 5, 15]);
  });
  it("a permuted batch relabels a video's slots and sentences consistently", () => {
    const slots = Float32Array.from({ length: 2 * 6 }, (_, i) => i % 6); // 2 clips, width 1
    const b = sampleRelevanceBatch(["a"], new Map([["a", ["the red box grows", "a white dot blinks"]]]), () => ({ slots, nClips: 2 }), 1, 2, new Rng(4), { permuteColours: true });
    const red = Array.from(b.videos[0].slots.slice(0, 6)).indexOf(0); // where red's block went
    const white = Array.from(b.videos[0].slots.slice(0, 6)).indexOf(4);
    const names = ["red", "green", "blue", "yellow", "white"];
    expect(b.sentences.some((s) => s === `the ${names[red]} box grows`)).toBe(true);
    expect(b.sentences.some((s) => s === `a ${names[white]} dot blinks`)).toBe(true);
  });
});

describe("left–right mirroring (augmentation)", () => {
  it("mirrors a present component's centroid x and its change, keeps absent ones at 0, and swaps left/right", () => {
    // one slot of width 51 (no context): component 0 presence at 0, cx at 2; its last − first
    // at 17 and 19; component 1 (8, 10) absent; std block (34..50) untouched
    const mean = new Float32Array(51).fill(0);
    const std = new Float32Array(51).fill(1);
    mean[2] = 0.4; std[2] = 0.2; // raw cx = 0.4 + 0.2 z
    mean[0] = 0.5; std[0] = 0.5; // raw presence = 0.5 + 0.5 z
    const z = new Float32Array(51);
    z[0] = 1; // present in every frame
    z[2] = 1; // cx = 0.6 → mirrored 0.4 → z' = 0
    z[19] = 0.1; // Δx = 0.1 (Δ presence 0) → −0.1
    z[36] = 0.7;
    const f = flipSlots(z, mean, std);
    expect(f[2]).toBeCloseTo(0, 5);
    expect(f[19]).toBeCloseTo(-0.1, 5);
    expect(f[10]).toBeCloseTo(0, 5); // absent component: x stays 0
    expect(f[36]).toBe(z[36]);
    // flipping twice is the identity
    expect(Array.from(flipSlots(f, mean, std)).map((x) => Math.round(x * 1e5))).toEqual(Array.from(z).map((x) => Math.round(x * 1e5)));
    expect(flipSentence("the red ball slides to the left")).toBe("the red ball slides to the right");
    expect(flipSentence("a box moves right")).toBe("a box moves left");
  });
});

describe("playing backwards (augmentation)", () => {
  it("reverses the clip order and negates every last − first statistic in raw units", () => {
    // 3 clips × 1 row of width 102 (clip block 0..50, window block 51..101): last − first at
    // 17..33 and 68..84; means and spreads elsewhere
    const w = 102;
    const mean = Float32Array.from({ length: w }, (_, k) => 0.01 * k);
    const std = Float32Array.from({ length: w }, (_, k) => 0.5 + 0.01 * k);
    const z = Float32Array.from({ length: 3 * w }, (_, i) => Math.sin(i) * 0.8);
    const r = reverseSlots(z, 3, mean, std);
    const raw = (a: Float32Array, i: number, k: number) => a[i * w + k] * std[k] + mean[k];
    for (const k of [0, 16, 34, 50, 51, 67, 85, 101]) expect(r[0 * w + k]).toBeCloseTo(z[2 * w + k], 6); // means, spreads: moved
    for (const k of [17, 33, 68, 84]) expect(raw(r, 0, k)).toBeCloseTo(-raw(z, 2, k), 5); // changes: negated
    expect(raw(r, 1, 20)).toBeCloseTo(-raw(z, 1, 20), 5);
    // backwards twice is the identity
    const back = reverseSlots(r, 3, mean, std);
    back.forEach((x, i) => expect(x).toBeCloseTo(z[i], 5));
  });
  it("says what the reversed event is, and gives up on colour changes", () => {
    expect(reverseSentence("the red square appears")).toBe("the red square disappears");
    expect(reverseSentence("a ball shows up")).toBe("a ball vanishes");
    expect(reverseSentence("the blue box fades out")).toBe("the blue box pops up");
    expect(reverseSentence("the box gets smaller")).toBe("the box gets bigger");
    expect(reverseSentence("a red disc slides to the left")).toBe("a red disc slides to the right");
    expect(reverseSentence("the triangle drifts upward")).toBe("the triangle drifts downward");
    expect(reverseSentence("a green dot moves up")).toBe("a green dot moves down");
    expect(reverseSentence("the white square spins")).toBe("the white square spins");
    expect(reverseSentence("The red square  appears.")).toBe("the red square disappears");
    expect(reverseSentence("the yellow circle flashes")).toBe("the yellow circle flashes");
    expect(reverseSentence("the red square turns blue")).toBeNull();
    expect(reverseSentence("the background becomes navy")).toBeNull();
    expect(reverseSentence("something else entirely")).toBeNull();
    for (const s of ["a ball comes into view", "the box expands", "the dot goes away", "a square travels right"]) expect(reverseSentence(reverseSentence(s)!)).toBe(s);
  });
});

describe("colour-relabelled copies as hard negatives", () => {
  // 2 clips × 6 slots × 102 values; component 1's mean presence is value 0 of a slot
  const w = 102;
  const mean = new Float32Array(w).fill(0);
  const std = new Float32Array(w).fill(1);
  mean[0] = 0.3;
  std[0] = 0.5;
  const slots = new Float32Array(2 * 6 * w).fill(0);
  for (let i = 0; i < 2; i++) for (let c = 0; c < 6; c++) slots[(i * 6 + c) * w] = (0 - 0.3) / 0.5;
  slots[(1 * 6 + 0) * w] = (1 - 0.3) / 0.5; // red in clip 1
  slots[(0 * 6 + 2) * w] = (0.25 - 0.3) / 0.5; // blue in a quarter of clip 0's frames
  it("reads which colours a video shows", () => {
    expect([...presentColours(slots, 2, mean, std)].sort()).toEqual([0, 2]);
  });
  it("adds a relabelled copy that only sentences naming an absent colour compete against", () => {
    const sentences = new Map([["a", ["the red square moves left", "the square grows", "the background turns navy", "a blue ball appears"]]]);
    let sawIncluded = false;
    for (let seed = 1; seed <= 12; seed++) {
      const b = sampleRelevanceBatch(["a"], sentences, () => ({ slots, nClips: 2 }), 1, 4, new Rng(seed), { colourSwapNegatives: { videos: 1, mean, std } });
      expect(b.videos.length).toBe(2);
      expect(b.group.every((g) => g === 0)).toBe(true);
      const shown = new Set([...presentColours(b.videos[1].slots, 2, mean, std)].map((c) => ["red", "green", "blue", "yellow", "white"][c]));
      const excluded = new Set((b.exclude ?? []).map(([q, v]) => (expect(v).toBe(1), b.sentences[q])));
      for (const sentence of b.sentences) {
        const colour = ["red", "blue"].find((c) => sentence.includes(c));
        expect(excluded.has(sentence)).toBe(!colour || shown.has(colour));
        if (colour && !shown.has(colour)) sawIncluded = true;
      }
      const model = new RelevanceModel({ ...SMALL, slotInput: w }, 1);
      expect(Number.isFinite(relevanceLoss(model, b).total.dataSync()[0])).toBe(true);
      model.ps.dispose();
    }
    expect(sawIncluded).toBe(true);
  });
  it("a left-out pair does not change the loss", () => {
    const model = new RelevanceModel(SMALL, 3);
    const rng = new Rng(5);
    const b = batch(model, rng);
    const base = relevanceLoss(model, b).total.dataSync()[0];
    // a video no sentence may pick, left out of every softmax, is as if it were absent
    const extra: RelevanceBatch = { ...b, videos: [...b.videos, b.videos[0]], exclude: b.sentences.map((_, q) => [q, b.videos.length] as [number, number]) };
    expect(relevanceLoss(model, extra).total.dataSync()[0]).toBeCloseTo(base, 4);
    model.ps.dispose();
  });
});

describe("relevance scorer: training", () => {
  it("every trainable variable receives a gradient, and the loss is finite", () => {
    const model = new RelevanceModel(SMALL, 1);
    const b = batch(model, new Rng(3));
    const { value, grads } = tf.variableGrads(() => relevanceLoss(model, b, 1).total, model.ps.list());
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const missing = [...model.ps.vars.entries()].filter(([, v]) => !grads[v.name] || tf.sum(tf.abs(grads[v.name])).dataSync()[0] === 0).map(([k]) => k);
    expect(missing).toEqual([]);
    model.ps.dispose();
  });
  it("learns which clips a sentence names from video–sentence pairs alone", () => {
    // each video shows a bright slot-0 "event" for a few clips; the sentence says which of two
    // kinds (slot value +3 or −3). No timestamps: only pairs.
    const rng = new Rng(11);
    const model = new RelevanceModel(SMALL, 2);
    const mk = (kind: number) => {
      const n = 12;
      const at = 2 + Math.floor(rng.next() * 7);
      const slots = new Float32Array(n * 6 * 4).map(() => rng.normal() * 0.3);
      for (let c = at; c < at + 3; c++) slots[c * 24] = kind ? 3 : -3;
      return { v: { slots, nClips: n }, at };
    };
    const sentences = ["the red circle grows", "the red circle shrinks"];
    const make = () => {
      const vs = Array.from({ length: 6 }, (_, i) => ({ ...mk(i % 2), kind: i % 2 }));
      return { b: { videos: vs.map((x) => x.v), sentences: vs.map((x) => sentences[x.kind]), group: vs.map((_, i) => i) }, vs };
    };
    const opt = tf.train.adam(1e-2);
    for (let i = 0; i < 150; i++) opt.minimize(() => relevanceLoss(model, make().b).total);
    // on fresh videos the best token of the right sentence lies in the event
    const { b, vs } = make();
    let hits = 0;
    vs.forEach((x, i) => {
      const sc = tf.tidy(() => model.scoresT(batchTokensT(model, [b.videos[i]]), model.queryT([model.encode(b.sentences[i])])).dataSync() as Float32Array);
      const best = sc.indexOf(Math.max(...sc));
      const clip = ((best + 0.5) / 8) * 12;
      if (clip >= x.at - 0.5 && clip <= x.at + 3.5) hits++;
    });
    expect(hits).toBeGreaterThanOrEqual(5);
    model.ps.dispose();
  });
  it("batches hold distinct videos with up to PV distinct sentences each", () => {
    const sentences = new Map([
      ["a", ["s1", "s2", "s3", "s1"]],
      ["b", ["t1", "t2"]],
      ["c", ["u1", "u2", "u3"]],
    ]);
    const b = sampleRelevanceBatch(["a", "b", "c"], sentences, () => ({ slots: new Float32Array(0), nClips: 0 }), 2, 2, new Rng(1));
    expect(b.videos.length).toBe(2);
    expect(b.sentences.length).toBe(4);
    expect(new Set(b.sentences).size).toBe(4);
    expect(b.group).toEqual([0, 0, 1, 1]);
  });
});

describe("relevance scorer: the inference path", () => {
  it("fusedScoresT and queryOneT give the training path's logits (3 members, odd and even kernels)", () => {
    for (const temporalKernel of [3, 4]) {
      const cfg = { ...SMALL, temporalKernel };
      const model = RelevanceModel.ensemble([1, 2, 3].map((seed) => new RelevanceModel(cfg, seed)));
      const rng = new Rng(4);
      const H = cfg.hidden;
      const B = 2;
      const feats = Float32Array.from({ length: B * cfg.nTokens * H * 3 }, () => rng.normal());
      const blocks = [0, 1, 2].map((m) => {
        const out = new Float32Array(B * cfg.nTokens * H);
        for (let r = 0; r < B * cfg.nTokens; r++) out.set(feats.subarray(r * 3 * H + m * H, r * 3 * H + (m + 1) * H), r * H);
        return out;
      });
      for (const sentence of ["the red circle moves left", "a zorblax quuxes", ""]) {
        const text = model.encode(sentence);
        const want = tf.tidy(() => model.scoresT(model.tokensT(tf.tensor(feats, [B, cfg.nTokens, 3 * H])), tf.tile(model.queryT([text]), [B, 1])).dataSync() as Float32Array);
        const q = tf.tidy(() => model.queryOneT(text).dataSync() as Float32Array);
        const qWant = tf.tidy(() => model.queryT([text]).dataSync() as Float32Array);
        q.forEach((x, i) => expect(x).toBeCloseTo(qWant[i], 5));
        const got = tf.tidy(() => model.fusedScoresT(blocks.map((x) => tf.tensor(x, [B, cfg.nTokens, H])), model.queryOneT(text)).dataSync() as Float32Array);
        expect(got.length).toBe(want.length);
        got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 4));
      }
      model.ps.dispose();
    }
  });
});

describe("relevance ensemble", () => {
  it("concatenates its members' features and queries and averages their logits; save → load keeps it", () => {
    const a = new RelevanceModel(SMALL, 1);
    const b = new RelevanceModel(SMALL, 2);
    const ens = RelevanceModel.ensemble([a, b]);
    expect(ens.members).toBe(2);
    expect(ens.featureDim).toBe(2 * SMALL.hidden);
    const rng = new Rng(5);
    const slots = tf.tensor(new Float32Array(8 * 6 * SMALL.slotInput).map(() => rng.normal()), [8, 6, SMALL.slotInput]);
    const texts = ["the red circle moves left", "a blue box grows"].map((t) => a.encode(t));
    const run = (m: RelevanceModel) =>
      tf.tidy(() => {
        const f = m.clipFeaturesT(slots);
        const tok = m.tokensT(tf.stack([f, f.reverse(0)]));
        return { f: f.arraySync() as number[][], s: m.scoresT(tok, m.queryT(texts)).arraySync() as number[][] };
      });
    const [ra, rb, re] = [run(a), run(b), run(ens)];
    re.f.forEach((row, i) => expect(row).toEqual([...ra.f[i], ...rb.f[i]].map((x) => expect.closeTo(x, 5))));
    re.s.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo((ra.s[i][j] + rb.s[i][j]) / 2, 5)));
    // members that differ score differently: the mean is not either one
    expect(Math.abs(ra.s[0][0] - rb.s[0][0])).toBeGreaterThan(1e-4);
    const dir = mkdtempSync(path.join(os.tmpdir(), "rel-ens-"));
    ens.ps.save(dir, { name: "relevance", version: "ens-t", config: ens.cfg });
    const back = new RelevanceModel(ens.cfg, 0);
    back.ps.loadFrom(dir);
    run(back).s.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(re.s[i][j], 6)));
    // a member taken back out (search's cheap first pass) is that member, sharing the weights
    const second = ens.member(1);
    expect(second.members).toBe(1);
    run(second).s.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(rb.s[i][j], 5)));
    expect(second.ps.vars.get("rel/q/w")).toBe(ens.ps.vars.get("rel1/q/w"));
    expect(() => ens.member(2)).toThrow(/no member 2/);
    expect(() => RelevanceModel.ensemble([a, new RelevanceModel({ ...SMALL, hidden: 4 }, 3)])).toThrow(/architecture/);
    expect(() => RelevanceModel.ensemble([ens, a])).toThrow(/single/);
    slots.dispose();
    for (const m of [a, b, ens, back]) m.ps.dispose();
  });
});

describe("relevance scorer in the app", () => {
  it("inference embeds through the shared slot inputs exactly as training's encodeClipsT", async () => {
    const { clipWindows, windowFrames } = await import("../features/slots");
    const { embedClipFeatures } = await import("../index");
    const loc = new LocVtpModel(defaultLocVtpConfig(), 6);
    loc.slotMean = loc.slotMean.map((_, i) => 0.01 * i);
    loc.slotStd = loc.slotStd.map((_, i) => 0.5 + 0.01 * i);
    const rng = new Rng(12);
    const n = 7;
    const fd = loc.cfg.clip.frameDim;
    const feats = new Float32Array(n * loc.cfg.framesPerClip * fd).map(() => rng.next());
    const viaInputs = embedClipFeatures(loc, feats, n);
    const idx = Array.from({ length: n }, (_, i) => i);
    const direct = tf.tidy(() => loc.encodeClipsT(tf.tensor(clipWindows(feats, n, loc.cfg.framesPerClip, fd, loc.cfg.clip.contextClips ?? 0, idx), [n, windowFrames(loc.cfg), fd])).arraySync() as number[][]);
    viaInputs.forEach((e, i) => e.forEach((x, j) => expect(x).toBeCloseTo(direct[i][j], 5)));
  });
  it("ingestion features + grounder: the clip encoder appends the scorer's version, and a grounder reading stored features matches one computing them", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ml-rel-"));
    const loc = new LocVtpModel(defaultLocVtpConfig(), 4);
    saveLocVtp(loc, path.join(dir, "locvtp"), "locvtp-t");
    const rel = new RelevanceModel({ ...relevanceConfigFor(loc), hidden: 16 }, 4);
    rel.ps.save(path.join(dir, "relevance"), { name: "relevance", version: "relevance-t", config: rel.cfg });
    const cfg = { ...DEFAULT_CPL_CONFIG, hidden: 32, ffn: 32, K: 3, buckets: 512, simSource: "relevance" as const };
    const cpl = new CplModel(cfg, 4, SHAPES_VOCAB);
    saveCpl(cpl, path.join(dir, "cpl"), "cpl-t");

    const enc = await loadClipEncoder(path.join(dir, "locvtp"));
    expect(enc.version).toBe("locvtp-t+relevance-t");
    const rng = new Rng(8);
    const n = 9;
    const feats = new Float32Array(n * loc.cfg.framesPerClip * loc.cfg.clip.frameDim).map(() => rng.next());
    const emb = enc.embedClips(feats, n);
    const gf = enc.groundingFeatures(feats, n)!;
    expect(gf.length).toBe(n);
    expect(gf[0].length).toBe(16);
    const direct = relevanceClipFeatures(rel, loc, feats, n);
    gf.forEach((f, i) => f.forEach((x, j) => expect(x).toBeCloseTo(direct[i][j], 5)));

    // stored layout: embedding then features
    const clips = emb.map((e, i) => Float32Array.from([...e, ...gf[i]]));
    const g = await loadGrounder(path.join(dir, "cpl"));
    expect(g.version).toBe("cpl-t+relevance-t");
    cpl.relevance = rel;
    cpl.sentenceEmbedder = sentenceEmbedderFor(loc);
    const a = await g.ground("the red circle moves left", clips, 9, { method: "vote" });
    expect(a).toEqual(groundWithModel(cpl, "the red circle moves left", clips, 9, { method: "vote" }));
    // the channel is the scorer's logits: a grounder told otherwise gives other proposals
    const sc = relevanceScores(rel, "the red circle moves left", [clips], 128);
    expect(sc.length).toBe(cfg.nTokens);
    // clips without stored features still ground (LocVTP cosine fallback) beside ones with them
    const many = groundManyWithModel(cpl, "the red circle moves left", [
      { clips, durationSeconds: 9 },
      { clips: emb, durationSeconds: 9 },
    ]);
    expect(many[0]).toEqual(a);
    expect(many[1].length).toBeGreaterThan(0);
  });
  it("trainRelevance runs on a corpus and saves what loadRelevance reads", async () => {
    const loc = new LocVtpModel(defaultLocVtpConfig(), 1);
    const rng = new Rng(2);
    const videos = Array.from({ length: 4 }, (_, i) => {
      const nClips = 5 + i;
      return { id: `v${i}`, nClips, duration: nClips, feats: new Float32Array(nClips * 4 * loc.cfg.clip.frameDim).map(() => rng.next()) };
    });
    const sentences = new Map(videos.map((v, i) => [v.id, [`the red circle moves ${i % 2 ? "left" : "right"}`, "a blue box grows"]]));
    const corpus = { dir: "", videos, byId: new Map(videos.map((v) => [v.id, v])), queries: [], sentences } as unknown as Corpus;
    const model = trainRelevance(corpus, loc, { seed: 1, steps: 2, videosPerBatch: 3, sentencesPerVideo: 2, lr: 1e-3, quiet: true });
    const dir = mkdtempSync(path.join(os.tmpdir(), "ml-rel2-"));
    model.ps.save(dir, { name: "relevance", version: "relevance-x", config: model.cfg });
    const { loadRelevance } = await import("../index");
    const loaded = (await loadRelevance(dir))!;
    expect(loaded.version).toBe("relevance-x");
    const clips = relevanceClipFeatures(loaded.model, loc, videos[0].feats, 5);
    const orig = relevanceClipFeatures(model, loc, videos[0].feats, 5);
    expect(Array.from(clips[2])).toEqual(Array.from(orig[2]));
  });
});
