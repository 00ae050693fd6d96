import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { defaultLocVtpConfig } from "../locvtp/config";
import { LocVtpModel } from "../locvtp/model";
import { relevanceConfigFor } from "./config";
import { RelevanceModel } from "./model";
import { spanTargetLoss, supervisedRelevanceTrainer, timedSentences } from "./supervised";
import { tinyCorpus } from "./test-fixtures";
import { batchTokensT, corpusSlotInputs } from "./train";
import type { Corpus } from "../data/corpus";

beforeAll(async () => {
  await initBackend();
});

describe("relevance scorer trained with timestamps", () => {
  it("span loss on hand-checked scores: −mean_q Σ_t y_qt log softmax(s_q)_t", () => {
    // row 1: softmax(0, ln 3) = (1/4, 3/4), target (½, ½): ½ ln 4 + ½ ln 4/3 = 0.836988
    // row 2: softmax(0, 0) = (½, ½), target (1, 0): ln 2 = 0.693147; mean 0.765068
    const loss = spanTargetLoss(
      tf.tensor([
        [0, Math.log(3)],
        [0, 0],
      ]),
      tf.tensor([
        [0.5, 0.5],
        [1, 0],
      ]),
    );
    expect(loss.dataSync()[0]).toBeCloseTo(0.765068, 5);
  });

  it("reads each timed sentence as its span's centre and width, in fractions of its video", () => {
    const loc = new LocVtpModel(defaultLocVtpConfig(), 1);
    const corpus = tinyCorpus(loc, () => []);
    // v0 lasts 5 s, v1 6 s
    corpus.queries.push(
      { video: "v0", query: "a red circle grows", start: 1, end: 3 },
      { video: "v0", query: "a blue box spins" },
      { video: "v1", query: "a green dot appears", start: 0, end: 6 },
    ) as unknown as Corpus["queries"];
    const t = timedSentences(corpus);
    expect([...t.keys()]).toEqual(["v0", "v1"]);
    expect(t.get("v0")!.map((q) => q.query)).toEqual(["a red circle grows"]);
    expect(t.get("v0")![0].c).toBeCloseTo(0.4, 6);
    expect(t.get("v0")![0].w).toBeCloseTo(0.4, 6);
    expect(t.get("v1")![0]).toMatchObject({ c: 0.5, w: 1 });
  });

  it("moves a sentence's softmax mass into its annotated span", () => {
    const loc = new LocVtpModel(defaultLocVtpConfig(), 1);
    const corpus = tinyCorpus(loc, () => []);
    // the same sentence in every video, each at another place: only timestamps say where
    corpus.videos.forEach((v, i) =>
      corpus.queries.push({
        video: v.id,
        query: "the red circle moves left",
        start: (i % 2 ? 0.6 : 0) * v.duration,
        end: (i % 2 ? 1 : 0.4) * v.duration,
      } as Corpus["queries"][number]),
    );
    const model = new RelevanceModel(relevanceConfigFor(loc.cfg), 3);
    const N = model.cfg.nTokens;
    const slots = corpusSlotInputs(loc, corpus);
    const massInSpans = () =>
      corpus.videos.map((v, i) => {
        const s = tf.tidy(
          () =>
            tf
              .softmax(
                model.scoresT(
                  batchTokensT(model, [slots.get(v.id)!]),
                  model.queryT([model.encode("the red circle moves left")]),
                ),
              )
              .dataSync() as Float32Array,
        );
        return s.reduce(
          (m, p, t) => m + ((t + 0.5) / N >= (i % 2 ? 0.6 : 0) && (t + 0.5) / N <= (i % 2 ? 1 : 0.4) ? p : 0),
          0,
        );
      });
    const before = massInSpans();
    const trainer = supervisedRelevanceTrainer(model, corpus, loc, {
      seed: 1,
      steps: 80,
      videos: 4,
      sentences: 1,
      lr: 1e-2,
      across: 0,
    });
    while (trainer.step < 80) trainer.next();
    const after = massInSpans();
    // uniform scores would put 40 % of the mass in each span
    for (let i = 0; i < after.length; i++) expect(after[i]).toBeGreaterThan(Math.max(0.8, before[i]));
    model.ps.dispose();
  });
});
