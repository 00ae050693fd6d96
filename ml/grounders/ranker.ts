/** Video ranking by the relevance scorer: the full ensemble, and one member as a cheap first pass. */
import type { LoadedRelevance } from "../relevance/load";
import { editContrast } from "../relevance/contrast";
import { videoScores } from "../relevance/scores";
import type { LoadedVerifier } from "../verifier/load";
import { verifierClipFeatures } from "../verifier/inputs";
import { verifySpans } from "../verifier/load";
import { sentenceAttributes } from "../verifier/attributes";
import type { VideoRanker } from "../types";

/**
 * The scorer as a ranker; with the span verifier when one is installed for this scorer (it reads
 * the scorer's clip features, so a verifier trained beside another scorer stays silent).
 */
export function relevanceRanker(rel: LoadedRelevance, verifier: LoadedVerifier | null = null): VideoRanker {
  const first = rel.model.member(0);
  const spanVerifier = verifier && verifier.relevance === rel.version ? verifier.model : null;
  return {
    version: rel.version,
    score: (sentence, videos) =>
      videoScores(
        rel.model,
        sentence,
        videos.map((clips) => clips.map((c) => c.relevance)),
      ),
    firstPassDims: first.featureDim,
    firstPass: (sentence, prefixes) => videoScores(first, sentence, prefixes),
    contrast: (sentence, videos) =>
      editContrast(
        rel.model,
        sentence,
        videos.map((v) => ({ features: v.clips.map((c) => c.relevance), duration: v.duration, spans: v.spans })),
      ),
    verify: (sentence, videos) =>
      spanVerifier
        ? verifySpans(
            spanVerifier,
            sentence,
            videos.map((v) => ({
              features: verifierClipFeatures(v.clips, !!spanVerifier.cfg.slots),
              clipSeconds: v.clipSeconds,
              spans: v.spans,
              contrast: v.contrast,
            })),
          )
        : videos.map(() => null),
    readsSlots: (sentence) => !!spanVerifier?.cfg.slots && sentenceAttributes(sentence) !== null,
    verifier: spanVerifier ? verifier!.version : null,
  };
}
