/**
 * npx tsx ml/experiments/sweep-relevance-readout.ts [--data data/shapes/val] [DIR ...]
 * How the relevance scorer's readouts (relevanceSpans) trade off, per scorer folder (default
 * models/relevance): R1@0.5 / mIoU / R5@0.5 on a split with timestamps, for the peak readout
 * (the run around a peak above min + t·(peak − min), t = 0.6 … 0.9) and the mass readout
 * (softmax temperature T, price per unit length γ), and the fraction trimmed off each span's ends.
 * DEFAULT_RELEVANCE_READOUT was chosen this way on val (docs/experiments/004-weak-localisation.md,
 * 005-ensemble-and-readout.md, 006-more-renderings.md).
 */
import { parseArgs } from "node:util";
import { initBackend } from "../core/backend";
import { loadCorpus } from "../data/corpus";
import { evaluateGrounding } from "../data/metrics";
import { clipVectors } from "../encoders";
import { loadLocVtp } from "../locvtp/load";
import { loadRelevance } from "../relevance/load";
import { DEFAULT_RELEVANCE_READOUT, relevanceSpans, type RelevanceReadout } from "../relevance/readout";
import { tokenScores } from "../relevance/scores";

const { values: a, positionals } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes/val" },
    locvtp: { type: "string", default: "models/locvtp" },
  },
  allowPositionals: true,
});
await initBackend();
const corpus = await loadCorpus(a.data!, { quiet: true });
const loc = (await loadLocVtp(a.locvtp)).model;
const qs = corpus.queries.filter((q) => q.start !== undefined && q.end !== undefined);
for (const dir of positionals.length ? positionals : ["models/relevance"]) {
  const rel = await loadRelevance(dir);
  if (!rel) {
    console.error(`no relevance scorer in ${dir}`);
    continue;
  }
  const vecs = new Map(corpus.videos.map((v) => [v.id, clipVectors(loc, rel.model, v.feats, v.nClips)]));
  const scores = qs.map((q) => tokenScores(rel.model, q.query, [vecs.get(q.video)!.map((c) => c.relevance)]));
  console.log(`${dir} (${rel.version}), ${qs.length} queries of ${a.data}`);
  const readouts: RelevanceReadout[] = [
    ...[0.6, 0.7, 0.75, 0.8, 0.85, 0.9].map((threshold) => ({ kind: "peak" as const, threshold })),
    ...[0.5, 1, 2].flatMap((temperature) =>
      [1, 1.5, 2].map((lengthPrice) => ({
        kind: "mass" as const,
        temperature,
        lengthPrice,
        alternatives: 0.8,
        trim: 0,
      })),
    ),
    // trimming the ends of the default mass readout's spans
    ...[0.05, 0.1, 0.15, 0.2].map((trim) => ({
      kind: "mass" as const,
      temperature: 1,
      lengthPrice: 1.5,
      alternatives: 0.8,
      trim,
    })),
    ...[0.05, 0.1].map((trim) => ({ kind: "peak" as const, threshold: 0.8, trim })),
  ];
  for (const r of readouts) {
    const m = evaluateGrounding(
      qs.map((q, i) => ({
        gt: { start: q.start!, end: q.end! },
        predictions: relevanceSpans(scores[i], corpus.byId.get(q.video)!.duration, 5, r),
      })),
    );
    const name =
      (r.kind === "peak"
        ? `peak threshold ${r.threshold.toFixed(2)}`
        : `mass T ${r.temperature} γ ${r.lengthPrice} (alt. ${r.alternatives})`) + (r.trim ? ` trim ${r.trim}` : "");
    const isDefault = JSON.stringify(r) === JSON.stringify(DEFAULT_RELEVANCE_READOUT);
    console.log(
      `  ${name.padEnd(34)} R1@0.5 ${m["R1@0.5"].toFixed(2)}  mIoU ${m.mIoU.toFixed(2)}  R5@0.5 ${m["R5@0.5"].toFixed(2)}${isDefault ? "  (default)" : ""}`,
    );
  }
}
process.exit(0);
