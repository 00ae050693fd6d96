/**
 * Typed browser access to the model versions API (issue 22, admins): the versions with
 * their evaluation, training a new one, activating one (re-embedding the library first),
 * cancelling a run or a switch. Errors are api.ts's ApiError with the server's message.
 *
 * The shapes follow the issue's contract (docs: helpers' ISSUE22 spec); they are read
 * defensively (`toVersion`, `toOverview`) so a field the server leaves out shows as
 * unknown instead of breaking the page.
 */
import type { TrainableModel } from "@/lib/training/recipes";
import { request, sendJson } from "./api";

export type ModelStatus = "training" | "evaluating" | "ready" | "active" | "failed" | "cancelled";
const STATUSES: readonly ModelStatus[] = ["training", "evaluating", "ready", "active", "failed", "cancelled"];

/** One model version as GET /api/models lists it. `metrics` is read with models-format.ts's parseMetrics. */
export interface ModelVersion {
  version: number;
  parent: number | null;
  status: ModelStatus;
  /** the components retrained ([] for the shipped version 1) */
  models: string[];
  recipe: string;
  /** the sentence sources it was trained on */
  sources: string[];
  /** 0..1 of the current phase */
  progress: number;
  phase: string | null;
  etaSeconds: number | null;
  metrics: unknown;
  createdAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  activatedAt: string | null;
  error: string | null;
  /** for a ready version: whether the evaluation gate lets it replace the active one without `force`, and why */
  gate: { pass: boolean; reason: string } | null;
}

/** A loss value logged while training. */
export interface CurvePoint {
  step: number;
  loss: number;
  /** which component it belongs to ("relevance", "cpl", "locvtp") */
  model: string;
  at: string | null;
}

/** GET /api/models/:version: the version with its loss curve and the data it was trained on. */
export interface ModelVersionDetail extends ModelVersion {
  curve: CurvePoint[];
  /** counts: videos, sentences per source, the held-out split (shape up to the trainer; shown generically) */
  data: Record<string, unknown>;
  seed: number | null;
}

/** The re-embedding that precedes a switch: `done` of `total` videos. */
export interface PendingSwitch {
  version: number;
  /** 0..1 */
  progress: number;
  done: number;
  total: number;
}

export interface ModelsOverview {
  active: { version: number };
  pending: PendingSwitch | null;
  /** newest first */
  versions: ModelVersion[];
  /** the recipes, when the server lists them (otherwise lib/training/recipes.ts's names) */
  recipes: { name: string; description: string | null }[] | null;
}

export interface TrainRequest {
  models: TrainableModel[];
  recipe?: string;
  sources?: string[];
}

// ——— reading the answers ———

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** A version number from a number or a string of digits; null otherwise. */
export function versionNumber(v: unknown): number | null {
  if (typeof v === "number" && Number.isInteger(v) && v > 0) return v;
  if (typeof v === "string" && /^\d+$/.test(v.trim())) return Number(v.trim()) || null;
  return null;
}

export function isModelStatus(v: unknown): v is ModelStatus {
  return typeof v === "string" && (STATUSES as readonly string[]).includes(v);
}

export function toVersion(raw: unknown): ModelVersion | null {
  if (!isObj(raw)) return null;
  const version = versionNumber(raw.version);
  if (version === null) return null;
  return {
    version,
    parent: versionNumber(raw.parent),
    // a run waiting for the worker reads as training (and is polled); anything else unknown as failed
    status: isModelStatus(raw.status) ? raw.status : raw.status === "queued" ? "training" : "failed",
    models: strings(raw.models),
    recipe: str(raw.recipe) ?? "—",
    sources: strings(raw.sources),
    progress: Math.max(0, Math.min(1, num(raw.progress) ?? 0)),
    phase: str(raw.phase),
    etaSeconds: num(raw.etaSeconds),
    metrics: raw.metrics ?? null,
    createdAt: str(raw.createdAt),
    startedAt: str(raw.startedAt),
    finishedAt: str(raw.finishedAt),
    activatedAt: str(raw.activatedAt),
    error: str(raw.error),
    gate:
      isObj(raw.gate) && typeof raw.gate.pass === "boolean"
        ? { pass: raw.gate.pass, reason: str(raw.gate.reason) ?? "" }
        : null,
  };
}

function toCurve(raw: unknown): CurvePoint[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((p): CurvePoint[] => {
    if (!isObj(p)) return [];
    const step = num(p.step);
    const loss = num(p.loss);
    if (step === null || loss === null) return [];
    return [{ step, loss, model: str(p.model) ?? "model", at: str(p.at) }];
  });
}

/** The detail answer: `{ version: {…} }`, `{ model: {…} }` or the version itself. */
export function toVersionDetail(body: unknown): ModelVersionDetail | null {
  const raw = isObj(body) && isObj(body.version) ? body.version : isObj(body) && isObj(body.model) ? body.model : body;
  const v = toVersion(raw);
  if (!v || !isObj(raw)) return null;
  return { ...v, curve: toCurve(raw.curve), data: isObj(raw.data) ? raw.data : {}, seed: num(raw.seed) };
}

/** `{version, progress, done, total}`, or a bare version number; null for none. */
export function toPending(raw: unknown): PendingSwitch | null {
  if (!isObj(raw)) {
    const version = versionNumber(raw);
    return version === null ? null : { version, progress: 0, done: 0, total: 0 };
  }
  const version = versionNumber(raw.version);
  if (version === null) return null;
  const done = num(raw.done) ?? 0;
  const total = num(raw.total) ?? 0;
  const progress = num(raw.progress) ?? (total > 0 ? done / total : 0);
  return { version, progress: Math.max(0, Math.min(1, progress)), done, total };
}

export function toOverview(body: unknown): ModelsOverview {
  const b = isObj(body) ? body : {};
  const versions = (Array.isArray(b.versions) ? b.versions : [])
    .map(toVersion)
    .filter((v): v is ModelVersion => v !== null)
    .sort((x, y) => y.version - x.version);
  const active =
    versionNumber(isObj(b.active) ? b.active.version : b.active) ??
    versions.find((v) => v.status === "active")?.version ??
    1;
  const recipes = Array.isArray(b.recipes)
    ? b.recipes.flatMap((r) =>
        typeof r === "string" && r
          ? [{ name: r, description: null }]
          : isObj(r) && str(r.name)
            ? [{ name: r.name as string, description: str(r.description) }]
            : [],
      )
    : [];
  return {
    active: { version: active },
    pending: toPending(b.pending),
    versions,
    recipes: recipes.length ? recipes : null,
  };
}

// ——— the calls ———

export async function getModels(signal?: AbortSignal): Promise<ModelsOverview> {
  return toOverview(await request<unknown>("/api/models", { signal }));
}

/** 404 for an unknown version. */
export async function getModelVersion(version: number, signal?: AbortSignal): Promise<ModelVersionDetail> {
  const detail = toVersionDetail(await request<unknown>(`/api/models/${version}`, { signal }));
  if (!detail) throw new Error(`The server's answer for version ${version} has no version.`);
  return detail;
}

/**
 * → the new version's number and its job. 400 unknown model, recipe or source; 409 a run
 * is already in progress; 422 the sources give no sentences.
 */
export async function trainModels(body: TrainRequest): Promise<{ id: string | null; version: number | null }> {
  const res = await sendJson<unknown>("/api/models/train", "POST", body);
  const job = isObj(res) && isObj(res.job) ? res.job : {};
  return {
    id: str(job.id) ?? (typeof job.id === "number" ? String(job.id) : null),
    version: versionNumber(job.version),
  };
}

/**
 * Starts the switch to `version` (the library is re-embedded first). 409 when the gate
 * refuses it (worse than the active version; `force` overrides) or it cannot be activated.
 */
export async function activateVersion(version: number, force = false): Promise<void> {
  await sendJson<unknown>(`/api/models/${version}/activate`, "POST", force ? { force: true } : {});
}

/** Cancels the version's training run, or the re-embedding that would switch to it. */
export async function cancelVersion(version: number): Promise<void> {
  await sendJson<unknown>(`/api/models/${version}/cancel`, "POST");
}
