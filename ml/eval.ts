/**
 * Evaluation of the grounding methods on a moment dataset (datasets.md §2): grounding (query in
 * its own video) and corpus moment retrieval (query over all videos: the relevance scorer ranks
 * the videos when installed, else LocVTP's best sliding window; then each method grounds
 * inside the top-5 videos). The methods come from the grounder registry (ml/grounders).
 * With a calibration installed (models/calibration), also the moments' `confidence`
 * (ml/calibration): ECE and reliability, "no good match" on real + unanswerable queries, and
 * corpus retrieval ranked by confidence with several moments per video; over the whole folder as
 * one library and over disjoint sub-libraries of it.
 */
import path from "node:path";
import { SUPERVISED_SCORER_DIR, defaultModelsDir } from "./config";
import { Rng } from "./core/rng";
import type { Corpus } from "./data/corpus";
import {
  evaluateCorpus,
  evaluateGrounding,
  type CorpusSample,
  type GroundingSample,
  type MetricRow,
} from "./data/metrics";
import { clipVectors } from "./encoders";
import { clipSims, randomGrounder, slidingWindowGrounder, slidingWindows } from "./grounders/baselines";
import { boundaryRerankGrounder } from "./grounders/boundary-rerank";
import { cplGrounder } from "./grounders/cpl";
import { relevanceRanker } from "./grounders/ranker";
import { BASELINE_DIRS, loadTrainedCpl } from "./grounders/registry";
import { relevanceGrounder } from "./grounders/relevance";
import { loadCpl } from "./cpl/load";
import { sentenceEmbedderFor } from "./locvtp/encode";
import { loadLocVtp } from "./locvtp/load";
import { loadRelevance, type LoadedRelevance } from "./relevance/load";
import { loadVerifier } from "./verifier/load";
import type { ClipVector, Grounder } from "./types";
import { loadCalibrator } from "./calibration/calibrator";
import { evaluateCalibration, type CalibrationEvaluation } from "./calibration/evaluate";
import {
  calibrationData,
  calibrationQueries,
  concatData,
  EVAL_QUERIES,
  readRecipe,
  subLibraries,
  type CalibrationData,
  type CalibrationRecipe,
} from "./calibration/run";
import { existsSync, readFileSync } from "node:fs";

export interface EvalResult {
  queries: number;
  /** what ranks the videos in corpus moment retrieval */
  corpusRanker: "relevance" | "locvtp-sliding-window";
  /** table row → metrics, for grounding and for corpus moment retrieval */
  methods: Record<string, MetricRow>;
  corpus: Record<string, MetricRow>;
  /** which model versions produced the numbers */
  versions: Record<string, string>;
  /** the moments' confidence (absent without a relevance scorer) */
  confidence?: ConfidenceResult;
}

export interface ConfidenceResult {
  /** the whole folder as one library */
  library: CalibrationEvaluation;
  /** the folder cut into `count` disjoint libraries of about `videos` videos, pooled */
  subLibraries?: CalibrationEvaluation & { count: number; videos: number };
}

export interface EvalOpts {
  models?: string;
  /** extra CPL-format grounders to evaluate (by vote): table row → dir */
  extraGrounders?: Record<string, string>;
  /**
   * extra relevance scorers (e.g. one trained with timestamps), each a grounding row read off its
   * own clip features (its clip tower differs from the installed scorer's): table row → dir
   */
  extraScorers?: Record<string, string>;
  maxQueries?: number;
  corpusTopVideos?: number;
  log?: (s: string) => void;
  /** only the confidence part (no grounding tables) */
  confidenceOnly?: boolean;
  /** only the grounding tables (no confidence part) */
  groundingOnly?: boolean;
  /** sub-libraries for the confidence part (default: 4 when the folder has ≥ 40 videos, else none) */
  subLibraries?: number;
  /** receives the collected candidates (whole folder) */
  onConfidenceData?: (d: CalibrationData) => void;
}

/**
 * The table's rows, in order: a row name (kept from the first reports, so tables compare across
 * sessions) and the grounder behind it.
 */
async function evaluatedGrounders(
  mdir: string,
  o: EvalOpts,
  versions: Record<string, string>,
  ownClips: (rel: LoadedRelevance) => Map<string, ClipVector[]>,
): Promise<EvalRow[]> {
  const loc = await loadLocVtp(path.join(mdir, "locvtp"));
  const rel = await loadRelevance(path.join(mdir, "relevance"));
  const cpl = await loadCpl(path.join(mdir, "cpl"), { modelsDir: mdir });
  versions.cpl = cpl.version;
  const rows: EvalRow[] = [
    ["cpl", cplGrounder("cpl-loss", cpl, "loss")],
    ["cpl_vote", cplGrounder("cpl-vote", cpl, "vote")],
    // one stream for the whole run, drawn in query order: the same spans every run
    ["random", randomGrounder(new Rng(12345))],
    ["sliding_window_locvtp", slidingWindowGrounder(sentenceEmbedderFor(loc.model), loc.version)],
  ];
  // the relevance scorer alone, its spans read straight off the token scores
  if (rel) rows.push(["relevance_scores", relevanceGrounder(rel, null)]);
  const extra: Record<string, string> = {
    single_gaussian: path.join(mdir, BASELINE_DIRS["single-gaussian"]),
    upper_bound_supervised: path.join(mdir, BASELINE_DIRS["upper-bound"]),
    ...o.extraGrounders,
  };
  for (const [row, dir] of Object.entries(extra)) {
    const g = await loadTrainedCpl(dir, mdir);
    if (!g) continue;
    versions[row] = g.version;
    // the upper bound's proposals ranked with the scorer's mass readout (ml/grounders/boundary-rerank.ts)
    if (row === "upper_bound_supervised" && rel) rows.push(["boundary_rerank", boundaryRerankGrounder(rel, g, null)]);
    rows.push([
      row,
      cplGrounder(
        row === "upper_bound_supervised" ? "upper-bound" : row === "single_gaussian" ? "single-gaussian" : "cpl-vote",
        g,
        "vote",
      ),
    ]);
  }
  const scorers: Record<string, string> = {
    upper_bound_scorer: path.join(mdir, SUPERVISED_SCORER_DIR),
    ...o.extraScorers,
  };
  for (const [row, dir] of Object.entries(scorers)) {
    const s = await loadRelevance(dir);
    if (!s) continue;
    versions[row] = s.version;
    rows.push([row, relevanceGrounder(s, null), ownClips(s)]);
  }
  return rows;
}

/** A table row: its name, the grounder, and the clip vectors it reads when not the installed scorer's. */
type EvalRow = [row: string, grounder: Grounder, clips?: Map<string, ClipVector[]>];

export async function evaluate(corpus: Corpus, o: EvalOpts = {}): Promise<EvalResult> {
  const mdir = o.models ?? defaultModelsDir();
  const log = o.log ?? (() => {});
  const loc = await loadLocVtp(path.join(mdir, "locvtp"));
  const versions: Record<string, string> = { locvtp: loc.version };
  // the weakly trained relevance scorer (when installed): its clip features are stored beside
  // each embedding, as the app stores them
  const rel = await loadRelevance(path.join(mdir, "relevance"));
  if (rel) versions.relevance = rel.version;
  const emb = new Map<string, ClipVector[]>();
  for (const v of corpus.videos) emb.set(v.id, clipVectors(loc.model, rel?.model ?? null, v.feats, v.nClips));
  const rows = o.confidenceOnly
    ? []
    : await evaluatedGrounders(
        mdir,
        o,
        versions,
        (own) => new Map(corpus.videos.map((v) => [v.id, clipVectors(loc.model, own.model, v.feats, v.nClips)])),
      );
  const ranker = rel ? relevanceRanker(rel, await loadVerifier(path.join(mdir, "verifier"))) : null;
  if (ranker?.verifier) versions.verifier = ranker.verifier;
  const embed = sentenceEmbedderFor(loc.model);

  const timed = o.confidenceOnly
    ? []
    : corpus.queries.filter((q) => q.start !== undefined && q.end !== undefined).slice(0, o.maxQueries ?? Infinity);
  const grounding: Record<string, GroundingSample[]> = {};
  const corpusS: Record<string, CorpusSample[]> = {};
  for (const [row] of rows) {
    grounding[row] = [];
    corpusS[row] = [];
  }
  const topV = o.corpusTopVideos ?? 5;
  const allVectors = corpus.videos.map((v) => emb.get(v.id)!);
  const t0 = Date.now();
  timed.forEach((q, qi) => {
    const v = corpus.byId.get(q.video)!;
    const gt = { start: q.start!, end: q.end! };
    // corpus stage 1: rank videos as search does: by the relevance scorer's video score when
    // installed, else by their best LocVTP window
    const relScores = ranker ? ranker.score(q.query, allVectors) : null;
    const qvec = relScores ? null : embed(q.query);
    const ranked = corpus.videos
      .map((cv, vi) => ({
        id: cv.id,
        score: relScores
          ? (relScores[vi] ?? -Infinity)
          : (slidingWindows(clipSims(emb.get(cv.id)!, qvec!), cv.duration, 1).scores[0] ?? -Infinity),
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, topV);
    for (const [row, grounder, clips] of rows) {
      const spansIn = (id: string, duration: number) =>
        grounder.ground(q.query, [{ clips: (clips ?? emb).get(id)!, durationSeconds: duration }], { topK: 5 })[0].spans;
      grounding[row].push({ gt, predictions: spansIn(q.video, v.duration) });
      const preds = ranked.map((r) => {
        const s = spansIn(r.id, corpus.byId.get(r.id)!.duration)[0] ?? { start: 0, end: 0 };
        return { video: r.id, start: s.start, end: s.end };
      });
      corpusS[row].push({ gt: { video: q.video, ...gt }, predictions: preds });
    }
    if ((qi + 1) % 100 === 0) log(`  ${qi + 1}/${timed.length} queries (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
  });
  const methods: Record<string, MetricRow> = {};
  const corpusRows: Record<string, MetricRow> = {};
  for (const [row] of rows) {
    methods[row] = round(evaluateGrounding(grounding[row]));
    corpusRows[row] = round(evaluateCorpus(corpusS[row]));
  }
  const confidence = rel && !o.groundingOnly ? await evaluateConfidence(corpus, emb, mdir, o, versions) : undefined;
  return {
    queries: timed.length,
    corpusRanker: rel ? "relevance" : "locvtp-sliding-window",
    methods,
    corpus: corpusRows,
    versions,
    confidence,
  };
}

/**
 * The confidence part: the installed calibrator (or its uncalibrated stand-in) on the folder's
 * real queries plus generated unanswerable ones, collected as the fit collected them (the
 * manifest's recipe, with other seeds for the generated queries).
 */
async function evaluateConfidence(
  corpus: Corpus,
  emb: Map<string, ClipVector[]>,
  mdir: string,
  o: EvalOpts,
  versions: Record<string, string>,
): Promise<ConfidenceResult> {
  const log = o.log ?? (() => {});
  const cdir = path.join(mdir, "calibration");
  const calibrator = loadCalibrator(cdir, {
    relevance: versions.relevance ?? null,
    locvtp: versions.locvtp,
    verifier: versions.verifier ?? null,
  });
  versions.calibration = calibrator.version;
  if (calibrator.reason) log(`confidence: ${calibrator.reason}`);
  const manifestFile = path.join(cdir, "manifest.json");
  const recipe: CalibrationRecipe = existsSync(manifestFile)
    ? (JSON.parse(readFileSync(manifestFile, "utf8")).recipe as CalibrationRecipe)
    : readRecipe();
  // generated queries differ from the fit's (another seed)
  const seed = recipe.seed + 1000;
  const run = async (c: Corpus, s: number) =>
    calibrationData(c, recipe, {
      models: mdir,
      queries: calibrationQueries(c, { ...recipe, queries: EVAL_QUERIES }, s, o.maxQueries),
      vectors: emb,
      log,
    });
  log(`confidence on ${corpus.dir} as one library (${corpus.videos.length} videos)`);
  const whole = await run(corpus, seed);
  o.onConfidenceData?.(whole);
  const result: ConfidenceResult = { library: evaluateCalibration(whole.queries, whole.candidates, calibrator) };
  const n = o.subLibraries ?? (corpus.videos.length >= 40 ? 4 : 0);
  if (n > 1) {
    const parts = subLibraries(corpus, n, seed);
    log(`confidence on ${n} sub-libraries of ≈ ${Math.round(corpus.videos.length / n)} videos`);
    const data: CalibrationData[] = [];
    for (const [k, part] of parts.entries()) data.push(await run(part, seed + 1 + k));
    const all = concatData(data);
    result.subLibraries = {
      ...evaluateCalibration(all.queries, all.candidates, calibrator),
      count: n,
      videos: Math.round(corpus.videos.length / n),
    };
  }
  return result;
}

function round(r: MetricRow): MetricRow {
  const o = {} as MetricRow;
  for (const [k, v] of Object.entries(r)) o[k as keyof MetricRow] = Math.round(v * 100) / 100;
  return o;
}
