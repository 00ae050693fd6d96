/**
 * The trained models, by version: each version's models are loaded once per process on first
 * use and kept (a per-version cache keyed by folder), so a search, an ingestion or an
 * evaluation asks for exactly the version it works with. Which version is active is in the
 * database (model_state); `getClipEncoder(ctx)` and its siblings mean the active one.
 */
import path from "node:path";
import { activeVersion } from "@/db/repositories/model-versions";
import { initBackend, loadCalibrator, loadClipEncoder, loadGroundingModels, loadTextEncoder } from "@/ml";
import type { BackendInfo, Calibrator, ClipEncoder, GroundingModels, TextEncoder } from "@/ml";
import { loadConfig, type Config, type MlSettings } from "./config";
import { getContext, type Context } from "./context";
import { versionDir } from "./models/versions";

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= load().catch((err) => {
      p = undefined; // let a later call retry
      throw err;
    });
    return p;
  };
}

/** The ML settings of this process's environment (MODELS_DIR, LOCVTP_BACKBONE_DIR, TFJS_BACKEND, ML_QUIET). */
const settings: () => MlSettings = () => loadConfig().ml;

export const getBackend: () => Promise<BackendInfo> = once(() => initBackend(settings()));

/** One version's models, each loaded on first use. */
export interface VersionModels {
  version: number;
  /** the folder they load from */
  dir: string;
  clipEncoder(): Promise<ClipEncoder>;
  textEncoder(): Promise<TextEncoder>;
  /** every installed grounding method (lib/search picks one by name) */
  groundingModels(): Promise<GroundingModels>;
  /**
   * The calibration of the moments' confidence (`<dir>/calibration`), checked against the models
   * loaded here: fitted for other versions, or absent, it is the uncalibrated stand-in (its
   * `reason` says why; ml/calibration/README.md).
   */
  calibrator(): Promise<Calibrator>;
}

const loaded = new Map<string, VersionModels>();

/** `version`'s models (loaded lazily, cached per folder for the life of the process). */
export function modelsOf(config: Pick<Config, "dataDir" | "ml">, version: number): VersionModels {
  const dir = versionDir(config, version);
  const { backboneDir, quiet } = config.ml;
  const key = `${dir}\u0000${backboneDir ?? ""}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const clipEncoder = once(async () => {
    await getBackend();
    return loadClipEncoder(path.join(dir, "locvtp"), { backboneDir });
  });
  const textEncoder = once(async () => {
    await getBackend();
    return loadTextEncoder(path.join(dir, "locvtp"), { backboneDir });
  });
  const groundingModels = once(async () => {
    await getBackend();
    return loadGroundingModels(dir, { backboneDir });
  });
  const calibrator = once(async () => {
    const [models, text] = await Promise.all([groundingModels(), textEncoder()]);
    const c = loadCalibrator(path.join(dir, "calibration"), {
      relevance: models.ranker?.version ?? null,
      locvtp: text.version,
    });
    if (c.reason && !quiet) console.warn(`[models] version ${version}: moment confidence is uncalibrated: ${c.reason}`);
    return c;
  });
  const models: VersionModels = { version, dir, clipEncoder, textEncoder, groundingModels, calibrator };
  loaded.set(key, models);
  return models;
}

/** The active version's models (read from the database on each call: a switch takes effect at once). */
export async function activeModels(ctx: Context = getContext()): Promise<VersionModels> {
  return modelsOf(ctx.config, await activeVersion(ctx.db));
}

/** The active version's clip encoder. */
export async function getClipEncoder(ctx?: Context): Promise<ClipEncoder> {
  return (await activeModels(ctx)).clipEncoder();
}

/** The active version's text encoder. */
export async function getTextEncoder(ctx?: Context): Promise<TextEncoder> {
  return (await activeModels(ctx)).textEncoder();
}

/** The active version's grounding methods. */
export async function getGroundingModels(ctx?: Context): Promise<GroundingModels> {
  return (await activeModels(ctx)).groundingModels();
}

/** The active version's calibration. */
export async function getCalibrator(ctx?: Context): Promise<Calibrator> {
  return (await activeModels(ctx)).calibrator();
}
