/** Hand-made videos, clips and grounders for the search stages' unit tests. */
import type { Video } from "@/db/repositories/videos";
import type { ClipVector, Grounder, GroundedSpan, VideoRanker } from "@/ml/types";

export function video(id: string, o: Partial<Video> = {}): Video {
  const t = new Date("2026-01-01T00:00:00Z");
  return {
    id,
    originalName: `${id}.mp4`,
    title: null,
    storedPath: `media/${id}/original.mp4`,
    sha256: id,
    bytes: 1,
    duration: 10,
    fps: 25,
    width: 640,
    height: 480,
    codec: "h264",
    container: "mp4",
    status: "ready",
    progress: 100,
    error: null,
    warning: null,
    attempts: 1,
    modelVersion: "test",
    clipsModelVersion: 1,
    clipSeconds: 1,
    posterPath: null,
    spritePath: null,
    sprite: null,
    createdAt: t,
    updatedAt: t,
    readyAt: t,
    addedBy: null,
    processingStartedAt: null,
    ocrStatus: null,
    ocrProgress: 0,
    ocrError: null,
    hasText: false,
    ...o,
  };
}

/** n clips whose embeddings are the unit vector e_k (k = 0 unless `axis` says otherwise per clip). */
export function clips(n: number, axis: (i: number) => number = () => 0, relevance?: number): ClipVector[] {
  return Array.from({ length: n }, (_, i) => {
    const embedding = new Float32Array(4);
    embedding[axis(i)] = 1;
    return relevance === undefined ? { embedding } : { embedding, relevance: new Float32Array(2).fill(relevance) };
  });
}

/** A grounder answering fixed spans per video (by its clip count) and an optional video score. */
export function fixedGrounder(
  answers: Map<number, { spans: GroundedSpan[]; videoScore: number | null }>,
): Grounder & { calls: number } {
  const g = {
    method: "cpl-vote" as const,
    version: "fixed",
    calls: 0,
    ground(_sentence: string, videos: { clips: ClipVector[] }[]) {
      g.calls++;
      return videos.map((v) => answers.get(v.clips.length) ?? { spans: [], videoScore: null });
    },
  };
  return g;
}

/**
 * A ranker whose first pass scores a video by the first value of its first clip's prefix, and
 * whose full score is the first value of its first clip's relevance features.
 */
export function fixedRanker(firstPassDims = 2): VideoRanker {
  return {
    version: "ranker",
    firstPassDims,
    score: (_s, videos) => videos.map((v) => v[0]?.relevance?.[0] ?? null),
    firstPass: (_s, prefixes) => prefixes.map((p) => p[0][0]),
    // no edits: every moment's contrast is unknown (the calibrator's neutral value)
    contrast: (_s, videos) => videos.map((v) => ({ video: null, spans: v.spans.map(() => null) })),
    // no verifier installed
    verify: (_s, videos) => videos.map(() => null),
    readsSlots: () => false,
    verifier: null,
  };
}
