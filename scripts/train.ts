/**
 * npm run train -- --library [--models relevance,cpl | locvtp,cpl] [--recipe quick|library] [--sources descriptions,subtitles,datasets,review]
 *   Retrains the active models on the library's own sentences, as the Models page does
 *   (scripts/lib/train-library.ts): a new model version, trained by the workers, evaluated, and
 *   activated when the gate lets it.
 * npm run train [-- RECIPE] [--stage all|locvtp|relevance|cpl|single-gaussian|upper-bound] [--out models]
 *   Trains what a recipe (ml/recipes/<RECIPE>.json, default "shipped"; or a path) describes, on
 *   <data>/train (weak pairs only; <data>/val for monitoring), and writes models/locvtp/,
 *   models/relevance/, models/cpl/ and models/baselines/{cnm,supervised}/ with JSON-lines loss
 *   logs beside the weights and checkpoints under data/runs/<recipe>-s<seed>/. The models are
 *   named after the recipe (ml/recipes/recipe.ts); `--recipe shipped` reproduces the shipped ones.
 * Overrides (any of them makes the run another recipe: `--name NAME`, default <recipe>-custom):
 *   --set path=value (JSON value, e.g. --set relevance.members=3 --set cpl.head='"fc"'), and the
 *   older flags: --data DIR --seed N --extra-train DIR (repeatable, the stages run)
 *   --locvtp-steps --locvtp-batch --clips --locvtp-lr --paragraph
 *   --relevance-steps --relevance-videos --relevance-sentences --relevance-lr --relevance-within
 *   --relevance-members --relevance-merge DIR,DIR,… --relevance-augment permute,flip,reverse,swapneg|none --relevance-slots colour|component
 *   --cpl-epochs | --cpl-steps --cpl-batch --cpl-lr --K --sigma --head pointer|fc|boundary --temporal-kernel --mask-by uniform|idf|pos
 *   --sim-source locvtp|relevance|relevance-evidence --rec-attention content|mask --completion reconstructor|relevance --val-queries --cpl-out DIR
 *   (--variant cpl|cnm|supervised with --stage cpl picks the CPL-format stage, as before)
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { jsonlSink } from "../ml/core/log";
import type { ParamStore } from "../ml/core/params";
import { readsScorer } from "../ml/cpl/config";
import { saveCpl, trainCpl } from "../ml/cpl/train";
import { loadCorpus, mergeCorpora, type Corpus } from "../ml/data/corpus";
import { clipVectors } from "../ml/encoders";
import { encoderTag } from "../ml/locvtp/config";
import { sentenceEmbedderFor } from "../ml/locvtp/encode";
import { loadLocVtp } from "../ml/locvtp/load";
import { saveLocVtp, trainLocVtp } from "../ml/locvtp/train";
import {
  CPL_STAGES,
  CPL_VARIANT,
  STAGES,
  cplSettings,
  cplTraining,
  grounderTag,
  loadRecipe,
  versionFor,
  type CplStage,
  type Stage,
} from "../ml/recipes/recipe";
import { loadRelevance } from "../ml/relevance/load";
import { RelevanceModel } from "../ml/relevance/model";
import { augmentFromRecipe } from "../ml/relevance/augment";
import { corpusSlotInputs, relevanceValR1, trainRelevance } from "../ml/relevance/train";
import { corpusOptions, initMlBackend, mlConfig } from "./lib/ml";

/** The older flags: each sets a recipe field (for the CPL-format stages: of each stage run). */
const FLAG_PATHS: Record<string, string> = {
  data: "data",
  seed: "seed",
  "locvtp-steps": "locvtp.steps",
  "locvtp-batch": "locvtp.batch",
  clips: "locvtp.clips",
  "locvtp-lr": "locvtp.lr",
  paragraph: "locvtp.paragraph",
  "relevance-steps": "relevance.steps",
  "relevance-videos": "relevance.videos",
  "relevance-sentences": "relevance.sentences",
  "relevance-lr": "relevance.lr",
  "relevance-within": "relevance.within",
  "relevance-members": "relevance.members",
  "relevance-slots": "relevance.slots",
  "cpl-epochs": "*.epochs",
  "cpl-steps": "*.steps",
  "cpl-batch": "*.batch",
  "cpl-lr": "*.lr",
  K: "*.K",
  sigma: "*.sigma",
  head: "*.head",
  "temporal-kernel": "*.temporalKernel",
  "mask-by": "*.maskBy",
  "sim-source": "*.simSource",
  "rec-attention": "*.recAttention",
  completion: "*.completion",
  "val-queries": "*.valQueries",
  "cpl-out": "*.out",
};

const { values: a, positionals } = parseArgs({
  options: {
    recipe: { type: "string" },
    name: { type: "string" },
    stage: { type: "string", default: "all" },
    variant: { type: "string" },
    out: { type: "string", default: "models" },
    set: { type: "string", multiple: true },
    "extra-train": { type: "string", multiple: true },
    "relevance-merge": { type: "string" },
    "relevance-augment": { type: "string" },
    quiet: { type: "boolean", default: false },
    library: { type: "boolean", default: false },
    models: { type: "string" },
    sources: { type: "string" },
    ...Object.fromEntries(Object.keys(FLAG_PATHS).map((k) => [k, { type: "string" as const }])),
  },
  allowPositionals: true,
});

// the library's run needs the database and the workers; the corpus runs below need neither
if (a.library) {
  const { trainLibrary } = await import("./lib/train-library");
  process.exit(await trainLibrary({ models: a.models, recipe: a.recipe, sources: a.sources }));
}

const stages = selectedStages(a.stage!, a.variant);
const overrides: Record<string, unknown> = {};
const cplRun = stages.filter((s): s is CplStage => (CPL_STAGES as readonly string[]).includes(s));
const flags = a as Record<string, string | string[] | boolean | undefined>;
for (const [flag, key] of Object.entries(FLAG_PATHS)) {
  const v = flags[flag];
  if (typeof v !== "string") continue;
  const value = [
    "data",
    "relevance-slots",
    "head",
    "mask-by",
    "sim-source",
    "rec-attention",
    "completion",
    "cpl-out",
  ].includes(flag)
    ? v
    : Number(v);
  for (const k of key.startsWith("*.") ? cplRun.map((s) => `${s}.${key.slice(2)}`) : [key]) overrides[k] = value;
}
if (a["extra-train"]) for (const s of stages) overrides[`${s}.extraTrain`] = a["extra-train"];
if (a["relevance-merge"]) overrides["relevance.merge"] = a["relevance-merge"].split(",");
if (a["relevance-augment"])
  overrides["relevance.augment"] = a["relevance-augment"] === "none" ? [] : a["relevance-augment"].split(",");
for (const s of a.set ?? []) {
  const i = s.indexOf("=");
  if (i < 0) throw new Error(`--set ${s}: expected path=value`);
  overrides[s.slice(0, i)] = JSON.parse(s.slice(i + 1));
}
const loaded = loadRecipe(a.recipe ?? positionals[0] ?? "shipped", overrides, a.name);
const { recipe } = loaded;
const seed = recipe.seed;
const run = `${loaded.name}-s${seed}${a.out === "models" ? "" : `-${path.basename(a.out!)}`}`;
const ckptDir = path.resolve("data/runs", run);
const info = await initMlBackend();
console.log(
  `backend ${info.name}; recipe ${loaded.name}${loaded.pinned ? " (pinned versions)" : ""}; stages ${stages.join(", ")}; run ${run}`,
);
const t0 = Date.now();

const decoding = corpusOptions();
const corpora = new Map<string, Promise<Corpus>>();
const corpus = (dir: string) => {
  if (!corpora.has(dir)) corpora.set(dir, loadCorpus(dir, { quiet: a.quiet, ...decoding }));
  return corpora.get(dir)!;
};
/** A stage's training set: <data>/train and its extra folders (other renderings' splits). */
async function trainingSet(stage: Stage): Promise<Corpus> {
  const set = mergeCorpora(
    await Promise.all([path.join(recipe.data, "train"), ...recipe[stage].extraTrain].map(corpus)),
  );
  console.log(`${stage}: ${set.videos.length} training videos, ${set.queries.length} sentences`);
  return set;
}
const val = await corpus(path.join(recipe.data, "val")).catch(() => null);

const locDir = path.resolve(a.out!, "locvtp");
const relDir = path.resolve(a.out!, "relevance");
for (const stage of stages) {
  const t = Date.now();
  if (stage === "locvtp") {
    const s = recipe.locvtp;
    const model = trainLocVtp(await trainingSet(stage), {
      seed,
      steps: s.steps,
      batch: s.batch,
      clipsPerVideo: s.clips,
      paragraph: s.paragraph,
      lr: s.lr,
      outDir: locDir,
      backboneDir: mlConfig().backboneDir,
      ckptDir,
      sink: jsonlSink(path.join(locDir, "train-log.jsonl")),
      quiet: a.quiet,
      saveEvery: 50,
    });
    saveLocVtp(model, locDir, versionFor(loaded, stage, `locvtp-${encoderTag(model.cfg.clip)}-shapes-s${seed}`));
    console.log(`LocVTP done in ${((Date.now() - t) / 1000).toFixed(0)}s → ${locDir}`);
  } else if (stage === "relevance") {
    await trainRelevanceStage();
    console.log(`relevance done in ${((Date.now() - t) / 1000).toFixed(0)}s → ${relDir}`);
  } else {
    const dir = await trainCplStage(stage);
    console.log(`${stage} done in ${((Date.now() - t) / 1000).toFixed(0)}s → ${dir}`);
  }
}
console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)}s`);
process.exit(0);

async function trainRelevanceStage(): Promise<void> {
  const s = recipe.relevance;
  const { model: loc, version: locVersion } = await loadLocVtp(locDir);
  const train = await trainingSet("relevance");
  const save = (m: { ps: ParamStore; cfg: unknown }, dir: string, version: string) =>
    m.ps.save(dir, { name: "relevance", version, config: m.cfg, extra: { locvtp: locVersion } });
  const standardisation = { mean: loc.slotMean, std: loc.slotStd };
  const trainMember = (m: number) => {
    const memberSeed = seed + m;
    const ckpt = path.join(ckptDir, "relevance", s.members > 1 ? `member${m}` : "");
    const model = trainRelevance(train, loc, {
      seed: memberSeed,
      steps: s.steps,
      videosPerBatch: s.videos,
      sentencesPerVideo: s.sentences,
      lr: s.lr,
      withinWeight: s.within,
      augment: augmentFromRecipe(s.augment, s.videos, standardisation),
      sink: jsonlSink(path.join(relDir, s.members > 1 ? `train-log-member${m}.jsonl` : "train-log.jsonl")),
      quiet: a.quiet,
      val: val ?? undefined,
      evalEvery: 100,
      save: { every: 100, fn: (mm, step) => save(mm, path.join(ckpt, `step-${step}`), `relevance-ckpt-${step}`) },
      slotLayout: s.slots,
    });
    save(model, path.join(ckpt, "final"), `relevance-member-s${memberSeed}`);
    return model;
  };
  const members = s.merge
    ? await Promise.all(
        s.merge.map(async (d) => {
          const found = await loadRelevance(d);
          if (!found) throw new Error(`no relevance scorer in ${d}`);
          return found.model;
        }),
      )
    : Array.from({ length: s.members }, (_, m) => trainMember(m));
  const model = members.length === 1 ? members[0] : RelevanceModel.ensemble(members);
  // the training-set size is part of the descriptive version: stored clip features from a scorer
  // trained on other data are not comparable, and the app re-embeds videos whose version differs
  const built = `relevance-mil${members.length > 1 ? `-x${members.length}` : ""}${members[0].cfg.slotLayout === "component" ? "-cslots" : ""}-${encoderTag(loc.cfg.clip)}-shapes${train.videos.length}v-s${seed}`;
  save(model, relDir, versionFor(loaded, "relevance", built));
  if (val)
    console.log(
      `relevance val R1@0.5 ${relevanceValR1(model, val, corpusSlotInputs(loc, val), Infinity).toFixed(2)} over ${val.queries.length} queries (${members.length} member${members.length > 1 ? "s" : ""})`,
    );
}

async function trainCplStage(stage: CplStage): Promise<string> {
  const s = recipe[stage];
  const variant = CPL_VARIANT[stage];
  const { model: loc, trained } = await loadLocVtp(locDir);
  if (!trained) console.warn("warning: no trained LocVTP in", locDir, "- CPL trains on untrained features");
  const needsRel = readsScorer(s);
  const rel = needsRel ? await loadRelevance(relDir) : null;
  if (needsRel && !rel)
    throw new Error(`simSource / completion "relevance" need a trained scorer in ${relDir} (--stage relevance)`);
  const train = await trainingSet(stage);
  // each clip vector: its LocVTP embedding, and (with the relevance scorer) its relevance features
  const clipVectorsOf = (c: Corpus) =>
    new Map(c.videos.map((v) => [v.id, clipVectors(loc, rel?.model ?? null, v.feats, v.nClips)]));
  const valEmb = val ? clipVectorsOf(val) : null;
  const cplDir = path.resolve(
    s.out ?? (variant === "cpl" ? path.join(a.out!, "cpl") : path.join(a.out!, "baselines", variant)),
  );
  const version = versionFor(loaded, stage, `cpl-${variant}-${grounderTag(s, loc.cfg.clip)}-shapes-s${seed}`);
  const model = trainCpl(train, clipVectorsOf(train), {
    seed,
    epochs: s.epochs,
    steps: s.steps,
    saveTo: { dir: cplDir, every: 25, version },
    batch: s.batch,
    lr: s.lr,
    variant,
    cfg: cplSettings(s),
    relevance: rel?.model,
    sink: jsonlSink(path.join(cplDir, "train-log.jsonl")),
    quiet: a.quiet,
    sentenceEmbedder: sentenceEmbedderFor(loc),
    maskBy: s.maskBy,
    ...cplTraining(s),
    val: val && valEmb ? { corpus: val, emb: valEmb, maxQueries: s.valQueries } : undefined,
    ckptDir,
  });
  saveCpl(model, cplDir, version);
  return cplDir;
}

function selectedStages(stage: string, variant?: string): Stage[] {
  if (stage === "all") return [...STAGES];
  if (stage === "cpl" && variant && variant !== "cpl") {
    const byVariant = { cnm: "single-gaussian", supervised: "upper-bound" } as const;
    if (!(variant in byVariant)) throw new Error(`--variant must be cpl, cnm or supervised, not "${variant}"`);
    return [byVariant[variant as keyof typeof byVariant]];
  }
  if (!(STAGES as readonly string[]).includes(stage))
    throw new Error(`--stage must be all or one of ${STAGES.join(", ")}, not "${stage}"`);
  return [stage as Stage];
}
