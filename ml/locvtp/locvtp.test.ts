import { describe, expect, it, beforeAll } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { clipTopkSelection, coarseLoss, fineLoss, positiveWords, warpIndices } from "./losses";
import { initBackend } from "../core/backend";
import { LocVtpModel } from "./model";
import { defaultLocVtpConfig } from "./config";

beforeAll(async () => {
  await initBackend();
});

describe("L_c (symmetric InfoNCE)", () => {
  it("orthogonal pairs, τ=1: log(1 + e^-1)", () => {
    const eye = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    expect(coarseLoss(eye, eye, 1).dataSync()[0]).toBeCloseTo(Math.log(1 + Math.exp(-1)), 5);
  });
  it("is symmetric only on average: both directions are counted", () => {
    const v = tf.tensor2d([
      [1, 0],
      [0.6, 0.8],
    ]);
    const q = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const l = (a: number[][], i: number, t: number) =>
      -Math.log(Math.exp(a[i][i] / t) / a[i].reduce((s, x) => s + Math.exp(x / t), 0));
    const sim = [
      [1, 0],
      [0.6, 0.8],
    ]; // v_i·q_j
    const simT = [
      [1, 0.6],
      [0, 0.8],
    ];
    const expected = ((l(sim, 0, 0.5) + l(sim, 1, 0.5)) / 2 + (l(simT, 0, 0.5) + l(simT, 1, 0.5)) / 2) / 2;
    expect(coarseLoss(v, q, 0.5).dataSync()[0]).toBeCloseTo(expected, 5);
  });
});

describe("clip-topk and L_f", () => {
  it("selects the K most similar words of the paired sentence (fewer if short)", () => {
    // N=2 videos, T=1 clip, S=4 words; sentence 2 has only 2 words
    const sims = Float32Array.from([0.1, 0.9, 0.5, 0.7, 0.3, 0.2, 0, 0]);
    const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 0, 0]);
    const sel = Array.from(clipTopkSelection(sims, 2, 1, 4, mask, 3));
    expect(sel.slice(0, 4).map((x) => +x.toFixed(4))).toEqual([0, 0.3333, 0.3333, 0.3333]);
    expect(sel.slice(4)).toEqual([0.5, 0.5, 0, 0]);
  });
  it("v·q^t_+ equals the mean of the top-K similarities (q^t_+ is not re-normalised)", () => {
    const words = tf.tensor3d([
      [
        [1, 0],
        [0, 1],
        [0.6, 0.8],
      ],
    ]);
    const v = tf.tensor3d([[[0.8, 0.6]]]);
    const sims = tf.matMul(v, words, false, true).dataSync() as Float32Array; // .8 .6 .96
    const sel = tf.tensor3d(Array.from(clipTopkSelection(sims, 1, 1, 3, Float32Array.from([1, 1, 1]), 2)), [1, 1, 3]);
    const pos = tf.sum(tf.mul(v, positiveWords(sel, words))).dataSync()[0];
    expect(pos).toBeCloseTo((0.96 + 0.8) / 2, 5);
  });
  it("L_f by hand: one clip, two words in the batch", () => {
    const anchors = tf.tensor3d([[[1, 0]]]);
    const words = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const sel = tf.tensor3d([[[1, 0]]]);
    const qPos = positiveWords(sel, words.expandDims(0));
    const l = fineLoss(anchors, qPos, tf.tensor2d([[1]]), words, tf.tensor1d([1, 1]), 0.5);
    expect(l.dataSync()[0]).toBeCloseTo(-Math.log(Math.exp(2) / (Math.exp(2) + 1)), 5);
    // padded words never count as negatives
    const l2 = fineLoss(
      anchors,
      qPos,
      tf.tensor2d([[1]]),
      tf.tensor2d([
        [1, 0],
        [0, 1],
        [1, 0],
      ]),
      tf.tensor1d([1, 1, 0]),
      0.5,
    );
    expect(l2.dataSync()[0]).toBeCloseTo(l.dataSync()[0], 5);
  });
});

describe("context warping", () => {
  it("shift indices stay inside the video and mark invalid targets", () => {
    const { src, valid } = warpIndices([1, -2], Float32Array.from([1, 1, 1, 1, 1, 0]), 3);
    expect(Array.from(src)).toEqual([1, 2, 2, 3, 4, 5]);
    expect(Array.from(valid)).toEqual([1, 1, 0, 0, 0, 0]);
  });
  it("z = ReLU(W[v, sgn δ, |δ|]) has shape [n, D], is non-negative, W is (D+2)×D", () => {
    const m = new LocVtpModel(defaultLocVtpConfig(), 3);
    const D = m.cfg.clip.outDim;
    const z = m.warp(tf.randomNormal([5, D]), tf.tensor1d([-4, -1, 0, 2, 4]));
    expect(z.shape).toEqual([5, D]);
    expect(tf.min(z).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(m.ps.vars.get("warp/W/w")!.shape).toEqual([D + 2, D]);
    m.ps.dispose();
  });
});
