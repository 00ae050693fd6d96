/**
 * Issue 19: which evidence features of the calibration separate absent combinations ("a red
 * circle spins" where only a blue circle spins) from real queries on the Shapes test split?
 *
 * Collects the fit's data on val (the recipe's libraries) and the evaluation's on test (as one
 * library, eval.ts's generated queries), once, cached as JSON; then fits the recipe with each
 * feature set named below, chooses its threshold on val by the recipe's rule, and prints ECE, AUC
 * and the "no good match" sweep on test.
 *
 *   npx tsx ml/experiments/calibration-features.ts [--models DIR] [--cache data/cal/features-<models folder>] [--fresh]
 *     [--ensemble DIR,…]
 *
 * --ensemble: caches of other models folders that differ only in the span verifier (made by
 * this script with --models); each candidate's verifier logit becomes the mean over the
 * folders' verifiers, as an ensemble of them would answer.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "../core/backend";
import { calibratorFromManifest } from "../calibration/calibrator";
import { evaluateCalibration } from "../calibration/evaluate";
import {
  calibrationData,
  concatData,
  subLibraries,
  calibrationQueries,
  EVAL_QUERIES,
  fitData,
  fitManifest,
  readRecipe,
  type CalibrationData,
  type CalibrationRecipe,
} from "../calibration/run";
import { loadCorpus, type Corpus } from "../data/corpus";

const { values: a } = parseArgs({
  options: {
    cache: { type: "string" },
    fresh: { type: "boolean", default: false },
    val: { type: "string", default: "data/shapes/val" },
    test: { type: "string", default: "data/shapes/test" },
    models: { type: "string" },
    ensemble: { type: "string" },
  },
});

// one cache per models folder: the evidence is the models' output
a.cache ??= path.join("data/cal", `features-${path.basename(path.resolve(a.models ?? "models"))}`);

type Stored = Pick<CalibrationData, "queries" | "candidates" | "models" | "truth">;

async function cached(name: string, make: () => Promise<CalibrationData>): Promise<Stored> {
  const file = path.join(a.cache!, `${name}.json`);
  if (!a.fresh && existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Stored;
  const d = await make();
  const stored: Stored = { queries: d.queries, candidates: d.candidates, models: d.models, truth: d.truth };
  writeFileSync(file, JSON.stringify(stored));
  return stored;
}

await initBackend();
mkdirSync(a.cache!, { recursive: true });
const recipe = readRecipe();
const log = (s: string) => console.log(s);
let whole: Stored | null = null;
const all = await cached("val-all", async () => {
  const d = await fitData(await loadCorpus(a.val!), recipe, { log, models: a.models });
  whole = { queries: d.whole.queries, candidates: d.whole.candidates, models: d.whole.models, truth: d.whole.truth };
  writeFileSync(path.join(a.cache!, "val-whole.json"), JSON.stringify(whole));
  return d.all;
});
whole ??= JSON.parse(readFileSync(path.join(a.cache!, "val-whole.json"), "utf8")) as Stored;
// as eval.ts collects it: the split as one library, then as 4 sub-libraries (≈ 20 videos each)
let testCorpus: Corpus | null = null;
let testVectors: CalibrationData["vectors"];
const seed = recipe.seed + 1000;
const test = await cached("test-whole", async () => {
  testCorpus ??= await loadCorpus(a.test!);
  const d = await calibrationData(testCorpus, recipe, {
    queries: calibrationQueries(testCorpus, { ...recipe, queries: EVAL_QUERIES }, seed),
    models: a.models,
    log,
  });
  testVectors = d.vectors;
  return d;
});
const testParts = await cached("test-sub4", async () => {
  testCorpus ??= await loadCorpus(a.test!);
  const parts: CalibrationData[] = [];
  for (const [k, part] of subLibraries(testCorpus, 4, seed).entries())
    parts.push(
      await calibrationData(part, recipe, {
        queries: calibrationQueries(part, { ...recipe, queries: EVAL_QUERIES }, seed + 1 + k),
        models: a.models,
        vectors: testVectors,
        log,
      }),
    );
  return concatData(parts);
});

if (a.ensemble) {
  const others = a.ensemble.split(",");
  for (const [name, data] of Object.entries({
    "val-all": all,
    "val-whole": whole,
    "test-whole": test,
    "test-sub4": testParts,
  }))
    averageVerifier(
      data,
      others.map((dir) => JSON.parse(readFileSync(path.join(dir, `${name}.json`), "utf8")) as Stored),
    );
  console.log(`verifier logits: the mean over ${others.length + 1} verifiers`);
}

/** Sets each candidate's verifier logit to the mean of its own and the others' (same candidates, in order). */
function averageVerifier(data: Stored, others: Stored[]): void {
  for (const o of others)
    if (o.candidates.length !== data.candidates.length) throw new Error("the caches hold other candidates");
  for (const [i, c] of data.candidates.entries()) {
    const logits = [c.evidence.verifierLogit, ...others.map((o) => o.candidates[i].evidence.verifierLogit)];
    const same = others.every((o) => o.candidates[i].video === c.video && o.candidates[i].start === c.start);
    if (!same) throw new Error(`candidate ${i} differs between the caches`);
    if (logits.some((l) => l === null || l === undefined)) continue;
    c.evidence.verifierLogit = (logits as number[]).reduce((s, l) => s + l, 0) / logits.length;
  }
}

const VERIFIER_EDITS = ["hasVerifierEdits", "verifierEditMargin"];
const variants: Record<string, CalibrationRecipe["features"]> = {
  shipped: recipe.features,
  "+ verifier edit margin": {
    library: [...recipe.features.library, ...VERIFIER_EDITS],
    single: [...recipe.features.single, ...VERIFIER_EDITS],
  },
};

const variantRecipes: Record<string, Partial<CalibrationRecipe>> = {
  isotonic: { isotonic: true },
  "+ verifier edit margin, isotonic": { isotonic: true, features: variants["+ verifier edit margin"] },
};

const pct = (x: number) => (100 * x).toFixed(2);
const runs: [string, CalibrationRecipe][] = [
  ...Object.entries(variants).map(([name, features]): [string, CalibrationRecipe] => [name, { ...recipe, features }]),
  ...Object.entries(variantRecipes).map(([name, v]): [string, CalibrationRecipe] => [name, { ...recipe, ...v }]),
];
for (const [name, r] of runs) {
  const { manifest } = fitManifest(all as CalibrationData, r, {}, whole as CalibrationData);
  const cal = calibratorFromManifest(manifest);
  const ev = evaluateCalibration(test.queries, test.candidates, cal);
  const sub = evaluateCalibration(testParts.queries, testParts.candidates, cal);
  console.log(
    `\n${name}: threshold ${manifest.threshold} (val) · test ECE ${ev.moments.ece.toFixed(4)} (most confident ${ev.top1.ece.toFixed(4)}) AUC ${ev.moments.auc.toFixed(3)} · at threshold real kept ${pct(ev.noGoodMatch.realKeepsCorrect)} absent no match ${pct(ev.noGoodMatch.absentNoMatch)} · R1@0.5 any ${ev.retrieval.byConfidence["R1@0.5 any true video"].toFixed(1)}`,
  );
  console.log(
    `  4 libraries of ≈ 20: real kept ${pct(sub.noGoodMatch.realKeepsCorrect)} absent no match ${pct(sub.noGoodMatch.absentNoMatch)} (${sub.queries.absent} absent) · ECE ${sub.moments.ece.toFixed(4)}`,
  );
  console.log(
    "  sweep: " +
      ev.sweep.map((row) => `${row.threshold}: ${pct(row.realKeepsCorrect)}/${pct(row.absentNoMatch)}`).join("  "),
  );
}
process.exit(0);
