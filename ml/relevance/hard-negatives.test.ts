import { describe, expect, it, beforeAll } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { Rng } from "../core/rng";
import { parseSentence } from "../data/shapes/world";
import { hardNegatives, objectEvent, oneWordEdits, phraseEvent } from "./hard-negatives";
import { RelevanceModel } from "./model";
import { SMALL, batch, tinyCorpus } from "./test-fixtures";
import {
  batchTokensT,
  finetuneRelevance,
  firstColumnNll,
  isClipTowerWeight,
  relevanceLoss,
  trainRelevance,
} from "./train";
import { LocVtpModel } from "../locvtp/model";
import { defaultLocVtpConfig } from "../locvtp/config";

beforeAll(async () => {
  await initBackend();
});

const event = (s: string) => objectEvent(parseSentence(s)!)!;

describe("hard negatives: one-word edits of a Shapes sentence", () => {
  it("edits colour, shape, action, target colour, and swaps a colour change's colours", () => {
    const edits = oneWordEdits(event("the blue square turns yellow"));
    const names = edits.map((e) => `${e.colour} ${e.shape} ${e.kind}${e.direction ?? ""}${e.to ? `>${e.to}` : ""}`);
    expect(names).toContain("yellow square colour>blue"); // the swap
    expect(names).toContain("blue square colour>red"); // another target
    expect(names).toContain("red square colour>yellow"); // another colour
    expect(names).toContain("blue circle colour>yellow"); // another shape
    expect(names).toContain("blue square spin"); // another action
    expect(names).toContain("blue square moveleft");
    expect(names).not.toContain("blue square colour>yellow"); // itself
    expect(names).not.toContain("blue square colour>blue"); // no change is no colour change
    // 3 colours (a yellow square cannot turn yellow) + 2 shapes + 6 fixed actions + 4 directions
    // + 3 other targets (not blue, its own colour) + the swap
    expect(edits).toHaveLength(3 + 2 + 6 + 4 + 3 + 1);
  });

  it("never makes a circle spin, and keeps a colourless sentence colourless", () => {
    const edits = oneWordEdits(event("the circle grows"));
    expect(edits.every((e) => e.colour === null)).toBe(true);
    expect(edits.some((e) => e.kind === "spin")).toBe(false);
    expect(oneWordEdits(event("the red square spins")).filter((e) => e.shape === "circle")).toHaveLength(0);
  });

  it("phrases an edit so that the grammar reads it back", () => {
    const rng = new Rng(3);
    for (const e of oneWordEdits(event("a green box slides to the left"))) {
      const p = parseSentence(phraseEvent(e, rng))!;
      expect(objectEvent(p)).toEqual(e);
    }
  });

  it("keeps only edits the check calls false, the swapped colour change first", () => {
    const rng = new Rng(1);
    const negs = hardNegatives("the blue block turns yellow", (s) => !/red/.test(s), 3, rng);
    expect(negs).toHaveLength(3);
    expect(objectEvent(parseSentence(negs[0])!)).toMatchObject({ colour: "yellow", to: "blue", kind: "colour" });
    expect(negs.some((s) => /red/.test(s))).toBe(false);
    expect(hardNegatives("the background turns gray", () => true, 3, rng)).toEqual([]);
    expect(hardNegatives("a dog runs", () => true, 3, rng)).toEqual([]);
  });
});

describe("hard negatives: the loss term", () => {
  it("firstColumnNll on hand-checked rows", () => {
    // [0, 0]: −log ½ = ln 2; [ln 3, 0]: −log ¾; a padded column (−1e4) counts for nothing
    const m = tf.tensor([
      [0, 0, -1e4],
      [Math.log(3), 0, -1e4],
      [2, -1e4, -1e4],
    ]);
    expect(firstColumnNll(m).dataSync()[0]).toBeCloseTo((Math.log(2) - Math.log(3 / 4) + 0) / 3, 5);
  });

  it("relevanceLoss's hard term is the softmax of each sentence's own-video score against its edits'", () => {
    const model = new RelevanceModel(SMALL, 4);
    const b = batch(model, new Rng(5));
    b.negatives = [
      { sentence: "the blue circle moves left", video: 0, owner: 0 },
      { sentence: "the red circle moves right", video: 0, owner: 0 },
      { sentence: "a white block grows", video: 2, owner: 3 },
    ];
    const N = SMALL.nTokens;
    const pooled = (sentence: string, v: number) =>
      tf.tidy(() => {
        const sc = model.scoresT(batchTokensT(model, [b.videos[v]]), model.queryT([model.encode(sentence)]));
        return tf.sub(tf.logSumExp(sc, 1), Math.log(N)).dataSync()[0];
      });
    const nll = (own: number, negs: number[]) => Math.log([own, ...negs].reduce((s, x) => s + Math.exp(x), 0)) - own;
    const expected =
      (nll(pooled(b.sentences[0], 0), [pooled(b.negatives[0].sentence, 0), pooled(b.negatives[1].sentence, 0)]) +
        nll(pooled(b.sentences[3], 2), [pooled(b.negatives[2].sentence, 2)])) /
      2;
    const l = relevanceLoss(model, b, 0, 0.5);
    expect(l.hard.dataSync()[0]).toBeCloseTo(expected, 4);
    expect(l.total.dataSync()[0]).toBeCloseTo(l.across.dataSync()[0] + 0.5 * expected, 4);
    delete b.negatives;
    expect(relevanceLoss(model, b, 0, 0.5).hard.dataSync()[0]).toBe(0);
  });

  it("fine-tuning with hard negatives moves the query side and leaves the clip tower (what a library stored) untouched", () => {
    const loc = new LocVtpModel(defaultLocVtpConfig(), 1);
    const corpus = tinyCorpus(loc, (i) => [
      `the red circle moves ${i % 2 ? "left" : "right"}`,
      "a blue box turns green",
    ]);
    const model = trainRelevance(corpus, loc, {
      seed: 1,
      steps: 1,
      videosPerBatch: 3,
      sentencesPerVideo: 2,
      lr: 1e-3,
      quiet: true,
    });
    const before = new Map([...model.ps.vars].map(([n, v]) => [n, Array.from(v.dataSync())]));
    const asked: string[] = [];
    finetuneRelevance(model, corpus, loc, {
      seed: 3,
      steps: 2,
      videosPerBatch: 3,
      sentencesPerVideo: 2,
      lr: 1e-2,
      quiet: true,
      hardNegatives: {
        perSentence: 2,
        weight: 1,
        isFalse: (id, s) => {
          asked.push(`${id}: ${s}`);
          return true;
        },
      },
    });
    expect(asked.length).toBeGreaterThan(0);
    const moved = (n: string) => before.get(n)!.some((x, i) => x !== model.ps.vars.get(n)!.dataSync()[i]);
    const names = [...model.ps.vars.keys()];
    expect(names.filter(isClipTowerWeight).length).toBeGreaterThan(0);
    expect(names.filter(isClipTowerWeight).some(moved)).toBe(false);
    expect(names.filter((n) => !isClipTowerWeight(n)).some(moved)).toBe(true);
    expect(() =>
      finetuneRelevance(model, corpus, loc, {
        seed: 3,
        steps: 1,
        videosPerBatch: 3,
        sentencesPerVideo: 2,
        lr: 1e-2,
        quiet: true,
        augment: { permuteColours: true },
        hardNegatives: { perSentence: 1, weight: 1, isFalse: () => true },
      }),
    ).toThrow(/without augmentations/);
  });
});
