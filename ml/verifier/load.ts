/** The span verifier from a models folder, and the logits search asks of it. */
import { initBackend } from "../core/backend";
import { cachedLoader } from "../core/loader";
import { ParamStore } from "../core/params";
import { editSentences } from "../relevance/hard-negatives";
import type { Span, VerifiedSpan } from "../types";
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
  /** also contrast each span with the sentence's one-word edits (VerifiedSpan.editMargin) */
  contrast?: boolean;
}

/**
 * The verifier's logit for each span of each video (one batched pass), or null for a video
 * without features and for every video when the sentence is outside the grammar. For a video
 * asked to contrast, each span's logit minus the best of the one-word edits' logits there
 * (`edits`: the edit sentences, by default hard-negatives.ts's editSentences; those outside the
 * grammar are skipped).
 */
export function verifySpans(
  model: SpanVerifier,
  sentence: string,
  videos: readonly VerifyInput[],
  edits?: readonly string[],
): (VerifiedSpan[] | null)[] {
  const attributes = sentenceAttributes(sentence);
  if (!attributes) return videos.map(() => null);
  // features of another width (another scorer's) say nothing to this verifier
  const usable = (v: VerifyInput) => !!v.features?.length && POOLS * v.features[0].length === model.cfg.inputDim;
  const rows: Float32Array[] = [];
  const contrastRows: Float32Array[] = [];
  for (const v of videos)
    if (usable(v))
      for (const s of v.spans) {
        const row = spanInput(v.features!, v.clipSeconds, s.start, s.end);
        rows.push(row);
        if (v.contrast) contrastRows.push(row);
      }
  // the edits are phrased only when some video is contrasted (search's usual fit asks for none)
  const editAttributes = contrastRows.length
    ? (edits ?? editSentences(sentence)).map(sentenceAttributes).filter((a): a is Float32Array => a !== null)
    : [];
  // the sentence on every span, then each edit on the contrasted spans, in one pass
  const logits = model.logits(
    [...rows, ...editAttributes.flatMap(() => contrastRows)],
    [...rows.map(() => attributes), ...editAttributes.flatMap((a) => contrastRows.map(() => a))],
  );
  let k = 0;
  let c = 0;
  return videos.map((v) => {
    if (!usable(v)) return null;
    return v.spans.map(() => {
      const logit = logits[k++];
      if (!v.contrast || editAttributes.length === 0) return { logit, editMargin: null };
      let best = -Infinity;
      for (let e = 0; e < editAttributes.length; e++)
        best = Math.max(best, logits[rows.length + e * contrastRows.length + c]);
      c++;
      return { logit, editMargin: logit - best };
    });
  });
}
