/** All SQL touching `cues` (timed subtitle/caption text) and its full-text search. */
import type { Queryable } from "../pool";

export interface Cue {
  start: number;
  end: number;
  text: string;
}

export type CueSource = "sidecar" | "embedded" | "dataset" | "ocr";

/** Subtitles of any origin replace each other; on-screen text (OCR) is kept apart. */
export type TextKind = "subtitles" | "ocr";
export const SUBTITLE_SOURCES: CueSource[] = ["sidecar", "embedded", "dataset"];
export const kindOf = (source: CueSource): TextKind => (source === "ocr" ? "ocr" : "subtitles");
const sourcesOf = (kind: TextKind): CueSource[] => (kind === "ocr" ? ["ocr"] : SUBTITLE_SOURCES);

/** Replaces the video's cues of the same kind as `source` (subtitles, or on-screen text). */
export async function replaceCues(db: Queryable, videoId: string, cues: Cue[], source: CueSource): Promise<void> {
  await db.query("DELETE FROM cues WHERE video_id = $1 AND source = ANY($2::text[])", [
    videoId,
    sourcesOf(kindOf(source)),
  ]);
  for (let i = 0; i < cues.length; i += 200) {
    const batch = cues.slice(i, i + 200);
    const params: unknown[] = [videoId, source];
    const values = batch.map((c, j) => {
      params.push(i + j, c.start, c.end, c.text);
      const b = 3 + j * 4;
      return `($1, $${b}, $${b + 1}, $${b + 2}, $${b + 3}, $2)`;
    });
    await db.query(
      `INSERT INTO cues (video_id, idx, start_s, end_s, text, source) VALUES ${values.join(", ")}`,
      params,
    );
  }
}

/** Cues of the video, of one kind or all. */
export async function countCues(db: Queryable, videoId: string, kind?: TextKind): Promise<number> {
  const r = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM cues WHERE video_id = $1 AND ($2::text[] IS NULL OR source = ANY($2::text[]))",
    [videoId, kind ? sourcesOf(kind) : null],
  );
  return r.rows[0].n;
}

export interface StoredCue extends Cue {
  source: CueSource;
}

/** The video's cues of one kind, in time order (the transcript, the WebVTT tracks). */
export async function listCues(db: Queryable, videoId: string, kind: TextKind): Promise<StoredCue[]> {
  const r = await db.query<{ start_s: number; end_s: number; text: string; source: CueSource }>(
    "SELECT start_s, end_s, text, source FROM cues WHERE video_id = $1 AND source = ANY($2::text[]) ORDER BY start_s, end_s, idx",
    [videoId, sourcesOf(kind)],
  );
  return r.rows.map((c) => ({ start: c.start_s, end: c.end_s, text: c.text, source: c.source }));
}

export interface CueHit extends Cue {
  videoId: string;
  source: CueSource;
  /** word matches: 1 + ts_rank; fuzzy matches only: their trigram word similarity (0.6–1) */
  rank: number;
}

/**
 * Cues matching `query`: its words (websearch syntax, stemmed), best ts_rank first; then
 * cues that only match fuzzily — a misread or misspelt word ("revenve" → "revenue"), by
 * pg_trgm's word similarity to some stretch of the cue (at least 0.6, its default).
 */
export async function searchCues(
  db: Queryable,
  query: string,
  o: { limit: number; videoId?: string },
): Promise<CueHit[]> {
  const r = await db.query<{
    video_id: string;
    start_s: number;
    end_s: number;
    text: string;
    source: CueSource;
    rank: number;
  }>(
    `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS tsq, lower($1) AS lq)
     SELECT c.video_id, c.start_s, c.end_s, c.text, c.source,
            CASE WHEN c.tsv @@ q.tsq THEN 1 + ts_rank(c.tsv, q.tsq) ELSE word_similarity(q.lq, lower(c.text)) END AS rank
       FROM cues c, q
      WHERE (c.tsv @@ q.tsq OR q.lq <% lower(c.text)) AND ($3::uuid IS NULL OR c.video_id = $3)
      ORDER BY rank DESC, c.video_id, c.start_s, c.idx
      LIMIT $2`,
    [query, o.limit, o.videoId ?? null],
  );
  return r.rows.map((x) => ({
    videoId: x.video_id,
    start: x.start_s,
    end: x.end_s,
    text: x.text,
    source: x.source,
    rank: x.rank,
  }));
}
