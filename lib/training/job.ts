/**
 * The `train-model` job: retrains the chosen models of a version on the library's own
 * sentences, in the worker (never the web server). Phases, written to the version's row as
 * they go (at most one write a second): 'features' (each video's clip features by the configured
 * featurizer: the built-in low-level stage, or the frame backbone in LOCVTP_BACKBONE_DIR;
 * decoded once and cached per featurizer), 'training' (ml/finetune from the parent version's weights, with
 * progress, ETA and loss points; a checkpoint every few steps under
 * DATA_DIR/models/<version>/checkpoint/), then the version's folder is written and it is
 * 'evaluating' (new and active version on the library's annotated spans and the held-out
 * sentences), 'ready', and offered to the activation gate.
 *
 * A job that dies (worker crash, lost lease) is retried by pg-boss and resumes from the last
 * checkpoint with the same sentences and held-out split (the plan kept beside the
 * checkpoints). A version whose status turns 'cancelled' stops at its next progress write.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import * as modelVersions from "@/db/repositories/model-versions";
import type { CurvePoint, ModelVersion } from "@/db/repositories/model-versions";
import { sentenceCounts, trainingSentences, type SentenceSource } from "@/db/repositories/descriptions";
import { annotatedSpans, rewindCurve, type AnnotatedSpan } from "@/db/repositories/training";
import * as videosRepo from "@/db/repositories/videos";
import { calibrateForLibrary, type LibraryCalibration } from "@/ml/calibration/library";
import { loadFrameFeaturizer, type FrameFeaturizerInfo } from "@/ml/encoders";
import { modelsFeaturizer } from "@/ml/features/featurizer";
import { evaluateModels, type ModelsEvaluation } from "@/ml/finetune/evaluate";
import {
  FINETUNE_MODELS,
  FinetuneInputError,
  checkpointPosition,
  finetune,
  holdOut,
  libraryCorpus,
  saveFinetuned,
  type FinetuneModel,
} from "@/ml/finetune/finetune";
import { loadFinetuneRecipe } from "@/ml/recipes/finetune";
import type { Context } from "../context";
import { getBackend, modelsOf } from "../models";
import { activateIfNotWorse } from "../models/activation";
import { prepareVersionDir, removeVersionDir, versionDir } from "../models/versions";
import { videoFeatures, type VideoFeatures } from "./features";

/** Stops a run: its version was cancelled (or deleted) while it ran. */
export class TrainingCancelled extends Error {
  constructor(version: number) {
    super(`training of version ${version} was cancelled`);
  }
}

/** A reason the run cannot succeed however often it is retried (the version fails at once). */
export class TrainingInputError extends Error {}

/** What a run trains and evaluates on, fixed at its first start (a resumed run reads it back). */
interface TrainingPlan {
  /** ready videos whose features are needed: those with sentences, and those with annotated spans */
  videos: string[];
  train: { videoId: string; sentence: string }[];
  heldOut: { videoId: string; sentence: string }[];
}

/** Progress writes at most this often (the DB is shared with search). */
const WRITE_INTERVAL_MS = 1000;

export interface TrainingHooks {
  log?: (m: string) => void;
  /** after each checkpoint is written (tests stop a run here, as a crash would) */
  afterCheckpoint?: (c: { model: FinetuneModel; step: number }) => void | Promise<void>;
}

/**
 * Runs (or resumes) the training of `version`. Returns how it ended; throws on failures a
 * retry may get past (the caller fails the version once retries are exhausted).
 */
export async function runTraining(
  ctx: Context,
  version: number,
  hooks: TrainingHooks = {},
): Promise<"ready" | "cancelled" | "gone"> {
  const log = hooks.log ?? (() => undefined);
  const v = await modelVersions.getVersion(ctx.db, version);
  if (!v) return "gone";
  if (v.status === "cancelled") {
    await removeVersionDir(ctx.config, version);
    return "cancelled";
  }
  if (v.status !== "training" && v.status !== "evaluating") return "gone";
  if (v.parent === null) throw new TrainingInputError(`version ${version} has no parent to fine-tune`);
  const models = chosenModels(v);
  const recipe = loadRecipeOf(v);
  const progress = progressWriter(ctx, version);
  try {
    await getBackend();
    const dir = await prepareVersionDir(ctx.config, version, v.parent);
    const checkpointDir = path.join(dir, "checkpoint");
    const parentDir = versionDir(ctx.config, v.parent);
    const plan = await planOf(ctx, v, checkpointDir, recipe.heldOut, recipe.seed);
    const spans = await annotatedSpans(ctx.db);

    // features
    await progress.write({ phase: "features", progress: 0, eta: null }, true);
    // the configured featurizer: the models are trained on what this installation computes
    const featurizer = await loadFrameFeaturizer(ctx.config.ml.backboneDir).catch((err: Error) => {
      throw new TrainingInputError(`the frame backbone (LOCVTP_BACKBONE_DIR) cannot be read: ${err.message}`);
    });
    await appendToData(ctx, version, {
      featurizer: { id: featurizer.id, dim: featurizer.dim, backboneDir: ctx.config.ml.backboneDir },
    });
    const rows = await videosRepo.findVideosByIds(ctx.db, plan.videos);
    const ready = rows.filter((r) => r.status === "ready");
    const features: VideoFeatures[] = [];
    const t0 = Date.now();
    for (const [i, row] of ready.entries()) {
      features.push(await videoFeatures(ctx.config, row, featurizer));
      const rate = (Date.now() - t0) / (i + 1);
      await progress.write({
        phase: "features",
        progress: (i + 1) / ready.length,
        eta: (rate * (ready.length - i - 1)) / 1000,
      });
    }
    const have = new Set(features.map((f) => f.id));
    const corpus = libraryCorpus(
      features,
      plan.train.filter((p) => have.has(p.videoId)).map((p) => ({ video: p.videoId, sentence: p.sentence })),
    );

    // training
    const at = checkpointPosition(checkpointDir);
    if (at) {
      log(`version ${version}: resuming from the checkpoint after ${at.model} step ${at.step}`);
      const order = (m: string) => FINETUNE_MODELS.indexOf(m as FinetuneModel);
      await rewindCurve(
        ctx.db,
        version,
        (p) => order(p.model) < order(at.model) || (p.model === at.model && p.step <= at.step),
      );
      await appendToData(ctx, version, { resumes: [{ model: at.model, step: at.step, at: new Date().toISOString() }] });
    }
    await progress.write({ phase: "training", progress: 0, eta: null }, true);
    const started = { at: Date.now(), done: -1 };
    const finetuned = await finetune({
      corpus,
      models,
      parentDir,
      recipe,
      checkpointDir,
      featurizer: { id: featurizer.id, dim: featurizer.dim, backboneDir: ctx.config.ml.backboneDir },
      signal: progress.signal,
      onProgress: async (p) => {
        if (started.done < 0) started.done = p.done - 1;
        const rate = (Date.now() - started.at) / Math.max(1, p.done - started.done);
        progress.point({ step: p.step, loss: p.loss, model: p.model, at: new Date().toISOString() });
        await progress.write(
          { phase: "training", progress: p.done / p.total, eta: (rate * (p.total - p.done)) / 1000 },
          p.done === p.total,
        );
      },
      onCheckpoint: async (c) => {
        // the curve up to a checkpoint is kept with it: a resumed run rewinds to it and goes on
        await progress.flush();
        await modelVersions.setCheckpoint(ctx.db, version, c.dir);
        await hooks.afterCheckpoint?.(c);
      },
    });
    await progress.flush();
    saveFinetuned(finetuned, dir, `v${version}-${v.recipe}-s${recipe.seed}`, { parentVersion: v.parent, version });

    // evaluation
    if (!(await modelVersions.setStatus(ctx.db, version, "evaluating", { from: ["training", "evaluating"] })))
      throw new TrainingCancelled(version);
    await progress.write({ phase: "evaluating", progress: 0, eta: null }, true);
    const { active } = await modelVersions.getState(ctx.db);
    const queries = evaluationQueries(spans, plan, have);
    // the active version is measured on its own featurizer's features (another backbone's, maybe)
    const featuresOfVersion = async (other: number): Promise<VideoFeatures[]> => {
      const id = modelsFeaturizer(versionDir(ctx.config, other), ctx.config.ml.backboneDir);
      if (id === featurizer.id) return features;
      const encoder = await modelsOf(ctx.config, other).clipEncoder();
      const theirs: FrameFeaturizerInfo = { id, dim: 0, spec: encoder.spec, featurizeClips: encoder.featurizeClips };
      const out: VideoFeatures[] = [];
      for (const row of ready) if (have.has(row.id)) out.push(await videoFeatures(ctx.config, row, theirs));
      return out;
    };
    const candidate = await evaluateModels(dir, features, { ...queries, backboneDir: ctx.config.ml.backboneDir });
    await progress.write({ phase: "evaluating", progress: 0.4, eta: null }, true);
    // the retrained scorer's scores are not its parent's: its confidence gets a fit of its own (or the parent's, said so)
    const calibration = await calibrateForLibrary(dir, parentDir, features, queries.annotated, {
      minSpans: recipe.calibration.minSpans,
      log,
    });
    log(
      `version ${version}: calibration ${calibration.source}${"version" in calibration ? ` (${calibration.version})` : ""}`,
    );
    await progress.write({ phase: "evaluating", progress: 0.7, eta: null }, true);
    const baseline = await evaluateModels(versionDir(ctx.config, active), await featuresOfVersion(active), {
      ...queries,
      backboneDir: ctx.config.ml.backboneDir,
    });
    await modelVersions.setMetrics(ctx.db, version, metricsOf(candidate, baseline, active, queries, calibration));
    await progress.write({ phase: null, progress: 1, eta: null }, true);
    if (!(await modelVersions.setStatus(ctx.db, version, "ready", { from: ["evaluating"] })))
      throw new TrainingCancelled(version);
    await rm(checkpointDir, { recursive: true, force: true });
    await modelVersions.setCheckpoint(ctx.db, version, null);
    log(
      `version ${version}: ready (R1@0.5 on annotated spans ${candidate.annotated.r1_05 ?? "n/a"} vs ${baseline.annotated.r1_05 ?? "n/a"} for version ${active})`,
    );
    const gate = await activateIfNotWorse(ctx, version).catch((err: Error) => {
      log(`version ${version}: not activated: ${err.message}`);
      return null;
    });
    if (gate) log(`version ${version}: ${gate.started ? "activation started" : "kept ready"}: ${gate.gate.reason}`);
    return "ready";
  } catch (err) {
    if (err instanceof TrainingCancelled || progress.signal.aborted) {
      log(`version ${version}: cancelled`);
      await removeVersionDir(ctx.config, version);
      return "cancelled";
    }
    if (err instanceof FinetuneInputError) throw new TrainingInputError(err.message);
    throw err;
  }
}

/**
 * Marks a version failed (retries exhausted, or a reason no retry can get past) and removes
 * its half-made folder; the error says why.
 */
export async function failTraining(ctx: Context, version: number, message: string): Promise<void> {
  if (await modelVersions.setStatus(ctx.db, version, "failed", { error: message, from: ["training", "evaluating"] }))
    await removeVersionDir(ctx.config, version);
}

function chosenModels(v: ModelVersion): FinetuneModel[] {
  const unsupported = v.models.filter((m) => !(FINETUNE_MODELS as readonly string[]).includes(m));
  if (unsupported.length)
    throw new TrainingInputError(`retraining ${unsupported.join(", ")} from the library is not supported yet`);
  return v.models as FinetuneModel[];
}

function loadRecipeOf(v: ModelVersion) {
  try {
    return loadFinetuneRecipe(v.recipe);
  } catch (err) {
    throw new TrainingInputError((err as Error).message);
  }
}

/** The plan kept beside the checkpoints, or a new one: the sources' sentences on ready videos, seeded held-out split. */
async function planOf(
  ctx: Context,
  v: ModelVersion,
  checkpointDir: string,
  heldOutShare: number,
  seed: number,
): Promise<TrainingPlan> {
  const file = path.join(checkpointDir, "plan.json");
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as TrainingPlan;
  const pairs = await trainingSentences(ctx.db, v.sources as SentenceSource[]);
  const spans = await annotatedSpans(ctx.db);
  const ids = [...new Set([...pairs.map((p) => p.videoId), ...spans.map((s) => s.videoId)])];
  const ready = new Set(
    (await videosRepo.findVideosByIds(ctx.db, ids)).filter((r) => r.status === "ready").map((r) => r.id),
  );
  const usable = pairs.filter((p) => ready.has(p.videoId));
  if (usable.length === 0) throw new TrainingInputError("the chosen sources give no sentences for any ready video");
  const split = holdOut(usable, heldOutShare, seed);
  const plan: TrainingPlan = { videos: ids.filter((id) => ready.has(id)).sort(), ...split };
  await mkdir(checkpointDir, { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(plan));
  await rename(`${file}.tmp`, file);
  const counts = await sentenceCounts(ctx.db);
  await appendToData(ctx, v.version, {
    bySource: counts.filter((c) => v.sources.includes(c.source)),
    videos: new Set(split.train.map((p) => p.videoId)).size,
    sentences: split.train.length,
    heldOut: split.heldOut.length,
    heldOutSentences: split.heldOut.slice(0, 200),
    annotatedSpans: spans.filter((s) => ready.has(s.videoId)).length,
  });
  return plan;
}

async function appendToData(ctx: Context, version: number, add: Record<string, unknown>): Promise<void> {
  const detail = await modelVersions.getVersionDetail(ctx.db, version);
  const data = { ...(detail?.data ?? {}) };
  for (const [k, value] of Object.entries(add))
    data[k] = Array.isArray(value) && Array.isArray(data[k]) ? [...(data[k] as unknown[]), ...value] : value;
  await modelVersions.setData(ctx.db, version, data);
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");

function evaluationQueries(spans: AnnotatedSpan[], plan: TrainingPlan, have: Set<string>) {
  const spanOf = new Map(spans.map((s) => [`${s.videoId}\u0000${norm(s.sentence)}`, { start: s.start, end: s.end }]));
  const trained = new Set(plan.train.map((p) => `${p.videoId}\u0000${norm(p.sentence)}`));
  const annotated = spans
    .filter((s) => have.has(s.videoId))
    .map((s) => ({ video: s.videoId, sentence: s.sentence, start: s.start, end: s.end }));
  return {
    annotated,
    heldOut: plan.heldOut
      .filter((p) => have.has(p.videoId))
      .map((p) => ({
        video: p.videoId,
        sentence: p.sentence,
        span: spanOf.get(`${p.videoId}\u0000${norm(p.sentence)}`),
      })),
    /** annotated spans whose sentence was among the training sentences (weakly seen: without its times) */
    seenInTraining: annotated.filter((q) => trained.has(`${q.video}\u0000${norm(q.sentence)}`)).length,
  };
}

/**
 * What model_versions.metrics holds (percent, as the gate reads it): this version's numbers and
 * the active version's on the same sets (`baseline`); a set with nothing measured is null.
 */
function metricsOf(
  c: ModelsEvaluation,
  b: ModelsEvaluation,
  baselineVersion: number,
  q: { seenInTraining: number },
  calibration: LibraryCalibration,
): modelVersions.VersionMetrics {
  const spanSet = (m: ModelsEvaluation["annotated"]) => (m.n > 0 ? m : null);
  return {
    method: c.method,
    annotated: spanSet(c.annotated) as modelVersions.SpanMetrics | null,
    heldOut: c.heldOut as unknown as modelVersions.SpanMetrics,
    seenInTraining: q.seenInTraining,
    calibration,
    baseline: {
      version: baselineVersion,
      annotated: spanSet(b.annotated) as modelVersions.SpanMetrics | null,
      heldOut: b.heldOut as unknown as modelVersions.SpanMetrics,
    },
  };
}

interface ProgressWriter {
  /** aborted when the version is no longer being trained (cancelled) */
  signal: AbortSignal;
  point(p: CurvePoint): void;
  /** writes phase/progress/ETA and the buffered loss points, at most once a second unless `force` */
  write(p: { phase: string | null; progress: number; eta: number | null }, force?: boolean): Promise<void>;
  flush(): Promise<void>;
}

function progressWriter(ctx: Context, version: number): ProgressWriter {
  const stop = new AbortController();
  let points: CurvePoint[] = [];
  let last = 0;
  let latest: { phase: string | null; progress: number; eta: number | null } | null = null;
  const flush = async () => {
    if (!latest) return;
    last = Date.now();
    const batch = points;
    points = [];
    await modelVersions.appendCurve(ctx.db, version, batch);
    const still = await modelVersions.updateProgress(ctx.db, {
      version,
      phase: latest.phase,
      progress: latest.progress,
      etaSeconds: latest.eta,
    });
    if (!still) stop.abort(new TrainingCancelled(version));
  };
  return {
    signal: stop.signal,
    point: (p) => void points.push(p),
    async write(p, force = false) {
      latest = p;
      if (force || Date.now() - last >= WRITE_INTERVAL_MS) await flush();
      stop.signal.throwIfAborted();
    },
    flush,
  };
}
