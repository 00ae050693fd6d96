/** The trained models, loaded once per process on first use. */
import { initBackend, loadClipEncoder, loadGroundingModels, loadTextEncoder, modelsDir } from "@/ml";
import type { BackendInfo, ClipEncoder, GroundingModels, TextEncoder } from "@/ml";

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
