/** The model versions as the API shows them (GET /api/models, GET /api/models/:version). */
import * as modelVersions from "@/db/repositories/model-versions";
import type { CurvePoint, ModelState, ModelVersion } from "@/db/repositories/model-versions";
import type { Context } from "../context";
import { notFound } from "../errors";
import { DEFAULT_TRAINING_RECIPE, trainingRecipes } from "../training/service";
import { loadFinetuneRecipe } from "@/ml/recipes/finetune";
import { gateDecision, type GateDecision } from "./gate";

/** A version as the API sends it: times as ISO strings, the training job's internals left out, the gate's word added. */
export type ModelVersionDto = Omit<
  ModelVersion,
  "checkpoint" | "jobId" | "requestedBy" | "createdAt" | "startedAt" | "finishedAt" | "activatedAt"
> & {
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  activatedAt: string | null;
  /** for a 'ready' version: whether the gate lets it replace the active one without `force` */
  gate: GateDecision | null;
};

export interface PendingDto {
  version: number;
  /** 0..1 */
  progress: number;
  done: number;
  total: number;
}

export interface ModelsDto {
  active: { version: number };
  /** the version whose vectors are being computed to take over, or null */
  pending: PendingDto | null;
  /** newest first */
  versions: ModelVersionDto[];
  /** the fine-tuning recipes a training run may name (POST /api/models/train), the default first */
  recipes: { name: string; description: string | null }[];
}

export interface ModelVersionDetailDto extends ModelVersionDto {
  /** what it was trained on: videos, sentences per source, the held-out split */
  data: Record<string, unknown>;
  /** loss points while training, in order */
  curve: CurvePoint[];
}

export function toModelVersionDto(v: ModelVersion, active: ModelVersion | undefined): ModelVersionDto {
  return {
    version: v.version,
    parent: v.parent,
    status: v.status,
    models: v.models,
    recipe: v.recipe,
    sources: v.sources,
    seed: v.seed,
    progress: v.progress,
    phase: v.phase,
    etaSeconds: v.etaSeconds,
    metrics: v.metrics,
    createdAt: v.createdAt.toISOString(),
    startedAt: v.startedAt?.toISOString() ?? null,
    finishedAt: v.finishedAt?.toISOString() ?? null,
    activatedAt: v.activatedAt?.toISOString() ?? null,
    error: v.error,
    gate: v.status === "ready" && active ? gateDecision(v, active) : null,
  };
}

export function toPendingDto(s: ModelState): PendingDto | null {
  return s.pending === null
    ? null
    : { version: s.pending, progress: s.pendingProgress, done: s.pendingDone, total: s.pendingTotal };
}

export async function listModels(ctx: Context): Promise<ModelsDto> {
  const [versions, state] = await Promise.all([modelVersions.listVersions(ctx.db), modelVersions.getState(ctx.db)]);
  const active = versions.find((v) => v.version === state.active);
  return {
    active: { version: state.active },
    pending: toPendingDto(state),
    versions: versions.map((v) => toModelVersionDto(v, active)),
    recipes: trainingRecipes()
      .sort((a, b) => Number(b === DEFAULT_TRAINING_RECIPE) - Number(a === DEFAULT_TRAINING_RECIPE))
      .map((name) => ({ name, description: loadFinetuneRecipe(name).description || null })),
  };
}

export async function getModel(ctx: Context, version: number): Promise<ModelVersionDetailDto> {
  const [v, state] = await Promise.all([
    modelVersions.getVersionDetail(ctx.db, version),
    modelVersions.getState(ctx.db),
  ]);
  if (!v) throw notFound(`No model version ${version}.`);
  const active = (await modelVersions.getVersion(ctx.db, state.active)) ?? undefined;
  return { ...toModelVersionDto(v, active), data: v.data, curve: v.curve };
}
