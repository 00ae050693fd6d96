/**
 * The contract between the app and ml/. The ingestion worker and the search service
 * depend only on these types; ml/ implements them.
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

export interface ClipEncoder {
  /** e.g. "locvtp-shapes-1" — reported by /api/health, stored with each video */
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
   * The two halves of encodeClips, for streaming a long video: per-clip low-level features
   * (small: ~5 KB a clip) batch by batch, then the embeddings of the whole video at once,
   * because a clip's embedding also looks at its neighbours (cfg.clip.contextClips).
   */
  featurizeClips(frames: Uint8Array, nClips: number): Float32Array;
  embedClips(feats: Float32Array, nClips: number): Float32Array[];
  /**
   * Per-clip grounding features the grounder reads besides the embeddings (the relevance
   * scorer's clip tower), or null when no such model is installed. Stored with each clip.
   */
  groundingFeatures(feats: Float32Array, nClips: number): Float32Array[] | null;
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
 * How a grounder picks its spans: "vote" (CPL*: IoU vote among the Gaussian proposals),
 * "loss" (CPL: lowest reconstruction loss), "relevance" (spans read off the relevance
 * scorer's per-clip scores; only grounders with a scorer).
 */
export type GroundMethod = "vote" | "loss" | "relevance";

export interface Grounder {
  readonly version: string;
  /** the method used when a caller names none: the most accurate this grounder has */
  readonly defaultMethod: GroundMethod;
  /**
   * Ground a sentence inside one video given its clip embeddings (in time order).
   * Returns up to topK spans, best first.
   */
  ground(
    sentence: string,
    clips: Float32Array[],
    durationSeconds: number,
    opts?: { method?: GroundMethod; topK?: number },
  ): Promise<GroundedSpan[]>;
  /**
   * The same for several videos at once: one forward pass for all of them (vote), which
   * is how search grounds its candidates. Results are in the order of `videos`.
   */
  groundMany(
    sentence: string,
    videos: { clips: Float32Array[]; durationSeconds: number }[],
    opts?: { method?: GroundMethod; topK?: number },
  ): Promise<GroundedSpan[][]>;
  /**
   * How strongly each video contains the sentence (comparable across videos; higher = more),
   * from the relevance scorer the grounder reads, or null per video whose clips lack its
   * features (and for every video when the grounder has no scorer).
   */
  videoRelevance(sentence: string, videos: Float32Array[][]): Promise<(number | null)[]>;
  /**
   * A cheap first pass for ranking many videos: one member of the relevance ensemble. It reads
   * the first `preRankDims` values of each clip's grounding features (0: no such pass), given
   * alone, and scores like videoRelevance (null for a video without them).
   */
  readonly preRankDims: number;
  preRank(sentence: string, videos: Float32Array[][]): Promise<(number | null)[]>;
}

export interface BackendInfo {
  /** the tfjs backend actually in use: "tensorflow" | "wasm" | "cpu" */
  name: string;
  /** which candidates were tried and why each was skipped */
  tried: { name: string; ok: boolean; reason?: string }[];
}
