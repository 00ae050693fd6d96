/**
 * npm run finetune:relevance -- --recipe ml/recipes/relevance-hardneg.json [--out DIR] [--steps N]
 *
 * Fine-tunes an installed relevance scorer on the recipe's Shapes training split with
 * one-word-edit hard negatives (ml/relevance/hard-negatives.ts). The clip tower is fixed, so the
 * per-clip features a library stored stay valid. Writes the scorer to --out (default: the
 * recipe's `from` folder, i.e. it replaces the installed scorer) with its training log.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readScenarios } from "../ml/calibration/collect";
import { jsonlSink } from "../ml/core/log";
import { loadCorpus } from "../ml/data/corpus";
import { groundTruthFor } from "../ml/data/shapes/world";
import { loadLocVtp } from "../ml/locvtp/load";
import { loadRelevance } from "../ml/relevance/load";
import { corpusSlotInputs, finetuneRelevance, hardNegativeAccuracy, relevanceValR1 } from "../ml/relevance/train";
import { corpusOptions, initMlBackend } from "./lib/ml";

interface FinetuneRecipe {
  name: string;
  seed: number;
  from: string;
  locvtp: string;
  data: string;
  steps: number;
  videos: number;
  sentences: number;
  lr: number;
  hardNegatives: { perSentence: number; weight: number };
}

const { values: a } = parseArgs({
  options: {
    recipe: { type: "string", default: "ml/recipes/relevance-hardneg.json" },
    out: { type: "string" },
    steps: { type: "string" },
    quiet: { type: "boolean", default: false },
  },
  strict: true,
});
const recipe = JSON.parse(readFileSync(a.recipe!, "utf8")) as FinetuneRecipe;
if (a.steps) recipe.steps = Number(a.steps);
const out = path.resolve(a.out ?? recipe.from);
const info = await initMlBackend();
console.log(`backend ${info.name}; recipe ${recipe.name} (${recipe.steps} steps, seed ${recipe.seed}) → ${out}`);

const found = await loadRelevance(path.resolve(recipe.from));
if (!found) throw new Error(`no relevance scorer in ${recipe.from}`);
const { model: loc, version: locVersion } = await loadLocVtp(path.resolve(recipe.locvtp));
const trainDir = path.join(recipe.data, "train");
const scenarios = readScenarios(trainDir);
if (!scenarios) throw new Error(`${trainDir} has no scenarios.json: hard negatives need the Shapes scenarios`);
const decoding = corpusOptions();
const [train, val] = await Promise.all([
  loadCorpus(trainDir, { quiet: a.quiet, ...decoding }),
  loadCorpus(path.join(recipe.data, "val"), { quiet: a.quiet, ...decoding }),
]);
const valSlots = corpusSlotInputs(loc, val);
const valScenarios = readScenarios(path.join(recipe.data, "val"));
const isFalseIn = (sc: typeof scenarios) => (id: string, s: string) => groundTruthFor(sc.get(id)!, s).length === 0;
/** val R1@0.5 of the scorer's own spans, and how often a val sentence beats its false one-word edits in its video */
const measure = (m: typeof found.model) => {
  const r1 = relevanceValR1(m, val, valSlots, Infinity).toFixed(2);
  if (!valScenarios) return `val R1@0.5 ${r1}`;
  const h = hardNegativeAccuracy(m, val, valSlots, isFalseIn(valScenarios), { perQuery: 8, seed: 7 });
  return `val R1@0.5 ${r1}; edits beaten ${h.pairAccuracy.toFixed(1)} % of ${h.pairs} pairs, all edits beaten for ${h.allBeaten.toFixed(1)} % of ${h.queries} queries`;
};
console.log(`before: ${measure(found.model)}`);
const t0 = Date.now();
const model = finetuneRelevance(found.model, train, loc, {
  seed: recipe.seed,
  steps: recipe.steps,
  videosPerBatch: recipe.videos,
  sentencesPerVideo: recipe.sentences,
  lr: recipe.lr,
  hardNegatives: {
    ...recipe.hardNegatives,
    isFalse: isFalseIn(scenarios),
  },
  sink: jsonlSink(path.join(out, "finetune-log.jsonl")),
  quiet: a.quiet,
  val,
  evalEvery: 100,
});
const seconds = (Date.now() - t0) / 1000;
const version = `${found.version.replace(/-s\d+$/, "")}-hardneg${recipe.steps}-s${recipe.seed}`;
model.ps.save(out, {
  name: "relevance",
  version,
  config: model.cfg,
  extra: { locvtp: locVersion, finetunedFrom: found.version, recipe: recipe.name },
});
console.log(`after: ${measure(model)}; ${seconds.toFixed(0)} s → ${out} (${version})`);
process.exit(0);
