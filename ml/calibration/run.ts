/**
 * The calibration's data and fit on a dataset folder, as scripts/calibrate.ts (fit on val) and
 * ml/eval.ts (measure on test or any folder) run them: the shipped models over every video of
 * the split, the query set (real queries, absent combinations, out-of-vocabulary sentences), the
 * candidate moments with their truth, and the fit the recipe describes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { defaultModelsDir } from "../config";
import { Rng } from "../core/rng";
import type { Corpus } from "../data/corpus";
import { vocabularyTokens } from "../data/shapes/world";
import { clipVectors } from "../encoders";
import { relevanceRanker } from "../grounders/ranker";
import { loadGroundingModels } from "../grounders/registry";
import { relevanceGrounder } from "../grounders/relevance";
import { sentenceEmbedderFor } from "../locvtp/encode";
import { loadLocVtp } from "../locvtp/load";
import { loadRelevance } from "../relevance/load";
import { loadVerifier } from "../verifier/load";
import type { ClipVector } from "../types";
import { absentQueries, outOfVocabularyQueries } from "./absent";
import { CALIBRATION_FORMAT, calibratorFromManifest, type CalibrationManifest } from "./calibrator";
import {
  annotationTruth,
  collectCandidates,
  readScenarios,
  realQueries,
  scenarioTruth,
  type CandidateMoment,
  type QueryCase,
} from "./collect";
import { evaluateCalibration, type CalibrationEvaluation } from "./evaluate";
import { isFeatureName, type FeatureName } from "./evidence";
import { fitCalibration, type CalibrationSample } from "./fit";

/** ml/recipes/calibration.json */
export interface CalibrationRecipe {
  name: string;
  seed: number;
  /** the grounding method whose spans are fitted (search's default method: "relevance" or "boundary-rerank") */
  grounder: "relevance" | "boundary-rerank";
  topVideos: number;
  topSpans: number;
  /** truth: "scenario" = any video where the sentence is true (Shapes scenarios.json; falls back to the annotations without it); iou: a match's least IoU */
  label: { truth: "scenario" | "annotation"; iou: number };
  /**
   * how many generated unanswerable queries join the real ones in the fit (absent combinations
   * are left out of the fit by default: how often users ask for them is unknown, and they look
   * like real queries to every feature, so their share would only set the prior; npm run eval
   * measures them, EVAL_QUERIES)
   */
  queries: { absent: number; oov: number };
  vocabulary: "shapes-world";
  /**
   * the libraries the fit sees: 1 = the split as one library, n = the split cut into n disjoint
   * sub-libraries (search meets pools of every size; the demo library has 4 videos). Default [1].
   */
  libraries?: number[];
  features: { library: string[]; single: string[] };
  /** the contrast with one-word edits is computed for this many of the best videos (default: all) */
  contrastVideos?: number;
  l2: number;
  isotonic: boolean;
  /** the default threshold: the largest multiple of `step` that keeps `realKeepsCorrect` of the real queries' true moments on the fit's data */
  threshold: { realKeepsCorrect: number; step: number };
}

export const DEFAULT_RECIPE = path.resolve("ml/recipes/calibration.json");

/** The generated queries npm run eval adds to a folder's real ones (per library). */
export const EVAL_QUERIES = { absent: 200, oov: 150 };

export function readRecipe(file = DEFAULT_RECIPE): CalibrationRecipe {
  const r = JSON.parse(readFileSync(file, "utf8")) as CalibrationRecipe;
  for (const f of [...r.features.library, ...r.features.single])
    if (!isFeatureName(f)) throw new Error(`${file}: unknown feature ${f}`);
  return r;
}

export function recipeVocabulary(r: Pick<CalibrationRecipe, "vocabulary">): string[] {
  if (r.vocabulary !== "shapes-world") throw new Error(`unknown vocabulary ${String(r.vocabulary)}`);
  return vocabularyTokens();
}

/** The query set of a dataset: its real queries, then absent combinations, then out-of-vocabulary sentences (seeded). */
export function calibrationQueries(
  corpus: Pick<Corpus, "dir" | "queries" | "videos">,
  r: Pick<CalibrationRecipe, "queries" | "vocabulary">,
  seed: number,
  maxReal = Infinity,
): QueryCase[] {
  const real = realQueries(corpus, maxReal);
  const all = readScenarios(corpus.dir);
  // only the videos of this corpus (a sub-library of a split sees only its own)
  const scenarios = all ? corpus.videos.map((v) => all.get(v.id)).filter((s) => s !== undefined) : null;
  const sentences = corpus.queries.map((q) => q.query);
  const absent = absentQueries(scenarios, sentences, r.queries.absent, seed);
  const oov = outOfVocabularyQueries(sentences, new Set(recipeVocabulary(r)), r.queries.oov, seed + 1);
  return [
    ...real,
    ...absent.map((a) => ({ sentence: a.sentence, kind: "absent" as const })),
    ...oov.map((s) => ({ sentence: s, kind: "oov" as const })),
  ];
}

export interface CalibrationData {
  queries: QueryCase[];
  candidates: CandidateMoment[];
  /** the models that produced the evidence */
  models: CalibrationManifest["models"];
  truth: "scenario" | "annotation";
  /** the clip vectors the models computed (reused for sub-libraries of the same corpus) */
  vectors?: Map<string, ClipVector[]>;
}

/** Runs the installed models over the corpus and collects the query set's candidate moments. */
export async function calibrationData(
  corpus: Corpus,
  r: CalibrationRecipe,
  o: { models?: string; queries: QueryCase[]; vectors?: Map<string, ClipVector[]>; log?: (s: string) => void },
): Promise<CalibrationData> {
  const mdir = o.models ?? defaultModelsDir();
  const loc = await loadLocVtp(path.join(mdir, "locvtp"));
  const rel = await loadRelevance(path.join(mdir, "relevance"));
  if (!rel) throw new Error(`calibration needs the relevance scorer (${path.join(mdir, "relevance")})`);
  const vectors =
    o.vectors ?? new Map(corpus.videos.map((v) => [v.id, clipVectors(loc.model, rel.model, v.feats, v.nClips)]));
  const ranker = relevanceRanker(rel, await loadVerifier(path.join(mdir, "verifier")));
  const scenarios = r.label.truth === "scenario" ? readScenarios(corpus.dir) : null;
  const truth = scenarios ? scenarioTruth(scenarios) : annotationTruth(corpus);
  const grounder =
    r.grounder === "relevance" ? relevanceGrounder(rel, null) : (await loadGroundingModels(mdir)).grounder(r.grounder);
  const candidates = collectCandidates(corpus, vectors, grounder, sentenceEmbedderFor(loc.model), o.queries, truth, {
    topVideos: r.topVideos,
    topSpans: r.topSpans,
    log: o.log,
    contrast: ranker.contrast,
    contrastVideos: r.contrastVideos,
    verify: ranker.verify,
  });
  return {
    queries: o.queries,
    candidates,
    models: { relevance: rel.version, locvtp: loc.version, grounder: grounder.method, verifier: ranker.verifier },
    truth: scenarios ? "scenario" : "annotation",
    vectors,
  };
}

/**
 * The fit's data: the split as each of the recipe's libraries (whole, or cut into n sub-libraries
 * with their own generated queries), the model outputs computed once. `whole` is the split as
 * one library (for the threshold and the in-sample report); `all` every library together.
 */
export async function fitData(
  corpus: Corpus,
  r: CalibrationRecipe,
  o: { models?: string; maxReal?: number; log?: (s: string) => void } = {},
): Promise<{ whole: CalibrationData; all: CalibrationData }> {
  const log = o.log ?? (() => {});
  const whole = await calibrationData(corpus, r, {
    models: o.models,
    queries: calibrationQueries(corpus, r, r.seed, o.maxReal),
    log,
  });
  const parts: CalibrationData[] = [];
  for (const n of r.libraries ?? [1]) {
    if (n <= 1) {
      parts.push(whole);
      continue;
    }
    log(`${n} sub-libraries of ≈ ${Math.round(corpus.videos.length / n)} videos`);
    for (const [k, part] of subLibraries(corpus, n, r.seed + n).entries()) {
      // the generated queries are shared out among the sub-libraries, so each library size weighs alike
      const queries = { absent: Math.ceil(r.queries.absent / n), oov: Math.ceil(r.queries.oov / n) };
      parts.push(
        await calibrationData(part, r, {
          models: o.models,
          queries: calibrationQueries(part, { ...r, queries }, r.seed + 100 * n + k, o.maxReal),
          vectors: whole.vectors,
        }),
      );
    }
  }
  return { whole, all: concatData(parts) };
}

/** The single-video form of a candidate's evidence: no pool (what a search inside one video sees). */
function alone(c: CandidateMoment): CandidateMoment["evidence"] {
  return {
    ...c.evidence,
    pool: { size: 1, median: c.evidence.videoScore, max: c.evidence.videoScore, logSumExp: c.evidence.videoScore },
  };
}

/**
 * Fits the recipe's two calibrators on collected data and chooses the threshold on `whole` (the
 * split as one library; default: the same data): the manifest to write, and the in-sample
 * evaluation on `whole`.
 */
export function fitManifest(
  data: CalibrationData,
  r: CalibrationRecipe,
  facts: Record<string, unknown> = {},
  whole: CalibrationData = data,
): { manifest: CalibrationManifest; evaluation: CalibrationEvaluation } {
  const vocabulary = recipeVocabulary(r);
  const context = { vocabulary: new Set(vocabulary) };
  const label = (c: CandidateMoment): 0 | 1 => (c.iou >= r.label.iou - 1e-9 ? 1 : 0);
  const samples: CalibrationSample[] = data.candidates.map((c) => ({ evidence: c.evidence, label: label(c) }));
  const opts = { l2: r.l2, isotonic: r.isotonic, context };
  const library = fitCalibration(samples, { ...opts, features: r.features.library as FeatureName[] });
  const single = fitCalibration(
    data.candidates.map((c) => ({ evidence: alone(c), label: label(c) })),
    { ...opts, features: r.features.single as FeatureName[] },
  );
  const version = `calibration-${r.name}-${data.truth}${Math.round(r.label.iou * 100)}-for-${data.models.relevance}+${data.models.locvtp}`;
  const manifest: CalibrationManifest = {
    format: CALIBRATION_FORMAT,
    name: "calibration",
    version,
    models: data.models,
    calibrators: { library, single },
    threshold: 0.5,
    ...(r.contrastVideos !== undefined ? { contrastVideos: r.contrastVideos } : {}),
    thresholdRule: `the largest multiple of ${r.threshold.step} at which ≥ ${Math.round(r.threshold.realKeepsCorrect * 100)} % of the fit's real queries keep a truly matching moment (IoU ≥ 0.5) at or above it`,
    vocabulary,
    recipe: r,
    fit: {},
  };
  // the threshold, from the fit's own data
  let threshold = r.threshold.step;
  const cal = calibratorFromManifest(manifest);
  for (let t = r.threshold.step; t < 1; t += r.threshold.step) {
    const tt = Math.round(t * 1000) / 1000;
    if (
      evaluateCalibration(whole.queries, whole.candidates, cal, tt).noGoodMatch.realKeepsCorrect >=
      r.threshold.realKeepsCorrect
    )
      threshold = tt;
    else break;
  }
  manifest.threshold = threshold;
  const evaluation = evaluateCalibration(whole.queries, whole.candidates, calibratorFromManifest(manifest));
  const count = (k: QueryCase["kind"]) => data.queries.filter((q) => q.kind === k).length;
  manifest.fit = {
    ...facts,
    truth: data.truth,
    libraries: r.libraries ?? [1],
    queries: { real: count("real"), absent: count("absent"), oov: count("oov") },
    samples: samples.length,
    positives: samples.filter((s) => s.label === 1).length,
    // in-sample, on the split as one library
    ece: round(evaluation.moments.ece),
    eceMass: round(evaluation.moments.eceMass),
    auc: round(evaluation.moments.auc),
    atThreshold: Object.fromEntries(Object.entries(evaluation.noGoodMatch).map(([k, v]) => [k, round(v)])),
  };
  return { manifest, evaluation };
}

/** The corpus cut into `n` disjoint libraries of about equal size (seeded), each with its own videos' queries. */
export function subLibraries(corpus: Corpus, n: number, seed: number): Corpus[] {
  const ids = new Rng(seed).shuffle(corpus.videos.map((v) => v.id));
  return Array.from({ length: n }, (_, k) => {
    const keep = new Set(ids.filter((_, i) => i % n === k));
    const videos = corpus.videos.filter((v) => keep.has(v.id));
    return {
      ...corpus,
      videos,
      byId: new Map(videos.map((v) => [v.id, v])),
      queries: corpus.queries.filter((q) => keep.has(q.video)),
    };
  });
}

/** Several collections as one (query indices shifted). */
export function concatData(parts: CalibrationData[]): CalibrationData {
  const queries: QueryCase[] = [];
  const candidates: CandidateMoment[] = [];
  for (const p of parts) {
    const off = queries.length;
    queries.push(...p.queries);
    candidates.push(...p.candidates.map((c) => ({ ...c, query: c.query + off })));
  }
  return { queries, candidates, models: parts[0].models, truth: parts[0].truth };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
