/**
 * Fine-tuning recipes: how a library's own (video, sentence) pairs retrain the installed models
 * (ml/finetune). They live beside the Shapes-corpus recipes (ml/recipes/*.json) and are told
 * apart by `"kind": "finetune"`: quick.json (a few minutes on a 2-core machine, for trials and
 * tests) and library.json (a longer run).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { RELEVANCE_AUGMENTS, recipeFile, setPath } from "./recipe";

const RECIPES_DIR = path.dirname(fileURLToPath(import.meta.url));

const count = (d: number) => z.number().int().positive().default(d);
const rate = (d: number) => z.number().positive().default(d);

/** at most this many passes over the training sentences (fewer steps on a small library; ml/finetune finetuneSteps) */
const epochs = z.number().positive().optional();

const RelevanceFinetune = z
  .object({
    steps: count(60),
    epochs,
    /** videos per batch (fewer when the library has fewer), sentences per video */
    videos: count(8),
    sentences: count(3),
    lr: rate(1e-4),
    /** weight of the within-video term (0: across videos only; then one sentence per video suffices) */
    within: z.number().min(0).default(0),
    /** the Shapes world's symmetries (ml/relevance/augment.ts); none by default: a library's footage need not have them */
    augment: z.array(z.enum(RELEVANCE_AUGMENTS)).default([]),
    /** the text tower's word table's own rate (default: lr): a word the parent never saw starts from random rows */
    wordLr: z.number().positive().optional(),
    /**
     * one-word edits of each sentence that no sentence of its video describes, competing with it
     * in its video (ml/relevance/hard-negatives.ts falseByCaptions: the library's captions read as
     * a closed world); sentences outside the Shapes grammar get none. Not with augmentations.
     */
    hardNegatives: z
      .object({ perSentence: z.number().int().positive(), weight: z.number().positive().default(1) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((r) => !r.hardNegatives || r.augment.length === 0, {
    message: "hard negatives are checked against the untouched captions: train them without augmentations",
    path: ["hardNegatives"],
  });

const LocVtpFinetune = z
  .object({
    steps: count(60),
    epochs,
    /** videos per step (fewer when the library has fewer), clips sampled per video */
    batch: count(8),
    clipsPerVideo: count(16),
    /** from the parent's weights */
    lr: rate(1e-4),
    /** a clip head that starts afresh (the features come from another featurizer than the parent's: a new frame backbone) */
    freshLr: rate(1e-3),
  })
  .strict();

const CplFinetune = z
  .object({
    steps: count(40),
    epochs,
    batch: count(16),
    lr: rate(1e-4),
  })
  .strict();

const CalibrationRefit = z
  .object({
    /**
     * the fewest annotated spans in the library for the retrained version's confidence to be
     * fitted on them (ml/calibration/library.ts); with fewer it inherits the parent's fit
     */
    minSpans: count(30),
  })
  .strict();

export const FinetuneRecipeSchema = z
  .object({
    kind: z.literal("finetune"),
    description: z.string().default(""),
    seed: z.number().int().min(0).default(1),
    /** share of the sentences held out of training for evaluation (seeded) */
    heldOut: z.number().min(0).max(0.5).default(0.1),
    /** steps between checkpoints (a restarted run resumes from the last) */
    checkpointEvery: count(10),
    locvtp: LocVtpFinetune.default(LocVtpFinetune.parse({})),
    relevance: RelevanceFinetune.default(RelevanceFinetune.parse({})),
    cpl: CplFinetune.default(CplFinetune.parse({})),
    calibration: CalibrationRefit.default(CalibrationRefit.parse({})),
  })
  .strict();

export type FinetuneRecipe = z.infer<typeof FinetuneRecipeSchema>;

/** What a file says about itself: a fine-tuning recipe, or another kind (a Shapes-corpus or calibration recipe). */
function isFinetune(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { kind?: unknown }).kind === "finetune";
  } catch {
    return false;
  }
}

/** The fine-tuning recipes in ml/recipes, by name. */
export function finetuneRecipeNames(): string[] {
  return readdirSync(RECIPES_DIR)
    .filter((f) => f.endsWith(".json") && isFinetune(path.join(RECIPES_DIR, f)))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/**
 * A fine-tuning recipe by name (ml/recipes/<name>.json) or path, with `overrides` (dotted
 * paths, e.g. "relevance.steps") applied.
 */
export function loadFinetuneRecipe(nameOrPath: string, overrides: Record<string, unknown> = {}): FinetuneRecipe {
  const file = recipeFile(nameOrPath);
  const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  if (raw.kind !== "finetune")
    throw new Error(
      `recipe ${path.basename(file)} trains on a corpus folder, not on a library (npm run train -- ${nameOrPath})`,
    );
  for (const [key, value] of Object.entries(overrides)) setPath(raw, key, value);
  const parsed = FinetuneRecipeSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `recipe ${path.basename(file)}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}
