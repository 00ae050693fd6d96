/**
 * npx tsx ml/experiments/diagnose-reconstruction.ts [--data data/shapes] [--models models]
 *     [--gt-steps 0] [--queries 300] [--input emb|emb+slots]
 *
 * Diagnostic, not a shipped model: does CPL's masked-word reconstruction prefer the right
 * moment? CPL's training signal assumes positive (the event) < whole video < negative in
 * reconstruction cross-entropy. For each val query and each word masked alone, it prints the
 * mean cross-entropy with the ground-truth span's Gaussian mask, a random span of the same
 * width, and the whole video, per word and overall.
 *   --gt-steps N > 0: first train a fresh grounder's reconstructor for N steps on
 *   ground-truth masks + whole video (uses timestamps: a diagnostic of what the reconstructor
 *   CAN learn from these clip embeddings, never a model to ship).
 *   --input emb+slots (with --gt-steps): each token also carries the LocVTP encoder's own
 *   standardised slot statistics (with context), ×0.1, next to the 128-d embedding.
 *   --rec-attention content|mask (with --gt-steps): the fresh reconstructor's way of reading the
 *   video (CplConfig.recAttention).
 */
import * as tf from "@tensorflow/tfjs";
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/ml/core/backend";
import { loadCorpus, type Corpus } from "@/ml/data/corpus";
import { loadCpl } from "@/ml/cpl/load";
import { buildVocab } from "@/ml/cpl/train";
import { loadLocVtp } from "@/ml/locvtp/load";
import { sentenceEmbedderFor } from "@/ml/locvtp/encode";
import { corpusEmbeddings } from "@/ml/locvtp/train";
import { CplModel, tokenSimilarity } from "@/ml/cpl/model";
import { scoped } from "@/ml/core/nn";
import { gaussianMaskT } from "@/ml/cpl/geometry";
import { randomWordMask } from "@/ml/cpl/losses";
import { Rng } from "@/ml/core/rng";
import { resampleClips } from "@/ml/core/resample";
import { concatF32 } from "@/ml/core/arrays";
import { clipWindows, slotInputsT, standardiseSlotsT, windowFrames } from "@/ml/features/slots";

const { values: a } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes" },
    models: { type: "string", default: "models" },
    "gt-steps": { type: "string", default: "0" },
    queries: { type: "string", default: "300" },
    input: { type: "string", default: "emb" },
    "rec-attention": { type: "string", default: "content" },
  },
});
if (a.input === "emb+slots" && Number(a["gt-steps"]) <= 0)
  throw new Error("--input emb+slots trains a fresh grounder: give --gt-steps");
await initBackend();
const { model: loc } = await loadLocVtp(path.join(a.models!, "locvtp"));
const val = await loadCorpus(path.join(a.data!, "val"), { quiet: true });
/** per clip: the LocVTP embedding, plus (emb+slots) its standardised slot statistics × 0.1 */
function clipInputs(c: Corpus): Map<string, Float32Array[]> {
  const emb = corpusEmbeddings(loc, c);
  if (a.input !== "emb+slots") return emb;
  const F = loc.cfg.framesPerClip;
  const fd = loc.cfg.clip.frameDim;
  for (const v of c.videos) {
    const st = scoped(() => {
      const x = tf.tensor(
        clipWindows(
          v.feats,
          v.nClips,
          F,
          fd,
          loc.cfg.clip.contextClips ?? 0,
          Array.from({ length: v.nClips }, (_, i) => i),
        ),
        [v.nClips, windowFrames(loc.cfg), fd],
      );
      const z = standardiseSlotsT(slotInputsT(x, loc.cfg), loc.slotMean, loc.slotStd);
      return tf.mul(z, 0.1).reshape([v.nClips, -1]).dataSync() as Float32Array;
    });
    const d = st.length / v.nClips;
    emb.set(
      v.id,
      emb.get(v.id)!.map((e, i) => concatF32([e, st.subarray(i * d, (i + 1) * d)])),
    );
  }
  return emb;
}
const valEmb = clipInputs(val);
let model: CplModel = (await loadCpl(path.join(a.models!, "cpl"))).model;
const rng = new Rng(11);

/** video tokens, similarity channel and relative ground truth of one query */
function prep(c: Corpus, emb: Map<string, Float32Array[]>, m: CplModel, q: Corpus["queries"][number]) {
  const { nTokens: N, inDim } = m.cfg;
  const video = resampleClips(emb.get(q.video)!, N, inDim);
  const sim = m.cfg.simChannel ? tokenSimilarity(video, m.sentenceEmbedder!(q.query), N, inDim) : undefined;
  const du = c.byId.get(q.video)!.duration;
  return { video, sim, c: (q.start! + q.end!) / 2 / du, w: (q.end! - q.start!) / du };
}

const gtSteps = Number(a["gt-steps"]);
if (gtSteps > 0) {
  const train = await loadCorpus(path.join(a.data!, "train"), { quiet: true });
  const emb = clipInputs(train);
  const recAttention = a["rec-attention"] === "mask" ? "mask" : "content";
  model = new CplModel(
    { ...model.cfg, inDim: emb.values().next().value![0].length, recAttention },
    1,
    buildVocab(train),
    { sentenceEmbedder: sentenceEmbedderFor(loc) },
  );
  const { nTokens: N, inDim, sigma } = model.cfg;
  const qs = train.queries.filter((q) => q.start !== undefined);
  const opt = tf.train.adam(1e-3);
  for (let step = 1; step <= gtSteps; step++) {
    const batch = Array.from({ length: 32 }, () => qs[rng.int(0, qs.length - 1)]);
    const ps = batch.map((q) => prep(train, emb, model, q));
    const enc = batch.map((q) => model.encode(q.query));
    const which = enc.map((e) => randomWordMask(e.query.words.length, rng));
    const cost = opt.minimize(() => {
      const video = tf.tensor(concatF32(ps.map((p) => p.video)), [32, N, inDim]);
      const p = model.proposals(
        video,
        enc.map((e) => e.query),
        model.cfg.simChannel ? concatF32(ps.map((x) => x.sim!)) : undefined,
      );
      const gt = gaussianMaskT(tf.tensor(ps.map((x) => [x.c])), tf.tensor(ps.map((x) => [x.w])), N, sigma);
      return tf.mean(model.reconstructCE(p.mem, enc, which, tf.concat([gt, tf.ones([32, 1, N])], 1))) as tf.Scalar;
    }, true)!;
    if (step % 100 === 0)
      console.log(`reconstructor on ground-truth masks: step ${step} loss ${cost.dataSync()[0].toFixed(3)}`);
    cost.dispose();
  }
}

const sums = { gt: 0, rnd: 0, ref: 0, n: 0, gtBeatsRef: 0 };
const byWord = new Map<string, { gt: number; ref: number; n: number }>();
const { nTokens: N, inDim, sigma } = model.cfg;
for (const q of val.queries.filter((x) => x.start !== undefined).slice(0, Number(a.queries))) {
  const p = prep(val, valEmb, model, q);
  const enc = model.encode(q.query);
  const nW = enc.query.words.length;
  const rows = tf.tidy(() => {
    const pr = model.proposals(tf.tensor(p.video, [1, N, inDim]), [enc.query], p.sim);
    const masks = tf.concat(
      [gaussianMaskT(tf.tensor([[p.c, rng.next()]]), tf.tensor([[p.w, p.w]]), N, sigma), tf.ones([1, 1, N])],
      1,
    );
    const which = Array.from({ length: nW }, (_, r) => enc.query.words.map((_, i) => i === r));
    return model
      .reconstructCE(
        tf.tile(pr.mem, [nW, 1, 1]),
        which.map(() => enc),
        which,
        tf.tile(masks, [nW, 1, 1]),
      )
      .arraySync() as number[][];
  });
  rows.forEach(([gt, rnd, ref], i) => {
    const w = enc.query.words[i];
    const e = byWord.get(w) ?? { gt: 0, ref: 0, n: 0 };
    byWord.set(w, { gt: e.gt + gt, ref: e.ref + ref, n: e.n + 1 });
    Object.assign(sums, {
      gt: sums.gt + gt,
      rnd: sums.rnd + rnd,
      ref: sums.ref + ref,
      n: sums.n + 1,
      gtBeatsRef: sums.gtBeatsRef + (gt < ref ? 1 : 0),
    });
  });
}
const f = (x: number) => (x / sums.n).toFixed(3);
console.log(
  `per-word cross-entropy over ${sums.n} words: ground-truth span ${f(sums.gt)}, random span ${f(sums.rnd)}, whole video ${f(sums.ref)}; ground truth better than whole video for ${((100 * sums.gtBeatsRef) / sums.n).toFixed(1)} %`,
);
console.log(
  "per word (ground truth / whole video):",
  [...byWord]
    .filter(([, e]) => e.n >= 15)
    .map(([w, e]) => `${w} ${(e.gt / e.n).toFixed(2)}/${(e.ref / e.n).toFixed(2)}`)
    .join(", "),
);
process.exit(0);
