/** All SQL touching `cues` (timed subtitle/caption text) and its full-text search. */
import type { Queryable } from "../pool";

export interface Cue {
  start: number;
  end: number;
  text: string;
}

export type CueSource = "sidecar" | "embedded" | "dataset";

export async function replaceCues(db: Queryable, videoId: string, cues: Cue[], source: CueSource): Promise<void> {
  await db.query("DELETE FROM cues WHERE video_id = $1", [videoId]);
  for (let i = 0; i < cues.length; i += 200) {
    const batch = cues.slice(i, i + 200);
    const params: unknown[] = [videoId, source];
    const values = batch.map((c, j) => {
      params.push(i + j, c.start, c.end, c.text);
      const b = 3 + j * 4;
      return `($1, $${b}, $${b + 1}, $${b + 2}, $${b + 3}, $2)`;
    });
    await db.query(`INSERT INTO cues (video_id, idx, start_s, end_s, text, source) VALUES ${values.join(", ")}`, params);
  }
}

export async function countCues(db: Queryable, videoId: string): Promise<number> {
  const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM cues WHERE video_id = $1", [videoId]);
  return r.rows[0].n;
}

export interface CueHit extends Cue {
  videoId: string;
  rank: number;
}

/** Cues matching the words of `query` (websearch syntax), best ts_rank first. */
export async function searchCues(db: Queryable, query: string, o: { limit: number; videoId?: string }): Promise<CueHit[]> {
  const r = await db.query<{ video_id: string; start_s: number; end_s: number; text: string; rank: number }>(
    `SELECT c.video_id, c.start_s, c.end_s, c.text, ts_rank(c.tsv, q) AS rank
       FROM cues c, websearch_to_tsquery('english', $1) q
      WHERE c.tsv @@ q AND ($3::uuid IS NULL OR c.video_id = $3)
      ORDER BY rank DESC, c.video_id, c.idx
      LIMIT $2`,
    [query, o.limit, o.videoId ?? null],
  );
  return r.rows.map((x) => ({ videoId: x.video_id, start: x.start_s, end: x.end_s, text: x.text, rank: x.rank }));
}
