/** The trained models, loaded once per process on first use, as lib/config.ts configures them. */
import path from "node:path";
import { initBackend, loadClipEncoder, loadGroundingModels, loadTextEncoder } from "@/ml";
import type { BackendInfo, ClipEncoder, GroundingModels, TextEncoder } from "@/ml";
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
