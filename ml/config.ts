/**
 * Every constant the models, the trainer and the app must agree on. Changing anything
 * here that affects a stored embedding (spec, dims, low-level features) requires bumping
 * CLIP_FEATURE_VERSION so the worker knows old vectors are stale.
 */
import path from "node:path";
import type { ClipSpec } from "./types";

/** pgvector column is vector(128): the clip and sentence embedding dimension. */
export const EMBEDDING_DIM = 128;

/**
 * 4 fps, 4 frames per clip = one 1-second clip. 96x72 keeps small objects of 160x120
 * sources several pixels wide while staying cheap to decode and featurise.
 */
export const CLIP_SPEC: ClipSpec = { fps: 4, width: 96, height: 72, framesPerClip: 4 };

/** Version of the fixed (non-learned) low-level frame features; part of model versions. */
export const LOWLEVEL_VERSION = "ll3";

/** Where trained weights live: `models/<name>/`, overridable with MODELS_DIR. */
export function modelsDir(): string {
  return process.env.MODELS_DIR ? path.resolve(process.env.MODELS_DIR) : path.resolve(process.cwd(), "models");
}

/**
 * Video-encoder architecture. `kind: "lowlevel-mlp"` is the built-in encoder (fixed
 * colour-segmented features + learned temporal MLP). A bigger pre-trained backbone can be
 * plugged in by pointing LOCVTP_BACKBONE_DIR at a folder with a tfjs graph/layers model
 * (model.json) whose input is [nFrames, H, W, 3] float in [0,1] and output [nFrames, F];
 * the learned temporal head then runs on its per-frame output (see ml/models/clipEncoder.ts).
 */
export interface ClipEncoderConfig {
  kind: "lowlevel-mlp" | "lowlevel-slots" | "backbone";
  /** per-frame input features (low-level stage or backbone output) */
  frameDim: number;
  /** per-frame learned projection width */
  frameHidden: number;
  /** temporal MLP width */
  temporalHidden: number;
  outDim: number;
  backboneDir?: string;
  /**
   * lowlevel-slots only: the encoder also reads this many clips either side of each clip
   * (statistics over the whole window). Events here last 1–20 s; motion and growth are
   * barely visible within one 1 s clip. 0/missing = the clip alone.
   */
  contextClips?: number;
}

export interface TextEncoderConfig {
  /** hashed char n-gram buckets; unseen words still hash somewhere (never crash) */
  buckets: number;
  maxWords: number;
  hidden: number;
  outDim: number;
}

/** CPL grounder sizes: deliberately small (see docs/models.md for the FLOP budget). */
export interface CplConfig {
  /** clip sequence resampled to this many tokens (relative time is what matters) */
  nTokens: number;
  inDim: number;
  hidden: number;
  heads: number;
  encLayers: number;
  decLayers: number;
  recLayers: number;
  ffn: number;
  /** number of Gaussian proposals */
  K: number;
  sigma: number;
  maxWords: number;
  buckets: number;
  /**
   * How h_cls becomes K (centre, width) pairs. "fc": FC + sigmoid straight to numbers (the
   * paper). "pointer": an FC maps h_cls to K pointer vectors; each gives a softmax over the
   * video tokens whose mean position is the centre and whose spread (√12·std, exact for a
   * uniform span) is the width. Same outputs in [0,1], but relevance is scored per token,
   * which the regression head failed to learn at this scale (docs/models.md § Diagnostics).
   * Missing in old manifests = "fc".
   */
  head?: "fc" | "pointer";
  /** kernel of a residual temporal convolution over the video tokens (0/missing = none) */
  temporalKernel?: number;
  /**
   * Give each video token two more input channels: the LocVTP cosine between its clip
   * embedding and the query's sentence embedding, raw and standardised over the video. The
   * grounder then starts from the pre-trained cross-modal alignment instead of re-learning
   * it from scratch through cross-attention. Needs the LocVTP text encoder at inference.
   */
  simChannel?: boolean;
  /**
   * What fills the similarity channel: the LocVTP cosine (missing = "locvtp"), or the logits
   * of the weakly trained relevance scorer (ml/models/relevance.ts), read from the relevance
   * features stored after each clip's embedding.
   */
  simSource?: "locvtp" | "relevance";
  /**
   * How the reconstructor reads the video. "content" (missing = this): cross-attention whose
   * weights are multiplied by the proposal's Gaussian and renormalised (CNM). "mask": the
   * attention weights are the Gaussian alone, i.e. the reconstructor sees the mask-weighted
   * mean of the video memory. Content attention can find the event from the whole video by
   * itself, so on the Shapes world the whole video reconstructs as well as the moment and the
   * contrastive signal vanishes (docs/models.md § Diagnostics); with the mask alone, only a
   * proposal on the moment delivers the event undiluted.
   */
  recAttention?: "content" | "mask";
  /**
   * What completes the masked words. "reconstructor" (missing = this): the trained
   * mask-conditioned transformer of the notes. "relevance": the frozen relevance scorer judges
   * each candidate word under the mask (ml/cpl/completion.ts), because on the Shapes world the
   * trained reconstructor completes as well from the whole video as from the moment. Needs
   * the scorer's features in the clip vectors, like simSource "relevance".
   */
  completion?: "reconstructor" | "relevance";
  /** candidates per masked word with completion "relevance", the true word included (missing = COMPLETION_CANDIDATES) */
  completionCandidates?: number;
}

/** Default candidates per masked word (the true word and up to 11 substitutes). */
export const COMPLETION_CANDIDATES = 12;

export const LOCVTP_HPARAMS = {
  lambdaC: 0.5,
  lambdaF: 1,
  lambdaT: 1,
  tau: 0.07,
  topK: 3,
  deltaMax: 4,
};

export const CPL_HPARAMS = {
  /** allowed overlap in L_div (authors' code value) */
  lambdaDiv: 0.13,
  beta1: 0.1,
  beta2: 0.15,
  alpha1: 1,
  alpha2: 1,
  maskRatio: 1 / 3,
};

export function defaultClipEncoderConfig(frameDim: number): ClipEncoderConfig {
  const backboneDir = process.env.LOCVTP_BACKBONE_DIR;
  return {
    kind: backboneDir ? "backbone" : "lowlevel-slots",
    frameDim,
    frameHidden: 96,
    temporalHidden: 256,
    outDim: EMBEDDING_DIM,
    backboneDir,
    contextClips: backboneDir ? 0 : 2,
  };
}

export const DEFAULT_TEXT_CONFIG: TextEncoderConfig = { buckets: 4096, maxWords: 16, hidden: 128, outDim: EMBEDDING_DIM };

export const DEFAULT_CPL_CONFIG: CplConfig = {
  nTokens: 64,
  inDim: EMBEDDING_DIM,
  hidden: 64,
  heads: 4,
  encLayers: 1,
  decLayers: 2,
  recLayers: 1,
  ffn: 128,
  K: 5,
  sigma: 9,
  maxWords: 16,
  buckets: 4096,
  head: "pointer",
  temporalKernel: 5,
  simChannel: true,
};
