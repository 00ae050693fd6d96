/** The shapes search's stages pass along, and what the API returns. */
import type { CueHit, TextKind } from "@/db/repositories/cues";
import type { ConfidenceLevel } from "./confidence";
import type { Video } from "@/db/repositories/videos";
import type { ClipVector } from "@/ml/types";
import type { VideoDto } from "../videos/dto";

export interface Span {
  start: number;
  end: number;
  score: number;
  /** probability (0–1) that this span matches the sentence */
  confidence: number;
}

/** A grounded span with its confidence (ground.ts always sets it). */
export type ConfidentSpan = Span & { confidence: number };

export interface Moment {
  videoId: string;
  start: number;
  end: number;
  /** probability (0–1) that the moment matches the sentence (calibrated; see lib/search/confidence.ts) */
  confidence: number;
  /** the confidence in words: strong (≥ 0.75), possible (≥ the default threshold, 0.5), weak */
  level: ConfidenceLevel;
  /** the same as `confidence` (kept for clients of the earlier API) */
  score: number;
  /** what found it: the pictures, text (subtitles or on-screen), or both */
  source: "visual" | "text" | "both";
  /** mean query–clip cosine similarity inside the span (vector evidence) */
  similarity: number | null;
  /** the subtitle or on-screen text that matched, when text search contributed */
  text: string | null;
  /** where that text came from: subtitles (files, streams, datasets) or on-screen text (OCR) */
  textSource: TextKind | null;
  alternatives: Span[];
  video: Pick<VideoDto, "id" | "name" | "duration" | "urls" | "sprite" | "width" | "height">;
}

/** Candidate videos, best first, with each one's best clip similarity (0 inside one video). */
export interface Candidates {
  pool: string[];
  bestClip: Map<string, number>;
}

/** A candidate that can be grounded: a ready video with its clip vectors. */
export interface Candidate {
  id: string;
  video: Video;
  clips: ClipVector[];
  /** seconds per stored clip */
  clipSeconds: number;
  /** seconds the clips cover (the video's duration, or less when its end did not decode) */
  duration: number;
}

/** A grounded span in a candidate, scored for ranking against other videos' spans. */
export interface VectorMoment {
  videoId: string;
  start: number;
  end: number;
  /** mean query–clip cosine inside the span */
  similarity: number;
  /** what orders vector moments across videos (fusion.ts) */
  vectorScore: number;
  /** P(the moment matches the sentence) from the calibrator, in [0, 1] */
  confidence: number;
  alternatives: ConfidentSpan[];
}

/** A moment of the fused ranking: a span with the text and/or vector evidence behind it. */
export interface FusedMoment {
  /** probability (0–1) that the moment matches the sentence, all its evidence combined */
  confidence: number;
  videoId: string;
  start: number;
  end: number;
  /** the grounded span behind it (its video's other spans are in `others`) */
  vector?: { start: number; end: number; similarity: number; confidence: number };
  cue?: CueHit;
  /** the video's other grounded spans, as faint alternatives */
  others: Span[];
}
