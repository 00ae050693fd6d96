/**
 * Training recipes: the settings of a training run kept apart from the code, as JSON files in
 * this folder (shipped.json reproduces the shipped models). `npm run train` loads one, applies
 * the overrides given as flags, and names the models after it: version `<model>-<recipe>-s<seed>`,
 * unless the recipe pins its versions (shipped.json pins the shipped models' own, so a retrain
 * is a drop-in replacement). A run that overrides a recipe is a different recipe: it takes
 * another name (`--name`, default `<recipe>-custom`) and drops the pins; restating a value the
 * recipe has is no override.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { CplConfig, CplHparams } from "../cpl/config";
import { encoderTag, type ClipEncoderConfig } from "../locvtp/config";

const RECIPES_DIR = path.dirname(fileURLToPath(import.meta.url));

const folders = z.array(z.string()).default([]);
const count = (d: number) => z.number().int().positive().default(d);
const rate = (d: number) => z.number().positive().default(d);

const LocVtpStage = z
  .object({
    version: z.string().optional(),
    /** more training folders besides <data>/train */
    extraTrain: folders,
    steps: count(4000),
    batch: count(32),
    /** clips per video per step (segment-based sparse sampling) */
    clips: count(24),
    lr: rate(1e-3),
    /** sentences per video whose words L_f / L_t may align a clip to */
    paragraph: count(1),
  })
  .strict();

export const RELEVANCE_AUGMENTS = ["permute", "flip", "reverse", "swapneg"] as const;

const RelevanceStage = z
  .object({
    version: z.string().optional(),
    extraTrain: folders,
    steps: count(3000),
    /** videos per batch, sentences per video */
    videos: count(16),
    sentences: count(4),
    lr: rate(1e-3),
    /** weight of the within-video term (0: across videos only) */
    within: z.number().min(0).default(0),
    /** an ensemble of this many members, trained alone with seeds seed, seed + 1, … */
    members: count(5),
    /** colour relabelling, left–right mirroring, playing backwards, colour-swapped hard negatives */
    augment: z.array(z.enum(RELEVANCE_AUGMENTS)).default(["permute"]),
    /** the clip tower's slots: one per colour, or per object component */
    slots: z.enum(["colour", "component"]).default("colour"),
    /** no training: ensemble single scorers already trained in these folders */
    merge: z.array(z.string()).optional(),
  })
  .strict();

const CplStage = z
  .object({
    version: z.string().optional(),
    extraTrain: folders,
    /** train exactly this many steps (else `epochs`) */
    steps: z.number().int().positive().optional(),
    epochs: count(12),
    batch: count(32),
    lr: rate(1e-3),
    K: z.number().int().positive().optional(),
    sigma: z.number().positive().optional(),
    head: z.enum(["pointer", "fc", "boundary"]).default("pointer"),
    temporalKernel: z.number().int().min(0).default(5),
    maskBy: z.enum(["uniform", "idf", "pos"]).default("uniform"),
    /** L_div's allowed overlap λ, α2, L_rec's weight (absent: CPL_HPARAMS, ml/cpl/config.ts) */
    lambda: z.number().positive().optional(),
    alpha2: z.number().min(0).optional(),
    recScale: z.number().positive().optional(),
    /** reconstruction label smoothing ε (the reference: 0.1) */
    labelSmoothing: z.number().min(0).max(1).optional(),
    /** learning-rate schedule: constant, or inverse-sqrt after `warmup` updates (the reference: 400) */
    schedule: z.enum(["constant", "inverse-sqrt"]).default("constant"),
    warmup: z.number().int().min(0).default(0),
    /** clip gradients to this global norm (the reference: 10) */
    clipNorm: z.number().positive().optional(),
    /** loss-based grounding's masks and CPL*'s vote (ml/cpl/config.ts) */
    lossMasks: z.enum(["deterministic", "random"]).default("deterministic"),
    vote: z.enum(["plain", "iou-weighted"]).default("plain"),
    simSource: z.enum(["locvtp", "relevance", "relevance-evidence"]).default("locvtp"),
    /** the grounder's width and decoder depth (absent: ml/cpl/config.ts's defaults) */
    hidden: z.number().int().positive().optional(),
    decLayers: z.number().int().positive().optional(),
    recAttention: z.enum(["content", "mask"]).default("content"),
    completion: z.enum(["reconstructor", "relevance"]).default("reconstructor"),
    /** validation queries scored after each epoch (monitoring only) */
    valQueries: count(200),
    /** write the weights here instead of <out>/cpl (or <out>/baselines/<variant>) */
    out: z.string().optional(),
  })
  .strict();

export const RecipeSchema = z
  .object({
    description: z.string().default(""),
    seed: z.number().int().min(0).default(1),
    /** a moment-dataset folder with train/ and val/ splits */
    data: z.string().default("data/shapes"),
    locvtp: LocVtpStage.default(LocVtpStage.parse({})),
    relevance: RelevanceStage.default(RelevanceStage.parse({})),
    cpl: CplStage.default(CplStage.parse({})),
    "single-gaussian": CplStage.default(CplStage.parse({})),
    "upper-bound": CplStage.default(CplStage.parse({})),
  })
  .strict();

export type Recipe = z.infer<typeof RecipeSchema>;
export type CplStageSettings = z.infer<typeof CplStage>;

/** What a training run can build, in the order `all` builds them. */
export const STAGES = ["locvtp", "relevance", "cpl", "single-gaussian", "upper-bound"] as const;
export type Stage = (typeof STAGES)[number];
export const CPL_STAGES = ["cpl", "single-gaussian", "upper-bound"] as const;
export type CplStage = (typeof CPL_STAGES)[number];

/** The CPL trainer's variant behind each CPL-format stage, and the version's family (lib/model-names.ts reads it). */
export const CPL_VARIANT = { cpl: "cpl", "single-gaussian": "cnm", "upper-bound": "supervised" } as const;
const FAMILY: Record<Stage, string> = {
  locvtp: "locvtp",
  relevance: "relevance",
  cpl: "cpl-cpl",
  "single-gaussian": "cpl-cnm",
  "upper-bound": "cpl-supervised",
};

export interface LoadedRecipe {
  /** what the models are named after */
  name: string;
  recipe: Recipe;
  /** false when overrides changed it: its pinned versions no longer describe what is built */
  pinned: boolean;
}

/** A recipe by name (ml/recipes/<name>.json) or path. */
export function recipeFile(nameOrPath: string): string {
  if (existsSync(nameOrPath) && nameOrPath.endsWith(".json")) return path.resolve(nameOrPath);
  // beside this module, or (in a bundle: ml/device/build.sh) ml/recipes under the working directory
  const file = [RECIPES_DIR, path.resolve("ml/recipes")]
    .map((d) => path.join(d, `${nameOrPath}.json`))
    .find((f) => existsSync(f));
  if (!file) throw new Error(`no recipe "${nameOrPath}" (ml/recipes/*.json or a path to a .json file)`);
  return file;
}

/**
 * A recipe with overrides applied: `overrides` maps dotted paths ("cpl.steps", "seed") to values.
 * With any override the run takes `name` (default `<recipe>-custom`) and drops the pinned versions.
 */
export function loadRecipe(nameOrPath: string, overrides: Record<string, unknown> = {}, name?: string): LoadedRecipe {
  const file = recipeFile(nameOrPath);
  const text = readFileSync(file, "utf8");
  const parse = (raw: Record<string, unknown>) => {
    const parsed = RecipeSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `recipe ${path.basename(file)}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    return parsed.data;
  };
  const raw = JSON.parse(text) as Record<string, unknown>;
  if (raw.kind === "finetune")
    throw new Error(
      `recipe ${path.basename(file)} fine-tunes on a library's sentences: npm run train -- --library --recipe ${path.basename(file, ".json")}`,
    );
  for (const [key, value] of Object.entries(overrides)) setPath(raw, key, value);
  const recipe = parse(raw);
  // an override that restates the recipe's own value changes nothing
  const changed = JSON.stringify(recipe) !== JSON.stringify(parse(JSON.parse(text) as Record<string, unknown>));
  const base = path.basename(file, ".json");
  if (changed || name) for (const s of STAGES) delete recipe[s].version;
  return { name: name ?? (changed ? `${base}-custom` : base), recipe, pinned: !changed && !name };
}

/** Sets a dotted path ("cpl.steps") in a parsed JSON object, creating the objects on the way. */
export function setPath(o: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split(".");
  let at = o;
  for (const p of parts.slice(0, -1)) {
    if (typeof at[p] !== "object" || at[p] === null) at[p] = {};
    at = at[p] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]] = value;
}

/**
 * The version a stage's model is saved under: the recipe's pin, else `<family>-<name>-s<seed>`.
 * `built` describes what this run actually builds (architecture, inputs, data; the versions the
 * shipped models carry): a pin that disagrees with it is refused, so a model is never saved
 * under a version that says something else.
 */
export function versionFor(r: LoadedRecipe, stage: Stage, built: string): string {
  const pin = r.recipe[stage].version;
  if (!pin) return `${FAMILY[stage]}-${r.name}-s${r.recipe.seed}`;
  if (pin !== built)
    throw new Error(
      `recipe "${r.name}" pins ${stage} to ${pin}, but this run builds ${built}; train it under another name (--name)`,
    );
  return pin;
}

/** A CPL-format stage's architecture choices, as the trainer's config overrides. */
export function cplSettings(s: CplStageSettings): Partial<CplConfig> {
  return {
    ...(s.K ? { K: s.K } : {}),
    ...(s.sigma ? { sigma: s.sigma } : {}),
    head: s.head,
    temporalKernel: s.temporalKernel,
    ...(s.simSource !== "locvtp" ? { simSource: s.simSource } : {}),
    ...(s.hidden ? { hidden: s.hidden, ffn: 2 * s.hidden } : {}),
    ...(s.decLayers ? { decLayers: s.decLayers } : {}),
    ...(s.labelSmoothing ? { labelSmoothing: s.labelSmoothing } : {}),
    ...(s.lossMasks === "random" ? { lossMasks: "random" as const } : {}),
    ...(s.vote === "iou-weighted" ? { vote: "iou-weighted" as const } : {}),
    ...(s.completion === "relevance" ? { completion: "relevance" as const } : {}),
    ...(s.recAttention === "mask" ? { recAttention: "mask" as const } : {}),
  };
}

/** A CPL-format stage's training choices beyond the architecture, as trainCpl's options. */
export function cplTraining(s: CplStageSettings): {
  hparams: Partial<CplHparams>;
  schedule: { kind: "constant" | "inverse-sqrt"; warmup: number };
  clipNorm?: number;
} {
  return {
    hparams: {
      ...(s.lambda !== undefined ? { lambdaDiv: s.lambda } : {}),
      ...(s.alpha2 !== undefined ? { alpha2: s.alpha2 } : {}),
      ...(s.recScale !== undefined ? { recScale: s.recScale } : {}),
    },
    schedule: { kind: s.schedule, warmup: s.warmup },
    ...(s.clipNorm ? { clipNorm: s.clipNorm } : {}),
  };
}

/**
 * What a CPL-format grounder's descriptive version says about it: a changed head or input is a
 * new grounder (and so is one trained on another clip encoder's embeddings).
 */
export function grounderTag(s: CplStageSettings, clip: ClipEncoderConfig): string {
  return `${s.head}${s.temporalKernel === 0 ? "" : "-conv"}${s.simSource === "relevance" ? "-rel" : s.simSource === "relevance-evidence" ? "-relev" : ""}${s.hidden ? `-h${s.hidden}` : ""}${s.decLayers ? `-d${s.decLayers}` : ""}${s.recAttention === "mask" ? "-maskrec" : ""}${s.completion === "relevance" ? "-relcomp" : ""}-${encoderTag(clip)}`;
}
