import { describe, expect, it, beforeAll } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { Rng } from "../core/rng";
import { parseSentence } from "../data/shapes/world";
import {
  editSentences,
  falseByCaptions,
  hardNegatives,
  objectEvent,
  oneWordEdits,
  phraseEvent,
} from "./hard-negatives";
import { RelevanceModel } from "./model";
import { SMALL, batch, tinyCorpus } from "./test-fixtures";
import {
  batchTokensT,
  finetuneRelevance,
  firstColumnNll,
  isClipTowerWeight,
  isWordTableWeight,
  relevanceLoss,
  relevanceTrainer,
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

describe("hard negatives: an extra event kind and a library's captions", () => {
  it("names an extra kind only when asked, both ways (an old action becomes it, and it becomes an old one)", () => {
    const kinds = (s: string, extra: "bounce"[] = []) => oneWordEdits(event(s), extra).map((e) => e.kind);
    expect(kinds("the red circle moves up")).not.toContain("bounce");
    expect(kinds("the red circle moves up", ["bounce"])).toContain("bounce");
    expect(oneWordEdits(event("the red circle moves up"), ["bounce"])).toHaveLength(
      oneWordEdits(event("the red circle moves up")).length + 1,
    );
    const fromBounce = oneWordEdits(event("a red ball hops"), ["bounce"]);
    const sameObject = fromBounce.filter((e) => e.colour === "red" && e.shape === "circle");
    expect(sameObject.map((e) => e.kind)).not.toContain("bounce");
    expect(fromBounce.some((e) => e.kind === "move" && e.direction === "up")).toBe(true);
    const rng = new Rng(4);
    const negs = hardNegatives("the green box moves left", () => true, 40, rng, ["bounce"]);
    expect(negs.some((s) => parseSentence(s)?.kind === "bounce")).toBe(true);
  });

  it("names shake like bounce: only when asked, both ways", () => {
    const kinds = (s: string, extra: ("bounce" | "shake")[] = []) => oneWordEdits(event(s), extra).map((e) => e.kind);
    expect(kinds("the red circle moves left")).not.toContain("shake");
    expect(kinds("the red circle moves left", ["bounce"])).not.toContain("shake");
    expect(kinds("the red circle moves left", ["bounce", "shake"])).toEqual(
      expect.arrayContaining(["bounce", "shake"]),
    );
    const fromShake = oneWordEdits(event("the blue box jiggles"), ["shake"]);
    const sameObject = fromShake.filter((e) => e.colour === "blue" && e.shape === "square");
    expect(sameObject.map((e) => e.kind)).not.toContain("shake");
    expect(fromShake.some((e) => e.kind === "move" && e.direction === "left")).toBe(true);
    // the verifier's edits (no extra kinds) never name it
    expect(editSentences("the red circle moves left").some((s) => parseSentence(s)?.kind === "shake")).toBe(false);
    const negs = hardNegatives("the green box moves left", () => true, 40, new Rng(4), ["shake"]);
    expect(negs.some((s) => parseSentence(s)?.kind === "shake")).toBe(true);
    const isFalse = falseByCaptions(["the red circle shakes"]);
    expect(isFalse("a red ball wobbles")).toBe(false);
    expect(isFalse("the red circle bounces")).toBe(true);
  });

  it("reads a video's captions as a closed world: an event none of them describes is false", () => {
    const isFalse = falseByCaptions([
      "the red circle bounces",
      "the square moves to the left",
      "a blue triangle turns green",
      "the background turns gray",
      "a dog runs",
    ]);
    expect(isFalse("a red ball hops")).toBe(false); // a synonym of a caption
    expect(isFalse("the red circle spins")).toBe(true); // another action
    expect(isFalse("the green circle bounces")).toBe(true); // another colour
    expect(isFalse("the circle bounces")).toBe(false); // no colour: the red one may be meant
    expect(isFalse("the yellow square slides left")).toBe(false); // the caption names no colour
    expect(isFalse("the square moves up")).toBe(true); // another direction
    expect(isFalse("the blue triangle turns red")).toBe(true); // another target colour
    expect(isFalse("the blue triangle changes to green")).toBe(false);
    expect(isFalse("the background turns navy")).toBe(false); // no object event: never called false
    expect(isFalse("a cat sleeps")).toBe(false); // outside the grammar
  });
});

describe("the word table's own rate", () => {
  it("moves the text tower's word table at wordLr and every other weight at lr", () => {
    const loc = new LocVtpModel(defaultLocVtpConfig(), 1);
    const corpus = tinyCorpus(loc, (i) => [`the red circle ${i % 2 ? "bounces" : "grows"}`, "a blue box turns green"]);
    const model = trainRelevance(corpus, loc, {
      seed: 1,
      steps: 1,
      videosPerBatch: 3,
      sentencesPerVideo: 2,
      lr: 1e-3,
      quiet: true,
    });
    const before = new Map([...model.ps.vars].map(([n, v]) => [n, Float32Array.from(v.dataSync())]));
    const trainer = relevanceTrainer(model, corpus, loc, {
      seed: 2,
      steps: 10,
      videosPerBatch: 3,
      sentencesPerVideo: 2,
      lr: 1e-6,
      wordLr: 1e-2,
    });
    expect(trainer.wordOptimizer).not.toBeNull();
    trainer.next();
    // Adam's first step moves each weight with a gradient by about its rate
    const largest = (n: string) =>
      Array.from(model.ps.vars.get(n)!.dataSync()).reduce((m, x, i) => Math.max(m, Math.abs(x - before.get(n)![i])), 0);
    const names = [...model.ps.vars.keys()];
    expect(names.filter(isWordTableWeight).length).toBeGreaterThan(0);
    for (const n of names.filter(isWordTableWeight)) expect(largest(n)).toBeGreaterThan(5e-3);
    for (const n of names.filter((x) => !isWordTableWeight(x))) expect(largest(n)).toBeLessThan(1e-5);
    expect(
      relevanceTrainer(model, corpus, loc, { seed: 2, steps: 1, videosPerBatch: 3, sentencesPerVideo: 2, lr: 1e-3 })
        .wordOptimizer,
    ).toBeNull();
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
