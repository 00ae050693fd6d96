/**
 * The calibrator search uses: a moment's evidence → `confidence`, the probability that the
 * moment matches the sentence, from the fit in `models/calibration/manifest.json`
 * (scripts/calibrate.ts). Without that file, or when it was fitted for other models than those
 * installed, a fixed monotone function of the evidence stands in and says it is uncalibrated.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { defaultModelsDir } from "../config";
import { isFeatureName, type FeatureContext, type MomentEvidence } from "./evidence";
import { predict, sigmoid, type CalibrationModel } from "./fit";

export interface Calibrator {
  /** the fit's version (recipe and the models it was fitted for), or "uncalibrated-…" */
  readonly version: string;
  /** false for the stand-in without a fit: its numbers are not probabilities */
  readonly calibrated: boolean;
  /** the grounding method whose spans it was fitted on (null: any; the stand-in) */
  readonly method: string | null;
  /** the default threshold under which a moment is "no good match" (the manifest's; 0.5 for the stand-in) */
  readonly threshold: number;
  /** why the stand-in is in use (no file, other models…); absent when calibrated */
  readonly reason?: string;
  /**
   * the contrast with the query's one-word edits is computed for this many of the best videos
   * by video score (the rest read "no edits"), as in the fit: 0 when the fit reads no contrast
   */
  readonly contrastVideos: number;
  /** whether the fit reads the span verifier's margin over the edits (computed for the same videos) */
  readonly verifierEdits?: boolean;
  /** P(the moment matches the sentence), in [0, 1] */
  confidence(e: MomentEvidence): number;
}

export const CALIBRATION_FORMAT = "momentsearch-calibration-1";

/** models/calibration/manifest.json */
export interface CalibrationManifest {
  format: typeof CALIBRATION_FORMAT;
  name: "calibration";
  version: string;
  /** the model versions the fit was made for (what the evidence came from) */
  models: {
    relevance: string | null;
    locvtp: string;
    grounder: string;
    /**
     * the span verifier that gave the fit's `verifierLogit` (absent in fits before it existed).
     * Another installed verifier makes the fit stale; none (or a silent one, beside a retrained
     * scorer) does not: the features read their neutral value, as for a sentence outside its grammar
     */
    verifier?: string | null;
  };
  /**
   * "library": for a pool of several grounded videos (a search across the library);
   * "single": without the pool features, for a pool of one (a search inside one video).
   */
  calibrators: { library: CalibrationModel; single: CalibrationModel };
  /** the default threshold ("no good match" below it) and how it was chosen */
  threshold: number;
  thresholdRule: string;
  /** how many of the best videos had their contrast with one-word edits computed (absent: every one) */
  contrastVideos?: number;
  /** lower-case words the models were trained on (features: unknownWords) */
  vocabulary: string[];
  /** the recipe the fit ran (ml/recipes/calibration.json as it was) */
  recipe: unknown;
  /** facts about the fit: data, counts, measurements on the fit's own data */
  fit: Record<string, unknown>;
}

/** A calibrator from a manifest's fit. */
export function calibratorFromManifest(m: CalibrationManifest): Calibrator {
  for (const c of [m.calibrators.library, m.calibrators.single]) {
    const bad = c.features.filter((f) => !isFeatureName(f));
    if (bad.length) throw new Error(`calibration ${m.version} uses unknown features: ${bad.join(", ")}`);
    if (
      c.weights.length !== c.features.length ||
      c.mean.length !== c.features.length ||
      c.std.length !== c.features.length
    )
      throw new Error(`calibration ${m.version}: weights and features differ in length`);
  }
  const ctx: FeatureContext = { vocabulary: new Set(m.vocabulary) };
  return {
    version: m.version,
    calibrated: true,
    method: m.models.grounder,
    threshold: m.threshold,
    contrastVideos: reads(m, CONTRAST_FEATURES) ? (m.contrastVideos ?? Number.MAX_SAFE_INTEGER) : 0,
    verifierEdits: reads(m, VERIFIER_EDIT_FEATURES),
    confidence: (e) => clamp01(predict(e.pool.size > 1 ? m.calibrators.library : m.calibrators.single, e, ctx)),
  };
}

const VERIFIER_EDIT_FEATURES = new Set(["hasVerifierEdits", "verifierEditMargin"]);
const CONTRAST_FEATURES = new Set(["hasEdits", "editMargin", "videoEditMargin", ...VERIFIER_EDIT_FEATURES]);

/** Whether a fit reads any of `features` (otherwise search need not compute them). */
function reads(m: CalibrationManifest, features: Set<string>): boolean {
  return [m.calibrators.library, m.calibrators.single].some((c) => c.features.some((f) => features.has(f)));
}

/**
 * The stand-in without a fit (an untrained install): σ(margin + 2·similarity − 1 − [not the
 * video's first span]), margin = the video score above the pool's median (0 without a scorer or
 * in a pool of one). It rises with every piece of evidence but is NOT a probability: it was
 * never compared with what is true.
 */
export function uncalibratedCalibrator(reason: string): Calibrator {
  return {
    version: "uncalibrated-v1",
    calibrated: false,
    method: null,
    threshold: 0.5,
    contrastVideos: 0,
    reason,
    confidence(e) {
      const margin =
        e.videoScore !== null && e.pool.median !== null && e.pool.size > 1 ? e.videoScore - e.pool.median : 0;
      return clamp01(sigmoid(margin + 2 * e.similarity - 1 - (e.spanRank > 0 ? 1 : 0)));
    },
  };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** The models a calibration must have been fitted for, as installed (null: don't check). */
export interface InstalledModels {
  relevance?: string | null;
  locvtp?: string;
  /** the span verifier that answers (null: none, or silent beside this scorer) */
  verifier?: string | null;
}

/**
 * The calibrator in `dir` (default: models/calibration). The stand-in when the folder has no
 * manifest or the manifest was fitted for other model versions than `installed` names (its
 * confidences would describe other models).
 */
export function loadCalibrator(
  dir = path.join(defaultModelsDir(), "calibration"),
  installed: InstalledModels = {},
): Calibrator {
  const file = path.join(dir, "manifest.json");
  if (!existsSync(file)) return uncalibratedCalibrator(`no calibration at ${file} (npm run calibrate)`);
  const m = JSON.parse(readFileSync(file, "utf8")) as CalibrationManifest;
  if (m.format !== CALIBRATION_FORMAT)
    throw new Error(`${file}: not a calibration manifest (format ${String(m.format)})`);
  const stale: string[] = [];
  if (installed.relevance !== undefined && installed.relevance !== m.models.relevance)
    stale.push(`relevance ${m.models.relevance} ≠ installed ${installed.relevance}`);
  if (installed.locvtp !== undefined && installed.locvtp !== m.models.locvtp)
    stale.push(`locvtp ${m.models.locvtp} ≠ installed ${installed.locvtp}`);
  // another verifier's logits are another distribution; a silent one reads the neutral value
  if (installed.verifier && m.models.verifier && installed.verifier !== m.models.verifier)
    stale.push(`verifier ${m.models.verifier} ≠ installed ${installed.verifier}`);
  if (stale.length)
    return uncalibratedCalibrator(
      `calibration ${m.version} was fitted for other models (${stale.join("; ")}): re-run npm run calibrate`,
    );
  return calibratorFromManifest(m);
}

/**
 * The calibrator for spans of `method`: itself when it was fitted on that method's spans (or
 * on any), else the stand-in (a span score means something else for another method).
 */
export function calibratorForMethod(c: Calibrator, method: string): Calibrator {
  return c.method === null || c.method === method
    ? c
    : uncalibratedCalibrator(`calibration ${c.version} was fitted on "${c.method}" spans, not "${method}"`);
}
