/**
 * "More like this": moments whose clips look like a given moment's. The moment's clips
 * are averaged into one direction (their embeddings are unit vectors, so the mean is
 * renormalised); the nearest clips of the library (HNSW) are grouped into spans of
 * adjacent clips per video; the moment itself (its own video, overlapping its span) is
 * left out; spans are scored by their mean cosine similarity and kept apart by the same
 * temporal NMS as search.
 */
import { clipVectors, nearestClips, type ClipHit } from "@/db/repositories/search";
import { findVideosByIds } from "@/db/repositories/videos";
import type { Context } from "../context";
import { withOneVersion } from "../models";
import { badRequest } from "../errors";
import { getVideo } from "../videos/service";
import { overlaps } from "./fusion";
import { suppressOverlaps } from "./fuse";
import { momentVideo, round3 } from "./moments";
import type { Moment } from "./types";

export interface SimilarMoment {
  videoId: string;
  start: number;
  end: number;
  /** mean cosine similarity (−1–1) of its clips to the moment's direction */
  similarity: number;
  video: Moment["video"];
}

const NEAREST_CLIPS = 200;

/** Adjacent clips of one video (by index) become one span; its score is their mean similarity. */
export function clipsToSpans(hits: ClipHit[]): { videoId: string; start: number; end: number; similarity: number }[] {
  const byVideo = new Map<string, ClipHit[]>();
  for (const h of hits) byVideo.set(h.videoId, [...(byVideo.get(h.videoId) ?? []), h]);
  const spans: { videoId: string; start: number; end: number; similarity: number }[] = [];
  for (const [videoId, list] of byVideo) {
    list.sort((a, b) => a.idx - b.idx);
    let run: ClipHit[] = [];
    const close = () => {
      if (run.length)
        spans.push({
          videoId,
          start: run[0].start,
          end: run[run.length - 1].end,
          similarity: run.reduce((s, c) => s + c.similarity, 0) / run.length,
        });
      run = [];
    };
    for (const c of list) {
      if (run.length && c.idx !== run[run.length - 1].idx + 1) close();
      run.push(c);
    }
    close();
  }
  return spans;
}

/**
 * The moments nearest to a video's span, and the model version whose clip vectors answered:
 * the span's vectors and the library's are read under one version (a switch that lands
 * between the two reads makes it run again), since two versions' embeddings are not comparable.
 */
export async function similarMoments(
  ctx: Context,
  o: { videoId: string; start: number; end: number; limit: number },
): Promise<{ moments: SimilarMoment[]; version: number }> {
  if (!(o.end > o.start && o.start >= 0))
    throw badRequest("start and end must be seconds with 0 ≤ start < end.", "invalid_span");
  await getVideo(ctx, o.videoId);
  return withOneVersion(ctx, async ({ version }) => ({ moments: await nearestMoments(ctx, o), version }));
}

async function nearestMoments(
  ctx: Context,
  o: { videoId: string; start: number; end: number; limit: number },
): Promise<SimilarMoment[]> {
  const clips = (await clipVectors(ctx.db, [o.videoId], { slots: false })).get(o.videoId) ?? [];
  const spansOf = await ctx.db.query<{ idx: number; start_s: number; end_s: number }>(
    "SELECT idx, start_s, end_s FROM clips WHERE video_id = $1 ORDER BY idx",
    [o.videoId],
  );
  const inside = spansOf.rows.map((c, i) => ({ i, c })).filter(({ c }) => c.end_s > o.start && c.start_s < o.end);
  if (inside.length === 0 || clips.length === 0)
    throw badRequest("The video has no clips in that span (is it processed?).", "no_clips");
  const dim = clips[0].embedding.length;
  const mean = new Float32Array(dim);
  for (const { i } of inside) for (let d = 0; d < dim; d++) mean[d] += clips[i].embedding[d];
  const norm = Math.hypot(...mean) || 1;
  for (let d = 0; d < dim; d++) mean[d] /= norm;
  const hits = (await nearestClips(ctx.db, mean, { limit: NEAREST_CLIPS })).filter(
    (h) => !(h.videoId === o.videoId && overlaps(h, o)),
  );
  const spans = clipsToSpans(hits);
  const kept: typeof spans = [];
  for (const videoId of new Set(spans.map((s) => s.videoId))) {
    kept.push(
      ...suppressOverlaps(spans.filter((s) => s.videoId === videoId).map((s) => ({ ...s, confidence: s.similarity }))),
    );
  }
  kept.sort((a, b) => b.similarity - a.similarity);
  const top = kept.slice(0, o.limit);
  const videos = new Map(
    (await findVideosByIds(ctx.db, [...new Set(top.map((s) => s.videoId))])).map((v) => [v.id, v]),
  );
  return top.flatMap((s) => {
    const v = videos.get(s.videoId);
    if (!v) return [];
    return [
      {
        videoId: s.videoId,
        start: round3(s.start),
        end: round3(s.end),
        similarity: round3(s.similarity),
        video: momentVideo(v),
      },
    ];
  });
}
