/**
 * Search: a sentence in, ranked moments out.
 *
 *   sentence → LocVTP sentence embedding (cached)
 *            → pgvector HNSW: top clips and top videos
 *            → a pool of candidate videos (best clip similarity, video-level similarity)
 *            → a cheap first pass (one relevance-ensemble member) re-ranks the pool; the
 *              best few candidates are kept, and the full scorer ranks those
 *            → grounding on each candidate's clip vectors (the grounder's default method)
 *            → fusion with subtitle full-text hits (lib/search/fusion.ts)
 *            → top-N moments, each with its alternatives
 *
 * Every stage is timed and the timings are returned with the results.
 */
import { LRUCache } from "lru-cache";
import { iou } from "@/ml/data/metrics";
import { kindOf, searchCues, type CueHit, type TextKind } from "@/db/repositories/cues";
import { clipEmbeddings, clipGroundFeaturePrefixes, nearestClips, nearestVideos } from "@/db/repositories/search";
import { findVideo, findVideosByIds, type Video } from "@/db/repositories/videos";
import type { Context } from "../context";
import { badRequest, notFound } from "../errors";
import { getGrounder, getTextEncoder } from "../models";
import type { GroundMethod } from "@/ml/types";
import { toVideoDto, type VideoDto } from "../videos/dto";
import { dot, overlaps, reciprocalRankFusion, RRF_K, spanSimilarity, vectorMomentScore } from "./fusion";

export const MAX_QUERY_LENGTH = 500;
/** clips fetched from the ANN index per query */
const ANN_CLIPS = 200;
/** videos fetched by video-level similarity */
const ANN_VIDEOS = 30;
/**
 * videos the first-pass ranker re-ranks (LocVTP's ranking alone misses many: docs/models.md
 * § Search candidates); 48 took ≈ 28 ms of a 73 ms search at 100k clips, 24 about half that
 */
const PRE_RANK_POOL = 24;
/** candidate videos that are grounded: a few more than the page needs, at most this many */
const MAX_CANDIDATES = 24;
const EXTRA_CANDIDATES = 2;
const ALTERNATIVES = 4;

export interface SearchRequest {
  q: string;
  limit?: number;
  offset?: number;
  videoId?: string;
  method?: GroundMethod;
}

export interface Span {
  start: number;
  end: number;
  score: number;
}

export interface Moment {
  videoId: string;
  start: number;
  end: number;
  /** fused rank score in [0, 1], higher is better */
  score: number;
  /** mean query–clip cosine similarity inside the span (vector evidence) */
  similarity: number | null;
  /** the subtitle or on-screen text that matched, when text search contributed */
  text: string | null;
  /** where that text came from: subtitles (files, streams, datasets) or on-screen text (OCR) */
  textSource: TextKind | null;
  alternatives: Span[];
  video: Pick<VideoDto, "id" | "name" | "duration" | "urls" | "sprite" | "width" | "height">;
}

export interface SearchResult {
  query: string;
  method: GroundMethod;
  moments: Moment[];
  total: number;
  limit: number;
  offset: number;
  timings: Record<"embed" | "ann" | "text" | "rank" | "fetch" | "ground" | "fuse" | "total", number>;
  models: { textEncoder: string; grounder: string };
}

const embeddingCache = new LRUCache<string, Float32Array>({ max: 1000 });

export function validateQuery(raw: string | null | undefined): string {
  const q = (raw ?? "").replace(/\s+/g, " ").trim();
  if (!q) throw badRequest("Type a sentence to search for, e.g. “the red square spins”.", "empty_query");
  if (q.length > MAX_QUERY_LENGTH) throw badRequest(`The query is ${q.length} characters long; the limit is ${MAX_QUERY_LENGTH}.`, "query_too_long");
  return q;
}

interface VectorMoment {
  videoId: string;
  start: number;
  end: number;
  similarity: number;
  vectorScore: number;
  alternatives: Span[];
}

export async function search(ctx: Context, req: SearchRequest): Promise<SearchResult> {
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

  let scope: Video | null = null;
  if (req.videoId) {
    scope = await findVideo(ctx.db, req.videoId);
    if (!scope) throw notFound(`No video with id ${req.videoId}.`);
  }

  const [textEncoder, grounder] = await Promise.all([getTextEncoder(), getGrounder()]);
  const method = req.method ?? grounder.defaultMethod;
  const cacheKey = `${textEncoder.version}\u0000${q.toLowerCase()}`;
  let query = embeddingCache.get(cacheKey);
  if (!query) {
    query = await textEncoder.encodeSentence(q);
    embeddingCache.set(cacheKey, query);
  }
  lap("embed");

  // Candidate videos with their best clip similarity.
  const bestClip = new Map<string, number>();
  const rankLists: string[][] = [];
  if (scope) {
    if (scope.status === "ready") bestClip.set(scope.id, 0);
  } else {
    const [clipHits, videoHits] = await Promise.all([
      nearestClips(ctx.db, query, { limit: ANN_CLIPS }),
      nearestVideos(ctx.db, query, ANN_VIDEOS),
    ]);
    const byClip: string[] = [];
    for (const h of clipHits) {
      if (!bestClip.has(h.videoId)) {
        bestClip.set(h.videoId, h.similarity);
        byClip.push(h.videoId);
      }
    }
    rankLists.push(byClip, videoHits.map((v) => v.videoId));
  }
  lap("ann");

  const cueHits: CueHit[] = await searchCues(ctx.db, q, { limit: 100, videoId: scope?.id });
  lap("text");

  // Candidates: fuse the clip-level and video-level rankings into a pool. LocVTP's ranking
  // misses many right videos (docs/models.md § Search candidates), so when the grounder has a
  // cheap first-pass ranker (one member of the relevance ensemble) it re-ranks a larger pool
  // from a slice of the stored features, and the best few go on to full grounding.
  const fetchCount = Math.min(MAX_CANDIDATES, offset + limit + EXTRA_CANDIDATES);
  let pool = scope ? (bestClip.size ? [scope.id] : []) : reciprocalRankFusion(rankLists, (a, b) => a === b).slice(0, Math.max(PRE_RANK_POOL, fetchCount)).map((r) => r.item);
  if (pool.length > fetchCount && grounder.preRankDims > 0) {
    const prefixes = await clipGroundFeaturePrefixes(ctx.db, pool, grounder.preRankDims);
    const withFeatures = pool.filter((id) => prefixes.get(id)!.length > 0);
    const scores = await grounder.preRank(q, withFeatures.map((id) => prefixes.get(id)!));
    const rank = new Map(withFeatures.map((id, i) => [id, scores[i] ?? -Infinity]));
    // videos without the features keep their place after the scored ones (stable sort)
    pool = [...pool].sort((a, b) => compareDesc(rank.get(a) ?? -Infinity, rank.get(b) ?? -Infinity));
  }
  pool = pool.slice(0, scope ? 1 : fetchCount);
  lap("rank");
  const videos = new Map((await findVideosByIds(ctx.db, [...new Set([...pool, ...cueHits.map((c) => c.videoId)])])).map((v) => [v.id, v]));
  const embeddings = await clipEmbeddings(ctx.db, pool);
  lap("fetch");
  const usable = pool
    .map((id) => ({ id, v: videos.get(id), clips: embeddings.get(id) ?? [] }))
    .filter((c): c is { id: string; v: Video; clips: Float32Array[] } => !!c.v && c.v.status === "ready" && c.clips.length > 0 && !!c.v.duration)
    .map((c) => {
      const clipSeconds = c.v.clipSeconds ?? c.v.duration! / c.clips.length;
      return { ...c, clipSeconds, duration: Math.min(c.v.duration!, c.clips.length * clipSeconds) };
    });
  // The relevance scorer, when every candidate has its features, ranks the videos (it is
  // trained to tell the paired video from others); otherwise the LocVTP similarities do. Its
  // spans come from the same scoring pass, so with it every candidate is grounded at once.
  const videoScores = await grounder.videoRelevance(q, usable.map((c) => c.clips));
  const byRelevance = videoScores.length > 0 && videoScores.every((r) => r !== null);
  // One batched pass over every candidate.
  const allSpans = await grounder.groundMany(
    q,
    usable.map((c) => ({ clips: c.clips, durationSeconds: c.duration })),
    { method, topK: 1 + ALTERNATIVES },
  );
  const grounded = usable.map((c, i) => ({ ...c, relevance: videoScores[i], spans: allSpans[i] }));
  const vectorMoments: VectorMoment[] = [];
  grounded.forEach(({ id, clips, clipSeconds, relevance, spans }) => {
    if (spans.length === 0) return;
    let bestClipSim = bestClip.get(id) ?? 0;
    if (scope) for (const c of clips) bestClipSim = Math.max(bestClipSim, dot(query, c));
    // Alternatives are scored like moments' `similarity` (mean query–clip cosine in the span).
    const scored = spans.map((s) => ({ start: s.start, end: s.end, score: spanSimilarity(query, clips, clipSeconds, s.start, s.end) }));
    // Across the library: one moment per video, its other proposals as alternatives.
    // Inside one video: every distinct proposal is a moment of its own.
    const heads = scope ? distinctSpans(scored) : [scored[0]];
    for (const head of heads) {
      vectorMoments.push({
        videoId: id,
        start: head.start,
        end: head.end,
        similarity: head.score,
        vectorScore: byRelevance ? relevance! : vectorMomentScore(head.score, bestClipSim),
        alternatives: scored.filter((a) => a !== head && !heads.slice(1).includes(a)),
      });
    }
  });
  lap("ground");

  vectorMoments.sort((a, b) => b.vectorScore - a.vectorScore);
  type Item = { videoId: string; start: number; end: number; vector?: VectorMoment; cue?: CueHit };
  const textMoments: Item[] = cueHits.map((c) => ({ videoId: c.videoId, start: c.start, end: c.end, cue: c }));
  // Text first: on a tie, a subtitle's exact timing sets the span.
  const lists: Item[][] = [textMoments, vectorMoments.map((m) => ({ videoId: m.videoId, start: m.start, end: m.end, vector: m }))];
  const fused = reciprocalRankFusion<Item>(lists, (a, b) => a.videoId === b.videoId && overlaps(a, b)).map((f) => ({
    score: f.score,
    item: { ...f.item, cue: f.members[0]?.cue, vector: f.members[1]?.vector } as Item,
  }));
  const maxScore = lists.filter((l) => l.length).length / (RRF_K + 1) || 1;
  const moments: Moment[] = [];
  const byVideo = new Map<string, Moment>();
  for (const f of fused) {
    const v = videos.get(f.item.videoId);
    if (!v) continue;
    // Across the library, one card per video: a video's lower-ranked spans (e.g. the
    // visual guess beside a subtitle match elsewhere in it) become alternatives.
    const first = scope ? undefined : byVideo.get(v.id);
    if (first) {
      if (first.alternatives.length < ALTERNATIVES) {
        first.alternatives.push({ start: round3(f.item.start), end: round3(f.item.end), score: round3(f.item.vector?.similarity ?? 0) });
      }
      continue;
    }
    const dto = toVideoDto(v);
    const moment: Moment = {
      videoId: v.id,
      start: round3(f.item.start),
      end: round3(f.item.end),
      score: round3(f.score / maxScore),
      similarity: f.item.vector ? round3(f.item.vector.similarity) : null,
      text: f.item.cue?.text ?? null,
      textSource: f.item.cue ? kindOf(f.item.cue.source) : null,
      alternatives: alternativesOf(f.item),
      video: { id: dto.id, name: dto.name, duration: dto.duration, urls: dto.urls, sprite: dto.sprite, width: dto.width, height: dto.height },
    };
    byVideo.set(v.id, moment);
    moments.push(moment);
  }
  lap("fuse");
  timings.total = Math.round((performance.now() - t0) * 10) / 10;
  return {
    query: q,
    method,
    moments: moments.slice(offset, offset + limit),
    total: moments.length,
    limit,
    offset,
    timings,
    models: { textEncoder: textEncoder.version, grounder: grounder.version },
  };
}

/** The grounder's other proposals, plus the grounded span itself when a cue set the span. */
function alternativesOf(item: { start: number; end: number; vector?: { start: number; end: number; similarity: number; alternatives: Span[] } }): Span[] {
  const v = item.vector;
  if (!v) return [];
  const spans = v.start === item.start && v.end === item.end ? v.alternatives : [{ start: v.start, end: v.end, score: v.similarity }, ...v.alternatives];
  return spans.slice(0, ALTERNATIVES).map((a) => ({ start: round3(a.start), end: round3(a.end), score: round3(a.score) }));
}

/** Proposals in order, dropping any that mostly repeats an earlier one (IoU > 0.7). */
function distinctSpans<T extends { start: number; end: number }>(spans: T[]): T[] {
  const kept: T[] = [];
  for (const s of spans) if (!kept.some((k) => iou(k, s) > 0.7)) kept.push(s);
  return kept;
}

/** sort comparator, higher first; equal (also both −∞) keeps the order */
function compareDesc(a: number, b: number): number {
  return a > b ? -1 : a < b ? 1 : 0;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
