import { describe, expect, it, beforeAll } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { initBackend } from "../core/backend";
import { LocVtpModel } from "../models/locvtp";
import { CplModel } from "../models/cpl";
import { DEFAULT_CPL_CONFIG, CLIP_SPEC } from "../config";
import { defaultLocVtpConfig, loadClipEncoder, loadGrounder, loadTextEncoder, loadCpl, loadLocVtp } from "../index";
import { locvtpLoss, makeLocVtpBatch } from "../train/locvtp";
import { cplLoss, type CplSample } from "../train/cpl";
import { saveCpl, saveLocVtp } from "../train/run";
import { Rng } from "../core/rng";
import { SHAPES_VOCAB } from "../vocab";
import type { Corpus } from "../train/corpus";

beforeAll(async () => {
  await initBackend();
});

const SMALL_CPL = { ...DEFAULT_CPL_CONFIG, nTokens: 16, hidden: 32, ffn: 32, K: 3, buckets: 512 };

/** A tiny synthetic corpus of low-level features (no video decoding). */
function fakeCorpus(cfgFrameDim: number, nVideos = 6): Corpus {
  const rng = new Rng(5);
  const videos = Array.from({ length: nVideos }, (_, i) => {
    const nClips = 6 + i;
    const feats = new Float32Array(nClips * 4 * cfgFrameDim).map(() => rng.next());
    return { id: `v${i}`, feats, nClips, duration: nClips };
  });
  const sentences = new Map(videos.map((v, i) => [v.id, [`the ${["red", "blue", "green"][i % 3]} circle moves ${i % 2 ? "left" : "right"}`]]));
  return { dir: "", videos, byId: new Map(videos.map((v) => [v.id, v])), queries: [], sentences };
}

function cplBatch(model: CplModel, n: number): CplSample[] {
  const rng = new Rng(9);
  return Array.from({ length: n }, (_, i) => ({
    video: new Float32Array(model.cfg.nTokens * model.cfg.inDim).map(() => rng.normal() * 0.1 + (i % 2)),
    enc: model.encode(i % 2 ? "the red circle moves left" : "a blue square grows"),
    sim: new Float32Array(model.cfg.nTokens).map((_, t) => Math.cos(t + i)),
  }));
}

describe("clip encoder with temporal context", () => {
  it("clipWindows: each clip with its r neighbours, ends repeated", async () => {
    const { clipWindows } = await import("../features/slots");
    // 3 clips, 1 frame per clip, 1 value per frame: 10, 20, 30
    const w = clipWindows(Float32Array.from([10, 20, 30]), 3, 1, 1, 1, [0, 1, 2]);
    expect(Array.from(w)).toEqual([10, 10, 20, 10, 20, 30, 20, 30, 30]);
    // 2 frames per clip, r = 2, only clip 1 of 2
    const w2 = clipWindows(Float32Array.from([1, 2, 3, 4]), 2, 2, 1, 2, [1]);
    // offsets -2..2 → clips 0 (clamped), 0, 1, 1 (clamped), 1 (clamped)
    expect(Array.from(w2)).toEqual([1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
  });
  it("a clip's embedding sees neighbours within contextClips and nothing further; the streamed halves equal encodeClips", async () => {
    const { embedClipFeatures, loadClipEncoder } = await import("../index");
    const { framesFeatures } = await import("../features/lowlevel");
    const loc = new LocVtpModel(defaultLocVtpConfig(), 3);
    expect(loc.cfg.clip.contextClips).toBe(2);
    const s = CLIP_SPEC;
    const rng = new Rng(5);
    const nClips = 8;
    const frames = new Uint8Array(nClips * s.framesPerClip * s.width * s.height * 3).map(() => (rng.next() < 0.97 ? 12 : 230));
    const fd = loc.cfg.clip.frameDim;
    const feats = framesFeatures(frames, nClips * s.framesPerClip, s.width, s.height);
    const a = embedClipFeatures(loc, feats, nClips);
    // paint clip 7 red: clips 5..7 change, clips 0..4 (more than 2 clips away) do not
    const changed = feats.slice();
    for (let f = 0; f < s.framesPerClip; f++) changed.set(framesFeatures(new Uint8Array(s.width * s.height * 3).map((_, i) => (i % 3 === 0 ? 220 : 30)), 1, s.width, s.height), (7 * s.framesPerClip + f) * fd);
    const b = embedClipFeatures(loc, changed, nClips);
    const diff = a.map((v, i) => Math.max(...v.map((x, j) => Math.abs(x - b[i][j]))));
    for (let i = 0; i <= 4; i++) expect(diff[i]).toBe(0);
    for (let i = 5; i <= 7; i++) expect(diff[i]).toBeGreaterThan(1e-4);
    const dir = mkdtempSync(path.join(os.tmpdir(), "ml-ctx-"));
    saveLocVtp(loc, dir, "locvtp-ctx-test");
    const enc = await loadClipEncoder(dir);
    const whole = await enc.encodeClips(frames, nClips);
    const half = s.framesPerClip * s.width * s.height * 3 * 4;
    const streamed = new Float32Array(nClips * s.framesPerClip * fd);
    streamed.set(enc.featurizeClips(frames.subarray(0, half), 4));
    streamed.set(enc.featurizeClips(frames.subarray(half), 4), 4 * s.framesPerClip * fd);
    const e2 = enc.embedClips(streamed, nClips);
    whole.forEach((v, i) => v.forEach((x, j) => expect(e2[i][j]).toBeCloseTo(x, 6)));
    whole.forEach((v, i) => v.forEach((x, j) => expect(a[i][j]).toBeCloseTo(x, 6)));
  });
});

describe("LocVTP paragraph pairing", () => {
  it("P sentences per video: the first pairs with L_c, padding is masked, same loss as P = 1 when a video has one sentence", () => {
    const model = new LocVtpModel(defaultLocVtpConfig(), 1);
    const corpus = fakeCorpus(model.cfg.clip.frameDim);
    const v0 = corpus.videos[0].id;
    corpus.sentences.set(v0, [...corpus.sentences.get(v0)!, "the red circle blinks", "a green square spins"]);
    const ids = corpus.videos.map((v) => v.id);
    const b3 = makeLocVtpBatch(model, corpus, ids, 6, new Rng(2), 3);
    expect(b3.texts.length).toBe(ids.length * 3);
    // video 0 has 3 sentences, the others one each (then two masked paddings)
    expect(Array.from(b3.sentenceMask)).toEqual([1, 1, 1, ...ids.slice(1).flatMap(() => [1, 0, 0])]);
    const l3 = locvtpLoss(model, b3).total.dataSync()[0];
    expect(Number.isFinite(l3)).toBe(true);
    // without the extra sentences P = 3 reduces to the paired-sentence loss exactly
    corpus.sentences.set(v0, corpus.sentences.get(v0)!.slice(0, 1));
    const a = locvtpLoss(model, makeLocVtpBatch(model, corpus, ids, 6, new Rng(2), 1)).total.dataSync()[0];
    const b = locvtpLoss(model, makeLocVtpBatch(model, corpus, ids, 6, new Rng(2), 3)).total.dataSync()[0];
    expect(b).toBeCloseTo(a, 4);
    model.ps.dispose();
  });
});

describe("every trainable variable receives a gradient", () => {
  it("LocVTP (L_c + L_f + L_t)", () => {
    const model = new LocVtpModel(defaultLocVtpConfig(), 1);
    const corpus = fakeCorpus(model.cfg.clip.frameDim);
    const batch = makeLocVtpBatch(model, corpus, corpus.videos.map((v) => v.id), 6, new Rng(2));
    const { grads } = tf.variableGrads(() => locvtpLoss(model, batch).total, model.ps.list());
    const missing = model.ps.names().filter((n) => {
      const g = [...model.ps.vars.entries()].find(([k]) => k === n)![1];
      const gr = grads[g.name];
      return !gr || tf.sum(tf.abs(gr)).dataSync()[0] === 0;
    });
    expect(missing).toEqual([]);
    model.ps.dispose();
  });
  it("CPL (L_rec + L_IVC + L_div)", () => {
    const model = new CplModel(SMALL_CPL, 1, SHAPES_VOCAB);
    const { grads } = tf.variableGrads(() => cplLoss(model, cplBatch(model, 4), "cpl", 0.5, new Rng(1)).total, model.ps.list());
    const missing = [...model.ps.vars.entries()].filter(([, v]) => !grads[v.name] || tf.sum(tf.abs(grads[v.name])).dataSync()[0] === 0).map(([k]) => k);
    // the embedding rows of buckets that no word uses get zero gradient by construction; the
    // table as a whole must get one
    expect(missing).toEqual([]);
    model.ps.dispose();
  });
});

describe("save → load gives identical outputs", () => {
  it("LocVTP clip + text encoders and the CPL grounder", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ml-save-"));
    const loc = new LocVtpModel(defaultLocVtpConfig(), 7);
    loc.featMean = new Float32Array(loc.cfg.clip.frameDim).fill(0.1);
    // non-trivial slot standardisation: a load that dropped it would change the embeddings
    loc.slotMean = loc.slotMean.map((_, i) => 0.01 * i);
    loc.slotStd = loc.slotStd.map((_, i) => 0.5 + 0.02 * i);
    saveLocVtp(loc, path.join(dir, "locvtp"), "locvtp-test");
    const cpl = new CplModel(SMALL_CPL, 7, SHAPES_VOCAB);
    saveCpl(cpl, path.join(dir, "cpl"), "cpl-test");
    // the loaded grounder takes its similarity channel from the LocVTP saved beside it
    const { sentenceEmbedderFor } = await import("../index");
    cpl.sentenceEmbedder = sentenceEmbedderFor(loc);

    const enc = await loadClipEncoder(path.join(dir, "locvtp"));
    expect(enc.version).toBe("locvtp-test");
    expect(enc.spec).toEqual(CLIP_SPEC);
    const s = enc.spec;
    const rng = new Rng(3);
    const frames = new Uint8Array(3 * s.framesPerClip * s.width * s.height * 3).map(() => Math.floor(rng.next() * 256));
    const e1 = await enc.encodeClips(frames, 3);
    const { model: loaded } = await loadLocVtp(path.join(dir, "locvtp"));
    const { embedClipFeatures } = await import("../index");
    const { framesFeatures } = await import("../features/lowlevel");
    const direct = embedClipFeatures(loc, framesFeatures(frames, 3 * s.framesPerClip, s.width, s.height), 3);
    e1.forEach((v, i) => v.forEach((x, j) => expect(x).toBeCloseTo(direct[i][j], 6)));
    expect(loaded).not.toBe(loc);
    expect(Array.from(loaded.slotStd)).toEqual(Array.from(loc.slotStd));

    const te = await loadTextEncoder(path.join(dir, "locvtp"));
    const q = await te.encodeSentence("the red circle moves left");
    expect(q.length).toBe(128);

    const g = await loadGrounder(path.join(dir, "cpl"));
    const { groundWithModel } = await import("../index");
    const a = await g.ground("the red circle moves left", e1, 3, { method: "loss" });
    const b = groundWithModel(cpl, "the red circle moves left", e1, 3, { method: "loss" });
    expect(a).toEqual(b);
    const { model: cplLoaded } = await loadCpl(path.join(dir, "cpl"));
    expect(cplLoaded.vocab).toEqual(SHAPES_VOCAB);
  });
  it("untrained fallback is deterministic and says so", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ml-empty-"));
    const enc = await loadClipEncoder(path.join(dir, "nothing"));
    expect(enc.version).toMatch(/untrained/);
    expect(enc.dim).toBe(128);
    const a = new LocVtpModel(defaultLocVtpConfig(), 0);
    const b = new LocVtpModel(defaultLocVtpConfig(), 0);
    expect(Array.from(a.ps.vars.get("clip/t1/w")!.dataSync().slice(0, 5))).toEqual(Array.from(b.ps.vars.get("clip/t1/w")!.dataSync().slice(0, 5)));
    const g = await loadGrounder(path.join(dir, "nothing"));
    expect(g.version).toMatch(/untrained/);
    const spans = await g.ground("a red circle appears", [new Float32Array(128).fill(0.1)], 5, { topK: 5 });
    expect(spans.length).toBeGreaterThan(0);
    for (const s of spans) expect(s.start >= 0 && s.end <= 5 && s.start <= s.end).toBe(true);
    expect(await g.ground("x", [], 5)).toEqual([]);
  });
});

describe("a tiny end-to-end training run lowers the loss", () => {
  it("CPL", () => {
    const model = new CplModel(SMALL_CPL, 2, SHAPES_VOCAB);
    const batch = cplBatch(model, 8);
    const opt = tf.train.adam(3e-3);
    const lossAt = (r: number) => tf.tidy(() => cplLoss(model, batch, "cpl", 0.5, new Rng(r)).total.dataSync()[0]);
    const before = lossAt(11);
    for (let i = 0; i < 25; i++) opt.minimize(() => cplLoss(model, batch, "cpl", 0.5, new Rng(11)).total, false, model.ps.list());
    expect(lossAt(11)).toBeLessThan(before * 0.8);
    model.ps.dispose();
  });
  it("LocVTP", () => {
    const model = new LocVtpModel(defaultLocVtpConfig(), 2);
    const corpus = fakeCorpus(model.cfg.clip.frameDim);
    const batch = makeLocVtpBatch(model, corpus, corpus.videos.map((v) => v.id), 6, new Rng(2));
    const opt = tf.train.adam(1e-3);
    const lossNow = () => tf.tidy(() => locvtpLoss(model, batch).total.dataSync()[0]);
    const before = lossNow();
    for (let i = 0; i < 15; i++) opt.minimize(() => locvtpLoss(model, batch).total, false, model.ps.list());
    expect(lossNow()).toBeLessThan(before * 0.8);
    model.ps.dispose();
  });
});

describe("object-slot clip encoder", () => {
  it("slot statistics: mean, last − first and std over the clip's frames, per colour slot", async () => {
    const { FRAME_FEATURE_DIM } = await import("../features/lowlevel");
    const { slotStatsT } = await import("../features/slots");
    const F = 4;
    const x = new Float32Array(F * FRAME_FEATURE_DIM);
    // red (colour 0), component 1: centroid x 0.8, 0.7, 0.6, 0.5 (moving left)
    const redCx = 7 + 48 + 2;
    // blue (colour 2), component count: 0, 2, 0, 2 (blinking); per colour 48 grid + 2 × 8 + 1 = 65 values
    const blueCount = 7 + 2 * 65 + 48 + 16;
    // background red channel (slot 5, stat 0): constant 0.3
    for (let f = 0; f < F; f++) {
      x[f * FRAME_FEATURE_DIM + redCx] = 0.8 - 0.1 * f;
      x[f * FRAME_FEATURE_DIM + blueCount] = f % 2 ? 2 : 0;
      x[f * FRAME_FEATURE_DIM] = 0.3;
    }
    const st = slotStatsT(tf.tensor(x, [1, F, FRAME_FEATURE_DIM]), F).arraySync() as number[][][];
    expect(st[0].length).toBe(6);
    expect(st[0][0].length).toBe(51);
    // red cx: mean .65, last − first −.3, std √(.0125) (population std of .8 .7 .6 .5)
    expect(st[0][0][2]).toBeCloseTo(0.65, 5);
    expect(st[0][0][17 + 2]).toBeCloseTo(-0.3, 5);
    expect(st[0][0][34 + 2]).toBeCloseTo(Math.sqrt(0.0125), 3);
    // blue count: mean 1, last − first 2, std 1
    expect(st[0][2][16]).toBeCloseTo(1, 5);
    expect(st[0][2][17 + 16]).toBeCloseTo(2, 5);
    expect(st[0][2][34 + 16]).toBeCloseTo(1, 3);
    // background slot: its 7 values then zero padding
    expect(st[0][5][0]).toBeCloseTo(0.3, 5);
    expect(st[0][5][7]).toBe(0);
    // untouched green slot is all zeros (std floor ~1e-3)
    expect(Math.max(...st[0][1].map(Math.abs))).toBeLessThan(2e-3);
  });
});
