/** LocVTP's architecture (type + defaults) and its training hyper-parameters. */
import { EMBEDDING_DIM, CLIP_SPEC, LOWLEVEL_VERSION } from "../config";
import { FRAME_FEATURE_DIM } from "../features/lowlevel";

/**
 * Video-encoder architecture. `kind: "lowlevel-slots"` is the built-in encoder (the fixed
 * low-level frame vector regrouped into object slots, ml/features/slots.ts, + a learned MLP
 * shared by the slots); "lowlevel-mlp" the earlier whole-frame MLP (still loadable). A bigger
 * pre-trained backbone can be plugged in by pointing LOCVTP_BACKBONE_DIR (lib/config.ts) at a folder with a
 * tfjs graph/layers model (model.json) whose input is [nFrames, H, W, 3] float in [0,1] and
 * output [nFrames, F] ("backbone"; ml/features/backbone.ts); the learned temporal head then
 * runs on its per-frame output.
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
  /** backbone only: the backbone's identity when it was trained (ml/features/featurizer.ts backboneId) */
  backboneId?: string;
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

export interface LocVtpConfig {
  clip: ClipEncoderConfig;
  text: TextEncoderConfig;
  framesPerClip: number;
}

export const LOCVTP_HPARAMS = {
  lambdaC: 0.5,
  lambdaF: 1,
  lambdaT: 1,
  tau: 0.07,
  topK: 3,
  deltaMax: 4,
};

/** The version an untrained LocVTP (seeded init) reports. */
export const LOCVTP_UNTRAINED_VERSION = `locvtp-untrained-seed0-${LOWLEVEL_VERSION}`;

/** The clip encoder's default architecture: the slot encoder, or a head over a pre-trained backbone in `backboneDir`. */
export function defaultClipEncoderConfig(frameDim: number, backboneDir?: string | null): ClipEncoderConfig {
  return {
    kind: backboneDir ? "backbone" : "lowlevel-slots",
    frameDim,
    frameHidden: 96,
    temporalHidden: 256,
    outDim: EMBEDDING_DIM,
    backboneDir: backboneDir ?? undefined,
    contextClips: backboneDir ? 0 : 2,
  };
}

export const DEFAULT_TEXT_CONFIG: TextEncoderConfig = {
  buckets: 4096,
  maxWords: 16,
  hidden: 128,
  outDim: EMBEDDING_DIM,
};

export function defaultLocVtpConfig(backboneDir?: string | null): LocVtpConfig {
  return {
    clip: defaultClipEncoderConfig(FRAME_FEATURE_DIM, backboneDir),
    text: DEFAULT_TEXT_CONFIG,
    framesPerClip: CLIP_SPEC.framesPerClip,
  };
}

/** What a model version must say about the clip encoder: its kind, temporal context and low-level vector. */
export function encoderTag(c: ClipEncoderConfig): string {
  // the low-level vector's version: stored features computed from another one are not comparable
  const ll = c.kind.startsWith("lowlevel") ? `-${LOWLEVEL_VERSION}` : "";
  return `${c.kind.replace("lowlevel-", "")}${c.contextClips ? `-ctx${c.contextClips}` : ""}${ll}`;
}
