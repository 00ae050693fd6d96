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

/**
 * Where trained weights live when the caller names no folder: `models/<name>/` under the
 * working directory. The app passes its configured folder (lib/config.ts: MODELS_DIR).
 */
export function defaultModelsDir(): string {
  return path.resolve(process.cwd(), "models");
}

/**
 * Where a models folder keeps the relevance scorer trained with timestamps (the upper bound in
 * the scorer's own architecture, docs/experiments/020): evaluation only, since its clip features
 * are not the ones the app stores.
 */
export const SUPERVISED_SCORER_DIR = path.join("baselines", "supervised-scorer");
