/**
 * Stage 4, fuse with text: every grounded span and every subtitle/caption hit becomes a
 * candidate moment with a confidence on one scale (lib/search/confidence.ts); inside a
 * video, spans that mostly repeat a more confident one are suppressed (temporal
 * non-maximum suppression), so a video with three matching events keeps three moments; a
 * text hit and a grounded span of one video that overlap are one moment whose confidence
 * combines both, with the span of the more confident evidence. Best first.
 */
import type { CueHit } from "@/db/repositories/cues";
import { iou } from "@/ml/data/metrics";
import { combineConfidence, textConfidence } from "./confidence";
import { overlaps } from "./fusion";
import type { FusedMoment, Span, VectorMoment } from "./types";

/** Spans of one video overlapping a kept one by more than this are the same moment. */
export const NMS_IOU = 0.3;

type Grounded = Span & { similarity: number };

/** A video's grounded spans, most confident first, without the ones repeating a kept span. */
export function suppressOverlaps<T extends { start: number; end: number; confidence: number }>(
  spans: T[],
  maxIou = NMS_IOU,
): T[] {
  const kept: T[] = [];
  for (const s of [...spans].sort((a, b) => b.confidence - a.confidence))
    if (kept.every((k) => iou(k, s) <= maxIou)) kept.push(s);
  return kept;
}

export function fuseWithText(query: string, vectorMoments: VectorMoment[], cueHits: CueHit[]): FusedMoment[] {
  const moments: FusedMoment[] = [];
  // every span the grounder gave for a video (inside one video it returns several heads)
  const byVideo = new Map<string, Grounded[]>();
  for (const vm of vectorMoments) {
    const list = byVideo.get(vm.videoId) ?? [];
    for (const s of [
      { start: vm.start, end: vm.end, score: vm.similarity, similarity: vm.similarity, confidence: vm.confidence },
      ...vm.alternatives.map((a) => ({ ...a, similarity: a.score })),
    ]) {
      if (!list.some((x) => x.start === s.start && x.end === s.end)) list.push(s);
    }
    byVideo.set(vm.videoId, list);
  }
  for (const [videoId, spans] of byVideo) {
    const kept = suppressOverlaps(spans);
    for (const s of kept) {
      moments.push({
        videoId,
        start: s.start,
        end: s.end,
        confidence: s.confidence,
        vector: { start: s.start, end: s.end, similarity: s.similarity, confidence: s.confidence },
        others: spans
          .filter((o) => o !== s)
          .map(({ start, end, score, confidence }) => ({ start, end, score, confidence })),
      });
    }
  }
  // each text hit joins the most confident overlapping grounded moment of its video, once
  for (const hit of cueHits) {
    const c = textConfidence(query, hit);
    const partner = moments
      .filter((m) => m.videoId === hit.videoId && !m.cue && m.vector && overlaps(m, hit))
      .sort((a, b) => b.confidence - a.confidence)[0];
    if (partner) {
      const textLeads = c >= partner.vector!.confidence;
      partner.cue = hit;
      partner.confidence = combineConfidence(c, partner.vector!.confidence);
      if (textLeads) {
        partner.start = hit.start;
        partner.end = hit.end;
      }
    } else moments.push({ videoId: hit.videoId, start: hit.start, end: hit.end, confidence: c, cue: hit, others: [] });
  }
  // ties: text first (an exact timing), then earlier in the video
  return moments.sort((a, b) => b.confidence - a.confidence || Number(!!b.cue) - Number(!!a.cue) || a.start - b.start);
}
