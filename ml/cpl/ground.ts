/**
 * Grounding with a CPL model: K Gaussian proposals from one forward pass, ranked by their IoU
 * vote (CPL*, "vote") or by the completion loss of the sentence under each proposal's mask
 * (CPL, "loss"). Spans: start = max(c − w/2, 0)·duration, end = min(c + w/2, 1)·duration.
 */
import * as tf from "@tensorflow/tfjs";
import { scoped } from "../core/nn";
import { resampleClips } from "../core/resample";
import { MISSING_RELEVANCE, hasRelevanceFeatures, tokenEvidence, tokenScores } from "../relevance/scores";
import type { ClipVector, GroundedSpan } from "../types";
import { completionCET, completionTable, type CompletionTable } from "./completion";
import { COMPLETION_CANDIDATES, CPL_HPARAMS } from "./config";
import { gaussianMaskT, iouVote, toSpan, weightedIouVote } from "./geometry";
import { randomWordMask } from "./losses";
import { posMaskWeights } from "./pos";
import { Rng } from "../core/rng";
import { tokenSimilarity, type CplModel } from "./model";

/** How proposals are ranked: IoU vote among them (CPL*), or the lowest completion loss (CPL). */
export type ProposalRanking = "vote" | "loss";

export interface CplGroundOptions {
  method?: ProposalRanking;
  topK?: number;
  /**
   * the similarity channel of the videos, already computed by the caller in similarityInput's
   * layout (a grounder that also needs the scorer's evidence for itself computes it once)
   */
  similarity?: Float32Array;
}

/**
 * The relevance scorer's completion table of a grounder's query words in one video (clips
 * carrying the scorer's features).
 */
export function completionTableOf(model: CplModel, words: string[], clips: ClipVector[]): CompletionTable {
  const rel = model.relevance;
  if (!rel || !model.substitutions)
    throw new Error('completion "relevance" needs the relevance scorer and the substitution index');
  if (rel.cfg.nTokens !== model.cfg.nTokens)
    throw new Error("the scorer and the grounder must resample videos to the same number of tokens");
  const features = clips.map((c) => c.relevance);
  if (!hasRelevanceFeatures(rel, features)) throw new Error(MISSING_RELEVANCE);
  const feats = resampleClips(features, rel.cfg.nTokens, rel.featureDim);
  return completionTable(
    rel,
    model.substitutions,
    words,
    feats,
    model.cfg.maxWords,
    model.cfg.completionCandidates ?? COMPLETION_CANDIDATES,
  );
}

/**
 * Similarity channel of one or more videos ([B·N]) when the grounder uses it, else undefined:
 * the relevance scorer's logits (cfg.simSource "relevance", from the clips' relevance features)
 * or the LocVTP cosine of the resampled tokens.
 */
function similarityInput(
  model: CplModel,
  sentence: string,
  videos: Float32Array[],
  clips: ClipVector[][],
): Float32Array | undefined {
  const { nTokens: N, inDim } = model.cfg;
  if (!model.cfg.simChannel) return undefined;
  const out = new Float32Array(videos.length * N);
  if (model.cfg.simSource === "relevance-evidence") {
    // the evidence has no LocVTP stand-in: clips without the scorer's features cannot be read
    const rel = model.relevance;
    if (!rel) throw new Error("this grounder uses the relevance scorer but none was given");
    return tokenEvidence(
      rel,
      sentence,
      clips.map((v) => v.map((c) => c.relevance)),
    );
  }
  let rest = videos.map((_, b) => b);
  if (model.cfg.simSource === "relevance") {
    const rel = model.relevance;
    if (!rel) throw new Error("this grounder uses the relevance scorer but none was given");
    const features = clips.map((v) => v.map((c) => c.relevance));
    const withFeatures = rest.filter((b) => hasRelevanceFeatures(rel, features[b]));
    if (withFeatures.length) {
      const sc = tokenScores(
        rel,
        sentence,
        withFeatures.map((b) => features[b]),
      );
      withFeatures.forEach((b, i) => out.set(sc.subarray(i * N, (i + 1) * N), b * N));
    }
    // clips stored without relevance features (before a re-embed, or inserted directly): the
    // LocVTP cosine keeps them groundable rather than failing the whole search
    rest = rest.filter((b) => !withFeatures.includes(b));
  }
  if (rest.length === 0) return out;
  if (!model.sentenceEmbedder)
    throw new Error("this grounder uses the LocVTP similarity channel but was given no sentence embedder");
  const q = model.sentenceEmbedder(sentence);
  for (const b of rest) out.set(tokenSimilarity(videos[b], q, N, inDim), b * N);
  return out;
}

/**
 * The K proposals' spans ranked best first, top `topK`: by the completion loss `ce` (CPL), by
 * the head's own scores when it has them (head "boundary"; unscored slots are dropped), else by
 * IoU vote (CPL*).
 */
function rankedSpans(
  cw: number[][],
  ce: number[] | null,
  duration: number,
  topK: number,
  headScores?: number[],
): GroundedSpan[] {
  const props = cw[0].map((c, k) => ({ c, w: cw[1][k] }));
  const spans = props.map((p) => toSpan(p, duration));
  let order: number[];
  let scores: number[];
  if (headScores) {
    order = props
      .map((_, i) => i)
      .filter((i) => Number.isFinite(headScores[i]))
      .sort((a, b) => headScores[b] - headScores[a]);
    scores = headScores;
  } else if (ce) {
    order = props.map((_, i) => i).sort((a, b) => ce[a] - ce[b]);
    scores = ce.map((x) => -x);
  } else {
    const v = iouVote(spans);
    order = v.order;
    scores = v.scores;
  }
  return order.slice(0, topK).map((i) => ({ start: spans[i].start, end: spans[i].end, score: scores[i] }));
}

/** Ground a sentence in one video: proposals, then rank by IoU vote (CPL*) or completion loss (CPL). */
export function groundWithModel(
  model: CplModel,
  sentence: string,
  clips: ClipVector[],
  duration: number,
  opts: CplGroundOptions = {},
): GroundedSpan[] {
  const { nTokens: N, inDim, K, sigma } = model.cfg;
  if (clips.length === 0 || !(duration > 0)) return [];
  const topK = Math.max(1, Math.min(opts.topK ?? 5, K));
  const video = resampleClips(
    clips.map((c) => c.embedding),
    N,
    inDim,
  );
  const enc = model.encode(sentence);
  const { cw, ce, head } = scoped((): { cw: number[][]; ce: number[] | null; head?: number[] } => {
    const p = model.proposals(
      tf.tensor(video, [1, N, inDim]),
      [enc.query],
      similarityInput(model, sentence, [video], [clips]),
    );
    const cw = [p.c.dataSync() as Float32Array, p.w.dataSync() as Float32Array].map((a) => Array.from(a));
    // a boundary head scores its own proposals (it has no reconstructor to rank them by)
    if (p.boundary) return { cw, ce: null, head: Array.from(p.boundary.score.dataSync()) };
    // the weighted vote needs the loss ranking's first proposal
    if (opts.method !== "loss" && model.cfg.vote !== "iou-weighted") return { cw, ce: null };
    // Loss-based: the proposal with the lowest mean completion loss wins.
    const masks = gaussianMaskT(p.c, p.w, N, sigma); // [1, K, N]
    if (model.substitutions) {
      // clips without the scorer's features (embedded by an older model): rank by vote instead
      if (
        !model.relevance ||
        !hasRelevanceFeatures(
          model.relevance,
          clips.map((c) => c.relevance),
        )
      )
        return { cw, ce: null };
      // completion by the scorer: every word judged in one pass (its table does not depend on the masking)
      const t = completionTableOf(model, enc.query.words, clips);
      const C = model.cfg.completionCandidates ?? COMPLETION_CANDIDATES;
      const M = model.cfg.maxWords;
      const which = tf.tensor(
        Float32Array.from({ length: M }, (_, i) => (i < enc.query.words.length ? 1 : 0)),
        [1, M],
      );
      const ceT = completionCET(tf.tensor(t.table, [1, M, C, N]), tf.tensor(t.valid, [1, M, C]), which, masks);
      return { cw, ce: Array.from(ceT.dataSync()) };
    }
    const which = inferenceMasks(model, enc.query.words);
    const R = which.length;
    const ceT = model.reconstructCE(
      tf.tile(p.mem, [R, 1, 1]),
      which.map(() => enc),
      which,
      tf.tile(masks, [R, 1, 1]),
    );
    return { cw, ce: Array.from(tf.mean(ceT, 0).dataSync()) };
  });
  if (opts.method !== "loss" && model.cfg.vote === "iou-weighted" && ce && !head) {
    const spans = cw[0].map((c, k) => toSpan({ c, w: cw[1][k] }, duration));
    const first = ce.indexOf(Math.min(...ce));
    const v = weightedIouVote(spans, first);
    return v.order.slice(0, topK).map((i) => ({ start: spans[i].start, end: spans[i].end, score: v.scores[i] }));
  }
  return rankedSpans(cw, ce, duration, topK, head);
}

/**
 * The masking patterns loss-based grounding reconstructs under: every word once (word i in pass
 * i mod 3), or (cfg.lossMasks "random", the reference) three draws of ⌊n/3⌋ words as in
 * training, part-of-speech weighted, from a stream seeded by the sentence (the same spans every run).
 */
export function inferenceMasks(model: CplModel, words: string[]): boolean[][] {
  const nW = words.length;
  if (model.cfg.lossMasks === "random") {
    let seed = 17;
    for (const ch of words.join(" ")) seed = (seed * 31 + ch.charCodeAt(0)) % 2147483647;
    const rng = new Rng(seed);
    const weights = posMaskWeights(words);
    return Array.from({ length: 3 }, () => randomWordMask(nW, rng, CPL_HPARAMS.maskRatio, weights));
  }
  const R = Math.min(3, nW);
  return Array.from({ length: R }, (_, r) => words.map((_, i) => i % R === r));
}

/**
 * One sentence in several videos. Vote-based grounding runs one batched forward pass (the
 * sentence is encoded once); loss-based grounding runs per video. Results in the order of `videos`.
 */
export function groundManyWithModel(
  model: CplModel,
  sentence: string,
  videos: { clips: ClipVector[]; durationSeconds: number }[],
  opts: CplGroundOptions = {},
): GroundedSpan[][] {
  if (opts.method === "loss" || model.cfg.vote === "iou-weighted")
    return videos.map((v) => groundWithModel(model, sentence, v.clips, v.durationSeconds, opts));
  const { nTokens: N, inDim, K } = model.cfg;
  const topK = Math.max(1, Math.min(opts.topK ?? 5, K));
  const usable = videos.map((v, i) => ({ v, i })).filter(({ v }) => v.clips.length > 0 && v.durationSeconds > 0);
  const out: GroundedSpan[][] = videos.map(() => []);
  if (usable.length === 0) return out;
  const B = usable.length;
  const batch = new Float32Array(B * N * inDim);
  const resampled = usable.map(({ v }) =>
    resampleClips(
      v.clips.map((c) => c.embedding),
      N,
      inDim,
    ),
  );
  resampled.forEach((r, b) => batch.set(r, b * N * inDim));
  const enc = model.encode(sentence);
  const sim =
    opts.similarity ??
    similarityInput(
      model,
      sentence,
      resampled,
      usable.map(({ v }) => v.clips),
    );
  const [c, w, head] = scoped(() => {
    const p = model.proposals(
      tf.tensor(batch, [B, N, inDim]),
      usable.map(() => enc.query),
      sim,
    );
    return [p.c, p.w, ...(p.boundary ? [p.boundary.score] : [])].map((t) => Array.from(t.dataSync()));
  });
  usable.forEach(({ v, i }, b) => {
    if (head) {
      const cw = [c.slice(b * K, (b + 1) * K), w.slice(b * K, (b + 1) * K)];
      out[i] = rankedSpans(cw, null, v.durationSeconds, topK, head.slice(b * K, (b + 1) * K));
      return;
    }
    const spans = Array.from({ length: K }, (_, k) => toSpan({ c: c[b * K + k], w: w[b * K + k] }, v.durationSeconds));
    const vote = iouVote(spans);
    out[i] = vote.order
      .slice(0, topK)
      .map((k) => ({ start: spans[k].start, end: spans[k].end, score: vote.scores[k] }));
  });
  return out;
}
