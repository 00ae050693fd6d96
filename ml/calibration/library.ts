/**
 * The calibration of a retrained version (issue 22): a fine-tuned scorer gives other scores than
 * the one the shipped calibration was fitted for, so its moments' confidence needs a fit of its own.
 *
 * - With enough annotated spans in the library (spans people accepted or corrected, imported
 *   datasets' times), the recipe's fit runs on them: the library is the pool, its annotated
 *   sentences are the real queries, and generated absent-combination and out-of-vocabulary
 *   sentences join them as the shipped fit's do (as many as there are real ones, at most the
 *   recipe's numbers). Truth is the annotations (a library has no scenarios).
 * - With fewer, the parent version's fit is kept and said to be inherited: it was fitted on the
 *   parent scorer's outputs, which a fine-tune at a small rate moves only a little, and it is a
 *   far better guide than the uncalibrated stand-in. The Models page says which of the two a
 *   version has.
 * - Without a parent fit either, or over a frame backbone (no scorer features: CPL grounds), nothing
 *   is written and search uses the stand-in.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Corpus, CorpusVideo } from "../data/corpus";
import { loadLocVtp } from "../locvtp/load";
import { loadRelevance } from "../relevance/load";
import { CALIBRATION_FORMAT, type CalibrationManifest } from "./calibrator";
import { calibrationData, calibrationQueries, fitManifest, readRecipe, type CalibrationRecipe } from "./run";

export interface AnnotatedQuery {
  video: string;
  sentence: string;
  start: number;
  end: number;
}

/** What a version's calibration is (kept in its metrics; the Models page shows it). */
export type LibraryCalibration =
  | { source: "library"; version: string; spans: number; samples: number; ece: number | null; threshold: number }
  | { source: "inherited"; version: string; from: string; spans: number; minSpans: number; threshold: number }
  | { source: "none"; reason: string };

export interface LibraryCalibrationOptions {
  /** the fewest annotated spans a fit of the library's own needs */
  minSpans: number;
  /** the calibration recipe (default ml/recipes/calibration.json) */
  recipe?: CalibrationRecipe;
  log?: (s: string) => void;
}

/**
 * Writes `<modelsDir>/calibration/manifest.json` for the models in `modelsDir` (fitted on the
 * library's annotated spans, or the parent's fit carried over) and says which it did.
 */
export async function calibrateForLibrary(
  modelsDir: string,
  parentDir: string,
  videos: CorpusVideo[],
  spans: AnnotatedQuery[],
  o: LibraryCalibrationOptions,
): Promise<LibraryCalibration> {
  const have = new Set(videos.map((v) => v.id));
  const usable = spans.filter((s) => have.has(s.video) && s.end > s.start);
  const out = path.join(modelsDir, "calibration");
  const loc = await loadLocVtp(path.join(modelsDir, "locvtp"));
  // over a frame backbone the clips carry no scorer features: search grounds with CPL, uncalibrated
  if (loc.model.cfg.clip.kind !== "lowlevel-slots")
    return { source: "none", reason: "over a frame backbone search grounds with CPL, which has no calibration" };
  if (usable.length >= o.minSpans) {
    const base = o.recipe ?? readRecipe();
    const real = usable.length;
    const recipe: CalibrationRecipe = {
      ...base,
      name: `${base.name}-library`,
      label: { ...base.label, truth: "annotation" },
      // one library: the pool search meets is the library itself
      libraries: [1],
      queries: { absent: Math.min(base.queries.absent, real), oov: Math.min(base.queries.oov, real) },
    };
    const corpus: Corpus = {
      dir: out, // no scenarios.json there: truth is the annotations
      videos,
      byId: new Map(videos.map((v) => [v.id, v])),
      queries: usable.map((s) => ({ video: s.video, query: s.sentence, start: s.start, end: s.end })),
      sentences: new Map(),
    };
    const data = await calibrationData(corpus, recipe, {
      models: modelsDir,
      queries: calibrationQueries(corpus, recipe, recipe.seed),
      log: o.log,
    });
    const { manifest, evaluation } = fitManifest(data, recipe, { data: "library annotated spans", spans: real });
    writeManifest(out, manifest);
    return {
      source: "library",
      version: manifest.version,
      spans: real,
      samples: data.candidates.length,
      ece: Number.isFinite(evaluation.moments.ece) ? Math.round(evaluation.moments.ece * 10000) / 10000 : null,
      threshold: manifest.threshold,
    };
  }
  const parentFile = path.join(parentDir, "calibration", "manifest.json");
  if (!existsSync(parentFile))
    return {
      source: "none",
      reason: `the parent version has no calibration and the library has ${usable.length} annotated spans`,
    };
  const parent = JSON.parse(readFileSync(parentFile, "utf8")) as CalibrationManifest;
  if (parent.format !== CALIBRATION_FORMAT) return { source: "none", reason: `${parentFile} is not a calibration` };
  const rel = await loadRelevance(path.join(modelsDir, "relevance"));
  const version = `${parent.version}-inherited-by-${rel?.version ?? "no-relevance"}`;
  const inherited: CalibrationManifest = {
    ...parent,
    version,
    models: { ...parent.models, relevance: rel?.version ?? null, locvtp: loc.version },
    fit: {
      ...parent.fit,
      inheritedFrom: { version: parent.version, models: parent.models },
      why: `${usable.length} annotated spans in the library; a fit of its own needs ${o.minSpans}`,
    },
  };
  writeManifest(out, inherited);
  return {
    source: "inherited",
    version,
    from: parent.version,
    spans: usable.length,
    minSpans: o.minSpans,
    threshold: parent.threshold,
  };
}

function writeManifest(dir: string, m: CalibrationManifest): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "manifest.json"), `${JSON.stringify(m, null, 1)}\n`);
}
