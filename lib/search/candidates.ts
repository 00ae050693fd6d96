/**
 * Stage 1, gather candidates: the videos whose clips or whole-video embeddings are the query's
 * nearest neighbours (pgvector HNSW), fused by reciprocal rank into one pool.
 */
import type { ClipHit } from "@/db/repositories/search";
import type { Video } from "@/db/repositories/videos";
import { reciprocalRankFusion } from "./fusion";
import type { Candidates } from "./types";

/** The pool from the ANN hits: clip-level and video-level rankings fused, `size` videos at most. */
export function gatherCandidates(
  clipHits: Pick<ClipHit, "videoId" | "similarity">[],
  videoHits: { videoId: string }[],
  size: number,
): Candidates {
  const bestClip = new Map<string, number>();
  const byClip: string[] = [];
  for (const h of clipHits) {
    if (bestClip.has(h.videoId)) continue;
    bestClip.set(h.videoId, h.similarity);
    byClip.push(h.videoId);
  }
  const pool = reciprocalRankFusion([byClip, videoHits.map((v) => v.videoId)], (a, b) => a === b)
    .slice(0, size)
    .map((r) => r.item);
  return { pool, bestClip };
}

/** A search inside one video: that video, when it is ready. */
export function scopedCandidates(video: Pick<Video, "id" | "status">): Candidates {
  return video.status === "ready"
    ? { pool: [video.id], bestClip: new Map([[video.id, 0]]) }
    : { pool: [], bestClip: new Map() };
}
