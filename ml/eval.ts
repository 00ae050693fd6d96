/**
 * Evaluation of the grounders and baselines on a moment dataset (datasets.md §2):
 * grounding (query in its own video) and corpus moment retrieval (query over all videos:
 * LocVTP ranks the videos, then each method grounds inside the top-5 videos).
 */
import path from "node:path";
import { existsSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { evaluateCorpus, evaluateGrounding, type CorpusSample, type GroundingSample, type MetricRow, type Span } from "./data/metrics";
import { clipVectors, groundWithModel, loadCpl, loadLocVtp, loadRelevance, relevanceScores, videoRelevance } from "./index";
import { relevanceSpans } from "./models/relevance";
import { modelsDir } from "./config";
import { encodeText } from "./core/tokenizer";
import { iouVote, spanIou } from "./cpl/geometry";
import { Rng } from "./core/rng";
import type { Corpus } from "./train/corpus";
import type { CplModel } from "./models/cpl";
import type { LocVtpModel } from "./models/locvtp";

export type Predictor = (q: { query: string; qvec: Float32Array; video: string }, clips: Float32Array[], duration: number) => Span[];

/** Mean clip·query similarity in every window of every scale; windows ranked with NMS. */
export function slidingWindows(sims: Float32Array, duration: number, topK = 5, scales = [0.04, 0.08, 0.12, 0.18, 0.25, 0.35, 0.5]): { spans: Span[]; scores: number[] } {
  const n = sims.length;
  const cands: { span: Span; score: number }[] = [];
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + sims[i];
  const seen = new Set<string>();
  for (const s of scales) {
    const len = Math.max(1, Math.round(s * n));
    const stride = Math.max(1, Math.floor(len / 2));
    for (let a = 0; a + len <= n; a += stride) {
      if (seen.has(`${a}:${len}`)) continue;
      seen.add(`${a}:${len}`);
      cands.push({ span: { start: (a / n) * duration, end: ((a + len) / n) * duration }, score: (prefix[a + len] - prefix[a]) / len });
    }
    if (n - len > 0 && (n - len) % stride !== 0 && !seen.has(`${n - len}:${len}`)) {
      cands.push({ span: { start: ((n - len) / n) * duration, end: duration }, score: (prefix[n] - prefix[n - len]) / len });
    }
  }
  cands.sort((a, b) => b.score - a.score);
  const keep: typeof cands = [];
  for (const c of cands) {
    if (keep.every((k) => spanIou(k.span, c.span) < 0.5)) keep.push(c);
    if (keep.length >= topK) break;
  }
  return { spans: keep.map((k) => k.span), scores: keep.map((k) => k.score) };
}

export function clipSims(clips: Float32Array[], q: Float32Array): Float32Array {
  return Float32Array.from(clips, (c) => {
    let s = 0;
    for (let i = 0; i < q.length; i++) s += c[i] * q[i];
    return s;
  });
}

export interface EvalResult {
  queries: number;
  /** what ranks the videos in corpus moment retrieval */
  corpusRanker: "relevance" | "locvtp-sliding-window";
  methods: Record<string, MetricRow>;
  corpus: Record<string, MetricRow>;
  /** which model versions produced the numbers */
  versions: Record<string, string>;
}

export interface EvalOpts {
  models?: string;
  /** extra CPL-format grounders to evaluate: name → dir */
  extraGrounders?: Record<string, string>;
  maxQueries?: number;
  corpusTopVideos?: number;
  log?: (s: string) => void;
}

export async function evaluate(corpus: Corpus, o: EvalOpts = {}): Promise<EvalResult> {
  const mdir = o.models ?? modelsDir();
  const log = o.log ?? (() => {});
  const loc = await loadLocVtp(path.join(mdir, "locvtp"));
  const versions: Record<string, string> = { locvtp: loc.version };
  // the weakly trained relevance scorer (when installed): its clip features follow each
  // embedding, as the app stores them
  const rel = await loadRelevance(path.join(mdir, "relevance"));
  if (rel) versions.relevance = rel.version;
  const emb = new Map<string, Float32Array[]>();
  for (const v of corpus.videos) emb.set(v.id, clipVectors(loc.model, rel?.model ?? null, v.feats, v.nClips));
  const D = loc.model.cfg.clip.outDim;
  const grounders: Record<string, CplModel> = {};
  const cpl = await loadCpl(path.join(mdir, "cpl"));
  grounders.cpl = cpl.model;
  versions.cpl = cpl.version;
  const extra = {
    single_gaussian: path.join(mdir, "baselines", "cnm"),
    upper_bound_supervised: path.join(mdir, "baselines", "supervised"),
    ...o.extraGrounders,
  };
  for (const [name, dir] of Object.entries(extra)) {
    if (!existsSync(path.join(dir, "manifest.json"))) continue;
    const g = await loadCpl(dir);
    grounders[name] = g.model;
    versions[name] = g.version;
  }
  const rng = new Rng(12345);
  const predictors: Record<string, Predictor> = {
    cpl: (q, clips, d) => groundWithModel(grounders.cpl, q.query, clips, d, { method: "loss", topK: 5 }),
    cpl_vote: (q, clips, d) => groundWithModel(grounders.cpl, q.query, clips, d, { method: "vote", topK: 5 }),
    random: (_q, _clips, d) =>
      Array.from({ length: 5 }, () => {
        const c = rng.next();
        const w = rng.next();
        return { start: Math.max(c - w / 2, 0) * d, end: Math.min(c + w / 2, 1) * d };
      }),
    sliding_window_locvtp: (q, clips, d) => slidingWindows(clipSims(clips, q.qvec), d).spans,
  };
  // ablation: the relevance scorer alone, its span read straight off the token scores (no CPL)
  if (rel) predictors.relevance_scores = (q, clips, d) => relevanceSpans(relevanceScores(rel.model, q.query, [clips], D), d, 5);
  for (const name of Object.keys(grounders)) {
    if (name === "cpl") continue;
    predictors[name] = (q, clips, d) => groundWithModel(grounders[name], q.query, clips, d, { method: "vote", topK: 5 });
  }

  const timed = corpus.queries.filter((q) => q.start !== undefined && q.end !== undefined).slice(0, o.maxQueries ?? Infinity);
  const qvecs = timed.map((q) =>
    tf.tidy(() => {
      const { words, mask } = loc.model.encodeWordsT([encodeText(q.query, loc.model.cfg.text.maxWords, loc.model.cfg.text.buckets)]);
      return loc.model.sentenceT(words, mask).dataSync() as Float32Array;
    }).slice(),
  );
  const grounding: Record<string, GroundingSample[]> = {};
  const corpusS: Record<string, CorpusSample[]> = {};
  for (const m of Object.keys(predictors)) {
    grounding[m] = [];
    corpusS[m] = [];
  }
  const topV = o.corpusTopVideos ?? 5;
  const allVectors = corpus.videos.map((v) => emb.get(v.id)!);
  const t0 = Date.now();
  timed.forEach((q, qi) => {
    const v = corpus.byId.get(q.video)!;
    const gt = { start: q.start!, end: q.end! };
    const query = { query: q.query, qvec: qvecs[qi], video: q.video };
    // corpus stage 1: rank videos as search does: by the relevance scorer's video score when
    // installed, else by their best LocVTP window
    const relScores = rel ? videoRelevance(rel.model, q.query, allVectors, D) : null;
    const ranked = corpus.videos
      .map((cv, vi) => ({ id: cv.id, score: relScores ? (relScores[vi] ?? -Infinity) : (slidingWindows(clipSims(emb.get(cv.id)!, qvecs[qi]), cv.duration, 1).scores[0] ?? -Infinity) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, topV);
    for (const [m, pred] of Object.entries(predictors)) {
      grounding[m].push({ gt, predictions: pred(query, emb.get(q.video)!, v.duration) });
      const preds = ranked.map((r) => {
        const s = pred(query, emb.get(r.id)!, corpus.byId.get(r.id)!.duration)[0] ?? { start: 0, end: 0 };
        return { video: r.id, ...s };
      });
      corpusS[m].push({ gt: { video: q.video, ...gt }, predictions: preds });
    }
    if ((qi + 1) % 100 === 0) log(`  ${qi + 1}/${timed.length} queries (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
  });
  const methods: Record<string, MetricRow> = {};
  const corpusRows: Record<string, MetricRow> = {};
  for (const m of Object.keys(predictors)) {
    methods[m] = round(evaluateGrounding(grounding[m]));
    corpusRows[m] = round(evaluateCorpus(corpusS[m]));
  }
  return { queries: timed.length, corpusRanker: rel ? "relevance" : "locvtp-sliding-window", methods, corpus: corpusRows, versions };
}

function round(r: MetricRow): MetricRow {
  const o = {} as MetricRow;
  for (const [k, v] of Object.entries(r)) o[k as keyof MetricRow] = Math.round(v * 100) / 100;
  return o;
}

export { iouVote };
export type { LocVtpModel };
