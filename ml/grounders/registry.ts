/**
 * The grounding methods by name, as search and evaluation pick them: what is installed in a
 * models folder (relevance scorer, CPL, the baselines) becomes one Grounder per method.
 */
import path from "node:path";
import { ParamStore } from "../core/params";
import { Rng } from "../core/rng";
import { loadCpl, type LoadedCpl } from "../cpl/load";
import { sentenceEmbedderFor } from "../locvtp/encode";
import { loadLocVtp } from "../locvtp/load";
import { loadRelevance } from "../relevance/load";
import { GROUND_METHODS, type GroundMethod, type Grounder, type GroundingModels } from "../types";
import { randomGrounder, slidingWindowGrounder } from "./baselines";
import { boundaryRerankGrounder } from "./boundary-rerank";
import { cplGrounder } from "./cpl";
import { loadVerifier } from "../verifier/load";
import { relevanceRanker } from "./ranker";
import { relevanceGrounder } from "./relevance";

/** The names the search API took before the methods were named for what they are. */
export const LEGACY_GROUND_METHODS: Readonly<Record<string, GroundMethod>> = { vote: "cpl-vote", loss: "cpl-loss" };

/** A method's name, old or new → the method; undefined for anything else. */
export function parseGroundMethod(name: string): GroundMethod | undefined {
  return (GROUND_METHODS as readonly string[]).includes(name) ? (name as GroundMethod) : LEGACY_GROUND_METHODS[name];
}

/** Where a models folder keeps the CPL-format baselines. */
export const BASELINE_DIRS = {
  "single-gaussian": path.join("baselines", "cnm"),
  "upper-bound": path.join("baselines", "supervised"),
} as const;

/**
 * Every grounding method the models folder supports. CPL loads untrained when it has no weights
 * (so search works before any training); the scorer and the baselines only when present.
 */
export async function loadGroundingModels(
  modelsDir: string,
  o: { backboneDir?: string | null } = {},
): Promise<GroundingModels> {
  const [installedRel, cpl, loc, verifier] = await Promise.all([
    loadRelevance(path.join(modelsDir, "relevance")),
    loadCpl(path.join(modelsDir, "cpl"), { modelsDir }),
    loadLocVtp(path.join(modelsDir, "locvtp"), o.backboneDir ? { backboneDir: o.backboneDir } : {}),
    loadVerifier(path.join(modelsDir, "verifier")),
  ]);
  // the scorer reads the low-level slot encoder's inputs: over a frame backbone there are none
  // (the clip encoder stores no relevance features), so CPL answers alone
  const rel = loc.model.cfg.clip.kind === "lowlevel-slots" ? installedRel : null;
  const grounders = new Map<GroundMethod, Grounder>();
  const vote = cplGrounder("cpl-vote", cpl, "vote");
  if (rel) grounders.set("relevance", relevanceGrounder(rel, vote));
  grounders.set("cpl-vote", vote);
  grounders.set("cpl-loss", cplGrounder("cpl-loss", cpl, "loss"));
  for (const [method, dir] of Object.entries(BASELINE_DIRS) as [GroundMethod, string][]) {
    const baseline = await loadTrainedCpl(path.join(modelsDir, dir), modelsDir);
    if (baseline) grounders.set(method, cplGrounder(method, baseline, "vote"));
    if (baseline && rel && method === "upper-bound")
      grounders.set("boundary-rerank", boundaryRerankGrounder(rel, baseline, grounders.get("relevance")!));
  }
  grounders.set("sliding-window", slidingWindowGrounder(sentenceEmbedderFor(loc.model), loc.version));
  grounders.set("random", randomGrounder(new Rng(12345)));
  return {
    // the installed set, as predictions have recorded it: the grounder and the scorer it carries
    version: rel ? `${cpl.version}+${rel.version}` : cpl.version,
    // the best on val where installed (docs/models.md): the upper bound's proposals ranked with
    // the scorer's mass readout, else the scorer's own spans, else CPL (no scorer over a backbone)
    defaultMethod: grounders.has("boundary-rerank") ? "boundary-rerank" : rel ? "relevance" : "cpl-vote",
    methods: [...grounders.keys()],
    grounder(method) {
      const g = grounders.get(method);
      if (!g)
        throw new Error(
          `grounding method "${method}" is not installed (installed: ${[...grounders.keys()].join(", ")})`,
        );
      return g;
    },
    ranker: rel ? relevanceRanker(rel, verifier) : null,
  };
}

/** A CPL-format grounder with weights in dir, or null (a baseline that was not trained). */
export async function loadTrainedCpl(dir: string, modelsDir?: string): Promise<LoadedCpl | null> {
  return ParamStore.exists(dir) ? loadCpl(dir, modelsDir ? { modelsDir } : {}) : null;
}
