/**
 * A CPL-format grounder from a models folder (CPL, or a baseline trained by the same code), with
 * the models it reads built in: the LocVTP text encoder for its similarity channel, the relevance
 * scorer when its channel or its completion come from the scorer. Without weights, the seeded
 * untrained grounder.
 */
import path from "node:path";
import { defaultModelsDir } from "../config";
import { initBackend } from "../core/backend";
import { cachedLoader } from "../core/loader";
import { ParamStore } from "../core/params";
import { sentenceEmbedderFor } from "../locvtp/encode";
import { loadLocVtp } from "../locvtp/load";
import { loadRelevance } from "../relevance/load";
import { substitutionIndexFromJson, type SubstitutionIndexJson } from "./completion";
import { CPL_UNTRAINED_VERSION, DEFAULT_CPL_CONFIG, readsScorer, type CplConfig } from "./config";
import { CplModel } from "./model";
import { SHAPES_VOCAB } from "./vocab";

export interface LoadedCpl {
  model: CplModel;
  /** the manifest's version (CPL_UNTRAINED_VERSION without weights) */
  version: string;
  /** false: the seeded untrained grounder */
  trained: boolean;
}

export interface CplLoadOptions {
  /** where the models a grounder reads come from when its own folder has no siblings (default: ./models) */
  modelsDir: string;
}

/**
 * A model a grounder's inputs come from (`locvtp`, `relevance`): the folder of that name beside
 * the grounder's (a self-contained models folder), else the app's models/<name>.
 */
function siblingDir(cplDir: string, name: string, modelsDir: string): string {
  const sibling = path.join(path.dirname(path.resolve(cplDir)), name);
  return ParamStore.exists(sibling) ? sibling : path.join(modelsDir, name);
}

/** The grounder in dir, once per folder. */
export const loadCpl = cachedLoader<LoadedCpl, CplLoadOptions>(async (dir, o) => {
  await initBackend();
  const modelsDir = o.modelsDir ?? defaultModelsDir();
  const trained = ParamStore.exists(dir);
  const man = trained ? ParamStore.readManifest<CplConfig>(dir) : null;
  const cfg = man?.config ?? DEFAULT_CPL_CONFIG;
  const extra = (man?.extra ?? {}) as { vocab?: string[]; substitutions?: SubstitutionIndexJson };
  const needsScorer = readsScorer(cfg);
  const rel = needsScorer ? await loadRelevance(siblingDir(dir, "relevance", modelsDir)) : null;
  if (needsScorer && !rel) throw new Error(`the grounder in ${dir} needs the relevance scorer (models/relevance)`);
  if (cfg.completion === "relevance" && !extra.substitutions)
    throw new Error(
      `the grounder in ${dir} completes with the relevance scorer but its manifest has no substitution index`,
    );
  const model = new CplModel(cfg, 0, extra.vocab ?? SHAPES_VOCAB, {
    sentenceEmbedder: cfg.simChannel
      ? sentenceEmbedderFor((await loadLocVtp(siblingDir(dir, "locvtp", modelsDir))).model)
      : null,
    relevance: rel?.model ?? null,
    substitutions:
      cfg.completion === "relevance" && extra.substitutions ? substitutionIndexFromJson(extra.substitutions) : null,
  });
  if (trained) model.ps.loadFrom(dir);
  return { model, version: man?.version ?? CPL_UNTRAINED_VERSION, trained };
});
