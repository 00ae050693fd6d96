/**
 * The trained models, by version: each version's models are loaded once per process on first
 * use and kept (a per-version cache keyed by folder and frame featurizer), so a search, an ingestion or an
 * evaluation asks for exactly the version it works with. Which version is active is in the
 * database (model_state); `getClipEncoder(ctx)` and its siblings mean the active one.
 */
import path from "node:path";
import { activeVersion } from "@/db/repositories/model-versions";
import { initBackend, loadCalibrator, loadClipEncoder, loadGroundingModels, loadTextEncoder } from "@/ml";
import type { BackendInfo, Calibrator, ClipEncoder, GroundingModels, TextEncoder } from "@/ml";
import { configuredFeaturizer } from "@/ml/features/featurizer";
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

/**
 * The frame featurizer part of the cache key: the backbone's identity (a hash of its files,
 * re-read only when their sizes or times change), so models loaded over a backbone whose files
 * were replaced in the same folder are loaded again; the folder itself when it cannot be read
 * (loading will say why).
 */
function featurizerKey(backboneDir: string | null | undefined): string {
  try {
    return configuredFeaturizer(backboneDir);
  } catch {
    return `unreadable:${backboneDir ?? ""}`;
  }
}

/** `version`'s models (loaded lazily, cached per folder and featurizer for the life of the process). */
export function modelsOf(config: Pick<Config, "dataDir" | "ml">, version: number): VersionModels {
  const dir = versionDir(config, version);
  const { backboneDir, quiet } = config.ml;
  const key = `${dir}\u0000${featurizerKey(backboneDir)}`;
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
      verifier: models.ranker?.verifier ?? null,
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

/** How many times work that a model switch overtook runs again (then it answers as it is). */
const SWITCH_RETRIES = 2;

/**
 * Runs `work` with the active version's models so that what it reads belongs to one version:
 * the active version is read before and after, and work that a switch overtook (a switch
 * replaces every clip vector and the active version in one transaction, lib/models/activation.ts)
 * runs again with the new version. Search and "more like this" read clip vectors this way.
 */
export async function withOneVersion<T>(ctx: Context, work: (models: VersionModels) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const version = await activeVersion(ctx.db);
    const result = await work(modelsOf(ctx.config, version));
    if ((await activeVersion(ctx.db)) === version || attempt >= SWITCH_RETRIES) return result;
  }
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
