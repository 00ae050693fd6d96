/** The trained models, loaded once per process on first use. */
import { initBackend, loadCalibrator, loadClipEncoder, loadGroundingModels, loadTextEncoder, modelsDir } from "@/ml";
import type { BackendInfo, Calibrator, ClipEncoder, GroundingModels, TextEncoder } from "@/ml";

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

export const getBackend: () => Promise<BackendInfo> = once(() => initBackend());
export const getClipEncoder: () => Promise<ClipEncoder> = once(async () => {
  await getBackend();
  return loadClipEncoder();
});

export const getTextEncoder: () => Promise<TextEncoder> = once(async () => {
  await getBackend();
  return loadTextEncoder();
});

/** Every installed grounding method (lib/search picks one by name). */
export const getGroundingModels: () => Promise<GroundingModels> = once(async () => {
  await getBackend();
  return loadGroundingModels(modelsDir());
});

/**
 * The calibration of the moments' confidence (models/calibration), checked against the models
 * loaded here: fitted for other versions, or absent, it is the uncalibrated stand-in (its
 * `reason` says why; ml/calibration/README.md).
 */
export const getCalibrator: () => Promise<Calibrator> = once(async () => {
  const [models, text] = await Promise.all([getGroundingModels(), getTextEncoder()]);
  const calibrator = loadCalibrator(undefined, { relevance: models.ranker?.version ?? null, locvtp: text.version });
  if (calibrator.reason && !process.env.ML_QUIET)
    console.warn(`[models] moment confidence is uncalibrated: ${calibrator.reason}`);
  return calibrator;
});
