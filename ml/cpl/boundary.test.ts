import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { Rng } from "../core/rng";
import { DEFAULT_CPL_CONFIG } from "./config";
import { boundarySpans, boundaryTargets } from "./geometry";
import { boundaryCE, cplLoss, type CplSample } from "./losses";
import { CplModel, simChannels } from "./model";
import { SHAPES_VOCAB } from "./vocab";

beforeAll(async () => {
  await initBackend();
});

describe("boundary head: decoding", () => {
  it("scores pair (i, j) by log softmax(s)_i + log softmax(e)_j and covers tokens i..j", () => {
    // N = 4; s = log[.1 .6 .2 .1], e = log[.1 .1 .7 .1] (already normalised, so log softmax = s, e)
    const s = [0.1, 0.6, 0.2, 0.1].map(Math.log);
    const e = [0.1, 0.1, 0.7, 0.1].map(Math.log);
    const [best, second] = boundarySpans(s, e, 2);
    // best: i = 1, j = 2 → [1/4, 3/4], c = 0.5, w = 0.5, score = log(.6 · .7)
    expect(best.c).toBeCloseTo(0.5, 12);
    expect(best.w).toBeCloseTo(0.5, 12);
    expect(best.score).toBeCloseTo(Math.log(0.42), 12);
    // the runner-up pairs (2, 2) = .14 and (0, 2) = .07 overlap [¼, ¾] by IoU .5 and .67 → (0, 2)
    // is skipped (> .5), (2, 2) is kept (IoU exactly .5 is allowed): [2/4, 3/4]
    expect(second.c).toBeCloseTo(0.625, 12);
    expect(second.w).toBeCloseTo(0.25, 12);
    expect(second.score).toBeCloseTo(Math.log(0.2 * 0.7), 12);
  });
  it("never ends before it starts, and is shift-invariant in the logits", () => {
    // end mass before the start mass: the only pairs with i ≤ j
    const s = [0, 0, 5];
    const e = [5, 0, 0];
    const a = boundarySpans(s, e, 1)[0];
    const b = boundarySpans(
      s.map((x) => x + 3),
      e.map((x) => x - 7),
      1,
    )[0];
    expect(a.c - a.w / 2).toBeGreaterThanOrEqual(0);
    expect(a.w).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });
  it("targets are the token edges nearest the annotated ends", () => {
    // N = 10, span [0.23, 0.48]: start edge round(2.3) = 2, end edge round(4.8) = 5 → tokens 2..4
    expect(boundaryTargets({ c: 0.355, w: 0.25 }, 10)).toEqual({ start: 2, end: 4 });
    // a span shorter than a token still gets one token; ends clamp into the video
    expect(boundaryTargets({ c: 0.52, w: 0.02 }, 10)).toEqual({ start: 5, end: 5 });
    expect(boundaryTargets({ c: 0.95, w: 0.3 }, 10)).toEqual({ start: 8, end: 9 });
  });
  it("the loss is the mean of −log p_start − log p_end", () => {
    const start = tf.tensor2d([[0, Math.log(3)]]); // softmax [¼, ¾]
    const end = tf.tensor2d([[Math.log(4), 0]]); // softmax [⅘, ⅕]
    const l = boundaryCE(start, end, [1], [0]).dataSync()[0];
    expect(l).toBeCloseTo(-Math.log(0.75) - Math.log(0.8), 5);
  });
});

describe("similarity channels with several values per token", () => {
  it("keeps the raw values, then each channel's z-score over the tokens", () => {
    // B = 1, N = 2, C = 2: channel 0 = [1, 3] (mean 2, sd 1), channel 1 = [5, 5] (sd 0)
    const out = simChannels(Float32Array.from([1, 5, 3, 5]), 1, 2, 2);
    const sd = 1 + 1e-3;
    expect(Array.from(out)).toEqual(Array.from(Float32Array.from([1, 5, -1 / sd, 0, 3, 5, 1 / sd, 0])));
    // C = 1 is the former layout: [value, z] per token
    expect(Array.from(simChannels(Float32Array.from([1, 3]), 1, 2))).toEqual(
      Array.from(Float32Array.from([1, -1 / sd, 3, 1 / sd])),
    );
  });
});

describe("a boundary grounder trained with timestamps", () => {
  it("learns to point at the annotated tokens, its best-scored proposal first", () => {
    const cfg = {
      ...DEFAULT_CPL_CONFIG,
      nTokens: 16,
      hidden: 32,
      ffn: 32,
      K: 3,
      buckets: 512,
      head: "boundary" as const,
    };
    const model = new CplModel(cfg, 3, SHAPES_VOCAB);
    const rng = new Rng(5);
    // the event is where the similarity channel is high: tokens 4..7 (span [.25, .5])
    const sim = new Float32Array(16).map((_, t) => (t >= 4 && t <= 7 ? 1 : 0));
    const batch: CplSample[] = Array.from({ length: 4 }, () => ({
      video: new Float32Array(16 * cfg.inDim).map(() => rng.normal() * 0.1),
      enc: model.encode("the red circle moves left"),
      sim,
      gt: { c: 0.375, w: 0.25 },
    }));
    const opt = tf.train.adam(1e-2);
    const lossAt = () => tf.tidy(() => cplLoss(model, batch, "supervised", 1, rng).total.dataSync()[0]);
    const before = lossAt();
    for (let i = 0; i < 30; i++)
      opt.minimize(() => cplLoss(model, batch, "supervised", 1, rng).total, false, model.ps.list());
    expect(lossAt()).toBeLessThan(before * 0.5);
    // the first proposal (the best-scoring pair) is the annotated span: tokens 4..7
    const p = tf.tidy(() => {
      const out = model.proposals(tf.tensor(batch[0].video, [1, 16, cfg.inDim]), [batch[0].enc.query], sim);
      return { c: out.c.dataSync()[0], w: out.w.dataSync()[0], score: Array.from(out.boundary!.score.dataSync()) };
    });
    expect(p.c).toBeCloseTo(0.375, 6);
    expect(p.w).toBeCloseTo(0.25, 6);
    expect(p.score[0]).toBeGreaterThanOrEqual(Math.max(...p.score.slice(1)));
    model.ps.dispose();
  });
});
