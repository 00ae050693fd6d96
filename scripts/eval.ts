/**
 * npm run eval -- --dataset data/shapes/test [--out metrics.json] [--models models] [--max N]
 * Prints R1/R5@{0.3,0.5,0.7} and mIoU for CPL (loss), CPL* (vote) and the baselines, for
 * grounding and for corpus moment retrieval; writes the JSON with --out.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { initBackend } from "../ml/backend";
import { loadCorpus } from "../ml/train/corpus";
import { evaluate } from "../ml/eval";
import { formatMetricsTable } from "../ml/data/metrics";

const { values: a } = parseArgs({
  options: {
    dataset: { type: "string" },
    out: { type: "string" },
    models: { type: "string" },
    max: { type: "string" },
    quiet: { type: "boolean", default: false },
  },
  allowPositionals: true,
});
if (!a.dataset) {
  console.error("usage: npm run eval -- --dataset DIR [--out metrics.json] [--models DIR]");
  process.exit(2);
}
await initBackend();
const corpus = await loadCorpus(a.dataset, { quiet: a.quiet });
const r = await evaluate(corpus, { models: a.models, maxQueries: a.max ? Number(a.max) : undefined, log: (s) => console.log(s) });
const rows = (o: Record<string, Record<string, number>>) => Object.entries(o).map(([method, metrics]) => ({ method, metrics: metrics as never, queries: r.queries }));
console.log(formatMetricsTable(rows(r.methods), { title: `\nGrounding on ${a.dataset} (${r.queries} queries)` }));
console.log(formatMetricsTable(rows(r.corpus), { title: `\nCorpus moment retrieval (${corpus.videos.length} videos; ${r.corpusRanker === "relevance" ? "the relevance scorer ranks" : "LocVTP sliding windows rank"} the videos, top-5 videos × method top-1)` }));
console.log(`\nmodels: ${JSON.stringify(r.versions)}`);
if (a.out) writeFileSync(a.out, JSON.stringify(r, null, 1) + "\n");
process.exit(0);
