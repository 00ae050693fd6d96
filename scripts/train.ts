/**
 * npm run train -- --data data/shapes --seed 1
 *   Reproduces LocVTP pre-training, the weakly trained relevance scorer, then CPL on
 *   <data>/train (weak pairs only), writes models/locvtp/, models/relevance/ and models/cpl/,
 *   loss logs (JSON lines) next to the weights, checkpoints under data/runs/<run>/.
 * Options: --stage all|locvtp|relevance|cpl  --variant cpl|cnm|supervised  --out models
 *   --relevance-steps 3000 --relevance-videos 16 --relevance-sentences 4 --relevance-lr 1e-3
 *   --relevance-members 5 (an ensemble: members trained alone with seeds seed, seed+1, …, averaged)
 *   --relevance-merge DIR,DIR,… (no training: ensemble single scorers already trained, e.g. in parallel)
 *   --relevance-augment permute|permute,flip|permute,reverse|permute,swapneg|none (comma-separated: colour relabelling, left–right mirroring,
 *     playing backwards, colour-relabelled copies of half the batch's videos as hard negatives)  --relevance-within 0 (weight of the within-video term; 0 = across videos only)
 *   --relevance-slots colour|component (the scorer's clip tower: a slot per colour or per object component)
 *   --rec-attention content|mask (CPL's reconstructor: content attention × Gaussian, or the Gaussian alone)
 *   --sim-source locvtp|relevance   (what fills the grounder's similarity channel)
 *   --completion reconstructor|relevance (what completes CPL's masked words: its trained
 *     reconstructor, or the frozen relevance scorer judging substitutes under the mask)
 *   --extra-train DIR (repeatable: more training folders, e.g. another rendering's splits)
 *   --locvtp-steps 4000 --locvtp-batch 32 --clips 24 --locvtp-lr 1e-3 --paragraph 1
 *   --cpl-epochs 12 | --cpl-steps N  --cpl-batch 32 --cpl-lr 1e-3 --K 5 --cpl-out <dir> --quiet
 *   --head pointer|fc  --temporal-kernel 5  --sigma 9  --mask-by uniform|idf   (grounder ablations; see docs/models.md)
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "../ml/core/backend";
import { loadCorpus, mergeCorpora } from "../ml/data/corpus";
import { jsonlSink } from "../ml/core/log";
import { saveLocVtp, trainLocVtp } from "../ml/locvtp/train";
import { saveCpl, trainCpl } from "../ml/cpl/train";
import { clipVectors } from "../ml/encoders";
import { loadLocVtp } from "../ml/locvtp/load";
import { loadRelevance } from "../ml/relevance/load";
import { sentenceEmbedderFor } from "../ml/locvtp/encode";
import { corpusSlotInputs, relevanceValR1, trainRelevance } from "../ml/relevance/train";
import { RelevanceModel } from "../ml/relevance/model";
import { ParamStore } from "../ml/core/params";
import type { CplVariant } from "../ml/cpl/losses";
import { encoderTag } from "../ml/locvtp/config";

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
    "relevance-steps": { type: "string", default: "3000" },
    "relevance-videos": { type: "string", default: "16" },
    "relevance-sentences": { type: "string", default: "4" },
    "relevance-lr": { type: "string", default: "1e-3" },
    "relevance-within": { type: "string", default: "0" },
    "relevance-members": { type: "string", default: "5" },
    "relevance-merge": { type: "string" },
    /** augmentations: colour relabelling, left–right mirroring, playing backwards ("none" to train without) */
    "relevance-augment": { type: "string", default: "permute" },
    /** the scorer's clip tower: one slot per colour, or per object component */
    "relevance-slots": { type: "string", default: "colour" },
    "sim-source": { type: "string", default: "locvtp" },
    /** how CPL's reconstructor reads the video: content attention × Gaussian (CNM), or the Gaussian alone */
    "rec-attention": { type: "string", default: "content" },
    completion: { type: "string", default: "reconstructor" },
    /** more training folders (other renderings of the world), merged into <data>/train */
    "extra-train": { type: "string", multiple: true },
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
const train = mergeCorpora([
  await loadCorpus(path.join(a.data!, "train"), { quiet: a.quiet }),
  ...(await Promise.all((a["extra-train"] ?? []).map((d) => loadCorpus(d, { quiet: a.quiet })))),
]);
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
const relDir = path.resolve(a.out!, "relevance");
if (a.stage === "all" || a.stage === "relevance") {
  const { model: loc, version: locVersion } = await loadLocVtp(locDir);
  const t = Date.now();
  const save = (m: { ps: ParamStore; cfg: unknown }, dir: string, version: string) => m.ps.save(dir, { name: "relevance", version, config: m.cfg, extra: { locvtp: locVersion } });
  const nMembers = Number(a["relevance-members"]);
  const trainMember = (m: number) => {
    const memberSeed = seed + m;
    const sink = jsonlSink(path.join(relDir, nMembers > 1 ? `train-log-member${m}.jsonl` : "train-log.jsonl"));
    const ckpt = path.join(ckptDir, "relevance", nMembers > 1 ? `member${m}` : "");
    const model = trainRelevance(train, loc, {
      seed: memberSeed,
      steps: Number(a["relevance-steps"]),
      videosPerBatch: Number(a["relevance-videos"]),
      sentencesPerVideo: Number(a["relevance-sentences"]),
      lr: Number(a["relevance-lr"]),
      withinWeight: Number(a["relevance-within"]),
      augment: {
        permuteColours: a["relevance-augment"]!.includes("permute"),
        flip: a["relevance-augment"]!.includes("flip") ? { mean: loc.slotMean, std: loc.slotStd } : undefined,
        reverse: a["relevance-augment"]!.includes("reverse") ? { mean: loc.slotMean, std: loc.slotStd } : undefined,
        colourSwapNegatives: a["relevance-augment"]!.includes("swapneg") ? { videos: Math.floor(Number(a["relevance-videos"]) / 2), mean: loc.slotMean, std: loc.slotStd } : undefined,
      },
      sink,
      quiet: a.quiet,
      val: val ?? undefined,
      evalEvery: 100,
      save: { every: 100, fn: (mm, step) => save(mm, path.join(ckpt, `step-${step}`), `relevance-ckpt-${step}`) },
      slotLayout: oneOf("--relevance-slots", a["relevance-slots"]!, ["colour", "component"] as const),
    });
    save(model, path.join(ckpt, "final"), `relevance-member-s${memberSeed}`);
    return model;
  };
  const members = a["relevance-merge"]
    ? await Promise.all(
        a["relevance-merge"].split(",").map(async (d) => {
          const loaded = await loadRelevance(d);
          if (!loaded) throw new Error(`no relevance scorer in ${d}`);
          return loaded.model;
        }),
      )
    : Array.from({ length: nMembers }, (_, m) => trainMember(m));
  const model = members.length === 1 ? members[0] : RelevanceModel.ensemble(members);
  // the training-set size is part of the version: stored clip features from a scorer trained on
  // other data are not comparable, and the app re-embeds videos whose version differs
  const tag = `relevance-mil${members.length > 1 ? `-x${members.length}` : ""}${members[0].cfg.slotLayout === "component" ? "-cslots" : ""}-${encoderTag(loc.cfg.clip)}-shapes${train.videos.length}v-s${seed}`;
  save(model, relDir, tag);
  if (val) console.log(`relevance val R1@0.5 ${relevanceValR1(model, val, corpusSlotInputs(loc, val), Infinity).toFixed(2)} over ${val.queries.length} queries (${members.length} member${members.length > 1 ? "s" : ""})`);
  console.log(`relevance done in ${((Date.now() - t) / 1000).toFixed(0)}s → ${relDir}`);
}
if (a.stage === "all" || a.stage === "cpl") {
  const { model: loc, trained } = await loadLocVtp(locDir);
  if (!trained) console.warn("warning: no trained LocVTP in", locDir, "- CPL trains on untrained features");
  const simSource = a["sim-source"] as "relevance" | "locvtp";
  const completion = oneOf("--completion", a.completion!, ["reconstructor", "relevance"] as const);
  const needsRel = simSource === "relevance" || completion === "relevance";
  const rel = needsRel ? await loadRelevance(relDir) : null;
  if (needsRel && !rel) throw new Error(`--sim-source / --completion relevance need a trained scorer in ${relDir} (--stage relevance)`);
  // each clip vector: its LocVTP embedding, then (with the relevance scorer) its relevance features
  const clipVectorsOf = (c: typeof train) => new Map(c.videos.map((v) => [v.id, clipVectors(loc, rel?.model ?? null, v.feats, v.nClips)]));
  const emb = clipVectorsOf(train);
  const valEmb = val ? clipVectorsOf(val) : null;
  const variant = a.variant as CplVariant;
  const cplDir = path.resolve(a["cpl-out"] ?? (variant === "cpl" ? path.join(a.out!, "cpl") : path.join(a.out!, "baselines", variant)));
  const t = Date.now();
  // the version names what the app must not mix up: a changed head or input is a new grounder
  // (and so is one trained on another clip encoder's embeddings)
  const recAttention = oneOf("--rec-attention", a["rec-attention"]!, ["content", "mask"] as const);
  const grounderTag = `${a.head ?? "pointer"}${a["temporal-kernel"] === "0" ? "" : "-conv"}${simSource === "relevance" ? "-rel" : ""}${recAttention === "mask" ? "-maskrec" : ""}${completion === "relevance" ? "-relcomp" : ""}-${encoderTag(loc.cfg.clip)}`;
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
      ...(simSource === "relevance" ? { simSource: "relevance" as const } : {}),
      ...(completion === "relevance" ? { completion } : {}),
      ...(recAttention === "mask" ? { recAttention } : {}),
    },
    relevance: rel?.model,
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

function oneOf<T extends string>(flag: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new Error(`${flag} must be ${allowed.join(" or ")}, not "${v}"`);
  return v as T;
}

process.exit(0);
