/**
 * Starting a training run (POST /api/models/train, `npm run train -- --library`): checks what
 * is asked for, records the new version (status 'training', fine-tuned from the active version)
 * and queues the `train-model` job the workers run (lib/training/job.ts).
 */
import { withTransaction } from "@/db/pool";
import { trainingSentences, type SentenceSource } from "@/db/repositories/descriptions";
import * as modelVersions from "@/db/repositories/model-versions";
import * as videosRepo from "@/db/repositories/videos";
import { FINETUNE_MODELS } from "@/ml/finetune/finetune";
import { finetuneRecipeNames, loadFinetuneRecipe } from "@/ml/recipes/finetune";
import type { Context } from "../context";
import { AppError, badRequest, conflict } from "../errors";

// What can be retrained from the API (LocVTP: not yet; ml/finetune says why): one list with the form's.
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
 * 400: an unknown recipe, or a model that cannot be retrained here; 409: a run in progress;
 * 422: the sources give no sentences (or, for the relevance scorer, sentences for fewer than
 * two videos: it learns by telling videos apart).
 */
export async function startTraining(
  ctx: Context,
  req: TrainingRequest,
  user: { id: string } | null,
): Promise<TrainingStarted> {
  const models = [...new Set(req.models)];
  if (models.includes("locvtp"))
    throw badRequest(
      "Retraining LocVTP (the clip encoder) from the library is not supported yet; choose the relevance scorer and/or CPL.",
      "model_not_supported",
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
  if (models.includes("relevance") && described < 2)
    throw new AppError(
      422,
      "too_few_videos",
      `The relevance scorer learns by telling videos apart: it needs sentences for at least two ready videos (${described} has them).`,
    );

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
