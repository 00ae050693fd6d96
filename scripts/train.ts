/**
 * npm run train -- --data data/shapes --seed 1
 *   Reproduces LocVTP pre-training then CPL on <data>/train (weak pairs only), writes
 *   models/locvtp/ and models/cpl/, loss logs (JSON lines) next to the weights, checkpoints
 *   under data/runs/<run>/.
 * Options: --stage all|locvtp|cpl  --variant cpl|cnm|supervised  --out models
 *   --locvtp-steps 4000 --locvtp-batch 32 --clips 24 --locvtp-lr 1e-3 --paragraph 1
 *   --cpl-epochs 12 | --cpl-steps N  --cpl-batch 32 --cpl-lr 1e-3 --K 5 --cpl-out <dir> --quiet
 *   --head pointer|fc  --temporal-kernel 5  --sigma 9  --mask-by uniform|idf   (grounder ablations; see docs/models.md)
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "../ml/backend";
import { loadCorpus } from "../ml/train/corpus";
import { corpusEmbeddings, jsonlSink, saveCpl, saveLocVtp, trainCpl, trainLocVtp } from "../ml/train/run";
import { loadLocVtp, sentenceEmbedderFor } from "../ml/index";
import type { CplVariant } from "../ml/train/cpl";
import type { ClipEncoderConfig } from "../ml/config";

const { values: a } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes" },
    seed: { type: "string", default: "1" },
    stage: { type: "string", default: "all" },
    variant: { type: "string", default: "cpl" },
    out: { type: "string", default: "models" },
    "cpl-out": { type: "string" },
    "locvtp-steps": { type: "string", default: "4000" },
    "locvtp-batch": { type: "string", default: "32" },
    clips: { type: "string", default: "24" },
    "locvtp-lr": { type: "string", default: "1e-3" },
    paragraph: { type: "string", default: "1" },
    "cpl-epochs": { type: "string", default: "12" },
    "cpl-steps": { type: "string" },
    "cpl-batch": { type: "string", default: "32" },
    "cpl-lr": { type: "string", default: "1e-3" },
    K: { type: "string" },
    sigma: { type: "string" },
    "mask-by": { type: "string", default: "uniform" },
    /** ablations: "fc" = the paper's regression head; 0 = no temporal convolution */
    head: { type: "string" },
    "temporal-kernel": { type: "string" },
    "val-queries": { type: "string", default: "200" },
    quiet: { type: "boolean", default: false },
  },
  allowPositionals: true,
});

const seed = Number(a.seed);
const run = `${path.basename(path.resolve(a.data!))}-s${seed}-${a.variant}${a.out === "models" ? "" : `-${path.basename(a.out!)}`}`;
const ckptDir = path.resolve("data/runs", run);
const info = await initBackend();
console.log(`backend ${info.name}; run ${run}`);
const t0 = Date.now();
const train = await loadCorpus(path.join(a.data!, "train"), { quiet: a.quiet });
const val = await loadCorpus(path.join(a.data!, "val"), { quiet: a.quiet }).catch(() => null);
console.log(`train: ${train.videos.length} videos, ${train.queries.length} sentences; val: ${val?.queries.length ?? 0}; features ${((Date.now() - t0) / 1000).toFixed(0)}s`);

const locDir = path.resolve(a.out!, "locvtp");
if (a.stage === "all" || a.stage === "locvtp") {
  const t = Date.now();
  const model = trainLocVtp(train, {
    seed,
    steps: Number(a["locvtp-steps"]),
    batch: Number(a["locvtp-batch"]),
    clipsPerVideo: Number(a.clips),
    paragraph: Number(a.paragraph),
    lr: Number(a["locvtp-lr"]),
    outDir: locDir,
    ckptDir,
    sink: jsonlSink(path.join(locDir, "train-log.jsonl")),
    quiet: a.quiet,
    saveEvery: 50,
  });
  saveLocVtp(model, locDir, `locvtp-${encoderTag(model.cfg.clip)}-shapes-s${seed}`);
  console.log(`LocVTP done in ${((Date.now() - t) / 1000).toFixed(0)}s → ${locDir}`);
}
if (a.stage === "all" || a.stage === "cpl") {
  const { model: loc, trained } = await loadLocVtp(locDir);
  if (!trained) console.warn("warning: no trained LocVTP in", locDir, "- CPL trains on untrained features");
  const emb = corpusEmbeddings(loc, train);
  const valEmb = val ? corpusEmbeddings(loc, val) : null;
  const variant = a.variant as CplVariant;
  const cplDir = path.resolve(a["cpl-out"] ?? (variant === "cpl" ? path.join(a.out!, "cpl") : path.join(a.out!, "baselines", variant)));
  const t = Date.now();
  // the version names what the app must not mix up: a changed head or input is a new grounder
  // (and so is one trained on another clip encoder's embeddings)
  const grounderTag = `${a.head ?? "pointer"}${a["temporal-kernel"] === "0" ? "" : "-conv"}-${encoderTag(loc.cfg.clip)}`;
  const model = trainCpl(train, emb, {
    seed,
    epochs: Number(a["cpl-epochs"]),
    steps: a["cpl-steps"] ? Number(a["cpl-steps"]) : undefined,
    saveTo: { dir: cplDir, every: 25, version: `cpl-${variant}-${grounderTag}-shapes-s${seed}` },
    batch: Number(a["cpl-batch"]),
    lr: Number(a["cpl-lr"]),
    variant,
    cfg: {
      ...(a.K ? { K: Number(a.K) } : {}),
      ...(a.sigma ? { sigma: Number(a.sigma) } : {}),
      ...(a.head ? { head: a.head as "fc" | "pointer" } : {}),
      ...(a["temporal-kernel"] ? { temporalKernel: Number(a["temporal-kernel"]) } : {}),
    },
    sink: jsonlSink(path.join(cplDir, "train-log.jsonl")),
    quiet: a.quiet,
    sentenceEmbedder: sentenceEmbedderFor(loc),
    maskBy: a["mask-by"] as "uniform" | "idf",
    val: val && valEmb ? { corpus: val, emb: valEmb, maxQueries: Number(a["val-queries"]) } : undefined,
    ckptDir,
  });
  saveCpl(model, cplDir, `cpl-${variant}-${grounderTag}-shapes-s${seed}`);
  console.log(`CPL(${variant}) done in ${((Date.now() - t) / 1000).toFixed(0)}s → ${cplDir}`);
}
console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)}s`);

/** What a model version must say about the clip encoder: its kind and temporal context. */
function encoderTag(c: ClipEncoderConfig): string {
  return `${c.kind.replace("lowlevel-", "")}${c.contextClips ? `-ctx${c.contextClips}` : ""}`;
}
process.exit(0);
