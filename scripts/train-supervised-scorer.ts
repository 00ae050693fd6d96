/**
 * npm run train:supervised-scorer [-- --recipe ml/recipes/upper-bound-scorer.json] [--member M] [--join] [--out DIR] [--quiet]
 *
 * The upper bound in the relevance scorer's own architecture (docs/experiments/020): members of
 * the installed scorer fine-tuned end to end WITH timestamps (ml/relevance/supervised.ts) on the
 * recipe's training folders, then joined into one scorer in --out (default the recipe's `out`,
 * models/baselines/supervised-scorer), which `npm run eval` reports as `upper_bound_scorer`.
 * Each member is its own run (seed + member), written to <out>/members/<M>/ with its log (not
 * committed: the joined weights hold every member): `--member M` trains one (two processes use
 * both cores), `--join` only joins the members the recipe lists and copies their logs beside the
 * joined weights (train-log-member<M>.jsonl); without either, every member is trained in turn and
 * then joined.
 */
import { copyFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  loadSupervisedScorerRecipe,
  supervisedMemberVersion,
  supervisedScorerVersion,
} from "../ml/recipes/supervised-scorer";
import { jsonlSink } from "../ml/core/log";
import { ParamStore } from "../ml/core/params";
import { loadCorpus, mergeCorpora } from "../ml/data/corpus";
import { evaluateGrounding } from "../ml/data/metrics";
import { loadLocVtp } from "../ml/locvtp/load";
import { loadRelevance } from "../ml/relevance/load";
import { RelevanceModel } from "../ml/relevance/model";
import { supervisedRelevanceTrainer } from "../ml/relevance/supervised";
import { corpusSlotInputs, relevanceGroundingSamples, relevanceValR1 } from "../ml/relevance/train";
import { corpusOptions, initMlBackend } from "./lib/ml";

const { values: a } = parseArgs({
  options: {
    recipe: { type: "string", default: "ml/recipes/upper-bound-scorer.json" },
    member: { type: "string" },
    join: { type: "boolean", default: false },
    out: { type: "string" },
    quiet: { type: "boolean", default: false },
  },
  strict: true,
});
const recipe = loadSupervisedScorerRecipe(a.recipe!);
const out = path.resolve(a.out ?? recipe.out);
const memberDir = (m: number) => path.join(out, "members", String(m));
const info = await initMlBackend();
console.log(`backend ${info.name}; recipe ${recipe.name} (seed ${recipe.seed}) → ${out}`);
const { model: loc, version: locVersion } = await loadLocVtp(path.resolve(recipe.locvtp));
const decoding = corpusOptions();
const val = await loadCorpus(path.join(recipe.data, "val"), { quiet: a.quiet, ...decoding });
const valSlots = corpusSlotInputs(loc, val);

const toTrain = a.join ? [] : a.member !== undefined ? [Number(a.member)] : recipe.members;
if (toTrain.length) {
  const from = await loadRelevance(path.resolve(recipe.from));
  if (!from) throw new Error(`no relevance scorer in ${recipe.from}`);
  const train = mergeCorpora(
    await Promise.all(
      [path.join(recipe.data, "train"), ...recipe.extraTrain].map((d) =>
        loadCorpus(d, { quiet: a.quiet, ...decoding }),
      ),
    ),
  );
  console.log(`${train.videos.length} training videos, ${train.queries.length} sentences`);
  for (const m of toTrain) {
    const model = from.model.member(m);
    const sink = jsonlSink(path.join(memberDir(m), "train-log.jsonl"));
    const trainer = supervisedRelevanceTrainer(model, train, loc, {
      seed: recipe.seed + m,
      steps: recipe.steps,
      videos: recipe.videos,
      sentences: recipe.sentences,
      lr: recipe.lr,
      across: recipe.across,
    });
    const t0 = Date.now();
    while (trainer.step < recipe.steps) {
      const { step, loss } = trainer.next();
      const rec: Record<string, unknown> = {
        stage: "supervised-scorer",
        member: m,
        step,
        loss,
        sec: (Date.now() - t0) / 1000,
      };
      if (step % recipe.evalEvery === 0 || step === recipe.steps)
        rec.valR1_05 = relevanceValR1(model, val, valSlots, Infinity);
      if (step % 10 === 0 || rec.valR1_05 !== undefined) sink.log(rec);
      if (!a.quiet && rec.valR1_05 !== undefined)
        console.log(
          `member ${m} step ${step}: loss ${loss.toFixed(3)}, val R1@0.5 ${(rec.valR1_05 as number).toFixed(2)}`,
        );
    }
    model.ps.save(memberDir(m), {
      name: "relevance",
      version: supervisedMemberVersion(recipe, m),
      config: model.cfg,
      extra: { locvtp: locVersion, finetunedFrom: from.version, recipe: recipe.name },
    });
    console.log(`member ${m}: ${((Date.now() - t0) / 1000).toFixed(0)} s → ${memberDir(m)}`);
  }
}
if (a.member === undefined) {
  const missing = recipe.members.filter((m) => !existsSync(path.join(memberDir(m), "manifest.json")));
  if (missing.length) throw new Error(`members ${missing.join(", ")} are not trained yet (--member M)`);
  const members = await Promise.all(recipe.members.map(async (m) => (await loadRelevance(memberDir(m)))!.model));
  const joined = RelevanceModel.ensemble(members);
  const version = supervisedScorerVersion(recipe);
  joined.ps.save(out, {
    name: "relevance",
    version,
    config: joined.cfg,
    extra: {
      locvtp: locVersion,
      recipe: recipe.name,
      members: recipe.members,
      finetunedFrom: ParamStore.readManifest(path.resolve(recipe.from)).version,
    },
  });
  for (const m of recipe.members)
    copyFileSync(path.join(memberDir(m), "train-log.jsonl"), path.join(out, `train-log-member${m}.jsonl`));
  const metrics = evaluateGrounding(relevanceGroundingSamples(joined, val, valSlots, Infinity, 5));
  console.log(`${version}: val ${JSON.stringify(metrics)}`);
}
process.exit(0);
