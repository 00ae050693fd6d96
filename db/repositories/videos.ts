/** All SQL touching `videos`. Rows come back camelCased as `Video`. */
import pgvector from "pgvector";
import type { Queryable } from "../pool";
import type { RowOf } from "../rows";

export const VIDEO_STATUSES = ["queued", "processing", "ready", "failed"] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

export interface SpriteInfo {
  count: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  /** seconds between consecutive tiles */
  interval: number;
}

export interface Video {
  id: string;
  originalName: string;
  /** chosen by a person; null: the file name (without its extension) is shown */
  title: string | null;
  storedPath: string;
  sha256: string;
  bytes: number;
  duration: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
  container: string | null;
  status: VideoStatus;
  progress: number;
  error: string | null;
  warning: string | null;
  attempts: number;
  /** the clip encoder's own version string the vectors were made with */
  modelVersion: string | null;
  /** the model version (model_versions) whose encoder made its clip vectors; null without clips */
  clipsModelVersion: number | null;
  clipSeconds: number | null;
  posterPath: string | null;
  spritePath: string | null;
  sprite: SpriteInfo | null;
  createdAt: Date;
  updatedAt: Date;
  readyAt: Date | null;
  /** the account that added it (null: added before any account existed) */
  addedBy: string | null;
  processingStartedAt: Date | null;
  ocrStatus: OcrStatus | null;
  ocrProgress: number;
  ocrError: string | null;
  /** whether it has subtitles or on-screen text (cues) */
  hasText: boolean;
}

export type OcrStatus = "queued" | "running" | "done" | "failed" | "off";

const COLUMNS = `id, original_name, title, processing_started_at, ocr_status, ocr_progress, ocr_error,
  EXISTS (SELECT 1 FROM cues c WHERE c.video_id = videos.id) AS has_text, stored_path, sha256, bytes, duration, fps, width, height, codec, container,
  status, progress, error, warning, attempts, model_version, clip_seconds, poster_path, sprite_path, sprite,
  created_at, updated_at, ready_at, added_by,
  (SELECT c.model_version FROM clips c WHERE c.video_id = videos.id ORDER BY c.idx LIMIT 1) AS clips_model_version`;

type VideoRow = RowOf<Video>;

function toVideo(r: VideoRow): Video {
  return {
    id: r.id,
    originalName: r.original_name,
    title: r.title,
    processingStartedAt: r.processing_started_at,
    ocrStatus: r.ocr_status,
    ocrProgress: r.ocr_progress,
    ocrError: r.ocr_error,
    hasText: r.has_text,
    storedPath: r.stored_path,
    sha256: r.sha256,
    bytes: r.bytes,
    duration: r.duration,
    fps: r.fps,
    width: r.width,
    height: r.height,
    codec: r.codec,
    container: r.container,
    status: r.status,
    progress: r.progress,
    error: r.error,
    warning: r.warning,
    attempts: r.attempts,
    modelVersion: r.model_version,
    clipsModelVersion: r.clips_model_version,
    clipSeconds: r.clip_seconds,
    posterPath: r.poster_path,
    spritePath: r.sprite_path,
    sprite: r.sprite,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    readyAt: r.ready_at,
    addedBy: r.added_by,
  };
}

export interface NewVideo {
  id: string;
  originalName: string;
  storedPath: string;
  sha256: string;
  bytes: number;
  duration: number;
  fps: number;
  width: number;
  height: number;
  codec: string;
  container: string;
  addedBy: string | null;
}

/**
 * Inserts a queued video. When the same bytes are already stored (sha256 conflict),
 * inserts nothing and returns the existing row with `created: false`.
 */
export async function insertVideo(db: Queryable, v: NewVideo): Promise<{ video: Video; created: boolean }> {
  const inserted = await db.query<VideoRow>(
    `INSERT INTO videos (id, original_name, stored_path, sha256, bytes, duration, fps, width, height, codec, container, added_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (sha256) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      v.id,
      v.originalName,
      v.storedPath,
      v.sha256,
      v.bytes,
      v.duration,
      v.fps,
      v.width,
      v.height,
      v.codec,
      v.container,
      v.addedBy,
    ],
  );
  if (inserted.rows[0]) return { video: toVideo(inserted.rows[0]), created: true };
  const existing = await findVideoBySha256(db, v.sha256);
  if (!existing) throw new Error("sha256 conflict but no existing video (deleted concurrently?)");
  return { video: existing, created: false };
}

export async function findVideo(db: Queryable, id: string): Promise<Video | null> {
  const r = await db.query<VideoRow>(`SELECT ${COLUMNS} FROM videos WHERE id = $1`, [id]);
  return r.rows[0] ? toVideo(r.rows[0]) : null;
}

export async function findVideoBySha256(db: Queryable, sha256: string): Promise<Video | null> {
  const r = await db.query<VideoRow>(`SELECT ${COLUMNS} FROM videos WHERE sha256 = $1`, [sha256]);
  return r.rows[0] ? toVideo(r.rows[0]) : null;
}

export const VIDEO_SORTS = ["added", "name", "duration"] as const;
export type VideoSort = (typeof VIDEO_SORTS)[number];
export const SORT_ORDERS = ["asc", "desc"] as const;

export interface VideoQuery {
  limit: number;
  offset: number;
  status?: VideoStatus;
  /** part of the title or file name, case-insensitive */
  q?: string;
  sort?: VideoSort;
  order?: (typeof SORT_ORDERS)[number];
}

const SORT_KEYS: Record<VideoSort, string> = {
  added: "created_at",
  name: "lower(coalesce(title, original_name))",
  duration: "duration",
};

/** One page of the library, sorted and filtered in the database (indexed: videos_*_idx). */
export async function listVideos(db: Queryable, o: VideoQuery): Promise<{ videos: Video[]; total: number }> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (o.status) {
    params.push(o.status);
    conditions.push(`status = $${params.length}`);
  }
  if (o.q) {
    params.push(`%${o.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conditions.push(`(title ILIKE $${params.length} OR original_name ILIKE $${params.length})`);
  }
  const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const sort = o.sort ?? "added";
  const order = (o.order ?? (sort === "added" ? "desc" : "asc")) === "desc" ? "DESC" : "ASC";
  // unknown durations last whichever the order; the id breaks ties so pages never overlap
  const orderBy = `${SORT_KEYS[sort]} ${order}${sort === "duration" ? " NULLS LAST" : ""}, id ${order}`;
  const [rows, count] = await Promise.all([
    db.query<VideoRow>(
      `SELECT ${COLUMNS} FROM videos ${where} ORDER BY ${orderBy} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, o.limit, o.offset],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM videos ${where}`, params),
  ]);
  return { videos: rows.rows.map(toVideo), total: count.rows[0].n };
}

/** Sets the title (null: back to the file name); returns the video, or null when it does not exist. */
export async function setTitle(db: Queryable, id: string, title: string | null): Promise<Video | null> {
  const r = await db.query<VideoRow>(
    `UPDATE videos SET title = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, title],
  );
  return r.rows[0] ? toVideo(r.rows[0]) : null;
}

/** Back to the queue for a fresh attempt: the error is cleared and the attempt count restarts. */
export async function markRequeued(db: Queryable, id: string): Promise<void> {
  // on-screen text is read again too once the video is ready
  await db.query(
    "UPDATE videos SET status = 'queued', progress = 0, error = NULL, attempts = 0, ocr_status = NULL, ocr_progress = 0, ocr_error = NULL, updated_at = now() WHERE id = $1",
    [id],
  );
}

/** OCR's own state; `progress` in percent. */
export async function setOcrState(
  db: Queryable,
  id: string,
  s: { status: OcrStatus; progress?: number; error?: string | null },
  o: { unlessDone?: boolean } = {},
): Promise<void> {
  await db.query(
    `UPDATE videos SET ocr_status = $2, ocr_progress = coalesce($3, ocr_progress), ocr_error = $4
      WHERE id = $1 ${o.unlessDone ? "AND ocr_status IS DISTINCT FROM 'done'" : ""}`,
    [id, s.status, s.progress ?? null, s.error ?? null],
  );
}

/** Ready videos whose on-screen text was never read (added before OCR, or while it was off). */
export async function findVideosWithoutOcr(db: Queryable): Promise<string[]> {
  const r = await db.query<{ id: string }>(
    "SELECT id FROM videos WHERE status = 'ready' AND (ocr_status IS NULL OR ocr_status = 'off') ORDER BY created_at",
  );
  return r.rows.map((x) => x.id);
}

export async function countVideos(db: Queryable): Promise<number> {
  const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM videos");
  return r.rows[0].n;
}

/** Moves a queued (or retried) video to processing; returns false if it no longer exists. */
export async function markProcessing(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query(
    `UPDATE videos SET status = 'processing', progress = 0, error = NULL, attempts = attempts + 1, processing_started_at = now(), updated_at = now()
     WHERE id = $1`,
    [id],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function setProgress(db: Queryable, id: string, progress: number): Promise<void> {
  await db.query("UPDATE videos SET progress = $2, updated_at = now() WHERE id = $1 AND status = 'processing'", [
    id,
    Math.max(0, Math.min(100, progress)),
  ]);
}

export async function setArtifacts(
  db: Queryable,
  id: string,
  a: { posterPath?: string; spritePath?: string; sprite?: SpriteInfo },
): Promise<void> {
  await db.query(
    `UPDATE videos SET poster_path = COALESCE($2, poster_path), sprite_path = COALESCE($3, sprite_path),
       sprite = COALESCE($4::jsonb, sprite), updated_at = now() WHERE id = $1`,
    [id, a.posterPath ?? null, a.spritePath ?? null, a.sprite ? JSON.stringify(a.sprite) : null],
  );
}

export async function markReady(
  db: Queryable,
  id: string,
  r: {
    modelVersion: string;
    clipSeconds: number;
    embedding: ArrayLike<number>;
    warning: string | null;
    duration?: number;
  },
): Promise<void> {
  await db.query(
    `UPDATE videos SET status = 'ready', progress = 100, error = NULL, warning = $2, model_version = $3, clip_seconds = $4,
       embedding = $5, duration = COALESCE($6, duration), ready_at = now(), updated_at = now() WHERE id = $1`,
    [id, r.warning, r.modelVersion, r.clipSeconds, pgvector.toSql(Array.from(r.embedding)), r.duration ?? null],
  );
}

export async function markFailed(db: Queryable, id: string, error: string): Promise<void> {
  await db.query("UPDATE videos SET status = 'failed', error = $2, updated_at = now() WHERE id = $1", [
    id,
    error.slice(0, 2000),
  ]);
}

/** Back to the queue after a failed attempt that will be retried; the error stays visible. */
export async function markRetrying(db: Queryable, id: string, error: string): Promise<void> {
  await db.query("UPDATE videos SET status = 'queued', progress = 0, error = $2, updated_at = now() WHERE id = $1", [
    id,
    error.slice(0, 2000),
  ]);
}

export async function deleteVideo(db: Queryable, id: string): Promise<Video | null> {
  const r = await db.query<VideoRow>(`DELETE FROM videos WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
  return r.rows[0] ? toVideo(r.rows[0]) : null;
}

export async function findVideosByIds(db: Queryable, ids: string[]): Promise<Video[]> {
  if (ids.length === 0) return [];
  const r = await db.query<VideoRow>(`SELECT ${COLUMNS} FROM videos WHERE id = ANY($1::uuid[])`, [ids]);
  return r.rows.map(toVideo);
}

/**
 * Ready videos whose clips were embedded by another model version than `version`, or stored
 * without the object-slot statistics the span verifier reads (before migration 014).
 */
export async function findStaleVideos(db: Queryable, version: string): Promise<string[]> {
  const r = await db.query<{ id: string }>(
    `SELECT id FROM videos v WHERE status = 'ready'
        AND (model_version IS DISTINCT FROM $1
             -- stored before clips kept their object-slot statistics (migration 014)
             OR EXISTS (SELECT 1 FROM clips c WHERE c.video_id = v.id AND c.relevance IS NOT NULL AND c.slots IS NULL))
      ORDER BY created_at`,
    [version],
  );
  return r.rows.map((x) => x.id);
}

/** Which of `ids` are videos in the library. */
export async function existingVideoIds(db: Queryable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const r = await db.query<{ id: string }>("SELECT id FROM videos WHERE id = ANY($1::uuid[])", [ids]);
  return new Set(r.rows.map((row) => row.id));
}

/** Library videos by file name without its extension (case-insensitive), newest first per name. */
export async function findVideosByStem(db: Queryable, stems: string[]): Promise<Map<string, string>> {
  if (stems.length === 0) return new Map();
  const r = await db.query<{ stem: string; id: string }>(
    `SELECT DISTINCT ON (stem) lower(regexp_replace(original_name, '\\.[^.]*$', '')) AS stem, id
       FROM videos WHERE lower(regexp_replace(original_name, '\\.[^.]*$', '')) = ANY($1::text[])
      ORDER BY stem, created_at DESC`,
    [stems.map((s) => s.toLowerCase())],
  );
  return new Map(r.rows.map((row) => [row.stem, row.id]));
}
