/**
 * Search: a sentence in, ranked moments out, as five named stages (each in its own file, each
 * timed; the timings are returned with the results):
 *
 *   1. gather candidates (candidates.ts): the LocVTP sentence embedding (cached) → pgvector HNSW
 *      top clips and top videos → one pool by reciprocal rank; subtitle hits by full-text search
 *   2. pre-rank (pre-rank.ts): the relevance scorer's cheap first pass re-ranks the pool; the
 *      best few are kept
 *   3. ground (ground.ts): the chosen grounding method on each kept candidate's clip vectors,
 *      one batched call; each span's evidence
 *   4. fuse with text (fuse.ts): grounded spans and subtitle hits by reciprocal rank
 *   5. shape moments (moments.ts): one card per video (or per moment inside one video), each
 *      with its alternatives; the requested page
 */
import { LRUCache } from "lru-cache";
import { searchCues } from "@/db/repositories/cues";
import { clipRelevancePrefixes, clipVectors, nearestClips, nearestVideos } from "@/db/repositories/search";
import { findVideo, findVideosByIds } from "@/db/repositories/videos";
import type { GroundMethod } from "@/ml/types";
import type { Context } from "../context";
import { badRequest, notFound } from "../errors";
import { calibratorForMethod } from "@/ml";
import { withOneVersion, type VersionModels } from "../models";
import { gatherCandidates, scopedCandidates } from "./candidates";
import { fuseWithText } from "./fuse";
import { groundableCandidates, groundCandidates } from "./ground";
import { shapeMoments } from "./moments";
import { preRank } from "./pre-rank";
import type { Candidates, Moment } from "./types";

export type { Moment, Span } from "./types";

export const MAX_QUERY_LENGTH = 500;
/** clips fetched from the ANN index per query */
const ANN_CLIPS = 200;
/** videos fetched by video-level similarity */
const ANN_VIDEOS = 30;
/**
 * videos the first-pass ranker re-ranks (LocVTP's ranking alone misses many: docs/experiments/
 * 010-search-candidates.md); 48 took ≈ 28 ms of a 73 ms search at 100k clips, 24 about half that
 */
const PRE_RANK_POOL = 24;
/**
 * candidate videos that are grounded, whatever page is asked for: the moments, and `total`,
 * come from the same candidates for every `limit` and `offset`
 */
const GROUNDED_VIDEOS = 24;
/** spans asked of the grounder per video: each can become a moment of its own */
const SPANS_PER_VIDEO = 5;
const ALTERNATIVES = 4;

/** What found a moment, for the results page's filter. */
export const SEARCH_SOURCES = ["visual", "text"] as const;
/** How moments are ordered: by confidence (default), or by video and start. */
export const SEARCH_SORTS = ["confidence", "time"] as const;

export interface SearchRequest {
  q: string;
  limit?: number;
  offset?: number;
  videoId?: string;
  method?: GroundMethod;
  /** moments below this confidence are not shown (counted in `weaker`); default: the calibration's threshold */
  minConfidence?: number;
  /** "visual": found by the pictures; "text": by subtitles or on-screen text */
  source?: (typeof SEARCH_SOURCES)[number];
  /** videos at least / at most this long (seconds) */
  minDuration?: number;
  maxDuration?: number;
  /** "confidence" (default), or "time": by video, then start */
  sort?: (typeof SEARCH_SORTS)[number];
}

export interface SearchResult {
  query: string;
  method: GroundMethod;
  moments: Moment[];
  /** moments at or above `minConfidence` (after the filters), whatever the page */
  total: number;
  /** moments below it: "show weaker matches" */
  weaker: number;
  minConfidence: number;
  limit: number;
  offset: number;
  timings: Record<"embed" | "ann" | "text" | "rank" | "fetch" | "ground" | "fuse" | "total", number>;
  /** the default threshold: under it a moment is "no good match" (the calibration's; `level` is relative to it) */
  threshold: number;
  /** the model version that answered (model_versions), and its parts */
  models: { version: number; textEncoder: string; grounder: string; calibration: string };
}

const embeddingCache = new LRUCache<string, Float32Array>({ max: 1000 });

/** The results page's filters: what found the moment, and the video's length. */
export function filterMoments(
  moments: Moment[],
  f: Pick<SearchRequest, "source" | "minDuration" | "maxDuration">,
): Moment[] {
  return moments.filter((m) => {
    if (f.source === "visual" && m.source === "text") return false;
    if (f.source === "text" && m.source === "visual") return false;
    const d = m.video.duration ?? 0;
    if (f.minDuration !== undefined && d < f.minDuration) return false;
    if (f.maxDuration !== undefined && d > f.maxDuration) return false;
    return true;
  });
}

export function validateQuery(raw: string | null | undefined): string {
  const q = (raw ?? "").replace(/\s+/g, " ").trim();
  if (!q) throw badRequest("Type a sentence that describes the moment you are looking for.", "empty_query");
  if (q.length > MAX_QUERY_LENGTH)
    throw badRequest(`The query is ${q.length} characters long; the limit is ${MAX_QUERY_LENGTH}.`, "query_too_long");
  return q;
}

/**
 * One search, answered wholly by one model version: the active version is read before and
 * after, and a search that a switch overtook (the switch replaces every clip vector and the
 * active version in one transaction) runs again with the new version, so a result never mixes
 * the old version's query embedding or grounder with the new version's clip vectors.
 */
export function search(ctx: Context, req: SearchRequest): Promise<SearchResult> {
  return withOneVersion(ctx, (models) => searchWith(ctx, req, models));
}

async function searchWith(ctx: Context, req: SearchRequest, versionModels: VersionModels): Promise<SearchResult> {
  const t0 = performance.now();
  const q = validateQuery(req.q);
  const limit = req.limit ?? 10;
  const offset = req.offset ?? 0;
  const timings = { embed: 0, ann: 0, text: 0, rank: 0, fetch: 0, ground: 0, fuse: 0, total: 0 };
  let mark = performance.now();
  const lap = (k: keyof typeof timings) => {
    const now = performance.now();
    timings[k] = Math.round((now - mark) * 10) / 10;
    mark = now;
  };

  const scope = req.videoId ? await findVideo(ctx.db, req.videoId) : null;
  if (req.videoId && !scope) throw notFound(`No video with id ${req.videoId}.`);
  const [textEncoder, models, fitted] = await Promise.all([
    versionModels.textEncoder(),
    versionModels.groundingModels(),
    versionModels.calibrator(),
  ]);
  const method = req.method ?? models.defaultMethod;
  if (!models.methods.includes(method))
    throw badRequest(
      `The grounding method "${method}" is not installed; installed: ${models.methods.join(", ")}.`,
      "method_not_installed",
    );
  const cacheKey = `${versionModels.version}\u0000${textEncoder.version}\u0000${q.toLowerCase()}`;
  let query = embeddingCache.get(cacheKey);
  if (!query) {
    query = await textEncoder.encodeSentence(q);
    embeddingCache.set(cacheKey, query);
  }
  lap("embed");

  // 1. gather candidates
  const fetchCount = GROUNDED_VIDEOS;
  let candidates: Candidates;
  if (scope) candidates = scopedCandidates(scope);
  else {
    const [clipHits, videoHits] = await Promise.all([
      nearestClips(ctx.db, query, { limit: ANN_CLIPS }),
      nearestVideos(ctx.db, query, ANN_VIDEOS),
    ]);
    candidates = gatherCandidates(clipHits, videoHits, Math.max(PRE_RANK_POOL, fetchCount));
  }
  lap("ann");
  const cueHits = await searchCues(ctx.db, q, { limit: 100, videoId: scope?.id });
  lap("text");

  // 2. pre-rank
  const pool = await preRank(q, candidates.pool, {
    keep: scope ? 1 : fetchCount,
    ranker: models.ranker,
    relevancePrefixes: (ids, dims) => clipRelevancePrefixes(ctx.db, ids, dims),
  });
  lap("rank");
  const videos = new Map(
    (await findVideosByIds(ctx.db, [...new Set([...pool, ...cueHits.map((c) => c.videoId)])])).map((v) => [v.id, v]),
  );
  // the slot statistics only where the span verifier will read them (an installed verifier
  // that reads slots, a sentence of its grammar): they nearly double the bytes fetched
  const vectors = await clipVectors(ctx.db, pool, { slots: models.ranker?.readsSlots(q) ?? false });
  lap("fetch");

  // 3. ground
  const vectorMoments = groundCandidates(q, query, groundableCandidates(pool, videos, vectors), {
    grounder: models.grounder(method),
    ranker: models.ranker,
    calibrator: fitted,
    bestClip: candidates.bestClip,
    scoped: !!scope,
    alternatives: SPANS_PER_VIDEO - 1,
  });
  lap("ground");

  // 4. fuse with text, 5. shape moments; then the filters, the threshold and the page
  // under the calibration's threshold a moment is more likely wrong than worth showing
  // (docs/experiments/019-calibration.md chose it); another method's spans are uncalibrated
  const calibrator = calibratorForMethod(fitted, method);
  const threshold = calibrator.threshold;
  const minConfidence = req.minConfidence ?? threshold;
  const all = filterMoments(
    shapeMoments(fuseWithText(q, vectorMoments, cueHits), videos, { threshold, alternatives: ALTERNATIVES }),
    req,
  );
  const shown = all.filter((m) => m.confidence >= minConfidence);
  if (req.sort === "time") shown.sort((a, b) => a.video.id.localeCompare(b.video.id) || a.start - b.start);
  lap("fuse");
  timings.total = Math.round((performance.now() - t0) * 10) / 10;
  return {
    query: q,
    method,
    moments: shown.slice(offset, offset + limit),
    total: shown.length,
    weaker: all.length - shown.length,
    minConfidence,
    limit,
    offset,
    timings,
    threshold,
    models: {
      version: versionModels.version,
      textEncoder: textEncoder.version,
      grounder: models.version,
      calibration: calibrator.version,
    },
  };
}
