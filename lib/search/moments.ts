/**
 * Stage 5, shape moments: the fused moments as the API's cards, each with its confidence in
 * numbers and in words, what found it, the text that matched, and its video's other
 * grounded spans as faint alternatives. Times and confidences rounded to thousandths.
 */
import { kindOf } from "@/db/repositories/cues";
import type { Video } from "@/db/repositories/videos";
import { toVideoDto } from "../videos/dto";
import { confidenceLevel } from "./confidence";
import type { FusedMoment, Moment } from "./types";

export function shapeMoments(
  fused: FusedMoment[],
  videos: Map<string, Video>,
  o: { threshold: number; alternatives: number },
): Moment[] {
  const moments: Moment[] = [];
  for (const f of fused) {
    const v = videos.get(f.videoId);
    if (!v) continue;
    const confidence = round3(f.confidence);
    moments.push({
      videoId: v.id,
      start: round3(f.start),
      end: round3(f.end),
      confidence,
      level: confidenceLevel(confidence, o.threshold),
      score: confidence,
      source: f.vector && f.cue ? "both" : f.cue ? "text" : "visual",
      similarity: f.vector ? round3(f.vector.similarity) : null,
      text: f.cue?.text ?? null,
      textSource: f.cue ? kindOf(f.cue.source) : null,
      // the grounded span itself is an alternative when a text hit set the moment's span
      alternatives: [
        ...(f.vector && (f.vector.start !== f.start || f.vector.end !== f.end)
          ? [{ ...f.vector, score: f.vector.similarity }]
          : []),
        ...f.others,
      ]
        .slice(0, o.alternatives)
        .map((a) => ({
          start: round3(a.start),
          end: round3(a.end),
          score: round3(a.score),
          confidence: round3(a.confidence),
        })),
      video: momentVideo(v),
    });
  }
  return moments;
}

/** Times, scores and confidences as the API sends them: to thousandths. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** What a moment card says about its video. */
export function momentVideo(v: Video): Moment["video"] {
  const { id, name, duration, urls, sprite, width, height } = toVideoDto(v);
  return { id, name, duration, urls, sprite, width, height };
}
