/**
 * npm run train:verifier -- [--recipe ml/recipes/verifier.json] [--out DIR] [--epochs N] [--train-videos N] [--slots]
 *
 * Trains the span verifier (ml/verifier) on the recipe's Shapes training split, reading the
 * clip features of the installed relevance scorer, and measures it on val after every epoch
 * (AUC over all labelled pairs, and on events' own spans: the sentence against its one-word
 * edits). Writes it to --out (default models/verifier) with its training log.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { rocAuc } from "../ml/calibration/metrics";
import { OBJECT_SLOTS } from "../ml/encoders";
import { SLOT_FEATURES } from "../ml/features/slots";
import { jsonlSink } from "../ml/core/log";
import { loadLocVtp } from "../ml/locvtp/load";
import { loadRelevance } from "../ml/relevance/load";
import { ATTRIBUTE_DIM } from "../ml/verifier/attributes";
import { verifierVideos } from "../ml/verifier/data";
import { POOLS } from "../ml/verifier/inputs";
import { SpanVerifier } from "../ml/verifier/model";
import {
  ownSpanPairs,
  sampleLogits,
  trainVerifier,
  verifierSamples,
  verifierVersion,
  type VerifierRecipe,
} from "../ml/verifier/train";
import { corpusOptions, initMlBackend } from "./lib/ml";

const { values: a } = parseArgs({
  options: {
    recipe: { type: "string", default: "ml/recipes/verifier.json" },
    out: { type: "string", default: "models/verifier" },
    epochs: { type: "string" },
    "train-videos": { type: "string" },
    slots: { type: "boolean" },
  },
  strict: true,
});
const recipe = JSON.parse(readFileSync(a.recipe!, "utf8")) as VerifierRecipe;
if (a.epochs) recipe.epochs = Number(a.epochs);
if (a["train-videos"]) recipe.trainVideos = Number(a["train-videos"]);
if (a.slots) recipe.slots = true;
const out = path.resolve(a.out!);
const info = await initMlBackend();
console.log(`backend ${info.name}; recipe ${recipe.name} (${recipe.epochs} epochs, seed ${recipe.seed}) → ${out}`);

const rel = await loadRelevance(path.resolve(recipe.relevance));
if (!rel) throw new Error(`no relevance scorer in ${recipe.relevance}`);
const loc = await loadLocVtp(path.resolve(recipe.locvtp));
const models = { locvtp: loc.model, relevance: rel.model };
const videosOf = (split: string, limit?: number) =>
  verifierVideos(path.join(recipe.data, split), models, {
    limitVideos: limit,
    slots: recipe.slots,
    ...corpusOptions(),
  });

const train = [
  ...(await videosOf("train", recipe.trainVideos)),
  ...(
    await Promise.all(
      (recipe.moreTraining ?? []).map((dir) =>
        verifierVideos(path.join(dir, "train"), models, { slots: recipe.slots, ...corpusOptions() }),
      ),
    )
  ).flat(),
];
const val = await videosOf("val");
// measured on the usual mix of edits, whatever the training draws
const valSamples = verifierSamples(val, { ...recipe.samples, shapeFirst: false }, recipe.seed + 1);
const own = ownSpanPairs(valSamples);
const model = new SpanVerifier(
  {
    inputDim: POOLS * train[0].clips[0].length,
    attributeDim: ATTRIBUTE_DIM,
    hidden: recipe.hidden,
    ...(recipe.slots ? { slots: { count: OBJECT_SLOTS, width: SLOT_FEATURES } } : {}),
  },
  recipe.seed,
);
const sink = jsonlSink(path.join(out, "train-log.jsonl"));
const measure = () => {
  const p = Array.from(sampleLogits(model, valSamples));
  return {
    valAuc: rocAuc(p, valSamples.label),
    valOwnSpanAuc: rocAuc(
      own.map((i) => p[i]),
      own.map((i) => valSamples.label[i]),
    ),
  };
};
const t0 = Date.now();
// pairs are drawn anew every epoch (other jittered and random spans, other edits)
trainVerifier(model, (epoch) => verifierSamples(train, recipe.samples, recipe.seed * 1000 + epoch), {
  epochs: recipe.epochs,
  batch: recipe.batch,
  lr: recipe.lr,
  positiveWeight: recipe.positiveWeight,
  dropout: recipe.dropout,
  seed: recipe.seed,
  onEpoch: (epoch, loss) => {
    const m = measure();
    const seconds = (Date.now() - t0) / 1000;
    sink.log({ epoch: epoch + 1, loss, ...m, seconds });
    console.log(
      `epoch ${epoch + 1}/${recipe.epochs}: loss ${loss.toFixed(4)}, val AUC ${m.valAuc.toFixed(4)}, own spans ${m.valOwnSpanAuc.toFixed(4)} (${seconds.toFixed(0)} s)`,
    );
  },
});
const version = verifierVersion(recipe, train.length);
model.ps.save(out, {
  name: "verifier",
  version,
  config: model.cfg,
  extra: {
    mean: Array.from(model.mean),
    std: Array.from(model.std),
    relevance: rel.version,
    recipe: recipe.name,
    trainVideos: train.length,
  },
});
console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s → ${out} (${version}, reads ${rel.version})`);
process.exit(0);
