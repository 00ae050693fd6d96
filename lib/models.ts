/** The trained models, loaded once per process on first use. */
import { initBackend, loadClipEncoder } from "@/ml";
import type { BackendInfo, ClipEncoder } from "@/ml/types";

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
