/**
 * The contract between the app and ml/. The ingestion worker and the search service depend only
 * on these types; ml/ implements them (ml/index.ts).
 */

/** How the worker must sample a video for the clip encoder. */
export interface ClipSpec {
  /** frames per second sampled from the video (ffmpeg `fps` filter) */
  fps: number;
  /** frame size fed to the encoder (ffmpeg scales to exactly this, rgb24) */
  width: number;
  height: number;
  /** consecutive sampled frames that make one clip; clip length = framesPerClip / fps seconds */
  framesPerClip: number;
}

/**
 * What is stored per clip (db: clips.embedding, clips.relevance) and what grounders read: the
 * LocVTP clip embedding, and the relevance scorer's per-clip features when a scorer was
 * installed at ingestion.
 */
export interface ClipVector {
  /** l2-normalised LocVTP clip embedding (the HNSW-indexed vector) */
  embedding: Float32Array;
  /** the relevance scorer's clip features, `hidden` values per ensemble member; absent for clips embedded without a scorer */
  relevance?: Float32Array;
  /** the clip's own object-slot statistics (ml/encoders.ts objectSlotStatistics); absent without a scorer */
  slots?: Float32Array;
}

export interface ClipEncoder {
  /** e.g. "locvtp-slots-ctx2-ll3-shapes-s1+relevance-mil-x5-…" — reported by /api/health, stored with each video */
  readonly version: string;
  /** embedding dimension D (the pgvector column is vector(D)) */
  readonly dim: number;
  readonly spec: ClipSpec;
  /**
   * frames: rgb24 bytes of nClips * spec.framesPerClip frames of spec.width x spec.height,
   * in time order. Returns nClips l2-normalised embeddings of length `dim`.
   */
  encodeClips(frames: Uint8Array, nClips: number): Promise<Float32Array[]>;
  /**
   * The first half of encoding, for streaming a long video: per-clip low-level features (small:
   * ~5 KB a clip), batch by batch. The vectors come from the whole video at once (clipVectors),
   * because a clip's embedding also looks at its neighbours (temporal context).
   */
  featurizeClips(frames: Uint8Array, nClips: number): Float32Array;
  /** Only the embeddings of featurized clips. */
  embedClips(feats: Float32Array, nClips: number): Float32Array[];
  /** What is stored per clip: its embedding, and its relevance features when a scorer is installed. */
  clipVectors(feats: Float32Array, nClips: number): ClipVector[];
}

export interface TextEncoder {
  readonly version: string;
  readonly dim: number;
  /** l2-normalised sentence embedding in the same space as the clip embeddings */
  encodeSentence(text: string): Promise<Float32Array>;
}

export interface GroundedSpan {
  /** seconds */
  start: number;
  end: number;
  score: number;
}

/**
 * The grounding methods, by what they are (ml/grounders/registry.ts):
 * - "relevance": spans read off the relevance scorer's per-token scores;
 * - "boundary-rerank": the upper bound's proposals ranked with the scorer's readout in the best
 *   videos of a call, the scorer's own spans in the rest (the app's default where both are installed);
 * - "cpl-vote" / "cpl-loss": CPL's Gaussian proposals ranked by IoU vote (CPL*) or by
 *   completion loss (CPL);
 * - baselines: "single-gaussian" (CNM-style, one learnable Gaussian), "upper-bound" (CPL's
 *   grounder trained with timestamps), "sliding-window" (LocVTP similarity, zero-shot) and
 *   "random".
 */
export const GROUND_METHODS = [
  "relevance",
  "boundary-rerank",
  "cpl-vote",
  "cpl-loss",
  "single-gaussian",
  "upper-bound",
  "sliding-window",
  "random",
] as const;
export type GroundMethod = (typeof GROUND_METHODS)[number];

/** One video to ground in: its clips in time order and its length. */
export interface GroundingInput {
  clips: ClipVector[];
  durationSeconds: number;
}

/** A grounder's answer for one video. */
export interface Grounding {
  /** up to topK spans, best first ([] when the video has no clips) */
  spans: GroundedSpan[];
  /**
   * How strongly the video contains the sentence, comparable across videos, when the method
   * computes it on the way (the relevance scorer's video score); else null.
   */
  videoScore: number | null;
}

/** One grounding method. */
export interface Grounder {
  readonly method: GroundMethod;
  /** the version of the model(s) behind it */
  readonly version: string;
  /** One sentence in several videos (batched where the method allows); results in the order of `videos`. */
  ground(sentence: string, videos: GroundingInput[], opts?: { topK?: number }): Grounding[];
}

/**
 * Ranks videos for a sentence with the relevance scorer (its video score: higher = more
 * likely to contain it), from the clips' relevance features; null for a video without them.
 */
export interface VideoRanker {
  readonly version: string;
  score(sentence: string, videos: ClipVector[][]): (number | null)[];
  /**
   * A cheap first pass over many videos: one member of the scorer's ensemble, reading the first
   * `firstPassDims` values of each clip's relevance features (what the repository fetches).
   */
  readonly firstPassDims: number;
  firstPass(sentence: string, relevancePrefixes: Float32Array[][]): (number | null)[];
  /**
   * How much better the sentence fits each video, and each given span, than its one-word edits
   * do (ml/relevance/contrast.ts): evidence for the moments' confidence.
   */
  contrast(sentence: string, videos: { clips: ClipVector[]; duration: number; spans: Span[] }[]): EditContrast[];
  /**
   * The span verifier's logit for each span of each video (ml/verifier): does the span show what
   * the sentence says? For a video with `contrast`, also how much better than its one-word edits. Null for a video where it has nothing to say: no verifier installed for
   * this scorer's clip features, a sentence outside its grammar, a video without those features.
   */
  verify(
    sentence: string,
    videos: { clips: ClipVector[]; clipSeconds: number; spans: Span[]; contrast?: boolean }[],
  ): (VerifiedSpan[] | null)[];
  /** whether `verify` reads the clips' object-slot statistics for this sentence (so they must be fetched) */
  readsSlots(sentence: string): boolean;
  /** the span verifier that answers `verify` (its version), or null when none does */
  readonly verifier: string | null;
}

/** What the span verifier says of one span. */
export interface VerifiedSpan {
  logit: number;
  /** the logit above the best one-word edit's on the same span (null: not asked, or no edits) */
  editMargin: number | null;
}

/** A span in seconds. */
export interface Span {
  start: number;
  end: number;
}

/** A query's contrast with its one-word edits in one video (ml/relevance/contrast.ts). */
export interface EditContrast {
  /** the query's video score minus the best edit's (null: no edits, or no scorer features) */
  video: number | null;
  /** per span: the query's mean token logit over the span minus the best edit's mean there */
  spans: (number | null)[];
}

/** The grounding methods installed, as search and evaluation use them. */
export interface GroundingModels {
  /** the installed grounding models (stored with each prediction) */
  readonly version: string;
  /** the method used when a caller names none: the most accurate installed */
  readonly defaultMethod: GroundMethod;
  /** the methods that can be asked for */
  readonly methods: readonly GroundMethod[];
  grounder(method: GroundMethod): Grounder;
  /** null without a relevance scorer */
  readonly ranker: VideoRanker | null;
}

export interface BackendInfo {
  /** the tfjs backend actually in use: "tensorflow" | "wasm" | "cpu" */
  name: string;
  /**
   * the candidate that provides it: "tfjs-node-gpu" (TensorFlow on the GPU), "tfjs-node"
   * (TensorFlow on the CPU), "wasm" or "cpu" — "tensorflow" alone does not say whether a GPU is used
   */
  candidate: string;
  /** why this one: an override put it first, or it is the first of the order that initialised */
  why: string;
  /** which candidates were tried and why each was skipped */
  tried: { name: string; ok: boolean; reason?: string }[];
}
