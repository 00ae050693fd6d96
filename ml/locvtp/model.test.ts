import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CLIP_SPEC } from "../config";
import { initBackend } from "../core/backend";
import { Rng } from "../core/rng";
import type { Corpus } from "../data/corpus";
import { loadClipEncoder } from "../encoders";
import { framesFeatures } from "../features/lowlevel";
import { clipWindows } from "../features/slots";
import { defaultLocVtpConfig } from "./config";
import { embedClipFeatures } from "./encode";
import { LocVtpModel } from "./model";
import { locvtpLoss, makeLocVtpBatch, saveLocVtp } from "./train";

beforeAll(async () => {
  await initBackend();
});

/** A tiny synthetic corpus of low-level features (no video decoding). */
function fakeCorpus(cfgFrameDim: number, nVideos = 6): Corpus {
  const rng = new Rng(5);
  const videos = Array.from({ length: nVideos }, (_, i) => {
    const nClips = 6 + i;
    const feats = new Float32Array(nClips * 4 * cfgFrameDim).map(() => rng.next());
    return { id: `v${i}`, feats, nClips, duration: nClips };
  });
  const sentences = new Map(
    videos.map((v, i) => [v.id, [`the ${["red", "blue", "green"][i % 3]} circle moves ${i % 2 ? "left" : "right"}`]]),
  );
  return { dir: "", videos, byId: new Map(videos.map((v) => [v.id, v])), queries: [], sentences };
}

/** A fresh model (from `seed`) and one batch over every video of a fake corpus. */
function modelWithBatch(seed: number) {
  const model = new LocVtpModel(defaultLocVtpConfig(), seed);
  const corpus = fakeCorpus(model.cfg.clip.frameDim);
  const batch = makeLocVtpBatch(
    model,
    corpus,
    corpus.videos.map((v) => v.id),
    6,
    new Rng(2),
  );
  return { model, batch };
}

describe("clip encoder with temporal context", () => {
  it("clipWindows: each clip with its r neighbours, ends repeated", async () => {
    // 3 clips, 1 frame per clip, 1 value per frame: 10, 20, 30
    const w = clipWindows(Float32Array.from([10, 20, 30]), 3, 1, 1, 1, [0, 1, 2]);
    expect(Array.from(w)).toEqual([10, 10, 20, 10, 20, 30, 20, 30, 30]);
    // 2 frames per clip, r = 2, only clip 1 of 2
    const w2 = clipWindows(Float32Array.from([1, 2, 3, 4]), 2, 2, 1, 2, [1]);
    // offsets -2..2 → clips 0 (clamped), 0, 1, 1 (clamped), 1 (clamped)
    expect(Array.from(w2)).toEqual([1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
  });
  it("a clip's embedding sees neighbours within contextClips and nothing further; the streamed halves equal encodeClips", async () => {
    const loc = new LocVtpModel(defaultLocVtpConfig(), 3);
    expect(loc.cfg.clip.contextClips).toBe(2);
    const s = CLIP_SPEC;
    const rng = new Rng(5);
    const nClips = 8;
    const frames = new Uint8Array(nClips * s.framesPerClip * s.width * s.height * 3).map(() =>
      rng.next() < 0.97 ? 12 : 230,
    );
    const fd = loc.cfg.clip.frameDim;
    const feats = framesFeatures(frames, nClips * s.framesPerClip, s.width, s.height);
    const a = embedClipFeatures(loc, feats, nClips);
    // paint clip 7 red: clips 5..7 change, clips 0..4 (more than 2 clips away) do not
    const changed = feats.slice();
    for (let f = 0; f < s.framesPerClip; f++)
      changed.set(
        framesFeatures(
          new Uint8Array(s.width * s.height * 3).map((_, i) => (i % 3 === 0 ? 220 : 30)),
          1,
          s.width,
          s.height,
        ),
        (7 * s.framesPerClip + f) * fd,
      );
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

describe("every LocVTP variable receives a gradient", () => {
  it("LocVTP (L_c + L_f + L_t)", () => {
    const { model, batch } = modelWithBatch(1);
    const { grads } = tf.variableGrads(() => locvtpLoss(model, batch).total, model.ps.list());
    const missing = model.ps.names().filter((n) => {
      const g = [...model.ps.vars.entries()].find(([k]) => k === n)![1];
      const gr = grads[g.name];
      return !gr || tf.sum(tf.abs(gr)).dataSync()[0] === 0;
    });
    expect(missing).toEqual([]);
    model.ps.dispose();
  });
});

describe("a tiny end-to-end training run lowers the loss", () => {
  it("LocVTP", () => {
    const { model, batch } = modelWithBatch(2);
    const opt = tf.train.adam(1e-3);
    const lossNow = () => tf.tidy(() => locvtpLoss(model, batch).total.dataSync()[0]);
    const before = lossNow();
    for (let i = 0; i < 15; i++) opt.minimize(() => locvtpLoss(model, batch).total, false, model.ps.list());
    expect(lossNow()).toBeLessThan(before * 0.8);
    model.ps.dispose();
  });
});
