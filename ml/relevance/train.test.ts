import { describe, expect, it, beforeAll } from "vitest";
import { initBackend } from "../core/backend";
import { SMALL, batch, tinyCorpus } from "./test-fixtures";
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync } from "node:fs";
import path from "node:path";
import os from "node:os";
import { LocVtpModel } from "../locvtp/model";
import { RelevanceModel } from "./model";
import { defaultLocVtpConfig } from "../locvtp/config";
import { relevanceClipFeatures } from "./scores";
import { batchTokensT, relevanceLoss, trainRelevance } from "./train";
import { sampleRelevanceBatch } from "./batch";
import { Rng } from "../core/rng";
import { loadRelevance } from "./load";
import { clipSlotInputs } from "../locvtp/encode";

beforeAll(async () => {
  await initBackend();
});

describe("relevance scorer: the loss", () => {
  it("within-video term on hand-checked scores: −mean_s max_t log p(s | t)", () => {
    // one video, two sentences, N = 2 tokens: logits s1 = [ln 3, 0], s2 = [0, 0]
    // p(s1|t) = [3/4, 1/2], p(s2|t) = [1/4, 1/2]; best tokens: 3/4 and 1/2
    const model = new RelevanceModel({ ...SMALL, nTokens: 2 }, 1);
    const s = tf.tensor([
      [Math.log(3), 0],
      [0, 0],
    ]);
    const logp = tf.logSoftmax(s.transpose(), -1).transpose();
    expect(-tf.mean(tf.max(logp, 1)).dataSync()[0]).toBeCloseTo(-(Math.log(3 / 4) + Math.log(1 / 2)) / 2, 5);
    // and relevanceLoss reports exactly that term for the model's own scores
    // a second video with one sentence: counted across videos, skipped within
    const vid = (n: number, k: number) => ({
      slots: new Float32Array(n * 6 * 4).map((_, i) => Math.sin(i * k)),
      nClips: n,
    });
    const b = {
      videos: [vid(3, 1), vid(4, 2)],
      sentences: ["a red box grows", "the blue dot blinks", "a white ball appears"],
      group: [0, 0, 1],
    };
    const all = tf.tidy(
      () =>
        model
          .pairScoresT(batchTokensT(model, b.videos), model.queryT(b.sentences.map((x) => model.encode(x))))
          .arraySync() as number[][][],
    );
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

describe("relevance scorer: training", () => {
  it("every trainable variable receives a gradient, and the loss is finite", () => {
    const model = new RelevanceModel(SMALL, 1);
    const b = batch(model, new Rng(3));
    const { value, grads } = tf.variableGrads(() => relevanceLoss(model, b, 1).total, model.ps.list());
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const missing = [...model.ps.vars.entries()]
      .filter(([, v]) => !grads[v.name] || tf.sum(tf.abs(grads[v.name])).dataSync()[0] === 0)
      .map(([k]) => k);
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
      return {
        b: { videos: vs.map((x) => x.v), sentences: vs.map((x) => sentences[x.kind]), group: vs.map((_, i) => i) },
        vs,
      };
    };
    const opt = tf.train.adam(1e-2);
    for (let i = 0; i < 150; i++) opt.minimize(() => relevanceLoss(model, make().b).total);
    // on fresh videos the best token of the right sentence lies in the event
    const { b, vs } = make();
    let hits = 0;
    vs.forEach((x, i) => {
      const sc = tf.tidy(
        () =>
          model
            .scoresT(batchTokensT(model, [b.videos[i]]), model.queryT([model.encode(b.sentences[i])]))
            .dataSync() as Float32Array,
      );
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
    const b = sampleRelevanceBatch(
      ["a", "b", "c"],
      sentences,
      () => ({ slots: new Float32Array(0), nClips: 0 }),
      2,
      2,
      new Rng(1),
    );
    expect(b.videos.length).toBe(2);
    expect(b.sentences.length).toBe(4);
    expect(new Set(b.sentences).size).toBe(4);
    expect(b.group).toEqual([0, 0, 1, 1]);
  });
});

describe("relevance scorer: saving", () => {
  it("trainRelevance runs on a corpus and saves what loadRelevance reads", async () => {
    const loc = new LocVtpModel(defaultLocVtpConfig(), 1);
    const corpus = tinyCorpus(loc, (i) => [`the red circle moves ${i % 2 ? "left" : "right"}`, "a blue box grows"]);
    const videos = corpus.videos;
    const model = trainRelevance(corpus, loc, {
      seed: 1,
      steps: 2,
      videosPerBatch: 3,
      sentencesPerVideo: 2,
      lr: 1e-3,
      quiet: true,
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), "ml-rel2-"));
    model.ps.save(dir, { name: "relevance", version: "relevance-x", config: model.cfg });
    const loaded = (await loadRelevance(dir))!;
    expect(loaded.version).toBe("relevance-x");
    const inputs = clipSlotInputs(loc, videos[0].feats, 5);
    const clips = relevanceClipFeatures(loaded.model, inputs, 5);
    const orig = relevanceClipFeatures(model, inputs, 5);
    expect(Array.from(clips[2])).toEqual(Array.from(orig[2]));
  });
});
