/**
 * Issue 19, item 1: does a ProViCo-style per-clip uncertainty (../shared/methods/ProViCo.md)
 * make "does this span show this sentence" better calibrated or better ranked than the shipped
 * span verifier alone?
 *
 * The head, on the stored per-clip features v_n (the scorer's clip features, what search has):
 *   μ_n = L2Norm(LayerNorm(FC(v_n))),  σ²_n = softplus(FC'(v_n))            per clip, D values
 *   a span = the uniform mixture of its clips (M clips spread over it):
 *     μ(S) = mean μ_n,  σ²(S) = mean(σ²_n + μ_n²) − μ(S)²
 *   the sentence: t = L2Norm(FC_t(its one-hot attributes))                     a point
 *   K samples z_k = σ(S) ⊙ ε_k + μ(S);  p = (1/K) Σ_k sigmoid(−a ‖z_k − t‖ + b),  a, b learned
 *   loss = BCE(p, y) / u + ½ log u + β KL(N(μ_n, σ²_n) ‖ N(0, I)),  u = mean σ²(S), β = 1e-4
 * trained on the verifier's labelled (span, sentence) pairs of the Shapes training split (own
 * spans, jittered copies, other events' spans, random spans; each sentence and its one-word
 * edits; labels from the scenarios).
 *
 * Then logistic calibrations of the label fitted on val pairs and measured on test pairs:
 * [verifier logit], [+ ProViCo match logit], [+ span uncertainty log u], [verifier logit, log u].
 *
 *   npx tsx ml/experiments/provico-uncertainty.ts [--epochs 6] [--dim 32] [--limit N] [--plain]
 *
 * --plain: the loss without the uncertainty weighting (BCE + β KL), a check that the weighting
 * is not what keeps the head from learning.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { dense } from "../core/nn";
import { ParamStore } from "../core/params";
import { Rng } from "../core/rng";
import { fitLogistic, sigmoid } from "../calibration/fit";
import { calibrationReport } from "../calibration/metrics";
import { loadLocVtp } from "../locvtp/load";
import { loadRelevance } from "../relevance/load";
import { ATTRIBUTE_DIM } from "../verifier/attributes";
import { verifierVideos } from "../verifier/data";
import { spanClips } from "../verifier/inputs";
import { loadVerifier } from "../verifier/load";
import { concatRows } from "../verifier/model";
import { DEFAULT_SAMPLES, sampleLogits, verifierSamples, type VerifierSamples } from "../verifier/train";
import type { VerifierVideo } from "../verifier/train";

const { values: a } = parseArgs({
  options: {
    epochs: { type: "string", default: "6" },
    dim: { type: "string", default: "32" },
    limit: { type: "string" },
    // the plain soft contrastive loss: BCE + β KL, without dividing by the span's uncertainty
    plain: { type: "boolean", default: false },
    data: { type: "string", default: "data/shapes" },
  },
});
const EPOCHS = Number(a.epochs);
const D = Number(a.dim);
const M = 4; // clips a span's mixture reads
const K = 8; // samples
const BETA = 1e-4;
const BATCH = 256;

await initBackend();
const loc = await loadLocVtp("models/locvtp");
const rel = (await loadRelevance("models/relevance"))!;
const verifier = (await loadVerifier("models/verifier"))!;
const videosOf = (split: string, limit?: number) =>
  verifierVideos(
    path.join(a.data!, split),
    { locvtp: loc.model, relevance: rel.model },
    { quiet: true, limitVideos: limit, slots: !!verifier.model.cfg.slots },
  );
const limit = a.limit ? Number(a.limit) : undefined;
const [train, val, test] = [await videosOf("train", limit), await videosOf("val"), await videosOf("test")];
const featureDim = rel.model.featureDim;
console.log(`videos: train ${train.length}, val ${val.length}, test ${test.length}; clip features ${featureDim}`);

/** M clips spread over each span of the samples: [spans, M, featureDim] (the scorer's features only) */
function spanClipFeatures(videos: readonly VerifierVideo[], s: VerifierSamples, idx: readonly number[]): Float32Array {
  const out = new Float32Array(idx.length * M * featureDim);
  idx.forEach((i, r) => {
    const t = s.spanTimes[s.span[i]];
    const v = videos[t.video];
    const [from, to] = spanClips(t.start, t.end, v.clipSeconds, v.clips.length);
    for (let m = 0; m < M; m++) {
      const k = Math.min(to - 1, from + Math.floor(((m + 0.5) * (to - from)) / M));
      out.set(v.clips[k].subarray(0, featureDim), (r * M + m) * featureDim);
    }
  });
  return out;
}

const ps = new ParamStore(41);
const head = (x: tf.Tensor, attrs: tf.Tensor, eps: tf.Tensor) => {
  const n = attrs.shape[0];
  const flat = x.reshape([n * M, featureDim]);
  const raw = dense(ps, "provico/mu", flat, featureDim, D);
  const mean = tf.mean(raw, 1, true);
  const variance = tf.mean(tf.square(tf.sub(raw, mean)), 1, true);
  const normed = tf.div(tf.sub(raw, mean), tf.sqrt(tf.add(variance, 1e-5)));
  const mu = tf.div(normed, tf.norm(normed, 2, 1, true)).reshape([n, M, D]);
  const sigma2 = tf.add(tf.softplus(dense(ps, "provico/logvar", flat, featureDim, D)), 1e-4).reshape([n, M, D]);
  const muS = tf.mean(mu, 1);
  const sigma2S = tf.maximum(tf.sub(tf.mean(tf.add(sigma2, tf.square(mu)), 1), tf.square(muS)), 1e-6);
  const t0 = dense(ps, "provico/text", attrs, ATTRIBUTE_DIM, D);
  const t = tf.div(t0, tf.norm(t0, 2, 1, true));
  // z [n, K, D]
  const z = tf.add(tf.mul(tf.sqrt(sigma2S).reshape([n, 1, D]), eps), muS.reshape([n, 1, D]));
  const dist = tf.norm(tf.sub(z, t.reshape([n, 1, D])), 2, 2);
  const scale = tf.softplus(ps.get("provico/a", [1], { const: 2 }));
  const bias = ps.get("provico/b", [1], "zeros");
  const p = tf.mean(tf.sigmoid(tf.add(tf.mul(tf.neg(scale), dist), bias)), 1);
  const u = tf.mean(sigma2S, 1);
  const kl = tf.mean(tf.sum(tf.mul(0.5, tf.sub(tf.sub(tf.add(sigma2, tf.square(mu)), 1), tf.log(sigma2))), 2));
  return { p, u, kl };
};

// create the head's variables, so that the optimiser updates only them
tf.tidy(() => {
  head(tf.zeros([1, M, featureDim]), tf.zeros([1, ATTRIBUTE_DIM]), tf.zeros([1, K, D]));
});
const rng = new Rng(43);
const opt = tf.train.adam(1e-3);
const t0 = Date.now();
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  const s = verifierSamples(train, DEFAULT_SAMPLES, 4300 + epoch);
  const order = rng.shuffle(Array.from({ length: s.label.length }, (_, i) => i));
  let sum = 0;
  let batches = 0;
  for (let b = 0; b + BATCH <= order.length; b += BATCH) {
    const idx = order.slice(b, b + BATCH);
    const x = spanClipFeatures(train, s, idx);
    const attrs = idx.map((i) => s.attributes[i]);
    const y = Float32Array.from(idx, (i) => s.label[i]);
    const loss = opt.minimize(
      () =>
        tf.tidy(() => {
          const out = head(
            tf.tensor3d(x, [idx.length, M, featureDim]),
            tf.tensor2d(concatRows(attrs), [idx.length, ATTRIBUTE_DIM]),
            tf.randomNormal([idx.length, K, D], 0, 1, "float32", Math.floor(rng.next() * 2 ** 31)),
          );
          const yt = tf.tensor1d(y);
          const p = tf.clipByValue(out.p, 1e-6, 1 - 1e-6);
          const w = tf.add(1, tf.mul(yt, 2)); // positives × 3, as the verifier
          const bce = tf.neg(tf.add(tf.mul(yt, tf.log(p)), tf.mul(tf.sub(1, yt), tf.log(tf.sub(1, p)))));
          const perPair = a.plain ? bce : tf.add(tf.div(bce, out.u), tf.mul(0.5, tf.log(out.u)));
          return tf.add(tf.div(tf.sum(tf.mul(w, perPair)), tf.sum(w)), tf.mul(BETA, out.kl)) as tf.Scalar;
        }),
      true,
      ps.list(),
    )!;
    sum += loss.dataSync()[0];
    loss.dispose();
    batches++;
  }
  console.log(
    `epoch ${epoch + 1}/${EPOCHS}: loss ${(sum / batches).toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );
}

/** Per pair of a split: the label, the verifier's logit, the head's match logit and log u (mean over 4 draws of ε). */
function pairsOf(videos: readonly VerifierVideo[], seed: number) {
  const s = verifierSamples(videos, DEFAULT_SAMPLES, seed);
  const verifierLogit = Array.from(sampleLogits(verifier.model, s));
  const matchLogit: number[] = [];
  const logU: number[] = [];
  for (let b = 0; b < s.label.length; b += 1024) {
    const idx = Array.from({ length: Math.min(1024, s.label.length - b) }, (_, i) => b + i);
    const [p, u] = tf.tidy(() => {
      const out = head(
        tf.tensor3d(spanClipFeatures(videos, s, idx), [idx.length, M, featureDim]),
        tf.tensor2d(concatRows(idx.map((i) => s.attributes[i])), [idx.length, ATTRIBUTE_DIM]),
        tf.randomNormal([idx.length, K, D], 0, 1, "float32", seed + b),
      );
      return [out.p.dataSync(), out.u.dataSync()];
    });
    p.forEach((x) => matchLogit.push(Math.log(Math.max(x, 1e-6) / Math.max(1 - x, 1e-6))));
    u.forEach((x) => logU.push(Math.log(x)));
  }
  return { label: s.label, verifierLogit, matchLogit, logU };
}
const valPairs = pairsOf(val, 2);
const testPairs = pairsOf(test, 3);

const variants: [string, (p: typeof valPairs, i: number) => number[]][] = [
  ["verifier logit", (p, i) => [p.verifierLogit[i]]],
  ["verifier logit + ProViCo match", (p, i) => [p.verifierLogit[i], p.matchLogit[i]]],
  ["verifier logit + ProViCo match + log u", (p, i) => [p.verifierLogit[i], p.matchLogit[i], p.logU[i]]],
  ["verifier logit + log u", (p, i) => [p.verifierLogit[i], p.logU[i]]],
  ["ProViCo match alone", (p, i) => [p.matchLogit[i]]],
];
console.log(`\npairs: val ${valPairs.label.length}, test ${testPairs.label.length} (fit on val, measured on test)`);
console.log("calibration of the label                    ECE      AUC     log loss");
for (const [name, features] of variants) {
  const X = valPairs.label.map((_, i) => features(valPairs, i));
  const fit = fitLogistic(X, valPairs.label, { l2: 1e-4 });
  const p = testPairs.label.map((_, i) =>
    sigmoid(fit.bias + features(testPairs, i).reduce((s, x, j) => s + x * fit.weights[j], 0)),
  );
  const r = calibrationReport(p, testPairs.label);
  console.log(
    `${name.padEnd(42)} ${r.ece.toFixed(4)}   ${r.auc.toFixed(4)}   ${r.logLoss.toFixed(4)}   (weights ${fit.weights.map((w) => w.toFixed(3)).join(", ")})`,
  );
}
// does the uncertainty say where the verifier errs? the verifier's error rate by quartile of log u
const order = testPairs.logU.map((u, i) => [u, i] as const).sort((x, y) => x[0] - y[0]);
console.log("\ntest pairs by quartile of the span uncertainty u: the verifier's error rate (threshold logit 0)");
for (let q = 0; q < 4; q++) {
  const part = order.slice(Math.floor((q * order.length) / 4), Math.floor(((q + 1) * order.length) / 4));
  const wrong = part.filter(([, i]) => (testPairs.verifierLogit[i] > 0 ? 1 : 0) !== testPairs.label[i]).length;
  console.log(
    `  quartile ${q + 1}: log u ${part[0][0].toFixed(2)}…${part[part.length - 1][0].toFixed(2)}, errors ${((100 * wrong) / part.length).toFixed(2)} %`,
  );
}
process.exit(0);
