/** The CPL grounder's architecture (type + defaults) and its training hyper-parameters. */
import { EMBEDDING_DIM } from "../config";

/** CPL grounder sizes: deliberately small (see docs/experiments/011-speed.md for the FLOP budget). */
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
   * which the regression head failed to learn at this scale (docs/experiments/002-what-makes-it-learnable.md).
   * Missing in old manifests = "fc". "boundary": each video token gets a start and an end logit;
   * the K proposals are the K best-scoring (start ≤ end) token pairs (boundarySpans). Trained with
   * timestamps only (the upper bound): cross-entropy of the annotated start and end tokens.
   */
  head?: "fc" | "pointer" | "boundary";
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
   * of the weakly trained relevance scorer (ml/relevance/), read from the relevance
   * features stored after each clip's embedding. "relevance-evidence": every member's hidden
   * layer and logit per token (RelevanceModel.evidenceT), M·(H + 1) channels instead of one.
   */
  simSource?: "locvtp" | "relevance" | "relevance-evidence";
  /**
   * How the reconstructor reads the video. "content" (missing = this): cross-attention whose
   * weights are multiplied by the proposal's Gaussian and renormalised (CNM). "mask": the
   * attention weights are the Gaussian alone, i.e. the reconstructor sees the mask-weighted
   * mean of the video memory. Content attention can find the event from the whole video by
   * itself, so on the Shapes world the whole video reconstructs as well as the moment and the
   * contrastive signal vanishes (docs/experiments/007-shape-and-shared-colours.md); with the mask alone, only a
   * proposal on the moment delivers the event undiluted.
   */
  recAttention?: "content" | "mask";
  /**
   * What completes the masked words. "reconstructor" (missing = this): the trained
   * mask-conditioned transformer of the notes. "relevance": the frozen relevance scorer judges
   * each candidate word under the mask (./completion.ts), because on the Shapes world the
   * trained reconstructor completes as well from the whole video as from the moment. Needs
   * the scorer's features in the clip vectors, like simSource "relevance".
   */
  completion?: "reconstructor" | "relevance";
  /** candidates per masked word with completion "relevance", the true word included (missing = COMPLETION_CANDIDATES) */
  completionCandidates?: number;
  /**
   * Label smoothing ε of the reconstruction's cross-entropy, in training and in loss-based
   * ranking alike (the reference: 0.1): (1 − ε)·(−log p_target) + ε/V·Σ_v (−log p_v). Missing = 0.
   */
  labelSmoothing?: number;
  /**
   * Which words loss-based grounding masks: "deterministic" (missing: word i masked in pass
   * i mod 3, every word once) or "random" (the reference: ⌊n/3⌋ words drawn as in training,
   * three draws seeded by the sentence, the losses averaged).
   */
  lossMasks?: "deterministic" | "random";
  /**
   * CPL*'s vote: "plain" (missing: summed IoU with the others) or "iou-weighted" (the
   * reference on Charades-STA: each vote weighted by the voter's IoU with the loss-ranked first
   * proposal; needs the completion pass).
   */
  vote?: "plain" | "iou-weighted";
}

/** Whether a grounder reads the relevance scorer (its similarity channel or its completion). */
export function readsScorer(cfg: Pick<CplConfig, "simSource" | "completion">): boolean {
  return cfg.simSource === "relevance" || cfg.simSource === "relevance-evidence" || cfg.completion === "relevance";
}

/** Default candidates per masked word (the true word and up to 11 substitutes). */
export const COMPLETION_CANDIDATES = 12;

export const CPL_HPARAMS = {
  /** allowed overlap in L_div (authors' code value) */
  lambdaDiv: 0.13,
  beta1: 0.1,
  beta2: 0.15,
  alpha1: 1,
  alpha2: 1,
  maskRatio: 1 / 3,
  /** L_rec's weight (the reference code halves it: (L^p[k*] + L^r) / 2) */
  recScale: 1,
};

export type CplHparams = typeof CPL_HPARAMS;

/** The version an untrained grounder (seeded init) reports. */
export const CPL_UNTRAINED_VERSION = "cpl-untrained-seed0";

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
