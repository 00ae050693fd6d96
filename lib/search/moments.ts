/**
 * Stage 5, shape moments: the fused ranking as the API's moments. Across the library one card
 * per video (a video's lower-ranked spans become its alternatives); inside one video every
 * moment is a card. Times and scores rounded to milliseconds / thousandths.
 */
import { kindOf } from "@/db/repositories/cues";
import type { Video } from "@/db/repositories/videos";
import { toVideoDto } from "../videos/dto";
import type { FusedMoment, Moment, Span } from "./types";

export function shapeMoments(fused: FusedMoment[], videos: Map<string, Video>, o: { scoped: boolean; alternatives: number }): Moment[] {
  const moments: Moment[] = [];
  const byVideo = new Map<string, Moment>();
  for (const f of fused) {
    const v = videos.get(f.videoId);
    if (!v) continue;
    // Across the library, one card per video: a video's lower-ranked spans (e.g. the
    // visual guess beside a subtitle match elsewhere in it) become alternatives.
    const first = o.scoped ? undefined : byVideo.get(v.id);
    if (first) {
      if (first.alternatives.length < o.alternatives) first.alternatives.push({ start: round3(f.start), end: round3(f.end), score: round3(f.vector?.similarity ?? 0) });
      continue;
    }
    const dto = toVideoDto(v);
    const moment: Moment = {
      videoId: v.id,
      start: round3(f.start),
      end: round3(f.end),
      score: round3(f.score),
      similarity: f.vector ? round3(f.vector.similarity) : null,
      text: f.cue?.text ?? null,
      textSource: f.cue ? kindOf(f.cue.source) : null,
      alternatives: alternativesOf(f, o.alternatives),
      video: { id: dto.id, name: dto.name, duration: dto.duration, urls: dto.urls, sprite: dto.sprite, width: dto.width, height: dto.height },
    };
    byVideo.set(v.id, moment);
    moments.push(moment);
  }
  return moments;
}

/** The grounder's other spans, plus the grounded span itself when a cue set the moment's span. */
function alternativesOf(m: FusedMoment, max: number): Span[] {
  const v = m.vector;
  if (!v) return [];
  const spans = v.start === m.start && v.end === m.end ? v.alternatives : [{ start: v.start, end: v.end, score: v.similarity }, ...v.alternatives];
  return spans.slice(0, max).map((a) => ({ start: round3(a.start), end: round3(a.end), score: round3(a.score) }));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
