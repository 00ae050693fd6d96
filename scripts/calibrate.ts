/**
 * npm run calibrate -- --dataset data/shapes/val [--recipe ml/recipes/calibration.json] [--models models]
 *   [--out models/calibration] [--samples data/cal/val-samples.json] [--max N]
 * Fits the calibration of search's moment confidence (ml/calibration/README.md) on a held-out
 * split: the shipped models run over every video of it the way search runs across a library,
 * every candidate moment (best videos × their spans) is labelled — with the split as one library
 * and cut into the recipe's sub-libraries — the recipe's logistic fit is made, the default
 * threshold chosen (on the split as one library), and <out>/manifest.json written. Deterministic for a
 * recipe, a dataset and the models.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadCorpus } from "../ml/data/corpus";
import { corpusOptions, initMlBackend, mlConfig } from "./lib/ml";
import { DEFAULT_RECIPE, fitData, fitManifest, readRecipe } from "../ml/calibration/run";
import { formatCalibration } from "../ml/calibration/report";

const { values: a } = parseArgs({
  options: {
    dataset: { type: "string" },
    recipe: { type: "string" },
    models: { type: "string" },
    out: { type: "string" },
    samples: { type: "string" },
    max: { type: "string" },
    quiet: { type: "boolean", default: false },
  },
  allowPositionals: true,
});
if (!a.dataset) {
  console.error(
    "usage: npm run calibrate -- --dataset data/shapes/val [--recipe FILE] [--models DIR] [--out DIR] [--samples FILE] [--max N]",
  );
  process.exit(2);
}
const t0 = Date.now();
await initMlBackend();
const models = a.models ?? mlConfig().modelsDir;
const recipeFile = a.recipe ?? DEFAULT_RECIPE;
const recipe = readRecipe(recipeFile);
const corpus = await loadCorpus(a.dataset, { quiet: a.quiet, ...corpusOptions() });
const { whole, all } = await fitData(corpus, recipe, {
  models,
  maxReal: a.max ? Number(a.max) : undefined,
  log: (s) => console.log(s),
});
const { manifest, evaluation } = fitManifest(
  all,
  recipe,
  {
    dataset: path.relative(process.cwd(), path.resolve(a.dataset)) || a.dataset,
    recipeFile: path.relative(process.cwd(), recipeFile),
    videos: corpus.videos.length,
  },
  whole,
);
const out = a.out ?? path.join(models, "calibration");
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
if (a.samples) {
  mkdirSync(path.dirname(a.samples), { recursive: true });
  writeFileSync(a.samples, JSON.stringify({ queries: all.queries, candidates: all.candidates }) + "\n");
}
console.log(
  formatCalibration(evaluation, `\nCalibration fitted on ${a.dataset} (${corpus.videos.length} videos), in-sample`),
);
console.log(
  `\nwrote ${path.join(out, "manifest.json")}: ${manifest.version}, threshold ${manifest.threshold} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
);
process.exit(0);
