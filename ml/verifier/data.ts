/** A rendered Shapes split as the verifier trains on it: each video's clip features and scenario. */
import { readScenarios } from "../calibration/collect";
import { CLIP_SPEC } from "../config";
import { loadCorpus, type LoadCorpusOptions } from "../data/corpus";
import { clipVectors } from "../encoders";
import type { LocVtpModel } from "../locvtp/model";
import type { RelevanceModel } from "../relevance/model";
import type { ClipVector } from "../types";
import { verifierClipFeatures } from "./inputs";
import type { VerifierVideo } from "./train";

/**
 * The videos of a Shapes split folder with the per-clip features the verifier reads: by default
 * the scorer's clip features, with `slots` the clips' object-slot statistics after them (what
 * search stores); `clipInputs` picks others (a probe's choice).
 */
export async function verifierVideos(
  dir: string,
  models: { locvtp: LocVtpModel; relevance: RelevanceModel },
  o: LoadCorpusOptions & { clipInputs?: (c: ClipVector) => Float32Array; slots?: boolean } = {},
): Promise<VerifierVideo[]> {
  const scenarios = readScenarios(dir);
  if (!scenarios) throw new Error(`${dir} has no scenarios.json: the verifier's labels come from the Shapes scenarios`);
  const corpus = await loadCorpus(dir, o);
  return corpus.videos.map((v) => {
    const vectors = clipVectors(models.locvtp, models.relevance, v.feats, v.nClips);
    return {
      id: v.id,
      clips: o.clipInputs ? vectors.map(o.clipInputs) : verifierClipFeatures(vectors, !!o.slots)!,
      clipSeconds: CLIP_SPEC.framesPerClip / CLIP_SPEC.fps,
      duration: v.duration,
      scenario: scenarios.get(v.id)!,
    };
  });
}
