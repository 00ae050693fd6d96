/**
 * npx tsx ml/experiments/diagnose-token-probe.ts [--data data/shapes] [--input raw|slots|slots-std|slots-ctx|locvtp]
 *     [--locvtp models/locvtp] [--steps 1500]
 *     [--weak [--pool lse|max] [--batch 32] [--per-video 1] [--within 0]]
 *
 * Diagnostic, not a shipped model: how learnable is "which clips does this sentence describe"
 * from a given clip representation, WITH timestamps and the simplest query conditioning? A
 * per-token scorer (clip features → MLP (+ temporal context) ⊙ bag-of-words query → logit)
 * trained with per-token binary cross-entropy against "inside the annotated span"; val span =
 * the run of tokens around the best one scoring above max(½·best, .2). It separates a
 * representation that lacks the events from a grounder that cannot find them
 * (docs/experiments/002-what-makes-it-learnable.md). With --weak it trains WITHOUT timestamps instead: every query
 * against every video of the batch, token logits pooled per video, softmax over the videos
 * (the experiment that became ml/relevance/, docs/experiments/004-weak-localisation.md).
 *   raw        mean + (last − first) of each clip's 322-d frame vectors, standardised, ±5
 *   slots      per colour slot: mean / last − first / std of its 15 statistics, shared MLP, summed
 *   slots-std  the same, standardised per statistic (what the LocVTP slot encoder does)
 *   slots-ctx  slots-std plus the same statistics over a ±2-clip (5 s) window around the clip
 *   locvtp     the 128-d LocVTP clip embeddings of the model in --locvtp
 */
import * as tf from "@tensorflow/tfjs";
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/ml/core/backend";
import { loadCorpus, type Corpus } from "@/ml/data/corpus";
import { FRAME_FEATURE_DIM } from "@/ml/features/lowlevel";
import { words } from "@/ml/core/tokenizer";
import { Rng } from "@/ml/core/rng";
import { defaultLocVtpConfig, type LocVtpConfig } from "@/ml/locvtp/config";
import { loadLocVtp } from "@/ml/locvtp/load";
import { corpusEmbeddings } from "@/ml/locvtp/train";
import { spanIou } from "@/ml/cpl/geometry";
import { slotFeatureStats } from "@/ml/locvtp/train";
import { logSumExpRows } from "@/ml/core/nn";
import { resampleClips } from "@/ml/core/resample";
import { clipWindows, slotInputsT, slotInputWidth, standardiseSlotsT, windowFrames } from "@/ml/features/slots";

const { values: a } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes" },
    input: { type: "string", default: "slots-std" },
    locvtp: { type: "string", default: "models/locvtp" },
    steps: { type: "string", default: "1500" },
    weak: { type: "boolean", default: false },
    pool: { type: "string", default: "lse" },
    within: { type: "string", default: "0" },
    batch: { type: "string", default: "32" },
    "per-video": { type: "string", default: "1" },
  },
});
await initBackend();
const train = await loadCorpus(path.join(a.data!, "train"), { quiet: true });
const val = await loadCorpus(path.join(a.data!, "val"), { quiet: true });
const D = FRAME_FEATURE_DIM;
const F = 4;
const N = 64;
const H = 64;
const MAXW = 12;
let SL = 45;

const NS = 6;
const mode = a.input!;

/** token j of a video ↔ its nearest clip */
const clipOf = (j: number, nClips: number) => Math.min(Math.floor(((j + 0.5) / N) * nClips), nClips - 1);

function rawInputs(c: Corpus, mean: Float64Array, std: Float64Array): Map<string, Float32Array> {
  const m = new Map<string, Float32Array>();
  for (const v of c.videos) {
    const out = new Float32Array(N * 2 * D);
    for (let j = 0; j < N; j++) {
      const k = clipOf(j, v.nClips);
      for (let d = 0; d < D; d++) {
        let s = 0;
        for (let f = 0; f < F; f++) s += v.feats[(k * F + f) * D + d];
        const clamp = (x: number) => Math.max(-5, Math.min(5, x));
        out[j * 2 * D + d] = clamp((s / F - mean[d]) / std[d]);
        out[j * 2 * D + D + d] = clamp((v.feats[(k * F + F - 1) * D + d] - v.feats[k * F * D + d]) / std[d]);
      }
    }
    m.set(v.id, out);
  }
  return m;
}

/**
 * Per token: the LocVTP slot encoder's own input (slotInputsT: the clip's statistics, plus the
 * same over a ±2-clip window for slots-ctx) of the nearest clip, raw or standardised with its
 * training-set statistics (slotFeatureStats) and clipped to ±6, exactly as the encoder sees it.
 */
function slotInputs(
  c: Corpus,
  cfg: LocVtpConfig,
  std: { mean: Float32Array; std: Float32Array } | null,
): Map<string, Float32Array> {
  const m = new Map<string, Float32Array>();
  for (const v of c.videos) {
    const st = tf.tidy(() => {
      const x = tf.tensor(
        clipWindows(
          v.feats,
          v.nClips,
          F,
          D,
          cfg.clip.contextClips ?? 0,
          Array.from({ length: v.nClips }, (_, i) => i),
        ),
        [v.nClips, windowFrames(cfg), D],
      );
      const raw = slotInputsT(x, cfg);
      return (std ? standardiseSlotsT(raw, std.mean, std.std) : raw).dataSync() as Float32Array;
    });
    const out = new Float32Array(N * NS * SL);
    for (let j = 0; j < N; j++)
      out.set(st.subarray(clipOf(j, v.nClips) * NS * SL, (clipOf(j, v.nClips) + 1) * NS * SL), j * NS * SL);
    m.set(v.id, out);
  }
  return m;
}

let tr: Map<string, Float32Array>;
let va: Map<string, Float32Array>;
let IN: number;
if (mode === "raw") {
  const mean = new Float64Array(D);
  const sq = new Float64Array(D);
  let n = 0;
  for (const v of train.videos)
    for (let i = 0; i < v.feats.length / D; i++, n++)
      for (let d = 0; d < D; d++) {
        mean[d] += v.feats[i * D + d];
        sq[d] += v.feats[i * D + d] ** 2;
      }
  const std = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    mean[d] /= n;
    std[d] = Math.sqrt(Math.max(sq[d] / n - mean[d] ** 2, 1e-6));
  }
  [tr, va, IN] = [rawInputs(train, mean, std), rawInputs(val, mean, std), 2 * D];
} else if (mode === "locvtp") {
  const loc = (await loadLocVtp(a.locvtp)).model;
  const emb = (c: Corpus) => new Map([...corpusEmbeddings(loc, c)].map(([k, v]) => [k, resampleClips(v, N, 128)]));
  [tr, va, IN] = [emb(train), emb(val), 128];
} else {
  const base = defaultLocVtpConfig();
  const cfg = {
    ...base,
    clip: { ...base.clip, kind: "lowlevel-slots" as const, contextClips: mode === "slots-ctx" ? 2 : 0 },
  };
  SL = slotInputWidth(cfg);
  const std = mode === "slots" ? null : slotFeatureStats(train, cfg);
  [tr, va, IN] = [slotInputs(train, cfg, std), slotInputs(val, cfg, std), NS * SL];
}
const slots = mode.startsWith("slots");

const vocab = [...new Set(train.queries.flatMap((q) => words(q.query)))];
const widx = new Map(vocab.map((w, i) => [w, i + 1]));
const rng = new Rng(1);
const P = (s: number[], sd: number) => tf.variable(tf.randomNormal(s, 0, sd, "float32", 1));
const W = {
  emb: P([vocab.length + 1, H], 0.3),
  wpos: P([MAXW, H], 0.1),
  win: P([slots ? SL + NS : IN, H], Math.sqrt(1 / 60)),
  win2: P([H, H], Math.sqrt(1 / H)),
  conv: P([5 * H, H], Math.sqrt(1 / (5 * H))),
  q1: P([H, H], Math.sqrt(1 / H)),
  o1: P([H, H], Math.sqrt(1 / H)),
  o2: P([H, 1], Math.sqrt(1 / H)),
};

function videoTokens(vid: tf.Tensor): tf.Tensor {
  const B = vid.shape[0];
  let x: tf.Tensor;
  if (slots) {
    const oh = tf.tile(tf.oneHot(tf.range(0, NS, 1, "int32"), NS).toFloat(), [B * N, 1]);
    const hs = tf.relu(tf.matMul(tf.relu(tf.matMul(tf.concat([vid.reshape([B * N * NS, SL]), oh], 1), W.win)), W.win2));
    x = tf.sum(hs.reshape([B, N, NS, H]), 2);
  } else x = tf.relu(tf.matMul(vid.reshape([B * N, IN]), W.win)).reshape([B, N, H]);
  const p = tf.pad(x, [
    [0, 0],
    [2, 2],
    [0, 0],
  ]);
  const ctx = tf
    .concat(
      [0, 1, 2, 3, 4].map((j) => p.slice([0, j, 0], [B, N, H])),
      2,
    )
    .reshape([B * N, 5 * H]);
  return tf.add(x, tf.relu(tf.matMul(ctx, W.conv).reshape([B, N, H])));
}

function queryVec(ids: tf.Tensor, msk: tf.Tensor): tf.Tensor {
  const e = tf.add(tf.gather(W.emb, ids), W.wpos);
  return tf.tanh(tf.matMul(tf.div(tf.sum(tf.mul(e, msk.expandDims(2)), 1), tf.sum(msk, 1, true)), W.q1));
}

function logits(vid: tf.Tensor, ids: tf.Tensor, msk: tf.Tensor): tf.Tensor {
  const B = vid.shape[0];
  const x = videoTokens(vid);
  const q = queryVec(ids, msk);
  const z = tf.relu(tf.matMul(tf.mul(x, q.expandDims(1)).reshape([B * N, H]), W.o1));
  return tf.matMul(z, W.o2).reshape([B, N]);
}

/**
 * Weak (no timestamps) multiple-instance loss: every query of the batch is scored against every
 * video of the batch; a video's score for a query pools its token scores (log-mean-exp or max);
 * symmetric cross-entropy picks the paired video among the batch's (and the paired query).
 */
const PV = Number(a["per-video"]);
function weakLoss(vid: tf.Tensor, ids: tf.Tensor, msk: tf.Tensor): tf.Scalar {
  // vid holds each video once per query (PV consecutive queries per video): keep one copy
  const BQ = vid.shape[0];
  const BV = BQ / PV;
  const v1 = tf.gather(vid, tf.range(0, BQ, PV, "int32"));
  const x = videoTokens(v1); // [BV, N, H]
  const q = queryVec(ids, msk); // [BQ, H]
  const pair = tf.mul(x.expandDims(0), q.expandDims(1).expandDims(1)); // [BQ, BV, N, H]
  const s = tf.matMul(tf.relu(tf.matMul(pair.reshape([BQ * BV * N, H]), W.o1)), W.o2).reshape([BQ * BV, N]);
  const pooled = (a.pool === "max" ? tf.max(s, 1) : tf.sub(logSumExpRows(s), Math.log(N))).reshape([BQ, BV]);
  const own = Array.from({ length: BQ }, (_, i) => Math.floor(i / PV));
  const lab = tf.oneHot(tf.tensor1d(own, "int32"), BV).toFloat();
  let loss = tf.losses.softmaxCrossEntropy(lab, pooled) as tf.Scalar;
  if (PV === 1) loss = tf.add(loss, tf.losses.softmaxCrossEntropy(lab, pooled.transpose())) as tf.Scalar;
  const wIn = Number(a.within);
  if (wIn > 0 && PV > 1) {
    // within a video its sentences compete for every token: each must be the best
    // explanation somewhere (−log mean_t p(s | t)), so what they share (the object) cannot win
    const idx = own.map((v, i) => i * BV + v);
    const sOwn = tf.gather(s, tf.tensor1d(idx, "int32")).reshape([BV, PV, N]);
    const logp = tf
      .logSoftmax(sOwn.transpose([0, 2, 1]), -1)
      .transpose([0, 2, 1])
      .reshape([BV * PV, N]);
    const within = tf.neg(tf.mean(tf.sub(logSumExpRows(logp), Math.log(N))));
    loss = tf.add(loss, tf.mul(within, wIn)) as tf.Scalar;
  }
  return loss;
}

function batch(c: Corpus, fe: Map<string, Float32Array>, qs: Corpus["queries"]) {
  const B = qs.length;
  const vid = new Float32Array(B * N * IN);
  const ids = new Int32Array(B * MAXW);
  const msk = new Float32Array(B * MAXW);
  const lab = new Float32Array(B * N);
  qs.forEach((q, b) => {
    vid.set(fe.get(q.video)!, b * N * IN);
    words(q.query)
      .slice(0, MAXW)
      .forEach((w, i) => {
        ids[b * MAXW + i] = widx.get(w) ?? 0;
        msk[b * MAXW + i] = 1;
      });
    const du = c.byId.get(q.video)!.duration;
    for (let j = 0; j < N; j++) {
      const t = ((j + 0.5) / N) * du;
      lab[b * N + j] = t >= q.start! && t <= q.end! ? 1 : 0;
    }
  });
  return {
    vid: tf.tensor(vid, [B, N, IN]),
    ids: tf.tensor(ids, [B, MAXW], "int32"),
    msk: tf.tensor(msk, [B, MAXW]),
    lab: tf.tensor(lab, [B, N]),
  };
}

function evaluate(): { r05: number; miou: number } {
  const vb = batch(val, va, val.queries);
  const s = tf.tidy(() => tf.sigmoid(logits(vb.vid, vb.ids, vb.msk)).arraySync() as number[][]);
  tf.dispose(Object.values(vb));
  let hit = 0;
  let miou = 0;
  val.queries.forEach((q, i) => {
    const du = val.byId.get(q.video)!.duration;
    const raw = s[i];
    const lo = Math.min(...raw);
    const hi = Math.max(...raw);
    // weak scores are not calibrated probabilities: read them relative to the video's range
    const r = a.weak ? raw.map((v) => (v - lo) / Math.max(hi - lo, 1e-6)) : raw;
    const am = r.indexOf(Math.max(...r));
    const th = Math.max(0.5 * r[am], 0.2);
    let a0 = am;
    let a1 = am;
    while (a0 > 0 && r[a0 - 1] > th) a0--;
    while (a1 < N - 1 && r[a1 + 1] > th) a1++;
    const iou = spanIou({ start: (a0 / N) * du, end: ((a1 + 1) / N) * du }, { start: q.start!, end: q.end! });
    miou += iou;
    if (iou >= 0.5) hit++;
  });
  return { r05: (100 * hit) / val.queries.length, miou: (100 * miou) / val.queries.length };
}

const opt = tf.train.adam(1e-3);
const qs = train.queries.filter((q) => q.start !== undefined);
const t0 = Date.now();
for (let step = 1; step <= Number(a.steps); step++) {
  const pick: Corpus["queries"] = [];
  const seen = new Set<string>();
  while (pick.length < Number(a.batch)) {
    const q = qs[Math.floor(rng.next() * qs.length)];
    if (a.weak && seen.has(q.video)) continue; // distinct videos: the other videos are negatives
    seen.add(q.video);
    if (a.weak && PV > 1) {
      // PV distinct sentences of this video, consecutive
      const mine = rng.shuffle(qs.filter((o) => o.video === q.video && o.query !== q.query)).slice(0, PV - 1);
      if (mine.length < PV - 1) continue;
      pick.push(q, ...mine);
    } else pick.push(q);
  }
  const b = batch(train, tr, pick);
  const l = opt.minimize(
    () =>
      a.weak
        ? weakLoss(b.vid, b.ids, b.msk)
        : (tf.losses.sigmoidCrossEntropy(b.lab, logits(b.vid, b.ids, b.msk)) as tf.Scalar),
    true,
  )!;
  if (step % 100 === 0) {
    const e = evaluate();
    console.log(
      `${mode} step ${step} loss ${l.dataSync()[0].toFixed(4)} val R1@0.5 ${e.r05.toFixed(2)} mIoU ${e.miou.toFixed(2)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  tf.dispose(Object.values(b));
  l.dispose();
}
