/** The trained models, loaded once per process on first use, as lib/config.ts configures them. */
import path from "node:path";
import { initBackend, loadCalibrator, loadClipEncoder, loadGroundingModels, loadTextEncoder } from "@/ml";
import type { BackendInfo, Calibrator, ClipEncoder, GroundingModels, TextEncoder } from "@/ml";
import { loadConfig, type MlSettings } from "./config";

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
export const getClipEncoder: () => Promise<ClipEncoder> = once(async () => {
  await getBackend();
  const { modelsDir, backboneDir } = settings();
  return loadClipEncoder(path.join(modelsDir, "locvtp"), { backboneDir });
});

export const getTextEncoder: () => Promise<TextEncoder> = once(async () => {
  await getBackend();
  const { modelsDir, backboneDir } = settings();
  return loadTextEncoder(path.join(modelsDir, "locvtp"), { backboneDir });
});

/** Every installed grounding method (lib/search picks one by name). */
export const getGroundingModels: () => Promise<GroundingModels> = once(async () => {
  await getBackend();
  const { modelsDir, backboneDir } = settings();
  return loadGroundingModels(modelsDir, { backboneDir });
});

/**
 * The calibration of the moments' confidence (models/calibration), checked against the models
 * loaded here: fitted for other versions, or absent, it is the uncalibrated stand-in (its
 * `reason` says why; ml/calibration/README.md).
 */
export const getCalibrator: () => Promise<Calibrator> = once(async () => {
  const [models, text] = await Promise.all([getGroundingModels(), getTextEncoder()]);
  const { modelsDir, quiet } = settings();
  const calibrator = loadCalibrator(path.join(modelsDir, "calibration"), {
    relevance: models.ranker?.version ?? null,
    locvtp: text.version,
  });
  if (calibrator.reason && !quiet) console.warn(`[models] moment confidence is uncalibrated: ${calibrator.reason}`);
  return calibrator;
});
