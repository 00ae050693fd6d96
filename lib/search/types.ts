/** The shapes search's stages pass along, and what the API returns. */
import type { CueHit, TextKind } from "@/db/repositories/cues";
import type { Video } from "@/db/repositories/videos";
import type { ClipVector } from "@/ml/types";
import type { VideoDto } from "../videos/dto";

export interface Span {
  start: number;
  end: number;
  score: number;
  /**
   * P(the span matches the sentence) from the calibrator (ml/calibration), in [0, 1]; ground.ts
   * sets it on every grounded span (optional only until moments.ts passes it on)
   */
  confidence?: number;
}

/** A grounded span with its confidence (ground.ts always sets it). */
export type ConfidentSpan = Span & { confidence: number };

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
  /** reciprocal-rank-fusion score, normalised to [0, 1] */
  score: number;
  videoId: string;
  start: number;
  end: number;
  vector?: VectorMoment;
  cue?: CueHit;
}
