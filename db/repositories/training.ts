/** The SQL training reads besides its sentences (descriptions.ts): the library's annotated spans, and the curve's rewind. */
import type { Queryable } from "../pool";
import type { CurvePoint } from "./model-versions";

export interface AnnotatedSpan {
  videoId: string;
  sentence: string;
  start: number;
  end: number;
  /** 'dataset' (an imported query with its span) or 'review' (an accepted or corrected span) */
  source: "dataset" | "review";
}

/**
 * The spans people vouch for, in ready videos: imported dataset queries that have one, and
 * every live accepted (the prediction) or corrected (the annotator's) review decision.
 * Rejections have no span and do not count.
 */
export async function annotatedSpans(db: Queryable): Promise<AnnotatedSpan[]> {
  const r = await db.query<{ video_id: string; sentence: string; start_s: number; end_s: number; source: string }>(
    `SELECT x.video_id, x.sentence, x.start_s, x.end_s, x.source FROM (
       SELECT video_id, sentence, start_s, end_s, 'dataset' AS source, id::text AS k
         FROM dataset_queries WHERE video_id IS NOT NULL AND start_s IS NOT NULL
       UNION ALL
       SELECT i.video_id, a.sentence, a.start_s, a.end_s, 'review', a.id::text
         FROM annotations a JOIN review_items i ON i.id = a.item_id
        WHERE a.undone_at IS NULL AND a.decision IN ('accept', 'correct') AND a.start_s IS NOT NULL
     ) x JOIN videos v ON v.id = x.video_id AND v.status = 'ready'
     ORDER BY x.video_id, x.source, x.k`,
  );
  return r.rows.map((row) => ({
    videoId: row.video_id,
    sentence: row.sentence,
    start: Number(row.start_s),
    end: Number(row.end_s),
    source: row.source as AnnotatedSpan["source"],
  }));
}

/**
 * Drops the loss points a resumed run is about to write again (those after its checkpoint):
 * `keep` decides per point.
 */
export async function rewindCurve(db: Queryable, version: number, keep: (p: CurvePoint) => boolean): Promise<void> {
  const r = await db.query<{ curve: CurvePoint[] }>("SELECT curve FROM model_versions WHERE version = $1", [version]);
  const curve = r.rows[0]?.curve ?? [];
  const kept = curve.filter(keep);
  if (kept.length === curve.length) return;
  await db.query("UPDATE model_versions SET curve = $2::jsonb WHERE version = $1", [version, JSON.stringify(kept)]);
}
