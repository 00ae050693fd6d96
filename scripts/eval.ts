/**
 * npm run eval -- --dataset data/shapes/test [--out metrics.json] [--models models] [--max N] [--recorded]
 *   [--grounding-only] [--grounder ROW=DIR …] [--scorer ROW=DIR …] [--confidence-only] [--libraries N] [--reliability-png docs/reliability-shapes-test.png] [--confidence-samples FILE]
 * Prints R1/R5@{0.3,0.5,0.7} and mIoU for CPL (loss), CPL* (vote) and the baselines, for
 * grounding and for corpus moment retrieval; then the moments' confidence (ECE, reliability
 * table, "no good match" precision/recall, retrieval by confidence with several moments per
 * video) over the folder as one library and over N sub-libraries; writes the JSON with --out.
 * A dataset exported from review (npm run export:dataset) also carries the predictions
 * annotators judged: those are scored first, per model version, with the evaluation
 * dashboard's own code; --recorded stops there (no models run). --grounding-only skips the
 * confidence part; --grounder ROW=DIR adds a CPL-format grounder in DIR as table row ROW, --scorer
 * ROW=DIR a relevance scorer (read off its own clip features, e.g. one trained with timestamps).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadCorpus } from "../ml/data/corpus";
import { evaluate } from "../ml/eval";
import { formatMetricsTable, type MetricRow } from "../ml/data/metrics";
import { ANNOTATIONS_FILE } from "../ml/data/format";
import { scoreRecordedPredictions } from "../lib/review/evaluation";
import { formatCalibration, reliabilityPng } from "../ml/calibration/report";
import { corpusOptions, initMlBackend, mlConfig } from "./lib/ml";

const { values: a } = parseArgs({
  options: {
    dataset: { type: "string" },
    out: { type: "string" },
    models: { type: "string" },
    max: { type: "string" },
    quiet: { type: "boolean", default: false },
    recorded: { type: "boolean", default: false },
    "confidence-only": { type: "boolean", default: false },
    "grounding-only": { type: "boolean", default: false },
    grounder: { type: "string", multiple: true },
    scorer: { type: "string", multiple: true },
    libraries: { type: "string" },
    "reliability-png": { type: "string" },
    "confidence-samples": { type: "string" },
  },
  allowPositionals: true,
});
if (!a.dataset) {
  console.error("usage: npm run eval -- --dataset DIR [--out metrics.json] [--models DIR] [--max N] [--recorded]");
  process.exit(2);
}
const annotationsFile = path.join(a.dataset, ANNOTATIONS_FILE);
const recorded = existsSync(annotationsFile)
  ? scoreRecordedPredictions(JSON.parse(readFileSync(annotationsFile, "utf8")))
  : [];
if (recorded.length) {
  console.log(`\nRecorded predictions in ${a.dataset}, against the annotators' spans (one span per query, so R5 = R1)`);
  console.log(
    formatMetricsTable(
      recorded.map((r) => ({
        method: r.modelVersion,
        metrics: { ...r, "R5@0.3": r["R1@0.3"], "R5@0.5": r["R1@0.5"], "R5@0.7": r["R1@0.7"] },
        queries: r.count,
      })),
    ),
  );
} else if (a.recorded)
  console.log(`${a.dataset} carries no recorded predictions (export one with npm run export:dataset).`);
if (a.recorded) process.exit(0);
await initMlBackend();
const corpus = await loadCorpus(a.dataset, { quiet: a.quiet, ...corpusOptions() });
const r = await evaluate(corpus, {
  models: a.models ?? mlConfig().modelsDir,
  maxQueries: a.max ? Number(a.max) : undefined,
  log: (s) => console.log(s),
  confidenceOnly: a["confidence-only"],
  groundingOnly: a["grounding-only"],
  extraGrounders: rowDirs("grounder", a.grounder),
  extraScorers: rowDirs("scorer", a.scorer),
  subLibraries: a.libraries !== undefined ? Number(a.libraries) : undefined,
  onConfidenceData: a["confidence-samples"]
    ? (d) =>
        writeFileSync(a["confidence-samples"]!, JSON.stringify({ queries: d.queries, candidates: d.candidates }) + "\n")
    : undefined,
});
/** --FLAG ROW=DIR … → { ROW: DIR } */
function rowDirs(flag: string, values: string[] = []): Record<string, string> {
  return Object.fromEntries(
    values.map((g) => {
      const i = g.indexOf("=");
      if (i < 1) throw new Error(`--${flag} ${g}: expected ROW=DIR`);
      return [g.slice(0, i), g.slice(i + 1)];
    }),
  );
}
const rows = (o: Record<string, MetricRow>) =>
  Object.entries(o).map(([method, metrics]) => ({ method, metrics, queries: r.queries }));
if (!a["confidence-only"]) {
  console.log(formatMetricsTable(rows(r.methods), { title: `\nGrounding on ${a.dataset} (${r.queries} queries)` }));
  console.log(
    formatMetricsTable(rows(r.corpus), {
      title: `\nCorpus moment retrieval (${corpus.videos.length} videos; ${r.corpusRanker === "relevance" ? "the relevance scorer ranks" : "LocVTP sliding windows rank"} the videos, top-5 videos × method top-1)`,
    }),
  );
}
if (r.confidence) {
  console.log(
    formatCalibration(
      r.confidence.library,
      `\nConfidence of the moments on ${a.dataset} as one library (${corpus.videos.length} videos)`,
    ),
  );
  const sub = r.confidence.subLibraries;
  if (sub)
    console.log(
      formatCalibration(
        sub,
        `\nConfidence on ${sub.count} disjoint sub-libraries of ≈ ${sub.videos} videos of ${a.dataset}, pooled`,
      ),
    );
  if (a["reliability-png"]) {
    const curves = [{ bins: r.confidence.library.moments.bins, color: [30, 90, 220] as [number, number, number] }];
    if (sub) curves.push({ bins: sub.moments.bins, color: [235, 130, 20] });
    writeFileSync(a["reliability-png"], reliabilityPng(curves));
    console.log(`wrote ${a["reliability-png"]}`);
  }
} else if (!a["grounding-only"]) console.log("\n(no relevance scorer installed: no confidence to measure)");
console.log(`\nmodels: ${JSON.stringify(r.versions)}`);
if (a.out) writeFileSync(a.out, JSON.stringify(r, null, 1) + "\n");
process.exit(0);
