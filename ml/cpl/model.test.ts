import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { Rng } from "../core/rng";
import { DEFAULT_CPL_CONFIG } from "./config";
import { cplLoss, type CplSample } from "./losses";
import { CplModel } from "./model";
import { SHAPES_VOCAB } from "./vocab";

beforeAll(async () => {
  await initBackend();
});

const SMALL_CPL = { ...DEFAULT_CPL_CONFIG, nTokens: 16, hidden: 32, ffn: 32, K: 3, buckets: 512 };

function cplBatch(model: CplModel, n: number): CplSample[] {
  const rng = new Rng(9);
  return Array.from({ length: n }, (_, i) => ({
    video: new Float32Array(model.cfg.nTokens * model.cfg.inDim).map(() => rng.normal() * 0.1 + (i % 2)),
    enc: model.encode(i % 2 ? "the red circle moves left" : "a blue square grows"),
    sim: new Float32Array(model.cfg.nTokens).map((_, t) => Math.cos(t + i)),
  }));
}

describe("every CPL variable receives a gradient", () => {
  it("CPL (L_rec + L_IVC + L_div)", () => {
    const model = new CplModel(SMALL_CPL, 1, SHAPES_VOCAB);
    const { grads } = tf.variableGrads(
      () => cplLoss(model, cplBatch(model, 4), "cpl", 0.5, new Rng(1)).total,
      model.ps.list(),
    );
    const missing = [...model.ps.vars.entries()]
      .filter(([, v]) => !grads[v.name] || tf.sum(tf.abs(grads[v.name])).dataSync()[0] === 0)
      .map(([k]) => k);
    // the embedding rows of buckets that no word uses get zero gradient by construction; the
    // table as a whole must get one
    expect(missing).toEqual([]);
    model.ps.dispose();
  });
});

describe("a tiny end-to-end training run lowers the loss", () => {
  it("CPL", () => {
    const model = new CplModel(SMALL_CPL, 2, SHAPES_VOCAB);
    const batch = cplBatch(model, 8);
    const opt = tf.train.adam(3e-3);
    const lossAt = (r: number) => tf.tidy(() => cplLoss(model, batch, "cpl", 0.5, new Rng(r)).total.dataSync()[0]);
    const before = lossAt(11);
    for (let i = 0; i < 25; i++)
      opt.minimize(() => cplLoss(model, batch, "cpl", 0.5, new Rng(11)).total, false, model.ps.list());
    expect(lossAt(11)).toBeLessThan(before * 0.8);
    model.ps.dispose();
  });
});
