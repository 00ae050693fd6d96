/**
 * The app's clip and text encoders, composed from the installed models: LocVTP embeds clips and
 * sentences; the relevance scorer's clip tower adds each clip's relevance features (from the
 * same slot inputs, computed once per video); a pre-trained backbone may replace the fixed
 * low-level stage (config switch).
 */
import path from "node:path";
import { defaultModelsDir } from "./config";
import { CLIP_SPEC } from "./config";
import { loadBackbone } from "./features/backbone";
import { LOWLEVEL_FEATURIZER, backboneId, encoderFeaturizer } from "./features/featurizer";
import { FRAME_FEATURE_DIM, OBJECT_COLOURS, framesFeatures } from "./features/lowlevel";
import { N_SLOTS, SLOT_FEATURES } from "./features/slots";
import { clipSlotInputs, embedClipFeatures, embedSlotInputs, sentenceEmbedding } from "./locvtp/encode";
import { loadLocVtp } from "./locvtp/load";
import type { LocVtpModel } from "./locvtp/model";
import { loadRelevance } from "./relevance/load";
import type { RelevanceModel } from "./relevance/model";
import { relevanceClipFeatures } from "./relevance/scores";
import type { ClipEncoderConfig } from "./locvtp/config";
import type { ClipEncoder, ClipSpec, ClipVector, TextEncoder } from "./types";

/** the object-colour slots (the background slot left out) */
export const OBJECT_SLOTS = OBJECT_COLOURS.length;

/**
 * What the app stores per clip: the LocVTP embedding and, when a scorer is given, its relevance
 * features. The slot inputs both read are computed once.
 */
export function clipVectors(
  loc: LocVtpModel,
  rel: RelevanceModel | null,
  feats: Float32Array,
  nClips: number,
): ClipVector[] {
  if (!rel) return embedClipFeatures(loc, feats, nClips).map((embedding) => ({ embedding }));
  const inputs = clipSlotInputs(loc, feats, nClips);
  const relevance = relevanceClipFeatures(rel, inputs, nClips);
  const slots = objectSlotStatistics(inputs, nClips);
  return embedSlotInputs(loc, inputs, nClips).map((embedding, i) => ({
    embedding,
    relevance: relevance[i],
    slots: slots[i],
  }));
}

/**
 * Each clip's own statistics of the object-colour slots (the standardised slot inputs without the
 * background slot and without the context window): [OBJECT_SLOTS × SLOT_FEATURES] per clip. They
 * keep which colour has which shape, which the scorer's features sum away (ml/verifier reads them).
 */
export function objectSlotStatistics(inputs: Float32Array, nClips: number): Float32Array[] {
  const perClip = inputs.length / nClips;
  const perSlot = perClip / N_SLOTS;
  return Array.from({ length: nClips }, (_, c) => {
    const out = new Float32Array(OBJECT_SLOTS * SLOT_FEATURES);
    for (let s = 0; s < OBJECT_SLOTS; s++) {
      const at = c * perClip + s * perSlot;
      out.set(inputs.subarray(at, at + SLOT_FEATURES), s * SLOT_FEATURES);
    }
    return out;
  });
}

export interface ClipEncoderOptions {
  /** the relevance scorer's folder (default: `relevance` beside `dir`) */
  relevanceDir?: string;
  /** a pre-trained frame backbone for an untrained encoder (lib/config.ts: LOCVTP_BACKBONE_DIR) */
  backboneDir?: string | null;
}

/** The clip encoder in `dir` (LocVTP) with the relevance scorer beside it. */
export async function loadClipEncoder(
  dir = path.join(defaultModelsDir(), "locvtp"),
  o: ClipEncoderOptions = {},
): Promise<ClipEncoder> {
  const {
    model,
    version: locVersion,
    spec,
  } = await loadLocVtp(dir, o.backboneDir ? { backboneDir: o.backboneDir } : {});
  // the relevance features are stored with the embeddings: both versions make the clip version
  const rel =
    model.cfg.clip.kind === "lowlevel-slots"
      ? await loadRelevance(o.relevanceDir ?? path.join(path.dirname(path.resolve(dir)), "relevance"))
      : null;
  const version = rel ? `${locVersion}+${rel.version}` : locVersion;
  const c = model.cfg.clip;
  const backbone = c.kind === "backbone" ? await loadBackbone(backboneDirOf(c, o.backboneDir)) : null;
  if (backbone && backbone.dim !== c.frameDim)
    throw new Error(`backbone gives ${backbone.dim}-d frames, the clip encoder expects ${c.frameDim}`);
  const featurizeClips = (frames: Uint8Array, nClips: number): Float32Array => {
    const nFrames = nClips * spec.framesPerClip;
    const need = nFrames * spec.width * spec.height * 3;
    if (frames.length < need)
      throw new Error(`encodeClips: got ${frames.length} bytes, need ${need} for ${nClips} clips`);
    // the fixed low-level stage, or a pre-trained backbone when configured (config switch)
    return backbone
      ? backbone.featurize(frames, nFrames, spec.width, spec.height)
      : framesFeatures(frames, nFrames, spec.width, spec.height);
  };
  const checked = (feats: Float32Array, nClips: number, what: string) => {
    const need = nClips * spec.framesPerClip * c.frameDim;
    if (feats.length < need) throw new Error(`${what}: got ${feats.length} values, need ${need} for ${nClips} clips`);
  };
  const embedClips = (feats: Float32Array, nClips: number): Float32Array[] => {
    checked(feats, nClips, "embedClips");
    return nClips === 0 ? [] : embedClipFeatures(model, feats, nClips);
  };
  return {
    version,
    dim: model.cfg.clip.outDim,
    spec,
    featurizeClips,
    embedClips,
    clipVectors(feats: Float32Array, nClips: number): ClipVector[] {
      checked(feats, nClips, "clipVectors");
      return nClips === 0 ? [] : clipVectors(model, rel?.model ?? null, feats, nClips);
    },
    async encodeClips(frames: Uint8Array, nClips: number): Promise<Float32Array[]> {
      return nClips === 0 ? [] : embedClips(featurizeClips(frames, nClips), nClips);
    },
  };
}

/**
 * Where a backbone clip encoder's backbone is: the configured folder when it holds the backbone
 * the encoder was trained on (the folder may have moved), else the folder recorded at training.
 * Throws when neither holds it: features of another backbone would be read as if they were its.
 */
function backboneDirOf(c: ClipEncoderConfig, configured: string | null | undefined): string {
  const want = encoderFeaturizer(c);
  for (const dir of [configured, c.backboneDir]) {
    if (!dir) continue;
    try {
      if (backboneId(dir) === want) return dir;
    } catch {
      // a folder without the backbone: try the next
    }
  }
  throw new Error(
    `this clip encoder was trained on the frame backbone ${want}, which is in neither ${configured ?? "(no LOCVTP_BACKBONE_DIR)"} nor ${c.backboneDir ?? "(no recorded folder)"}`,
  );
}

/** A per-frame featurizer on its own (features for training a new clip encoder on it). */
export interface FrameFeaturizerInfo {
  /** ml/features/featurizer.ts: lowlevel-… or backbone-… */
  id: string;
  /** values per frame */
  dim: number;
  spec: ClipSpec;
  featurizeClips(frames: Uint8Array, nClips: number): Float32Array;
}

/** The built-in low-level stage, or the backbone in `backboneDir`, as a clip featurizer. */
export async function loadFrameFeaturizer(backboneDir: string | null | undefined): Promise<FrameFeaturizerInfo> {
  const spec = CLIP_SPEC;
  const backbone = backboneDir ? await loadBackbone(backboneDir) : null;
  return {
    id: backbone?.id ?? LOWLEVEL_FEATURIZER,
    dim: backbone?.dim ?? FRAME_FEATURE_DIM,
    spec,
    featurizeClips(frames, nClips) {
      const nFrames = nClips * spec.framesPerClip;
      return backbone
        ? backbone.featurize(frames, nFrames, spec.width, spec.height)
        : framesFeatures(frames, nFrames, spec.width, spec.height);
    },
  };
}

/** LocVTP's text tower: sentences into the clip embeddings' space. */
export async function loadTextEncoder(
  dir = path.join(defaultModelsDir(), "locvtp"),
  o: Pick<ClipEncoderOptions, "backboneDir"> = {},
): Promise<TextEncoder> {
  const { model, version } = await loadLocVtp(dir, o.backboneDir ? { backboneDir: o.backboneDir } : {});
  return {
    version,
    dim: model.cfg.text.outDim,
    async encodeSentence(text: string): Promise<Float32Array> {
      return sentenceEmbedding(model, text);
    },
  };
}
