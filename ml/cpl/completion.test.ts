import { describe, expect, it, beforeAll } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { initBackend } from "../core/backend";
import {
  completionCENum,
  completionCET,
  substitutes,
  substitutedSentences,
  substitutionIndex,
  substitutionIndexFromJson,
  substitutionIndexToJson,
} from "../cpl/completion";
import { LocVtpModel } from "../locvtp/model";
import { CplModel } from "./model";
import { RelevanceModel } from "../relevance/model";
import { DEFAULT_CPL_CONFIG } from "./config";
import { defaultLocVtpConfig } from "../locvtp/config";
import { clipVectors } from "../encoders";
import { relevanceConfigFor } from "../relevance/config";
import { tokenScores } from "../relevance/scores";
import { completionTableOf, groundWithModel } from "./ground";
import { loadCpl } from "./load";
import { cplLoss, type CplSample } from "./losses";
import { saveCpl } from "./train";
import { saveLocVtp } from "../locvtp/train";
import type { ClipVector } from "../types";
import { Rng } from "../core/rng";
import { SHAPES_VOCAB } from "./vocab";
import { resampleClips } from "../core/resample";

beforeAll(async () => {
  await initBackend();
});

const SENTENCES = [
  ["the", "red", "square", "moves", "left"],
  ["the", "blue", "square", "moves", "right"],
  ["a", "red", "circle", "moves", "left"],
  ["the", "green", "circle", "grows"],
];

describe("substitutes: words the training sentences put between the same neighbours", () => {
  const ix = substitutionIndex(SENTENCES);
  it("colours compete with colours, directions with directions (by hand)", () => {
    const ws = SENTENCES[0];
    // after "the" and before "square": red, blue (green comes before "circle" only)
    expect(substitutes(ix, ws, 1, 12)).toEqual(["red", "blue"]);
    // after "moves" and at the end: left (true word), right
    expect(substitutes(ix, ws, 4, 12)).toEqual(["left", "right"]);
    // first word: after <s>, before "red": the, a
    expect(substitutes(ix, ws, 0, 12)).toEqual(["the", "a"]);
    // after "red", before "moves": square, circle
    expect(substitutes(ix, ws, 2, 12)).toEqual(["square", "circle"]);
    // a cap keeps the true word first
    expect(substitutes(ix, ws, 1, 1)).toEqual(["red"]);
  });
  it("an unseen word still gets its own entry and never crashes", () => {
    expect(substitutes(ix, ["the", "purple", "square"], 1, 12)).toEqual(["purple", "red", "blue"]);
    expect(substitutes(ix, ["zzz"], 0, 12)).toEqual(["zzz"]);
  });
  it("lists every substituted sentence and survives a JSON round trip", () => {
    const { sentences, slot } = substitutedSentences(ix, SENTENCES[3], 16, 12);
    expect(sentences[0]).toEqual(SENTENCES[3]);
    expect(slot.filter((s) => s.c === 0).map((s) => s.j)).toEqual([0, 1, 2, 3]);
    const back = substitutionIndexFromJson(JSON.parse(JSON.stringify(substitutionIndexToJson(ix))));
    for (let j = 0; j < 5; j++)
      expect(substitutes(back, SENTENCES[0], j, 12)).toEqual(substitutes(ix, SENTENCES[0], j, 12));
  });
});

describe("completion loss", () => {
  it("matches hand-computed values", () => {
    // 2 candidates × 2 tokens: true word's logits [0, 2], substitute's [1, 0]
    const L = [
      [0, 2],
      [1, 0],
    ];
    expect(completionCENum(L, [1, 0])).toBeCloseTo(Math.log(1 + Math.E), 6); // fits 0 and 1
    expect(completionCENum(L, [0, 1])).toBeCloseTo(Math.log(1 + Math.exp(-2)), 6); // fits 2 and 0
    // whole video: fits log((1 + e²)/2) = 1.43378 and log((e + 1)/2) = 0.62011
    expect(completionCENum(L, [1, 1])).toBeCloseTo(Math.log(1 + Math.exp(0.62011 - 1.43378)), 4);
  });
  it("tensor form equals the number form; unmasked words and absent candidates do not count", () => {
    const N = 4;
    const rng = new Rng(3);
    const T = Array.from({ length: 2 * 3 * N }, () => rng.normal());
    const valid = [1, 1, 1, 1, 1, 0]; // word 1 has 2 candidates
    const masks = [
      [1, 0.5, 0, 0],
      [0, 0, 1, 1],
      [1, 1, 1, 1],
    ];
    const which = [0, 1]; // only word 1 masked
    const ce = completionCET(
      tf.tensor(T, [1, 2, 3, N]),
      tf.tensor(valid, [1, 2, 3]),
      tf.tensor(which, [1, 2]),
      tf.tensor(masks.flat(), [1, 3, N]),
    ).arraySync() as number[][];
    const word1 = [0, 1].map((c) => T.slice((1 * 3 + c) * N, (1 * 3 + c + 1) * N));
    masks.forEach((m, p) => expect(ce[0][p]).toBeCloseTo(completionCENum(word1, m), 4));
    // both words masked: the mean of the two words' losses
    const both = completionCET(
      tf.tensor(T, [1, 2, 3, N]),
      tf.tensor(valid, [1, 2, 3]),
      tf.tensor([1, 1], [1, 2]),
      tf.tensor(masks.flat(), [1, 3, N]),
    ).arraySync() as number[][];
    const word0 = [0, 1, 2].map((c) => T.slice(c * N, (c + 1) * N));
    masks.forEach((m, p) =>
      expect(both[0][p]).toBeCloseTo((completionCENum(word0, m) + completionCENum(word1, m)) / 2, 4),
    );
  });
  it("the moment completes better than the whole video, which completes better than the substitute's moment", () => {
    // "left" fits tokens 1–2, the substitute "right" fits tokens 5–6 of the same video
    const left = [0, 3, 3, 0, 0, 0, 0, 0];
    const right = [0, 0, 0, 0, 0, 3, 3, 0];
    const at = (a: number, b: number) => left.map((_, i) => (i >= a && i <= b ? 1 : 0));
    const ce = completionCET(
      tf.tensor([...left, ...right], [1, 1, 2, 8]),
      tf.ones([1, 1, 2]),
      tf.ones([1, 1]),
      tf.tensor([...at(1, 2), ...at(0, 7), ...at(5, 6)], [1, 3, 8]),
    ).arraySync() as number[][];
    expect(ce[0][0]).toBeLessThan(0.1);
    expect(ce[0][1]).toBeCloseTo(Math.log(2), 5); // both fit equally over the whole video
    expect(ce[0][2]).toBeGreaterThan(2.9);
  });
});

describe("CPL completed by the relevance scorer", () => {
  it("trains its proposals (gradient reaches the pointer) and grounds the same after save → load", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ml-completion-"));
    const loc = new LocVtpModel(defaultLocVtpConfig(), 3);
    saveLocVtp(loc, path.join(dir, "locvtp"), "locvtp-t");
    const rel = new RelevanceModel({ ...relevanceConfigFor(loc.cfg), hidden: 16 }, 4);
    rel.ps.save(path.join(dir, "relevance"), { name: "relevance", version: "relevance-t", config: rel.cfg });
    const cfg = {
      ...DEFAULT_CPL_CONFIG,
      hidden: 32,
      ffn: 32,
      K: 3,
      buckets: 512,
      simSource: "relevance" as const,
      completion: "relevance" as const,
      completionCandidates: 4,
    };
    const cpl = new CplModel(cfg, 4, SHAPES_VOCAB, { relevance: rel, substitutions: substitutionIndex(SENTENCES) });

    const rng = new Rng(8);
    const video = (n: number): ClipVector[] =>
      clipVectors(
        loc,
        rel,
        new Float32Array(n * loc.cfg.framesPerClip * loc.cfg.clip.frameDim).map(() => rng.next()),
        n,
      );
    const clips = [video(9), video(14)];
    const samples: CplSample[] = SENTENCES.slice(0, 2).map((ws, i) => {
      const enc = cpl.encode(ws.join(" "));
      return {
        video: resampleClips(
          clips[i].map((c) => c.embedding),
          cfg.nTokens,
          cfg.inDim,
        ),
        enc,
        sim: tokenScores(rel, ws.join(" "), [clips[i].map((c) => c.relevance)]),
        completion: completionTableOf(cpl, enc.query.words, clips[i]),
      };
    });
    // candidate 0 of each word is the sentence itself: its row is the scorer's own logits
    const own = tokenScores(rel, SENTENCES[0].join(" "), [clips[0].map((c) => c.relevance)]);
    Array.from(samples[0].completion!.table.subarray(0, cfg.nTokens)).forEach((x, i) =>
      expect(x).toBeCloseTo(own[i], 4),
    );
    const names = ["cpl/head/w", "cpl/simPrior", "cpl/vin/w"].filter((n) => cpl.ps.vars.has(n));
    expect(names.length).toBe(3);
    const { grads } = tf.variableGrads(
      () => cplLoss(cpl, samples, "cpl", 0.5, new Rng(1)).total,
      names.map((n) => cpl.ps.vars.get(n)!),
    );
    for (const n of names) expect(tf.sum(tf.abs(grads[cpl.ps.vars.get(n)!.name])).dataSync()[0]).toBeGreaterThan(0);

    saveCpl(cpl, path.join(dir, "cpl"), "cpl-t");
    const { model: loaded } = await loadCpl(path.join(dir, "cpl"));
    const a = groundWithModel(loaded, "the red square moves left", clips[0], 9, { method: "loss" });
    const b = groundWithModel(cpl, "the red square moves left", clips[0], 9, { method: "loss" });
    expect(a.length).toBe(3);
    expect(a).toEqual(b);
    // clips embedded without the scorer's features: ranked by vote, not a failed request
    const bare = clips[0].map((c) => ({ embedding: c.embedding }));
    const fallback = groundWithModel(loaded, "the red square moves left", bare, 9, { method: "loss" });
    expect(fallback).toEqual(groundWithModel(loaded, "the red square moves left", bare, 9, { method: "vote" }));
    expect(fallback.length).toBe(3);
  });
});
