/**
 * Stage 4, fuse with text: subtitle/caption hits (full-text search) and the grounded spans are
 * two ranked lists, merged by reciprocal rank fusion; a cue and a span of the same video that
 * overlap are one moment, whose span comes from the list that ranked it higher (fusion.ts).
 */
import type { CueHit } from "@/db/repositories/cues";
import { overlaps, reciprocalRankFusion, RRF_K } from "./fusion";
import type { FusedMoment, VectorMoment } from "./types";

type Item = Omit<FusedMoment, "score">;

/** The fused ranking, best first; scores normalised so that first in every list scores 1. */
export function fuseWithText(vectorMoments: VectorMoment[], cueHits: CueHit[]): FusedMoment[] {
  const textMoments: Item[] = cueHits.map((c) => ({ videoId: c.videoId, start: c.start, end: c.end, cue: c }));
  // Text first: on a tie, a subtitle's exact timing sets the span.
  const lists: Item[][] = [textMoments, vectorMoments.map((m) => ({ videoId: m.videoId, start: m.start, end: m.end, vector: m }))];
  const maxScore = lists.filter((l) => l.length).length / (RRF_K + 1) || 1;
  return reciprocalRankFusion<Item>(lists, (a, b) => a.videoId === b.videoId && overlaps(a, b)).map((f) => ({
    ...f.item,
    cue: f.members[0]?.cue,
    vector: f.members[1]?.vector,
    score: f.score / maxScore,
  }));
}
