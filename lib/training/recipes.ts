/**
 * What a training run can be asked for (issue 22): the components that can be retrained,
 * and the recipes' names for people. Pure data that the browser may import (like
 * lib/auth/roles.ts); POST /api/models/train's validation should take TRAINABLE_MODELS from
 * here, so the form and the API never disagree.
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

/**
 * The fine-tuning recipes the form offers when the server does not list its own (they are
 * ml/recipes/*.json files with `"kind": "finetune"`); the first is the default, as the API's.
 */
export const TRAINING_RECIPES = ["library", "quick"] as const;
export type TrainingRecipe = (typeof TRAINING_RECIPES)[number];

/** How the form names recipes it knows; any other name the server lists is shown as it is. */
export const TRAINING_RECIPE_INFO: Record<string, { label: string; hint: string }> = {
  library: {
    label: "Library",
    hint: "fine-tunes on the library's own sentences with the longer schedule",
  },
  "library-contrast": {
    label: "Library, new actions",
    hint: "the longer schedule, where each sentence must also beat one-word edits (another action, colour or shape) that its video's captions never say; for captions in the Shapes grammar",
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

/** A recipe the form has a name and hint for. */
export function recipeInfo(name: string): { label: string; hint: string } | null {
  return Object.hasOwn(TRAINING_RECIPE_INFO, name) ? TRAINING_RECIPE_INFO[name] : null;
}
