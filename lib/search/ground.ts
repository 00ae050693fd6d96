/**
 * Stage 3, ground: each candidate video's spans from the chosen grounding method, in one batched
 * call, and each span's evidence. Across videos, the relevance scorer's video score orders the
 * moments when every candidate has the scorer's features (it is trained to tell the paired
 * video from others); otherwise the LocVTP similarities do (fusion.ts). Every span (moment and
 * alternative) gets its `confidence` from the calibrator (ml/calibration): the evidence is the
 * video score, the scores of the other grounded candidates (the pool), the grounder's span score
 * and rank, the span's mean query–clip cosine and its length.
 */
import type { Video } from "@/db/repositories/videos";
import { iou } from "@/ml/data/metrics";
import { calibratorForMethod, poolEvidence, uncalibratedCalibrator, type Calibrator } from "@/ml";
import type { ClipVector, EditContrast, Grounder, Grounding, VideoRanker } from "@/ml/types";
import { dot, spanSimilarity, vectorMomentScore } from "./fusion";
import type { Candidate, Candidates, ConfidentSpan, VectorMoment } from "./types";

/** The pool's videos that can be grounded: ready, with clips and a duration. */
export function groundableCandidates(
  pool: string[],
  videos: Map<string, Video>,
  vectors: Map<string, ClipVector[]>,
): Candidate[] {
  const out: Candidate[] = [];
  for (const id of pool) {
    const video = videos.get(id);
    const clips = vectors.get(id) ?? [];
    if (!video || video.status !== "ready" || clips.length === 0 || !video.duration) continue;
    const clipSeconds = video.clipSeconds ?? video.duration / clips.length;
    out.push({ id, video, clips, clipSeconds, duration: Math.min(video.duration, clips.length * clipSeconds) });
  }
  return out;
}

export interface GroundOptions {
  grounder: Grounder;
  /** scores videos when the grounder does not (null without a relevance scorer) */
  ranker: VideoRanker | null;
  /** each candidate's best clip similarity (stage 1) */
  bestClip: Candidates["bestClip"];
  /** inside one video every distinct span is a moment; across videos one moment per video */
  scoped: boolean;
  /** spans asked of the grounder beyond the first */
  alternatives: number;
  /** turns a span's evidence into `confidence` (lib/models.ts's getCalibrator); without one, the uncalibrated stand-in */
  calibrator?: Calibrator;
}

const NO_CALIBRATOR = uncalibratedCalibrator("no calibrator passed to the search");

/** The vector moments of the candidates, best first. */
export function groundCandidates(
  sentence: string,
  query: Float32Array,
  candidates: Candidate[],
  o: GroundOptions,
): VectorMoment[] {
  const groundings = o.grounder.ground(
    sentence,
    candidates.map((c) => ({ clips: c.clips, durationSeconds: c.duration })),
    { topK: 1 + o.alternatives },
  );
  // the relevance grounder scores the videos in the same pass; other methods ask the ranker
  const videoScores = groundings.every((g) => g.videoScore !== null)
    ? groundings.map((g) => g.videoScore)
    : (o.ranker?.score(
        sentence,
        candidates.map((c) => c.clips),
      ) ?? candidates.map(() => null));
  const byRelevance = videoScores.length > 0 && videoScores.every((r) => r !== null);
  const calibrator = calibratorForMethod(o.calibrator ?? NO_CALIBRATOR, o.grounder.method);
  // the grounded candidates are the pool a moment's video score is compared with (one inside a video)
  const pool = poolEvidence(candidates.map((c, i) => (groundings[i].spans.length ? videoScores[i] : null)));
  // the sentence against its one-word edits, in each span of the best videos by score (confidence
  // evidence; the calibration says for how many: the cost grows with each video)
  const contrast = editContrast(sentence, candidates, groundings, videoScores, o.ranker, calibrator.contrastVideos);
  // the span verifier reads the stored clip features of every grounded span: cheap enough for all
  const verified = o.ranker?.verify(
    sentence,
    candidates.map((c, i) => ({
      clips: c.clips,
      clipSeconds: c.clipSeconds,
      spans: groundings[i].spans,
      // and against the sentence's one-word edits where the scorer contrasts too, if the fit reads it
      contrast: !!calibrator.verifierEdits && contrast.has(i),
    })),
  );
  const moments: VectorMoment[] = [];
  candidates.forEach((c, i) => {
    const spans = groundings[i].spans;
    if (spans.length === 0) return;
    const embeddings = c.clips.map((clip) => clip.embedding);
    let bestClipSim = o.bestClip.get(c.id) ?? 0;
    if (o.scoped) for (const e of embeddings) bestClipSim = Math.max(bestClipSim, dot(query, e));
    // Alternatives are scored like moments' `similarity` (mean query–clip cosine in the span).
    const scored: ConfidentSpan[] = spans.map((s, rank) => {
      const similarity = spanSimilarity(query, embeddings, c.clipSeconds, s.start, s.end);
      const confidence = calibrator.confidence({
        sentence,
        videoScore: videoScores[i],
        pool,
        spanScore: s.score,
        spanRank: rank,
        similarity,
        start: s.start,
        end: s.end,
        duration: c.duration,
        editMargin: contrast.get(i)?.spans[rank] ?? null,
        videoEditMargin: contrast.get(i)?.video ?? null,
        verifierLogit: verified?.[i]?.[rank]?.logit ?? null,
        verifierEditMargin: verified?.[i]?.[rank]?.editMargin ?? null,
      });
      return { start: s.start, end: s.end, score: similarity, confidence };
    });
    // Across the library: one moment per video, its other spans as alternatives.
    // Inside one video: every distinct span is a moment of its own.
    const heads = o.scoped ? distinctSpans(scored) : [scored[0]];
    for (const head of heads) {
      moments.push({
        videoId: c.id,
        start: head.start,
        end: head.end,
        similarity: head.score,
        vectorScore: byRelevance ? videoScores[i]! : vectorMomentScore(head.score, bestClipSim),
        confidence: head.confidence,
        alternatives: scored.filter((a) => a !== head && !heads.slice(1).includes(a)),
      });
    }
  });
  return moments.sort((a, b) => b.vectorScore - a.vectorScore);
}

/**
 * The contrast with the sentence's one-word edits for the `count` best candidates by video
 * score (those with spans), by candidate index; none without a ranker or when count is 0.
 */
function editContrast(
  sentence: string,
  candidates: Candidate[],
  groundings: Grounding[],
  videoScores: (number | null)[],
  ranker: VideoRanker | null,
  count: number,
): Map<number, EditContrast> {
  const out = new Map<number, EditContrast>();
  if (!ranker || count <= 0) return out;
  const best = candidates
    .map((_, i) => i)
    .filter((i) => groundings[i].spans.length > 0 && videoScores[i] !== null)
    .sort((a, b) => videoScores[b]! - videoScores[a]!)
    .slice(0, count);
  const answers = ranker.contrast(
    sentence,
    best.map((i) => ({ clips: candidates[i].clips, duration: candidates[i].duration, spans: groundings[i].spans })),
  );
  best.forEach((i, k) => out.set(i, answers[k]));
  return out;
}

/** Spans in order, dropping any that mostly repeats an earlier one (IoU > 0.7). */
function distinctSpans<T extends { start: number; end: number }>(spans: T[]): T[] {
  const kept: T[] = [];
  for (const s of spans) if (!kept.some((k) => iou(k, s) > 0.7)) kept.push(s);
  return kept;
}
