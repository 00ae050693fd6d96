/** All SQL touching `review_items` and `annotations`. */
import type { Queryable } from "../pool";

export interface SpanRow {
  start: number;
  end: number;
}

export type ReviewSource = "flagged" | "batch" | "described" | "imported";
export type Decision = "accept" | "reject" | "correct";

export interface ReviewItem {
  id: string;
  videoId: string;
  sentence: string;
  source: ReviewSource;
  modelVersion: string;
  prediction: SpanRow;
  alternatives: SpanRow[];
  annotationsWanted: number;
  createdBy: string | null;
  createdAt: Date;
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  /** live (not undone) annotations */
  annotations: number;
  /** the batch prediction job that filed it */
  batchId: string | null;
}

export interface Annotation {
  id: string;
  itemId: string;
  annotatorId: string | null;
  decision: Decision;
  span: SpanRow | null;
  sentence: string;
  notInVideo: boolean;
  modelVersion: string;
  prediction: SpanRow;
  createdAt: Date;
  undoneAt: Date | null;
}

interface ItemRow {
  id: string;
  video_id: string;
  sentence: string;
  source: ReviewSource;
  model_version: string;
  pred_start: number;
  pred_end: number;
  alternatives: SpanRow[];
  annotations_wanted: number;
  created_by: string | null;
  created_at: Date;
  claimed_by: string | null;
  claim_expires_at: Date | null;
  annotations: number;
  batch_id: string | null;
}

interface AnnotationRow {
  id: string;
  item_id: string;
  annotator_id: string | null;
  decision: Decision;
  start_s: number | null;
  end_s: number | null;
  sentence: string;
  not_in_video: boolean;
  model_version: string;
  pred_start: number;
  pred_end: number;
  created_at: Date;
  undone_at: Date | null;
}

const ITEM_COLUMNS = `i.id, i.video_id, i.sentence, i.source, i.model_version, i.pred_start, i.pred_end, i.alternatives,
  i.annotations_wanted, i.created_by, i.created_at, i.claimed_by, i.claim_expires_at, i.batch_id,
  (SELECT count(*)::int FROM annotations a WHERE a.item_id = i.id AND a.undone_at IS NULL) AS annotations`;
const ANNOTATION_COLUMNS =
  "id, item_id, annotator_id, decision, start_s, end_s, sentence, not_in_video, model_version, pred_start, pred_end, created_at, undone_at";

function toItem(r: ItemRow): ReviewItem {
  return {
    id: r.id,
    videoId: r.video_id,
    sentence: r.sentence,
    source: r.source,
    modelVersion: r.model_version,
    prediction: { start: r.pred_start, end: r.pred_end },
    alternatives: r.alternatives,
    annotationsWanted: r.annotations_wanted,
    createdBy: r.created_by,
    createdAt: r.created_at,
    claimedBy: r.claimed_by,
    claimExpiresAt: r.claim_expires_at,
    annotations: r.annotations,
    batchId: r.batch_id,
  };
}

function toAnnotation(r: AnnotationRow): Annotation {
  return {
    id: r.id,
    itemId: r.item_id,
    annotatorId: r.annotator_id,
    decision: r.decision,
    span: r.start_s === null || r.end_s === null ? null : { start: r.start_s, end: r.end_s },
    sentence: r.sentence,
    notInVideo: r.not_in_video,
    modelVersion: r.model_version,
    prediction: { start: r.pred_start, end: r.pred_end },
    createdAt: r.created_at,
    undoneAt: r.undone_at,
  };
}

/** What filing an item takes: the item's own fields (the rest come with the row). */
export type NewItem = Pick<
  ReviewItem,
  "videoId" | "sentence" | "source" | "modelVersion" | "prediction" | "alternatives" | "annotationsWanted" | "createdBy"
> & {
  /** the batch job filing it and the pair's position in that batch */
  batch?: { id: string; position: number };
};

/** Returns null when the batch already filed an item for that position (a resumed job). */
export async function insertItem(db: Queryable, n: NewItem): Promise<ReviewItem | null> {
  const r = await db.query<{ id: string }>(
    `INSERT INTO review_items (video_id, sentence, source, model_version, pred_start, pred_end, alternatives, annotations_wanted, created_by, batch_id, batch_position)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11)
     ON CONFLICT (batch_id, batch_position) WHERE batch_id IS NOT NULL DO NOTHING RETURNING id`,
    [
      n.videoId,
      n.sentence,
      n.source,
      n.modelVersion,
      n.prediction.start,
      n.prediction.end,
      JSON.stringify(n.alternatives),
      n.annotationsWanted,
      n.createdBy,
      n.batch?.id ?? null,
      n.batch?.position ?? null,
    ],
  );
  return r.rows[0] ? findItem(db, r.rows[0].id) : null;
}

export async function findItem(db: Queryable, id: string): Promise<ReviewItem | null> {
  const r = await db.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM review_items i WHERE i.id = $1`, [id]);
  return r.rows[0] ? toItem(r.rows[0]) : null;
}

export async function findBatchItem(db: Queryable, batchId: string, position: number): Promise<ReviewItem | null> {
  const r = await db.query<ItemRow>(
    `SELECT ${ITEM_COLUMNS} FROM review_items i WHERE i.batch_id = $1 AND i.batch_position = $2`,
    [batchId, position],
  );
  return r.rows[0] ? toItem(r.rows[0]) : null;
}

/**
 * Claims the next item for `userId` until `claimSeconds` from now: the one they hold
 * (the latest claimed, e.g. one they just undid), else the oldest that still wants
 * annotations, that they have not decided, and that nobody else holds; items they
 * skipped come last, the longest skipped first. `FOR UPDATE SKIP LOCKED` keeps two annotators asking at the
 * same moment from getting the same item.
 */
export async function claimNext(db: Queryable, userId: string, claimSeconds: number): Promise<ReviewItem | null> {
  const r = await db.query<{ id: string }>(
    `UPDATE review_items SET claimed_by = $1, claim_expires_at = now() + make_interval(secs => $2)
      WHERE id = (
        SELECT i.id FROM review_items i
         WHERE (i.claimed_by IS NULL OR i.claim_expires_at < now() OR i.claimed_by = $1)
           AND (SELECT count(*) FROM annotations a WHERE a.item_id = i.id AND a.undone_at IS NULL) < i.annotations_wanted
           AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = i.id AND a.annotator_id = $1 AND a.undone_at IS NULL)
         ORDER BY (i.claimed_by IS NOT DISTINCT FROM $1 AND i.claim_expires_at >= now()) DESC,
                  CASE WHEN i.claimed_by IS NOT DISTINCT FROM $1 THEN i.claim_expires_at END DESC NULLS LAST,
                  (SELECT s.skipped_at FROM review_skips s WHERE s.item_id = i.id AND s.user_id = $1) ASC NULLS FIRST,
                  i.created_at, i.id
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [userId, claimSeconds],
  );
  return r.rows[0] ? findItem(db, r.rows[0].id) : null;
}

/** Puts the item aside for `userId` (and lets go of their claim on it). */
export async function skipItem(db: Queryable, itemId: string, userId: string): Promise<void> {
  await db.query(
    `INSERT INTO review_skips (item_id, user_id) VALUES ($1, $2) ON CONFLICT (item_id, user_id) DO UPDATE SET skipped_at = now()`,
    [itemId, userId],
  );
  await releaseClaim(db, itemId, userId);
}

/** Hands `itemId` to `userId` for `claimSeconds`, ahead of what they held before. */
export async function claimItem(db: Queryable, itemId: string, userId: string, claimSeconds: number): Promise<void> {
  await db.query(
    "UPDATE review_items SET claimed_by = $2, claim_expires_at = now() + make_interval(secs => $3) WHERE id = $1",
    [itemId, userId, claimSeconds],
  );
}

export async function releaseClaim(db: Queryable, itemId: string, userId: string): Promise<void> {
  await db.query(
    "UPDATE review_items SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $1 AND claimed_by = $2",
    [itemId, userId],
  );
}

export async function updateSentence(db: Queryable, itemId: string, sentence: string): Promise<void> {
  await db.query("UPDATE review_items SET sentence = $2 WHERE id = $1", [itemId, sentence]);
}

export async function insertAnnotation(
  db: Queryable,
  a: Pick<Annotation, "itemId" | "decision" | "span" | "sentence" | "notInVideo" | "modelVersion" | "prediction"> & {
    annotatorId: string;
  },
): Promise<Annotation> {
  const r = await db.query<AnnotationRow>(
    `INSERT INTO annotations (item_id, annotator_id, decision, start_s, end_s, sentence, not_in_video, model_version, pred_start, pred_end)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${ANNOTATION_COLUMNS}`,
    [
      a.itemId,
      a.annotatorId,
      a.decision,
      a.span?.start ?? null,
      a.span?.end ?? null,
      a.sentence,
      a.notInVideo,
      a.modelVersion,
      a.prediction.start,
      a.prediction.end,
    ],
  );
  return toAnnotation(r.rows[0]);
}

export async function hasLiveAnnotation(db: Queryable, itemId: string, annotatorId: string): Promise<boolean> {
  const r = await db.query("SELECT 1 FROM annotations WHERE item_id = $1 AND annotator_id = $2 AND undone_at IS NULL", [
    itemId,
    annotatorId,
  ]);
  return (r.rowCount ?? 0) > 0;
}

/** Marks the annotator's latest live decision undone; returns it (null when there is none). */
export async function undoLatest(db: Queryable, annotatorId: string): Promise<Annotation | null> {
  const r = await db.query<AnnotationRow>(
    `UPDATE annotations SET undone_at = now()
      WHERE id = (SELECT id FROM annotations WHERE annotator_id = $1 AND undone_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1)
      RETURNING ${ANNOTATION_COLUMNS}`,
    [annotatorId],
  );
  return r.rows[0] ? toAnnotation(r.rows[0]) : null;
}

export async function listItemAnnotations(db: Queryable, itemId: string): Promise<Annotation[]> {
  const r = await db.query<AnnotationRow>(
    `SELECT ${ANNOTATION_COLUMNS} FROM annotations WHERE item_id = $1 ORDER BY created_at, id`,
    [itemId],
  );
  return r.rows.map(toAnnotation);
}

/** A live decision with what evaluation and export need of its item and video. */
export interface JudgedAnnotation extends Annotation {
  source: ReviewSource;
  videoId: string;
  videoName: string;
  annotatorEmail: string | null;
}

/**
 * Live decisions (`decisions` among accept/correct/reject), oldest first: accepted and
 * corrected spans are the ground truth that measures the models.
 */
export async function listJudged(
  db: Queryable,
  decisions: Decision[] = ["accept", "correct"],
): Promise<JudgedAnnotation[]> {
  const r = await db.query<
    AnnotationRow & { source: ReviewSource; video_id: string; video_name: string; annotator_email: string | null }
  >(
    `SELECT ${ANNOTATION_COLUMNS.split(", ")
      .map((c) => `a.${c}`)
      .join(", ")}, i.source, i.video_id, v.original_name AS video_name, u.email AS annotator_email
       FROM annotations a JOIN review_items i ON i.id = a.item_id JOIN videos v ON v.id = i.video_id LEFT JOIN users u ON u.id = a.annotator_id
      WHERE a.undone_at IS NULL AND a.decision = ANY($1::text[])
      ORDER BY a.created_at, a.id`,
    [decisions],
  );
  return r.rows.map((row) => ({
    ...toAnnotation(row),
    source: row.source,
    videoId: row.video_id,
    videoName: row.video_name,
    annotatorEmail: row.annotator_email,
  }));
}
