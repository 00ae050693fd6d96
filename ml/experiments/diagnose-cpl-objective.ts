/**
 * npx tsx ml/experiments/diagnose-cpl-objective.ts [--data data/shapes] [--models models] [--queries 200]
 *     [--sigmas 9,4] [--lambdas 0,0.13,0.3]
 *
 * Diagnostic, not a shipped model: CPL with the relevance scorer as its completion model
 * (CplConfig.completion "relevance", ml/cpl/completion.ts). Uses timestamps to measure, never to
 * train. Two questions, on val:
 *  1. Does the completion prefer the moment? Per-word completion cross-entropy (every word
 *     judged) under the ground truth's Gaussian, the ground truth as a box, the whole video and
 *     a random span of the same width. CPL's signal needs moment < whole video by more than β1.
 *  2. What would CPL find if its proposal network were perfect? The exact optimum of CPL's
 *     per-proposal objective, L^p + L^r + L_IVC (hard negatives, η = 1) + (diag(m mᵀ) − λ)²
 *     (L_div's term for a single proposal), over a grid of centres and widths, scored like a
 *     prediction: R1@0.3/0.5/0.7, mIoU, its median width, how often its centre falls inside the
 *     annotation, and R1@0.5 with its centre and the annotated width.
 * The substitution index comes from the training split's sentences, as in training.
 */
import * as tf from "@tensorflow/tfjs";
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/ml/core/backend";
import { loadCorpus } from "@/ml/data/corpus";
import { readDataset } from "@/ml/data/format";
import { clipVectors } from "@/ml/encoders";
import { completionTableOf } from "@/ml/cpl/ground";
import { loadLocVtp } from "@/ml/locvtp/load";
import { loadRelevance } from "@/ml/relevance/load";
import { completionCET, substitutionIndex } from "@/ml/cpl/completion";
import { gaussianMask, negativeProposals } from "@/ml/cpl/geometry";
import { CplModel } from "@/ml/cpl/model";
import { COMPLETION_CANDIDATES, CPL_HPARAMS, DEFAULT_CPL_CONFIG } from "@/ml/cpl/config";
import { evaluateGrounding, type GroundingSample } from "@/ml/data/metrics";
import { words } from "@/ml/core/tokenizer";
import { SHAPES_VOCAB } from "@/ml/cpl/vocab";
import { Rng } from "@/ml/core/rng";
import type { ClipVector } from "@/ml/types";

const { values: a } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes" },
    models: { type: "string", default: "models" },
    queries: { type: "string", default: "200" },
    sigmas: { type: "string", default: "9,4" },
    lambdas: { type: "string", default: "0,0.13,0.3" },
  },
});
await initBackend();
const { model: loc } = await loadLocVtp(path.join(a.models!, "locvtp"));
const rel = await loadRelevance(path.join(a.models!, "relevance"));
if (!rel) throw new Error(`no relevance scorer in ${a.models}/relevance`);
const train = await readDataset(path.join(a.data!, "train"));
const grounder = new CplModel({ ...DEFAULT_CPL_CONFIG, completion: "relevance" }, 0, SHAPES_VOCAB, {
  relevance: rel.model,
  substitutions: substitutionIndex(train.dataset.queries.map((q) => words(q.query))),
});
const val = await loadCorpus(path.join(a.data!, "val"), { quiet: true });
const qs = val.queries.filter((q) => q.start !== undefined && q.end !== undefined).slice(0, Number(a.queries));
const { nTokens: N, maxWords: M } = grounder.cfg;
const C = grounder.cfg.completionCandidates ?? COMPLETION_CANDIDATES;
const sigmas = a.sigmas!.split(",").map(Number);
const lambdas = a.lambdas!.split(",").map(Number);
const WIDTHS = [0.03, 0.05, 0.07, 0.1, 0.14, 0.2, 0.28, 0.4, 0.55];
const CENTRES = Array.from({ length: 32 }, (_, i) => (i + 0.5) / 32);
const { beta1, beta2 } = CPL_HPARAMS;

const vectors = new Map<string, ClipVector[]>();
const premise = { gauss: 0, box: 0, whole: 0, random: 0, momentWins: 0 };
const optimum = new Map<string, { samples: GroundingSample[]; widths: number[] }>();
const rng = new Rng(5);
for (const q of qs) {
  const v = val.byId.get(q.video)!;
  if (!vectors.has(v.id)) vectors.set(v.id, clipVectors(loc, rel.model, v.feats, v.nClips));
  const ws = grounder.encode(q.query).query.words;
  const t = completionTableOf(grounder, ws, vectors.get(v.id)!);
  const ce = (masks: number[]) =>
    tf.tidy(
      () =>
        completionCET(
          tf.tensor(t.table, [1, M, C, N]),
          tf.tensor(t.valid, [1, M, C]),
          tf.tensor(
            Array.from({ length: M }, (_, i) => (i < ws.length ? 1 : 0)),
            [1, M],
          ),
          tf.tensor(masks, [1, masks.length / N, N]),
        ).dataSync() as Float32Array,
    );
  const gt = { start: q.start!, end: q.end! };
  const c = (gt.start + gt.end) / 2 / v.duration;
  const w = (gt.end - gt.start) / v.duration;
  const box = Array.from({ length: N }, (_, i) => ((i + 0.5) / N >= c - w / 2 && (i + 0.5) / N <= c + w / 2 ? 1 : 0));
  const p = ce([
    ...gaussianMask(c, w, N, DEFAULT_CPL_CONFIG.sigma),
    ...box,
    ...new Array<number>(N).fill(1),
    ...gaussianMask(w / 2 + rng.next() * (1 - w), w, N, DEFAULT_CPL_CONFIG.sigma),
  ]);
  premise.gauss += p[0];
  premise.box += p[1];
  premise.whole += p[2];
  premise.random += p[3];
  premise.momentWins += p[0] < p[2] ? 1 : 0;

  for (const sigma of sigmas) {
    const props: { c: number; w: number }[] = [];
    for (const pw of WIDTHS)
      for (const pc of CENTRES) if (pc - pw / 2 >= -0.01 && pc + pw / 2 <= 1.01) props.push({ c: pc, w: pw });
    // a negative narrower than half a token has no mask: it cannot be reconstructed from, so its hinge is 0
    const mask = (x: { c: number; w: number }) => Array.from(gaussianMask(x.c, x.w, N, sigma));
    const masks: number[] = new Array<number>(N).fill(1);
    for (const x of props)
      for (const m of [x, ...negativeProposals(x, 1)])
        masks.push(...(m.w * N < 0.5 ? new Array<number>(N).fill(1) : mask(m)));
    const l = ce(masks);
    for (const lambda of lambdas) {
      let best = 0;
      let bestJ = Infinity;
      props.forEach((x, k) => {
        const [lp, l1, l2] = [l[1 + 3 * k], l[2 + 3 * k], l[3 + 3 * k]];
        const [n1, n2] = negativeProposals(x, 1);
        const m = mask(x);
        const z = m.reduce((s, y) => s + y, 0);
        const diag = m.reduce((s, y) => s + (y / z) ** 2, 0);
        const J =
          lp +
          l[0] +
          Math.max(lp - l[0] + beta1, 0) +
          (n1.w * N >= 0.5 ? Math.max(lp - l1 + beta2, 0) : 0) +
          (n2.w * N >= 0.5 ? Math.max(lp - l2 + beta2, 0) : 0) +
          (lambda > 0 ? (diag - lambda) ** 2 : 0);
        if (J < bestJ) {
          bestJ = J;
          best = k;
        }
      });
      const x = props[best];
      const key = `σ ${sigma}, λ ${lambda || "— (no L_div)"}`;
      if (!optimum.has(key)) optimum.set(key, { samples: [], widths: [] });
      optimum.get(key)!.samples.push({
        gt,
        predictions: [{ start: Math.max(x.c - x.w / 2, 0) * v.duration, end: Math.min(x.c + x.w / 2, 1) * v.duration }],
      });
      optimum.get(key)!.widths.push(x.w);
    }
  }
}
const n = qs.length;
console.log(`${n} val queries; completion by ${rel.version}\n`);
console.log("1. completion cross-entropy per word (nats)");
console.log(
  `   ground truth (Gaussian, σ = ${DEFAULT_CPL_CONFIG.sigma}) ${(premise.gauss / n).toFixed(3)}   ground truth (box) ${(premise.box / n).toFixed(3)}   whole video ${(premise.whole / n).toFixed(3)}   random span ${(premise.random / n).toFixed(3)}`,
);
console.log(`   the moment beats the whole video for ${((100 * premise.momentWins) / n).toFixed(1)} % of queries\n`);
console.log("2. the optimum of CPL's objective per query");
for (const [key, { samples, widths }] of optimum) {
  const r = evaluateGrounding(samples);
  const centreIn = samples.filter((s) => {
    const m = (s.predictions[0].start + s.predictions[0].end) / 2;
    return m >= s.gt.start && m <= s.gt.end;
  }).length;
  const withGtWidth = evaluateGrounding(
    samples.map((s) => {
      const m = (s.predictions[0].start + s.predictions[0].end) / 2;
      const h = (s.gt.end - s.gt.start) / 2;
      return { gt: s.gt, predictions: [{ start: m - h, end: m + h }] };
    }),
  );
  widths.sort((x, y) => x - y);
  console.log(
    `   ${key.padEnd(24)} R1@0.3 ${r["R1@0.3"].toFixed(1)}  R1@0.5 ${r["R1@0.5"].toFixed(1)}  R1@0.7 ${r["R1@0.7"].toFixed(1)}  mIoU ${r.mIoU.toFixed(1)}  median width ${widths[widths.length >> 1]}  centre inside ${((100 * centreIn) / n).toFixed(1)} %  (annotated width: R1@0.5 ${withGtWidth["R1@0.5"].toFixed(1)})`,
  );
}
process.exit(0);
