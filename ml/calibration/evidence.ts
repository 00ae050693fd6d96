/**
 * The evidence search has at hand for one grounded span (lib/search/ground.ts), and the
 * features the calibrator reads from it. Pure functions.
 */
/**
 * What is known about one candidate moment when it is grounded: the relevance scorer's video
 * score, the scores of the other videos grounded for the same query (the pool), the span's own
 * score from the grounder and its mean query–clip cosine.
 */
export interface MomentEvidence {
  /** the query as typed */
  sentence: string;
  /** the relevance scorer's video score for the sentence (Grounding.videoScore / VideoRanker.score); null without a scorer */
  videoScore: number | null;
  /** the pool of videos grounded for the query, this one included (poolEvidence); size 1 inside one video */
  pool: PoolEvidence;
  /** GroundedSpan.score: the mass readout's value for the grounder's first span, the peak token logit for the others */
  spanScore: number;
  /** the span's place in its video's list: 0 = the grounder's first span */
  spanRank: number;
  /** mean query–clip cosine (LocVTP) over the clips the span covers (VectorMoment.similarity) */
  similarity: number;
  /** seconds */
  start: number;
  end: number;
  /** seconds the video's clips cover */
  duration: number;
  /**
   * the query against its one-word edits (ml/relevance/contrast.ts): in the span (mean token
   * logit minus the best edit's) and in the whole video (video score minus the best edit's);
   * null or absent when the query has no edits or there is no scorer
   */
  editMargin?: number | null;
  videoEditMargin?: number | null;
  /** the span verifier's logit for the span (VideoRanker.verify); null or absent when it says nothing */
  verifierLogit?: number | null;
  /**
   * the verifier's logit above the best one-word edit's on the span (VerifiedSpan.editMargin);
   * null or absent: not asked (a video past the contrasted ones), no edit of its grammar, or a
   * silent verifier
   */
  verifierEditMargin?: number | null;
}

/** The video scores of the grounded pool, summarised. */
export interface PoolEvidence {
  /** videos with a score */
  size: number;
  /** median and maximum of their scores (null when no video has one) */
  median: number | null;
  max: number | null;
  /** log Σ exp(score): the scorer is trained with a softmax over videos */
  logSumExp: number | null;
}

/** The pool summary of a query's grounded videos' scores (nulls are videos without a score). */
export function poolEvidence(scores: readonly (number | null)[]): PoolEvidence {
  const xs = scores.filter((s): s is number => s !== null && Number.isFinite(s)).sort((a, b) => a - b);
  if (xs.length === 0) return { size: 0, median: null, max: null, logSumExp: null };
  const n = xs.length;
  const median = n % 2 ? xs[(n - 1) / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  const max = xs[n - 1];
  let s = 0;
  for (const x of xs) s += Math.exp(x - max);
  return { size: n, median, max, logSumExp: max + Math.log(s) };
}

/** What features may read beyond the evidence: the words the models were trained on. */
export interface FeatureContext {
  /** lower-case words of the training sentences; empty = unknown (unknownWords is then 0) */
  vocabulary: ReadonlySet<string>;
}

/** The words of a sentence, lower-cased (letters, digits and apostrophes). */
export function words(sentence: string): string[] {
  return sentence.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}

/** Share of the sentence's words the models never saw in training (1 for a sentence with no words). */
export function unknownShare(sentence: string, vocabulary: ReadonlySet<string>): number {
  if (vocabulary.size === 0) return 0;
  const ws = words(sentence);
  return ws.length ? ws.filter((w) => !vocabulary.has(w)).length / ws.length : 1;
}

type Feature = (e: MomentEvidence, ctx: FeatureContext) => number;

/**
 * The features a calibrator may use, by name. Each is a number for any evidence (a missing
 * video score or a pool of one gives the feature's neutral value 0).
 */
export const FEATURES = {
  /** the relevance video score itself */
  videoScore: (e) => e.videoScore ?? 0,
  /** the video score above the pool's median (0 in a pool of one) */
  margin: (e) =>
    e.videoScore !== null && e.pool.median !== null && e.pool.size > 1 ? e.videoScore - e.pool.median : 0,
  /** the video score below the pool's best (0 for the best video and in a pool of one) */
  gapToBest: (e) => (e.videoScore !== null && e.pool.max !== null && e.pool.size > 1 ? e.videoScore - e.pool.max : 0),
  /** log of the video's softmax share of the pool (0 in a pool of one) */
  logShare: (e) =>
    e.videoScore !== null && e.pool.logSumExp !== null && e.pool.size > 1 ? e.videoScore - e.pool.logSumExp : 0,
  /** log of the number of videos in the pool (1 → 0) */
  logPoolSize: (e) => Math.log(Math.max(e.pool.size, 1)),
  /** 1 for the grounder's first span of the video */
  first: (e) => (e.spanRank === 0 ? 1 : 0),
  /** the first span's score (its softmax mass minus its length price); 0 for the others */
  firstScore: (e) => (e.spanRank === 0 ? e.spanScore : 0),
  /** an alternative span's score (its peak token logit) above the video score; 0 for the first span */
  altPeak: (e) => (e.spanRank > 0 && e.videoScore !== null ? e.spanScore - e.videoScore : 0),
  /** the span's mean LocVTP query–clip cosine */
  similarity: (e) => e.similarity,
  /** the span's length as a fraction of the video */
  width: (e) => (e.duration > 0 ? Math.max(0, e.end - e.start) / e.duration : 0),
  /** log of the span's length in seconds */
  logSeconds: (e) => Math.log(Math.max(e.end - e.start, 0.1)),
  /** share of the query's words outside the training vocabulary (unknownShare) */
  unknownWords: (e, ctx) => unknownShare(e.sentence, ctx.vocabulary),
  /** 1 when the query has one-word edits to contrast with (a sentence of the models' grammar) */
  hasEdits: (e) => (e.editMargin !== undefined && e.editMargin !== null ? 1 : 0),
  /** the span's mean token logit above the best one-word edit's (0 without edits) */
  editMargin: (e) => e.editMargin ?? 0,
  /** the video score above the best one-word edit's (0 without edits) */
  videoEditMargin: (e) => e.videoEditMargin ?? 0,
  /** 1 when the span verifier read the span (an installed verifier, a sentence of its grammar) */
  hasVerifier: (e) => (e.verifierLogit !== undefined && e.verifierLogit !== null ? 1 : 0),
  /** the span verifier's logit (0 when it says nothing) */
  verifierLogit: (e) => e.verifierLogit ?? 0,
  /** 1 when the verifier also read the sentence's one-word edits on the span */
  hasVerifierEdits: (e) => (e.verifierEditMargin !== undefined && e.verifierEditMargin !== null ? 1 : 0),
  /** the verifier's logit above the best one-word edit's (0 when not asked) */
  verifierEditMargin: (e) => e.verifierEditMargin ?? 0,
} satisfies Record<string, Feature>;

export type FeatureName = keyof typeof FEATURES;
export const FEATURE_NAMES = Object.keys(FEATURES) as FeatureName[];

export function isFeatureName(name: string): name is FeatureName {
  return Object.prototype.hasOwnProperty.call(FEATURES, name);
}

const NO_CONTEXT: FeatureContext = { vocabulary: new Set() };

/** The named features of one piece of evidence, in the order given. */
export function featureVector(
  e: MomentEvidence,
  names: readonly FeatureName[],
  ctx: FeatureContext = NO_CONTEXT,
): number[] {
  return names.map((n) => FEATURES[n](e, ctx));
}

/**
 * Mean query·clip similarity over the clips overlapping [start, end) (seconds): the same
 * computation as lib/search/fusion.ts's spanSimilarity (a unit test there holds them equal).
 */
export function meanClipSimilarity(
  query: ArrayLike<number>,
  clips: ArrayLike<number>[],
  clipSeconds: number,
  start: number,
  end: number,
): number {
  if (clips.length === 0) return 0;
  const first = Math.max(0, Math.min(clips.length - 1, Math.floor(start / clipSeconds)));
  const last = Math.max(first, Math.min(clips.length - 1, Math.ceil(end / clipSeconds) - 1));
  let s = 0;
  for (let i = first; i <= last; i++) s += dot(query, clips[i]);
  return s / (last - first + 1);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
