/**
 * Starting a training run (POST /api/models/train, `npm run train -- --library`): checks what
 * is asked for, records the new version (status 'training', fine-tuned from the active version)
 * and queues the `train-model` job the workers run (lib/training/job.ts).
 */
import { withTransaction } from "@/db/pool";
import { trainingSentences, type SentenceSource } from "@/db/repositories/descriptions";
import * as modelVersions from "@/db/repositories/model-versions";
import * as videosRepo from "@/db/repositories/videos";
import {
  configuredFeaturizer,
  describeFeaturizer,
  LOWLEVEL_FEATURIZER,
  modelsFeaturizer,
} from "@/ml/features/featurizer";
import { FINETUNE_MODELS } from "@/ml/finetune/finetune";
import { finetuneRecipeNames, loadFinetuneRecipe } from "@/ml/recipes/finetune";
import type { Context } from "../context";
import { AppError, badRequest, conflict } from "../errors";
import { versionDir } from "../models/versions";

// What can be retrained from the API: one list with the form's.
export { TRAINABLE_MODELS, type TrainableModel } from "./recipes";
import type { TrainableModel } from "./recipes";

export const SENTENCE_SOURCES = [
  "descriptions",
  "subtitles",
  "datasets",
  "review",
] as const satisfies readonly SentenceSource[];

/** The recipe a run uses when none is named: the longer library recipe (quick is for trials). */
export const DEFAULT_TRAINING_RECIPE = "library";

export interface TrainingRequest {
  models: TrainableModel[];
  recipe?: string;
  sources?: SentenceSource[];
}

export interface TrainingStarted {
  job: { id: string | null; version: number };
}

/** The recipes a run may name. */
export function trainingRecipes(): string[] {
  return finetuneRecipeNames();
}

/**
 * 400: an unknown recipe, or LocVTP without CPL (CPL reads LocVTP's vectors); 409: a run in
 * progress; 422: the sources give no sentences (or, for the relevance scorer and LocVTP,
 * sentences for fewer than two videos: they learn by telling videos apart), or the models
 * cannot learn from the configured featurizer (featurizerProblem); 503: the configured frame
 * backbone cannot be read.
 */
export async function startTraining(
  ctx: Context,
  req: TrainingRequest,
  user: { id: string } | null,
): Promise<TrainingStarted> {
  const models = [...new Set(req.models)];
  if (models.includes("locvtp") && !models.includes("cpl"))
    throw badRequest(
      "Retraining LocVTP changes the clip vectors CPL reads: choose CPL too (and the relevance scorer if you like).",
      "cpl_required",
    );
  const recipeName = req.recipe ?? DEFAULT_TRAINING_RECIPE;
  if (!trainingRecipes().includes(recipeName))
    throw badRequest(
      `No training recipe "${recipeName}" (recipes: ${trainingRecipes().join(", ")}).`,
      "unknown_recipe",
    );
  const recipe = loadFinetuneRecipe(recipeName);
  const sources: SentenceSource[] = [...new Set(req.sources ?? SENTENCE_SOURCES)].sort();
  if (sources.length === 0) throw badRequest("Choose at least one source of sentences.", "no_sources");

  const pairs = await trainingSentences(ctx.db, sources);
  const ready = new Set(
    (await videosRepo.findVideosByIds(ctx.db, [...new Set(pairs.map((p) => p.videoId))]))
      .filter((v) => v.status === "ready")
      .map((v) => v.id),
  );
  const usable = pairs.filter((p) => ready.has(p.videoId));
  if (usable.length === 0)
    throw new AppError(
      422,
      "no_sentences",
      `The sources ${sources.join(", ")} give no sentences for any ready video: describe some videos first.`,
    );
  const described = new Set(usable.map((p) => p.videoId)).size;
  const contrastive = models.filter((m) => m === "relevance" || m === "locvtp");
  if (contrastive.length && described < 2)
    throw new AppError(
      422,
      "too_few_videos",
      `${contrastive.includes("relevance") ? "The relevance scorer" : "LocVTP"} learns by telling videos apart: it needs sentences for at least two ready videos (${described} has them).`,
    );
  featurizerProblem(ctx, models, (await modelVersions.getState(ctx.db)).active);

  const version = await withTransaction(ctx.db, async (tx) => {
    // one run at a time: the state row's lock orders two requests that arrive together
    const state = await modelVersions.getState(tx, { lock: "update" });
    const running = await modelVersions.versionsInProgress(tx);
    if (running.length)
      throw conflict(
        `Version ${running[0].version} is being ${running[0].status === "training" ? "trained" : "evaluated"}; wait for it to finish or cancel it.`,
        "training_in_progress",
      );
    return modelVersions.createVersion(tx, {
      parent: state.active,
      models: FINETUNE_MODELS.filter((m) => models.includes(m)),
      recipe: recipeName,
      sources,
      seed: recipe.seed,
      requestedBy: user?.id ?? null,
      data: { videos: described, sentences: usable.length },
    });
  });
  const jobId = await (await ctx.queue()).enqueueTraining(version.version);
  await modelVersions.setJobId(ctx.db, version.version, jobId);
  return { job: { id: jobId, version: version.version } };
}

/**
 * Whether the chosen models can learn from the configured featurizer (the built-in low-level
 * stage, or the frame backbone in LOCVTP_BACKBONE_DIR): the relevance scorer only reads the
 * built-in stage's object slots; a parent whose clip encoder reads another featurizer needs
 * LocVTP retrained (ml/finetune says why). Throws the request's 422 (503: the backbone is unreadable).
 */
function featurizerProblem(ctx: Context, models: TrainableModel[], parent: number): void {
  let configured: string;
  let parentF: string;
  try {
    configured = configuredFeaturizer(ctx.config.ml.backboneDir);
    parentF = modelsFeaturizer(versionDir(ctx.config, parent), ctx.config.ml.backboneDir);
  } catch (err) {
    throw new AppError(503, "backbone_unavailable", `The frame backbone cannot be read: ${(err as Error).message}.`);
  }
  if (models.includes("relevance") && configured !== LOWLEVEL_FEATURIZER)
    throw new AppError(
      422,
      "relevance_needs_lowlevel",
      `The relevance scorer reads the built-in low-level stage's object slots, and this installation computes ${describeFeaturizer(configured)} (LOCVTP_BACKBONE_DIR): retrain LocVTP and CPL instead; over a frame backbone CPL answers alone.`,
    );
  if (parentF !== configured && !models.includes("locvtp"))
    throw new AppError(
      422,
      "featurizer_mismatch",
      `Version ${parent}'s clip encoder reads ${describeFeaturizer(parentF)}, but this installation computes ${describeFeaturizer(configured)}: retrain LocVTP (with CPL) so the models learn the new features.`,
    );
}
