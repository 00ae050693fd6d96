/** All SQL touching `clips`: one row per fixed-length clip, with its embedding. */
import pgvector from "pgvector";
import type { Queryable } from "../pool";

export interface NewClip {
  idx: number;
  start: number;
  end: number;
  embedding: ArrayLike<number>;
  /** the relevance scorer's clip features stored beside the embedding (absent: NULL) */
  relevance?: ArrayLike<number> | null;
  /** the clip's object-slot statistics (absent: NULL) */
  slots?: ArrayLike<number> | null;
}

/**
 * Replaces a video's clips (a retried job must not leave half a set behind). `modelVersion`:
 * the model version whose encoder made the vectors (model_versions).
 */
export async function replaceClips(
  db: Queryable,
  videoId: string,
  clips: NewClip[],
  modelVersion: number,
): Promise<void> {
  await db.query("DELETE FROM clips WHERE video_id = $1", [videoId]);
  await insertClipRows(db, "clips", videoId, clips, modelVersion);
}

/**
 * Inserts clip rows into `clips` or the staging table of a pending version (`clips_pending`,
 * same columns), in batched multi-row inserts: one round trip per 200 clips.
 */
export async function insertClipRows(
  db: Queryable,
  table: "clips" | "clips_pending",
  videoId: string,
  clips: NewClip[],
  modelVersion: number,
): Promise<void> {
  for (let i = 0; i < clips.length; i += 200) {
    const batch = clips.slice(i, i + 200);
    const params: unknown[] = [videoId, modelVersion];
    const values = batch.map((c, j) => {
      params.push(
        c.idx,
        c.start,
        c.end,
        pgvector.toSql(Array.from(c.embedding)),
        c.relevance ? pgvector.toSql(Array.from(c.relevance, toHalfRange)) : null,
        c.slots ? pgvector.toSql(Array.from(c.slots, toHalfRange)) : null,
      );
      const b = 3 + j * 6;
      return `($1, $${b}, $${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $2)`;
    });
    await db.query(
      `INSERT INTO ${table} (video_id, idx, start_s, end_s, embedding, relevance, slots, model_version) VALUES ${values.join(", ")}`,
      params,
    );
  }
}

/**
 * The relevance features are stored in half precision (halfvec), whose largest value is 65504;
 * a larger one would fail the whole insert, so it is clamped (the scorer's features stay far
 * below it).
 */
export function toHalfRange(x: number): number {
  return Math.max(-65504, Math.min(65504, x));
}

/** Clip time spans without embeddings (for the clip strip). */
export async function listClipSpans(
  db: Queryable,
  videoId: string,
): Promise<{ idx: number; start: number; end: number }[]> {
  const r = await db.query<{ idx: number; start: number; end: number }>(
    "SELECT idx, start_s AS start, end_s AS end FROM clips WHERE video_id = $1 ORDER BY idx",
    [videoId],
  );
  return r.rows;
}
