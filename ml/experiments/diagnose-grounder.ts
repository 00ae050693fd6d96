/**
 * npx tsx ml/experiments/diagnose-grounder.ts [--data data/shapes] [--steps 250] [--variant supervised|cpl]
 *
 * Diagnostic, not a shipped model: trains the CPL grounder on the RAW low-level clip features
 * (mean of each clip's frame features, standardised on the training set) instead of the
 * LocVTP embeddings, and prints validation R@n/mIoU. With --variant supervised (timestamps:
 * an upper bound) it separates "the clip embeddings lack the events" from "the grounder
 * cannot bind the query to the features" — see docs/experiments/001-first-grounder.md.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/ml/core/backend";
import { CLIP_SPEC } from "@/ml/config";
import { FRAME_FEATURE_DIM } from "@/ml/features/lowlevel";
import { loadCorpus, type Corpus } from "@/ml/data/corpus";
import type { CplVariant } from "@/ml/cpl/losses";
import { quickEval, trainCpl } from "@/ml/cpl/train";
import type { ClipVector } from "@/ml/types";

const { values: a } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes" },
    steps: { type: "string", default: "250" },
    variant: { type: "string", default: "supervised" },
    lr: { type: "string", default: "1e-3" },
    head: { type: "string", default: "pointer" },
    kernel: { type: "string", default: "5" },
    batch: { type: "string", default: "32" },
  },
});
await initBackend();
const train = await loadCorpus(path.join(a.data!, "train"), { quiet: true });
const val = await loadCorpus(path.join(a.data!, "val"), { quiet: true });
const F = CLIP_SPEC.framesPerClip;
const D = FRAME_FEATURE_DIM;

const mean = new Float64Array(D);
const sq = new Float64Array(D);
let n = 0;
for (const v of train.videos) {
  for (let i = 0; i < v.feats.length / D; i++, n++) {
    for (let d = 0; d < D; d++) {
      const x = v.feats[i * D + d];
      mean[d] += x;
      sq[d] += x * x;
    }
  }
}
const std = new Float64Array(D);
for (let d = 0; d < D; d++) {
  mean[d] /= n;
  std[d] = Math.sqrt(Math.max(sq[d] / n - mean[d] ** 2, 1e-6));
}

/** per clip: the mean of its frames' standardised low-level vectors, as the grounder's input */
function clipFeatures(c: Corpus): Map<string, ClipVector[]> {
  const out = new Map<string, ClipVector[]>();
  for (const v of c.videos) {
    const clips: ClipVector[] = [];
    for (let k = 0; k < v.nClips; k++) {
      const x = new Float32Array(D);
      for (let f = 0; f < F; f++)
        for (let d = 0; d < D; d++) x[d] += (v.feats[(k * F + f) * D + d] - mean[d]) / std[d] / F;
      clips.push({ embedding: x });
    }
    out.set(v.id, clips);
  }
  return out;
}

const emb = clipFeatures(train);
const valEmb = clipFeatures(val);
const t0 = Date.now();
const model = trainCpl(train, emb, {
  seed: 1,
  epochs: 10,
  steps: Number(a.steps),
  batch: Number(a.batch),
  lr: Number(a.lr),
  variant: a.variant as CplVariant,
  cfg: { inDim: D, head: a.head as "fc" | "pointer", temporalKernel: Number(a.kernel), simChannel: false },
  quiet: true,
});
const r = quickEval(model, val, valEmb, 497);
console.log(
  `${a.variant} head=${a.head} kernel=${a.kernel} lr=${a.lr} on raw low-level clip features, ${a.steps} steps, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
console.log(`val vote: ${JSON.stringify(r.vote)}`);
console.log(`val loss: ${JSON.stringify(r.loss)}`);
