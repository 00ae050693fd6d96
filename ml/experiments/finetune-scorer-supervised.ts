/**
 * npx tsx ml/experiments/finetune-scorer-supervised.ts [--data data/shapes] [--models models]
 *     [--member 0] [--steps 600] [--lr 3e-4] [--videos 16] [--sentences 4] [--across 1]
 *     [--eval-every 200] [--save DIR] [--split val] [--eval-only DIR] [--ensemble DIR,DIR,… --save DIR]
 *     [--extra data/more2/train,…] [--seed 1]
 *
 * Diagnostic for issue 20, item 1 (an upper bound that localises): the frozen scorer's evidence
 * under a supervised head plateaus near the scorer itself, because what the scorer misses
 * (spins, shared colours) is not in its evidence. Here one member of the shipped scorer is
 * fine-tuned WITH timestamps from the slot statistics up: the softmax over a sentence's own
 * video's tokens is pulled to the annotated span (cross-entropy against the uniform distribution
 * over the span's tokens, `spanTokens`), beside the weak across-video term (weight --across).
 * Spans are read with the scorer's own mass readout. Reports val R1@0.5 every --eval-every steps
 * and the final metrics on --split (default val); --save writes the member as a one-member scorer;
 * --eval-only DIR only reports the saved member in DIR on --split; --ensemble joins saved members
 * into one scorer (RelevanceModel.ensemble) written to --save; --extra adds other renderings' splits
 * (with their timestamps) to the training set.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/ml/core/backend";
import { loadCorpus, mergeCorpora, type Corpus } from "@/ml/data/corpus";
import { evaluateGrounding } from "@/ml/data/metrics";
import { loadLocVtp } from "@/ml/locvtp/load";
import { loadRelevance } from "@/ml/relevance/load";
import { RelevanceModel } from "@/ml/relevance/model";
import { corpusSlotInputs, relevanceGroundingSamples } from "@/ml/relevance/train";
import { supervisedRelevanceTrainer } from "@/ml/relevance/supervised";

const { values: a } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes" },
    models: { type: "string", default: "models" },
    member: { type: "string", default: "0" },
    steps: { type: "string", default: "600" },
    lr: { type: "string", default: "3e-4" },
    videos: { type: "string", default: "16" },
    sentences: { type: "string", default: "4" },
    across: { type: "string", default: "1" },
    "eval-every": { type: "string", default: "200" },
    save: { type: "string" },
    split: { type: "string", default: "val" },
    "eval-only": { type: "string" },
    ensemble: { type: "string" },
    extra: { type: "string" },
    seed: { type: "string", default: "1" },
  },
});

await initBackend();
if (a.ensemble) {
  const members = await Promise.all(a.ensemble.split(",").map(async (d) => (await loadRelevance(d))!.model));
  const { version: locVersion } = await loadLocVtp(path.join(a.models!, "locvtp"));
  const joined = RelevanceModel.ensemble(members);
  joined.ps.save(a.save!, {
    name: "relevance",
    version: `relevance-supervised-finetune-x${members.length}`,
    config: joined.cfg,
    extra: { locvtp: locVersion },
  });
  console.log(`wrote ${a.save} (${members.length} members)`);
  process.exit(0);
}
const t0 = Date.now();
const train = mergeCorpora(
  await Promise.all(
    [path.join(a.data!, "train"), ...(a.extra ? a.extra.split(",") : [])].map((d) => loadCorpus(d, { quiet: true })),
  ),
);
const val = await loadCorpus(path.join(a.data!, a.split!), { quiet: true });
const { model: loc } = await loadLocVtp(path.join(a.models!, "locvtp"));
const rel = (await loadRelevance(a["eval-only"] ?? path.join(a.models!, "relevance")))!.model;
const model = a["eval-only"] ? rel : rel.member(Number(a.member));
const valSlots = corpusSlotInputs(loc, val);
if (a["eval-only"]) {
  console.log(JSON.stringify({ split: a.split, model: a["eval-only"], ...full(model, val) }));
  process.exit(0);
}
const trainer = supervisedRelevanceTrainer(model, train, loc, {
  seed: Number(a.seed),
  steps: Number(a.steps),
  videos: Number(a.videos),
  sentences: Number(a.sentences),
  lr: Number(a.lr),
  across: Number(a.across),
});
console.log(`ready in ${((Date.now() - t0) / 1000).toFixed(0)} s; val R1@0.5 before: ${valR1(model, val).toFixed(2)}`);
const steps = Number(a.steps);
const t1 = Date.now();
while (trainer.step < steps) {
  const { step, loss } = trainer.next();
  if (step % 50 === 0) console.log(`step ${step} loss ${loss.toFixed(3)} (${((Date.now() - t1) / 1000).toFixed(0)} s)`);
  if (step % Number(a["eval-every"]) === 0 || step === steps)
    console.log(JSON.stringify({ step, valR1_05: +valR1(model, val).toFixed(2) }));
}
console.log(JSON.stringify({ final: full(model, val), trainSec: Math.round((Date.now() - t1) / 1000) }));
if (a.save)
  model.ps.save(a.save, {
    name: "relevance",
    version: `relevance-supervised-finetune-m${a.member}-s${steps}`,
    config: model.cfg,
  });

function valR1(m: RelevanceModel, c: Corpus): number {
  return evaluateGrounding(relevanceGroundingSamples(m, c, valSlots, Infinity, 5))["R1@0.5"];
}
function full(m: RelevanceModel, c: Corpus) {
  return Object.fromEntries(
    Object.entries(evaluateGrounding(relevanceGroundingSamples(m, c, valSlots, Infinity, 5))).map(([k, v]) => [
      k,
      +(v as number).toFixed(2),
    ]),
  );
}
