/** The relevance scorer from a models folder (null when the folder has no weights). */
import { initBackend } from "../core/backend";
import { cachedLoader } from "../core/loader";
import { ParamStore } from "../core/params";
import type { RelevanceConfig } from "./config";
import { RelevanceModel } from "./model";

export interface LoadedRelevance {
  model: RelevanceModel;
  version: string;
}

/** The weakly trained relevance scorer in dir, or null when it has no weights; once per folder. */
export const loadRelevance: (dir: string) => Promise<LoadedRelevance | null> = cachedLoader(async (dir) => {
  await initBackend();
  if (!ParamStore.exists(dir)) return null;
  const man = ParamStore.readManifest<RelevanceConfig>(dir);
  const model = new RelevanceModel(man.config, 0);
  model.ps.loadFrom(dir);
  return { model, version: man.version };
});
