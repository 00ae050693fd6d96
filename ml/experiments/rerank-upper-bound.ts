/**
 * npx tsx ml/experiments/rerank-upper-bound.ts [--data data/shapes] [--models models] [--grounder DIR]
 *     [--betas 0,1,2,4,8,16] [--scorer DIR]
 *
 * Diagnostic for issue 20, item 1: the boundary upper bound finds the annotated span among its
 * top 5 far more often than first (R5@0.5 ≈ 84 against R1@0.5 ≈ 57–59). Does the relevance
 * scorer's own readout objective pick better among those 5? Each proposal is rescored as
 * head score + β·(softmax mass of the scorer's token logits inside it − 1.5 × its relative
 * length), the objective of the scorer's mass readout. Prints R1/R5 and mIoU per β on val and test.
 * --scorer DIR takes the mass from another scorer (its own clip features), e.g. one trained with
 * timestamps (npm run train:supervised-scorer); the head still reads the installed scorer's evidence.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/ml/core/backend";
import { loadCorpus, type Corpus } from "@/ml/data/corpus";
import { evaluateGrounding } from "@/ml/data/metrics";
import { clipVectors } from "@/ml/encoders";
import { groundManyWithModel } from "@/ml/cpl/ground";
import { loadCpl } from "@/ml/cpl/load";
import { loadLocVtp } from "@/ml/locvtp/load";
import { loadRelevance } from "@/ml/relevance/load";
import { tokenScores } from "@/ml/relevance/scores";

const { values: a } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes" },
    models: { type: "string", default: "models" },
    grounder: { type: "string", default: "models/baselines/supervised" },
    betas: { type: "string", default: "0,1,2,4,8,16" },
    scorer: { type: "string" },
  },
});
await initBackend();
const { model: loc } = await loadLocVtp(path.join(a.models!, "locvtp"));
const rel = (await loadRelevance(path.join(a.models!, "relevance")))!.model;
const massScorer = a.scorer ? (await loadRelevance(a.scorer))!.model : rel;
const { model } = await loadCpl(a.grounder!, { modelsDir: a.models! });
const betas = a.betas!.split(",").map(Number);

for (const split of ["val", "test"]) {
  const c: Corpus = await loadCorpus(path.join(a.data!, split), { quiet: true });
  const rows = betas.map(
    () => [] as { gt: { start: number; end: number }; predictions: { start: number; end: number; score: number }[] }[],
  );
  for (const q of c.queries) {
    if (q.start === undefined || q.end === undefined) continue;
    const v = c.byId.get(q.video)!;
    const clips = clipVectors(loc, rel, v.feats, v.nClips);
    const spans = groundManyWithModel(model, q.query, [{ clips, durationSeconds: v.duration }], { topK: 5 })[0];
    const massClips = massScorer === rel ? clips : clipVectors(loc, massScorer, v.feats, v.nClips);
    const s = tokenScores(massScorer, q.query, [massClips.map((x) => x.relevance)]);
    const N = s.length;
    const m = Math.max(...s);
    const p = Array.from(s, (x) => Math.exp(x - m));
    const z = p.reduce((x, y) => x + y, 0);
    const readout = (sp: { start: number; end: number }) => {
      const a0 = (sp.start / v.duration) * N;
      const a1 = (sp.end / v.duration) * N;
      let mass = 0;
      for (let i = 0; i < N; i++) if (i + 0.5 >= a0 && i + 0.5 <= a1) mass += p[i] / z;
      return mass - (1.5 * (sp.end - sp.start)) / v.duration;
    };
    betas.forEach((b, bi) =>
      rows[bi].push({
        gt: { start: q.start!, end: q.end! },
        predictions: spans
          .map((sp) => ({ ...sp, score: sp.score + b * readout(sp) }))
          .sort((x, y) => y.score - x.score),
      }),
    );
  }
  betas.forEach((b, bi) => {
    const r = evaluateGrounding(rows[bi]);
    console.log(
      JSON.stringify({ split, beta: b, ...Object.fromEntries(Object.entries(r).map(([k, x]) => [k, +x.toFixed(2)])) }),
    );
  });
}
process.exit(0);
