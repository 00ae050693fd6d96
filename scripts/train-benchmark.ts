/**
 * npm run train:benchmark -- --format charades|activitynet --train ANN --test ANN
 *     --features DIR_OR_HDF5 [--test-features …] [--durations Charades_v1.csv]
 *     [--epochs 15] [--K 8] [--batch 32] [--lr 4e-4] [--seed 1] [--out models/cpl-charades]
 * CPL trained and evaluated in the paper's setting on pre-computed features.
 */
import { parseArgs } from "node:util";
import { formatMetricsTable } from "@/ml/data/metrics";
import { initMlBackend } from "./lib/ml";
import { evaluateOnFeatures, loadFeatureCorpus, trainOnFeatures, type BenchmarkFormat } from "@/ml/cpl/benchmark";
import { saveCpl } from "@/ml/cpl/train";

const { values: a } = parseArgs({
  options: {
    format: { type: "string" },
    train: { type: "string" },
    test: { type: "string" },
    features: { type: "string" },
    "test-features": { type: "string" },
    durations: { type: "string" },
    epochs: { type: "string", default: "15" },
    steps: { type: "string" },
    K: { type: "string" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "4e-4" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});
if (!a.format || !["charades", "activitynet"].includes(a.format) || !a.train || !a.test || !a.features) {
  console.error(
    "usage: npm run train:benchmark -- --format charades|activitynet --train ANN --test ANN --features PATH [--out DIR]",
  );
  process.exit(2);
}
const format = a.format as BenchmarkFormat;
await initMlBackend();
const train = await loadFeatureCorpus({ format, annotations: a.train, features: a.features, durations: a.durations });
const test = await loadFeatureCorpus({
  format,
  annotations: a.test,
  features: a["test-features"] ?? a.features,
  durations: a.durations,
});
console.log(
  `train: ${train.corpus.videos.length} videos, ${train.corpus.queries.length} queries, features ${train.dim}-d (${train.missing.length} videos without features)`,
);
const model = trainOnFeatures(train, {
  seed: Number(a.seed),
  epochs: Number(a.epochs),
  steps: a.steps ? Number(a.steps) : undefined,
  batch: Number(a.batch),
  lr: Number(a.lr),
  variant: "cpl",
  K: a.K ? Number(a.K) : undefined,
  quiet: a.quiet,
});
if (a.out) {
  saveCpl(model, a.out, `cpl-${format}-s${a.seed}`);
  console.log(`saved to ${a.out}`);
}
const r = evaluateOnFeatures(model, test);
console.log(
  formatMetricsTable(
    [
      { method: "CPL (loss)", metrics: r.cpl, queries: r.queries },
      { method: "CPL* (vote)", metrics: r.cpl_vote, queries: r.queries },
    ],
    { title: `${format} test` },
  ),
);
