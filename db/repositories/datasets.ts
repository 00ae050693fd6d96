/** All SQL touching `datasets` and `dataset_queries`. */
import type { Queryable } from "../pool";
import type { RowOf } from "../rows";

export type DatasetFormat = "moments" | "charades" | "activitynet";

export interface DatasetRow {
  id: string;
  name: string;
  format: DatasetFormat;
  createdBy: string | null;
  createdAt: Date;
  /** library videos matched to the dataset's videos */
  videos: number;
  queries: number;
  timedQueries: number;
}

export interface DatasetQueryRow {
  datasetVideo: string;
  videoId: string | null;
  sentence: string;
  span: { start: number; end: number } | null;
  position: number;
}

const DATASET_COLUMNS = `d.id, d.name, d.format, d.created_by, d.created_at,
  (SELECT count(DISTINCT q.video_id)::int FROM dataset_queries q WHERE q.dataset_id = d.id AND q.video_id IS NOT NULL) AS videos,
  (SELECT count(*)::int FROM dataset_queries q WHERE q.dataset_id = d.id) AS queries,
  (SELECT count(*)::int FROM dataset_queries q WHERE q.dataset_id = d.id AND q.start_s IS NOT NULL) AS timed_queries`;

type Row = RowOf<DatasetRow>;

const toDataset = (r: Row): DatasetRow => ({
  id: r.id,
  name: r.name,
  format: r.format,
  createdBy: r.created_by,
  createdAt: r.created_at,
  videos: r.videos,
  queries: r.queries,
  timedQueries: r.timed_queries,
});

/** Inserts the dataset and its queries (in order); call inside a transaction. */
export async function insertDataset(
  db: Queryable,
  d: { name: string; format: DatasetFormat; createdBy: string | null; queries: Omit<DatasetQueryRow, "position">[] },
): Promise<string> {
  const r = await db.query<{ id: string }>(
    "INSERT INTO datasets (name, format, created_by) VALUES ($1, $2, $3) RETURNING id",
    [d.name, d.format, d.createdBy],
  );
  const id = r.rows[0].id;
  // one statement per 500 queries: large datasets stay within the parameter limit
  for (let at = 0; at < d.queries.length; at += 500) {
    const chunk = d.queries.slice(at, at + 500);
    await db.query(
      `INSERT INTO dataset_queries (dataset_id, dataset_video, video_id, sentence, start_s, end_s, position)
       SELECT $1, x.dataset_video, x.video_id, x.sentence, x.start_s, x.end_s, x.position
         FROM jsonb_to_recordset($2::jsonb) AS x(dataset_video text, video_id uuid, sentence text, start_s double precision, end_s double precision, position integer)`,
      [
        id,
        JSON.stringify(
          chunk.map((q, i) => ({
            dataset_video: q.datasetVideo,
            video_id: q.videoId,
            sentence: q.sentence,
            start_s: q.span?.start ?? null,
            end_s: q.span?.end ?? null,
            position: at + i,
          })),
        ),
      ],
    );
  }
  return id;
}

export async function findDataset(db: Queryable, id: string): Promise<DatasetRow | null> {
  const r = await db.query<Row>(`SELECT ${DATASET_COLUMNS} FROM datasets d WHERE d.id = $1`, [id]);
  return r.rows[0] ? toDataset(r.rows[0]) : null;
}

export async function listDatasets(db: Queryable): Promise<DatasetRow[]> {
  const r = await db.query<Row>(`SELECT ${DATASET_COLUMNS} FROM datasets d ORDER BY d.created_at DESC, d.id`);
  return r.rows.map(toDataset);
}

export async function listDatasetQueries(db: Queryable, datasetId: string): Promise<DatasetQueryRow[]> {
  const r = await db.query<{
    dataset_video: string;
    video_id: string | null;
    sentence: string;
    start_s: number | null;
    end_s: number | null;
    position: number;
  }>(
    "SELECT dataset_video, video_id, sentence, start_s, end_s, position FROM dataset_queries WHERE dataset_id = $1 ORDER BY position",
    [datasetId],
  );
  return r.rows.map((q) => ({
    datasetVideo: q.dataset_video,
    videoId: q.video_id,
    sentence: q.sentence,
    span: q.start_s === null || q.end_s === null ? null : { start: q.start_s, end: q.end_s },
    position: q.position,
  }));
}
