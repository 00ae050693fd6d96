/**
 * The constants the models, the trainer and the app must agree on. Changing anything here that
 * affects a stored embedding (spec, dims, low-level features) changes the model versions, so
 * the worker knows old vectors are stale. Each model's own architecture and hyper-parameters
 * live in its package (ml/locvtp/config.ts, ml/relevance/config.ts, ml/cpl/config.ts).
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
