/** The span verifier from a models folder, and the logits search asks of it. */
import { initBackend } from "../core/backend";
import { cachedLoader } from "../core/loader";
import { ParamStore } from "../core/params";
import type { Span } from "../types";
import { sentenceAttributes } from "./attributes";
import { POOLS, spanInput } from "./inputs";
import { SpanVerifier, type VerifierConfig } from "./model";

export interface LoadedVerifier {
  model: SpanVerifier;
  version: string;
  /** the relevance scorer whose clip features it reads (it answers only beside that scorer) */
  relevance: string;
}

/** What the manifest's `extra` holds besides the weights. */
export interface VerifierExtra {
  mean: number[];
  std: number[];
  relevance: string;
  [key: string]: unknown;
}

/** The verifier in dir, or null when it has no weights; once per folder. */
export const loadVerifier = cachedLoader<LoadedVerifier | null>(async (dir) => {
  await initBackend();
  if (!ParamStore.exists(dir)) return null;
  const man = ParamStore.readManifest<VerifierConfig>(dir);
  const extra = man.extra as VerifierExtra;
  const model = new SpanVerifier(man.config, 0);
  model.ps.loadFrom(dir);
  model.mean = Float32Array.from(extra.mean);
  model.std = Float32Array.from(extra.std);
  return { model, version: man.version, relevance: extra.relevance };
});

/** One video's spans to verify, with its clips' features (null: the video has none). */
export interface VerifyInput {
  features: Float32Array[] | null;
  clipSeconds: number;
  spans: readonly Span[];
}

/**
 * The verifier's logit for each span of each video (one batched pass), or null for a video
 * without features and for every video when the sentence is outside the grammar.
 */
export function verifySpans(
  model: SpanVerifier,
  sentence: string,
  videos: readonly VerifyInput[],
): (number[] | null)[] {
  const attributes = sentenceAttributes(sentence);
  if (!attributes) return videos.map(() => null);
  // features of another width (another scorer's) say nothing to this verifier
  const usable = (v: VerifyInput) => !!v.features?.length && POOLS * v.features[0].length === model.cfg.inputDim;
  const rows: Float32Array[] = [];
  for (const v of videos)
    if (usable(v)) for (const s of v.spans) rows.push(spanInput(v.features!, v.clipSeconds, s.start, s.end));
  const logits = model.logits(
    rows,
    rows.map(() => attributes),
  );
  let k = 0;
  return videos.map((v) => (usable(v) ? v.spans.map(() => logits[k++]) : null));
}
