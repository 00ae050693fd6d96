/**
 * ml/'s public face: what the app (lib/) uses. It only re-exports; each model lives in its own
 * package (ml/locvtp, ml/relevance, ml/cpl), the grounding methods in ml/grounders, shared
 * pieces in ml/core and ml/features. Models load from `models/<name>/`; without trained weights
 * LocVTP and CPL build the same architecture with a seeded init and say so in their version, so
 * ingestion and search work end to end before any training.
 */
export { initBackend, type BackendOptions } from "./core/backend";
export { CLIP_SPEC, EMBEDDING_DIM, defaultModelsDir } from "./config";
export { loadClipEncoder, loadTextEncoder, type ClipEncoderOptions } from "./encoders";
export { LEGACY_GROUND_METHODS, loadGroundingModels, parseGroundMethod } from "./grounders/registry";
export { GROUND_METHODS } from "./types";
export { calibratorForMethod, loadCalibrator, uncalibratedCalibrator, type Calibrator } from "./calibration/calibrator";
export { poolEvidence, type MomentEvidence, type PoolEvidence } from "./calibration/evidence";
export type {
  BackendInfo,
  ClipEncoder,
  ClipSpec,
  ClipVector,
  GroundedSpan,
  Grounder,
  Grounding,
  GroundingInput,
  GroundingModels,
  GroundMethod,
  TextEncoder,
  VideoRanker,
} from "./types";
