/**
 * npx tsx ml/experiments/diagnose-upper-bound.ts [--data data/shapes] [--models models] [--eval val]
 *     [--steps 1000] [--batch 32] [--lr 1e-3] [--seed 1] [--max-train N]
 *     --run 'NAME={"head":"boundary","simSource":"relevance-evidence"}' [--run …]
 *     [--save DIR] [--log FILE] [--rendered-only] [--trained NAME=DIR …]
 *
 * Diagnostic for issue 20, item 1: why the grounder trained WITH timestamps (the upper bound)
 * cannot localise, and what makes it. Each --run trains CPL's proposal network (variant
 * "supervised", config overrides as JSON) on <data>/train's frozen clip vectors and reports
 * R1/R5 at IoU 0.3/0.5/0.7 and mIoU on <data>/<eval>, one JSON line per run (also to --log).
 * The runs go one after another in this process, so the clip vectors are computed once.
 * --save DIR writes each run's weights to DIR/NAME (a grounder `eval` can load).
 * --rendered-only trains on the training videos rendered so far (while the split is being rendered).
 * --trained NAME=DIR evaluates a grounder saved in DIR (by vote; no training) the same way.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "@/ml/core/backend";
import { loadCorpus, type Corpus } from "@/ml/data/corpus";
import { evaluateGrounding } from "@/ml/data/metrics";
import { clipVectors } from "@/ml/encoders";
import { groundManyWithModel } from "@/ml/cpl/ground";
import { loadCpl } from "@/ml/cpl/load";
import { saveCpl, trainCpl } from "@/ml/cpl/train";
import type { CplConfig } from "@/ml/cpl/config";
import { sentenceEmbedderFor } from "@/ml/locvtp/encode";
import { loadLocVtp } from "@/ml/locvtp/load";
import { loadRelevance } from "@/ml/relevance/load";
import type { ClipVector } from "@/ml/types";

const { values: a } = parseArgs({
  options: {
    data: { type: "string", default: "data/shapes" },
    models: { type: "string", default: "models" },
    eval: { type: "string", default: "val" },
    steps: { type: "string", default: "1000" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "1e-3" },
    seed: { type: "string", default: "1" },
    "max-train": { type: "string" },
    run: { type: "string", multiple: true },
    save: { type: "string" },
    log: { type: "string" },
    "rendered-only": { type: "boolean", default: false },
    trained: { type: "string", multiple: true },
  },
});
const runs = (a.run ?? []).map((r) => {
  const i = r.indexOf("=");
  return { name: r.slice(0, i), cfg: JSON.parse(r.slice(i + 1)) as Partial<CplConfig> };
});
const trained = (a.trained ?? []).map((r) => ({ name: r.slice(0, r.indexOf("=")), dir: r.slice(r.indexOf("=") + 1) }));
if (runs.length === 0 && trained.length === 0)
  throw new Error("give at least one --run NAME=JSON or --trained NAME=DIR");

await initBackend();
const t0 = Date.now();
const train = await loadCorpus(
  a["rendered-only"] ? renderedSoFar(path.join(a.data!, "train")) : path.join(a.data!, "train"),
  {
    quiet: true,
  },
);
const evalSet = await loadCorpus(path.join(a.data!, a.eval!), { quiet: true });
const { model: loc } = await loadLocVtp(path.join(a.models!, "locvtp"));
const rel = (await loadRelevance(path.join(a.models!, "relevance")))?.model ?? null;
const vectors = (c: Corpus) => new Map(c.videos.map((v) => [v.id, clipVectors(loc, rel, v.feats, v.nClips)]));
const trainVec = vectors(train);
const evalVec = vectors(evalSet);
const maxTrain = a["max-train"] ? Number(a["max-train"]) : Infinity;
const trainSet: Corpus = Number.isFinite(maxTrain) ? { ...train, queries: train.queries.slice(0, maxTrain) } : train;
console.log(
  `features ready in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${trainSet.queries.length} training queries, ${evalSet.queries.length} ${a.eval} queries`,
);

for (const t of trained)
  for (const method of ["vote", "loss"] as const) {
    const { model, version } = await loadCpl(t.dir, { modelsDir: a.models! });
    if (method === "loss" && model.cfg.head === "boundary") continue;
    const t1 = Date.now();
    const metrics = evaluateGrounding(
      groundAll(evalSet, evalVec, (q, vids) => groundManyWithModel(model, q, vids, { method })),
    );
    const line = {
      run: t.name,
      method,
      version,
      split: a.eval,
      evalSec: Math.round((Date.now() - t1) / 1000),
      ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, typeof v === "number" ? +v.toFixed(2) : v])),
    };
    console.log(JSON.stringify(line));
    if (a.log) appendFileSync(a.log, JSON.stringify(line) + "\n");
  }

for (const run of runs) {
  const t = Date.now();
  const model = trainCpl(trainSet, trainVec, {
    seed: Number(a.seed),
    epochs: 1,
    steps: Number(a.steps),
    batch: Number(a.batch),
    lr: Number(a.lr),
    variant: "supervised",
    cfg: run.cfg,
    relevance: rel ?? undefined,
    sentenceEmbedder: sentenceEmbedderFor(loc),
    quiet: true,
  });
  const trainSec = (Date.now() - t) / 1000;
  const metrics = evaluateGrounding(groundAll(evalSet, evalVec, (q, vids) => groundManyWithModel(model, q, vids)));
  const line = {
    run: run.name,
    cfg: run.cfg,
    steps: Number(a.steps),
    lr: Number(a.lr),
    seed: Number(a.seed),
    split: a.eval,
    trainSec: Math.round(trainSec),
    ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, typeof v === "number" ? +v.toFixed(2) : v])),
  };
  console.log(JSON.stringify(line));
  if (a.log) appendFileSync(a.log, JSON.stringify(line) + "\n");
  if (a.save) saveCpl(model, path.join(a.save, run.name), `cpl-supervised-diag-${run.name}-s${a.seed}`);
}

/** Each query grounded in its own video, every query of a video in one call per sentence. */
function groundAll(
  c: Corpus,
  vec: Map<string, ClipVector[]>,
  ground: (
    q: string,
    videos: { clips: ClipVector[]; durationSeconds: number }[],
  ) => { start: number; end: number; score: number }[][],
) {
  return c.queries
    .filter((q) => q.start !== undefined && q.end !== undefined)
    .map((q) => {
      const v = c.byId.get(q.video)!;
      return {
        gt: { start: q.start!, end: q.end! },
        predictions: ground(q.query, [{ clips: vec.get(q.video)!, durationSeconds: v.duration }])[0],
      };
    });
}

/** A copy of a split's annotations with only the videos whose files exist, by absolute path. */
function renderedSoFar(dir: string): string {
  const ann = JSON.parse(readFileSync(path.join(dir, "annotations.json"), "utf8")) as {
    videos: { id: string; file: string }[];
    queries: { video: string }[];
  };
  const videos = ann.videos.map((v) => ({ ...v, file: path.resolve(dir, v.file) })).filter((v) => existsSync(v.file));
  const ids = new Set(videos.map((v) => v.id));
  const out = path.join(os.tmpdir(), "diagnose-upper-bound-train");
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, "annotations.json"),
    JSON.stringify({ ...ann, videos, queries: ann.queries.filter((q) => ids.has(q.video)) }),
  );
  return out;
}
