/**
 * The recipe of the relevance scorer trained WITH timestamps (the upper bound in the scorer's own
 * architecture, ml/relevance/supervised.ts; ml/recipes/upper-bound-scorer.json), read by
 * `npm run train:supervised-scorer`.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export const SupervisedScorerRecipeSchema = z
  .object({
    name: z.string(),
    about: z.string().default(""),
    seed: z.number().int().min(0),
    /** the weakly trained scorer whose members start the runs */
    from: z.string(),
    locvtp: z.string(),
    data: z.string(),
    /** more training folders with timestamps besides <data>/train */
    extraTrain: z.array(z.string()).default([]),
    /** which of `from`'s members are fine-tuned (and joined, in this order); member m trains with seed + m */
    members: z.array(z.number().int().min(0)).min(1),
    steps: z.number().int().positive(),
    videos: z.number().int().positive(),
    sentences: z.number().int().positive(),
    lr: z.number().positive(),
    /** weight of the weak across-video term beside the span term */
    across: z.number().min(0),
    evalEvery: z.number().int().positive().default(200),
    out: z.string(),
  })
  .strict();

export type SupervisedScorerRecipe = z.infer<typeof SupervisedScorerRecipeSchema>;

export function loadSupervisedScorerRecipe(file: string): SupervisedScorerRecipe {
  return SupervisedScorerRecipeSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}

/** The version a recipe's joined scorer carries. */
export function supervisedScorerVersion(r: SupervisedScorerRecipe): string {
  return `relevance-supervised-x${r.members.length}-${r.name}-s${r.seed}`;
}

/** The version one of its members carries. */
export function supervisedMemberVersion(r: SupervisedScorerRecipe, member: number): string {
  return `relevance-supervised-m${member}-${r.name}-s${r.seed + member}`;
}
