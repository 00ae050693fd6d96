/**
 * What a training run can be asked for (issue 22): the components that can be retrained
 * and the recipes. Pure data, shared by POST /api/models/train's validation and the Models
 * page's form (like lib/auth/roles.ts), so the two never disagree.
 */

/** The components a run can retrain, in the order the form lists them. */
export const TRAINABLE_MODELS = ["relevance", "cpl", "locvtp"] as const;
export type TrainableModel = (typeof TRAINABLE_MODELS)[number];

export const TRAINABLE_MODEL_INFO: Record<TrainableModel, { label: string; hint: string; default: boolean }> = {
  relevance: {
    label: "Relevance scorer",
    hint: "ranks which videos and clips a sentence is about",
    default: true,
  },
  cpl: {
    label: "CPL grounder",
    hint: "finds where in a video the sentence happens",
    default: true,
  },
  locvtp: {
    label: "LocVTP clip and text encoder",
    hint: "the vectors every clip is stored as; retraining it re-embeds the whole library on activation",
    default: false,
  },
};

/** The recipes a run can use; the first is the form's default. */
export const TRAINING_RECIPES = ["library", "quick", "shipped"] as const;
export type TrainingRecipe = (typeof TRAINING_RECIPES)[number];

export const TRAINING_RECIPE_INFO: Record<TrainingRecipe, { label: string; hint: string }> = {
  library: {
    label: "Library",
    hint: "fine-tunes on the library's own sentences with the full schedule",
  },
  quick: {
    label: "Quick",
    hint: "a short schedule that finishes in a few minutes, for trials",
  },
  shipped: {
    label: "Shapes corpus (shipped)",
    hint: "the recipe the shipped models were trained with, on the generated Shapes corpus",
  },
};

export function isTrainableModel(value: unknown): value is TrainableModel {
  return typeof value === "string" && (TRAINABLE_MODELS as readonly string[]).includes(value);
}

export function isTrainingRecipe(value: unknown): value is TrainingRecipe {
  return typeof value === "string" && (TRAINING_RECIPES as readonly string[]).includes(value);
}
