/**
 * All SQL touching `model_versions`, `model_state` and the staging tables of a pending switch
 * (`clips_pending`, `videos_pending`). The switch itself is one transaction here
 * (`switchActive`); the decisions around it live in lib/models/activation.ts.
 */
import pgvector from "pgvector";
import type pg from "pg";
import { withTransaction, type Db, type Queryable } from "../pool";
import type { RowOf } from "../rows";
import { insertClipRows, type NewClip } from "./clips";

export type ModelStatus = "training" | "evaluating" | "ready" | "active" | "failed" | "cancelled";
export const MODEL_STATUSES: readonly ModelStatus[] = [
  "training",
  "evaluating",
  "ready",
  "active",
  "failed",
  "cancelled",
] as const;

/** A component a version can retrain. */
export type ModelComponent = "relevance" | "cpl" | "locvtp";
export const MODEL_COMPONENTS: readonly ModelComponent[] = ["relevance", "cpl", "locvtp"] as const;

/**
 * Grounding accuracy on one evaluation set, in percent (0–100) like ml/data/metrics.ts and
 * lib/review/evaluation.ts; n: the number of spans or sentences measured.
 */
export interface SpanMetrics {
  n: number;
  r1_03: number;
  r1_05: number;
  r1_07: number;
  miou: number;
  /**
   * held-out sentences only: the share (percent) whose own video the scorer ranks first / in
   * its top 5 among the library's videos, over `ranked` sentences (measurable without times)
   */
  videoR1?: number | null;
  videoR5?: number | null;
  ranked?: number;
}

/**
 * What evaluation stores: this version on the library's annotated spans and on the held-out
 * sentences, and the version it was compared with (the active one at the time) measured on the
 * same sets at the same time (`baseline`), so the gate compares like with like.
 */
export interface VersionMetrics {
  annotated?: SpanMetrics | null;
  heldOut?: SpanMetrics | null;
  /** the version this one was compared with, and its numbers on the same sets */
  baseline?: { version: number; annotated?: SpanMetrics | null; heldOut?: SpanMetrics | null } | null;
  [key: string]: unknown;
}

/** One loss point of a training curve. */
export interface CurvePoint {
  step: number;
  loss: number;
  /** the component being trained ('relevance', 'cpl', 'locvtp') */
  model: string;
  /** ISO time */
  at?: string;
  [key: string]: unknown;
}

/** A curve longer than this is thinned (every other point dropped, the newest kept). */
export const MAX_CURVE_POINTS = 2000;

export interface ModelVersion {
  version: number;
  parent: number | null;
  status: ModelStatus;
  /** the components retrained for it (empty for the shipped version 1) */
  models: string[];
  recipe: string;
  sources: string[];
  seed: number | null;
  metrics: VersionMetrics | null;
  /** 0..1 of the current phase */
  progress: number;
  phase: string | null;
  etaSeconds: number | null;
  checkpoint: string | null;
  error: string | null;
  jobId: string | null;
  requestedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  activatedAt: Date | null;
}

/** A version with its training curve and data description (GET /api/models/:version). */
export interface ModelVersionDetail extends ModelVersion {
  data: Record<string, unknown>;
  curve: CurvePoint[];
}

/** with the long columns where a query asks for them */
type Row = RowOf<ModelVersion> & { data?: Record<string, unknown>; curve?: CurvePoint[] };

// everything but the curve and the data description, which can be long
const COLUMNS =
  "version, parent, status, models, recipe, sources, seed, metrics, progress, phase, eta_seconds, checkpoint, error, job_id, requested_by, created_at, started_at, finished_at, activated_at";

const toVersion = (r: Row): ModelVersion => ({
  version: r.version,
  parent: r.parent,
  status: r.status,
  models: r.models,
  recipe: r.recipe,
  sources: r.sources,
  seed: r.seed,
  metrics: r.metrics,
  progress: r.progress,
  phase: r.phase,
  etaSeconds: r.eta_seconds,
  checkpoint: r.checkpoint,
  error: r.error,
  jobId: r.job_id,
  requestedBy: r.requested_by,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  activatedAt: r.activated_at,
});

export interface NewVersion {
  /** the version it starts from (fine-tunes); its unchanged components are copied */
  parent: number;
  models: string[];
  recipe: string;
  sources?: string[];
  seed?: number | null;
  data?: Record<string, unknown>;
  requestedBy?: string | null;
  jobId?: string | null;
  /** 'training' unless told otherwise */
  status?: ModelStatus;
}

/**
 * Adds the next version (one more than the highest) and returns it. Two callers at once may
 * pick the same number; the loser's insert fails on the key and takes the next one.
 */
export async function createVersion(db: Queryable, v: NewVersion): Promise<ModelVersion> {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await db.query<Row>(
        `INSERT INTO model_versions (version, parent, status, models, recipe, sources, seed, data, requested_by, job_id)
         SELECT coalesce(max(version), 0) + 1, $1, $2, $3::text[], $4, $5::text[], $6, $7::jsonb, $8, $9 FROM model_versions
         RETURNING ${COLUMNS}`,
        [
          v.parent,
          v.status ?? "training",
          v.models,
          v.recipe,
          v.sources ?? [],
          v.seed ?? null,
          JSON.stringify(v.data ?? {}),
          v.requestedBy ?? null,
          v.jobId ?? null,
        ],
      );
      return toVersion(r.rows[0]);
    } catch (err) {
      if ((err as { code?: string }).code !== "23505" || attempt >= 5) throw err;
    }
  }
}

export async function getVersion(db: Queryable, version: number): Promise<ModelVersion | null> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM model_versions WHERE version = $1`, [version]);
  return r.rows[0] ? toVersion(r.rows[0]) : null;
}

/** The version with its curve and data description. */
export async function getVersionDetail(db: Queryable, version: number): Promise<ModelVersionDetail | null> {
  const r = await db.query<Row>(`SELECT ${COLUMNS}, data, curve FROM model_versions WHERE version = $1`, [version]);
  const row = r.rows[0];
  return row ? { ...toVersion(row), data: row.data ?? {}, curve: row.curve ?? [] } : null;
}

/** Every version, newest first (without curves). */
export async function listVersions(db: Queryable): Promise<ModelVersion[]> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM model_versions ORDER BY version DESC`);
  return r.rows.map(toVersion);
}

/** Versions being trained or evaluated now (a second training run is refused while there is one). */
export async function versionsInProgress(db: Queryable): Promise<ModelVersion[]> {
  const r = await db.query<Row>(
    `SELECT ${COLUMNS} FROM model_versions WHERE status IN ('training', 'evaluating') ORDER BY version`,
  );
  return r.rows.map(toVersion);
}

export async function setJobId(db: Queryable, version: number, jobId: string | null): Promise<void> {
  await db.query("UPDATE model_versions SET job_id = $2 WHERE version = $1", [version, jobId]);
}

/**
 * Progress of the current phase (0..1, clamped) with its ETA. The first call also stamps
 * started_at. False when the version is no longer training or evaluating (cancelled, failed):
 * the job should stop.
 */
export async function updateProgress(
  db: Queryable,
  p: { version: number; phase: string | null; progress: number; etaSeconds?: number | null },
): Promise<boolean> {
  const r = await db.query(
    `UPDATE model_versions
        SET phase = $2, progress = LEAST(1, GREATEST(0, $3::real)), eta_seconds = $4, started_at = coalesce(started_at, now())
      WHERE version = $1 AND status IN ('training', 'evaluating')`,
    [p.version, p.phase, Number.isFinite(p.progress) ? p.progress : 0, p.etaSeconds ?? null],
  );
  return (r.rowCount ?? 0) > 0;
}

/**
 * Appends loss points. Past MAX_CURVE_POINTS the curve is thinned to every other point (the
 * newest kept), so a long run keeps its whole shape at a bounded size.
 */
export async function appendCurve(db: Queryable, version: number, points: CurvePoint[]): Promise<void> {
  if (points.length === 0) return;
  await db.query(
    `UPDATE model_versions SET curve = (
       SELECT CASE WHEN jsonb_array_length(c.all_points) <= $3 THEN c.all_points
              ELSE (SELECT coalesce(jsonb_agg(e ORDER BY i), '[]'::jsonb)
                      FROM jsonb_array_elements(c.all_points) WITH ORDINALITY AS t(e, i)
                     WHERE i % 2 = 1 OR i = jsonb_array_length(c.all_points))
              END
         FROM (SELECT curve || $2::jsonb AS all_points) c)
     WHERE version = $1`,
    [version, JSON.stringify(points), MAX_CURVE_POINTS],
  );
}

/**
 * Sets the status, and the error when given (null clears it; absent keeps it). Reaching 'ready', 'failed' or 'cancelled'
 * stamps finished_at. With `from`, only a version currently in one of those statuses changes;
 * returns whether it did (cancel and a finishing job race on it).
 */
export async function setStatus(
  db: Queryable,
  version: number,
  status: ModelStatus,
  o: { error?: string | null; from?: ModelStatus[] } = {},
): Promise<boolean> {
  const r = await db.query(
    `UPDATE model_versions
        SET status = $2, error = CASE WHEN $5 THEN $3 ELSE error END,
            finished_at = CASE WHEN $2 IN ('ready', 'failed', 'cancelled') THEN coalesce(finished_at, now()) ELSE finished_at END,
            started_at = CASE WHEN $2 = 'training' THEN coalesce(started_at, now()) ELSE started_at END
      WHERE version = $1 AND ($4::text[] IS NULL OR status = ANY($4::text[]))`,
    [version, status, o.error?.slice(0, 4000) ?? null, o.from ?? null, o.error !== undefined],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function setMetrics(db: Queryable, version: number, metrics: VersionMetrics | null): Promise<void> {
  await db.query("UPDATE model_versions SET metrics = $2::jsonb WHERE version = $1", [
    version,
    metrics === null ? null : JSON.stringify(metrics),
  ]);
}

export async function setCheckpoint(db: Queryable, version: number, checkpoint: string | null): Promise<void> {
  await db.query("UPDATE model_versions SET checkpoint = $2 WHERE version = $1", [version, checkpoint]);
}

/** Records a problem on the version without changing its status (a failed re-embedding). */
export async function setError(db: Queryable, version: number, error: string | null): Promise<void> {
  await db.query("UPDATE model_versions SET error = $2 WHERE version = $1", [version, error?.slice(0, 4000) ?? null]);
}

/** Replaces the description of the training data (counts per source, the held-out split). */
export async function setData(db: Queryable, version: number, data: Record<string, unknown>): Promise<void> {
  await db.query("UPDATE model_versions SET data = $2::jsonb WHERE version = $1", [version, JSON.stringify(data)]);
}

// ---------------------------------------------------------------------------------------------
// model_state: the active version and a pending switch

export interface ModelState {
  active: number;
  /** the version being re-embedded to take over, or null */
  pending: number | null;
  /** 0..1 */
  pendingProgress: number;
  pendingDone: number;
  pendingTotal: number;
}

interface StateRow {
  active: number;
  pending: number | null;
  pending_progress: number;
  pending_done: number;
  pending_total: number;
}

const toState = (r: StateRow): ModelState => ({
  active: r.active,
  pending: r.pending,
  pendingProgress: r.pending_progress,
  pendingDone: r.pending_done,
  pendingTotal: r.pending_total,
});

/** The state row; `lock`: FOR UPDATE (inside a transaction that changes it) or FOR SHARE. */
export async function getState(db: Queryable, o: { lock?: "update" | "share" } = {}): Promise<ModelState> {
  const lock = o.lock === "update" ? " FOR UPDATE" : o.lock === "share" ? " FOR SHARE" : "";
  const r = await db.query<StateRow>(
    `SELECT active, pending, pending_progress, pending_done, pending_total FROM model_state WHERE id${lock}`,
  );
  return toState(r.rows[0]);
}

/** The active version alone (search reads it inside its snapshot). */
export async function activeVersion(db: Queryable): Promise<number> {
  const r = await db.query<{ active: number }>("SELECT active FROM model_state WHERE id");
  return r.rows[0].active;
}

/**
 * Marks `version` as pending (its re-embedding starts), replacing any other pending version and
 * dropping that one's staged vectors. Returns the state before. Refuses the active version.
 */
export async function beginPending(db: Db, version: number): Promise<ModelState> {
  return withTransaction(db, async (tx) => {
    const before = await getState(tx, { lock: "update" });
    if (before.active === version) throw new Error(`version ${version} is already active`);
    if (before.pending !== null && before.pending !== version) await dropStaged(tx, before.pending);
    if (before.pending !== version) {
      await tx.query(
        "UPDATE model_state SET pending = $1, pending_progress = 0, pending_done = 0, pending_total = 0 WHERE id",
        [version],
      );
    }
    return before;
  });
}

/** Progress of the pending re-embedding (ignored when `version` is no longer pending). */
export async function setPendingProgress(
  db: Queryable,
  version: number,
  p: { done: number; total: number },
): Promise<boolean> {
  const r = await db.query(
    `UPDATE model_state SET pending_done = $2::int, pending_total = $3::int,
            pending_progress = CASE WHEN $3::int > 0 THEN LEAST(1, $2::int::real / $3::int) ELSE 1 END
      WHERE id AND pending = $1`,
    [version, p.done, p.total],
  );
  return (r.rowCount ?? 0) > 0;
}

/** Ends a pending re-embedding without switching, dropping its staged vectors. False when it was not pending. */
export async function cancelPending(db: Db, version: number): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const state = await getState(tx, { lock: "update" });
    if (state.pending !== version) return false;
    await dropStaged(tx, version);
    await tx.query(
      "UPDATE model_state SET pending = NULL, pending_progress = 0, pending_done = 0, pending_total = 0 WHERE id",
    );
    return true;
  });
}

async function dropStaged(db: Queryable, version: number): Promise<void> {
  await db.query("DELETE FROM clips_pending WHERE model_version = $1", [version]);
  await db.query("DELETE FROM videos_pending WHERE model_version = $1", [version]);
}

/**
 * Stages one video's vectors for `version`: its clips and the video-level embedding, replacing
 * what was staged for it before. Call inside a transaction so the clips and the "done" mark
 * (the videos_pending row) land together.
 */
export async function stageVideo(
  db: Queryable,
  version: number,
  videoId: string,
  v: { clips: NewClip[]; embedding: ArrayLike<number>; encoder: string },
): Promise<void> {
  await db.query("DELETE FROM clips_pending WHERE model_version = $1 AND video_id = $2", [version, videoId]);
  await insertClipRows(db, "clips_pending", videoId, v.clips, version);
  await db.query(
    `INSERT INTO videos_pending (video_id, model_version, encoder, embedding) VALUES ($1, $2, $3, $4)
     ON CONFLICT (model_version, video_id) DO UPDATE SET encoder = EXCLUDED.encoder, embedding = EXCLUDED.embedding`,
    [videoId, version, v.encoder, pgvector.toSql(Array.from(v.embedding))],
  );
}

/**
 * Stages, by copying, every ready video whose current vectors were made by the same clip encoder
 * (`encoder`, the encoder's version string in videos.model_version) as `version`'s: a version
 * that retrained only the grounder (CPL) has the same clip vectors, and decoding them again
 * would make the same numbers. Returns how many videos it staged.
 */
export async function stageCopies(db: Queryable, version: number, encoder: string): Promise<number> {
  const same = `SELECT v.id FROM videos v
      WHERE v.status = 'ready' AND v.model_version = $2 AND v.embedding IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM videos_pending p WHERE p.model_version = $1 AND p.video_id = v.id)
        -- clips stored before their slot statistics (migration 014) are re-embedded, not copied
        AND NOT EXISTS (SELECT 1 FROM clips c WHERE c.video_id = v.id AND c.relevance IS NOT NULL AND c.slots IS NULL)`;
  await db.query(
    `INSERT INTO clips_pending (video_id, idx, start_s, end_s, embedding, relevance, slots, model_version)
     SELECT c.video_id, c.idx, c.start_s, c.end_s, c.embedding, c.relevance, c.slots, $1 FROM clips c
      WHERE c.video_id IN (${same})
     ON CONFLICT (model_version, video_id, idx) DO UPDATE
       SET start_s = EXCLUDED.start_s, end_s = EXCLUDED.end_s, embedding = EXCLUDED.embedding,
           relevance = EXCLUDED.relevance, slots = EXCLUDED.slots`,
    [version, encoder],
  );
  const r = await db.query(
    `INSERT INTO videos_pending (video_id, model_version, encoder, embedding)
     SELECT v.id, $1, v.model_version, v.embedding FROM videos v WHERE v.id IN (${same})`,
    [version, encoder],
  );
  return r.rowCount ?? 0;
}

/** Ready videos not yet staged for `version`, oldest first (what a re-embedding still has to do). */
export async function videosToStage(db: Queryable, version: number): Promise<string[]> {
  const r = await db.query<{ id: string }>(
    `SELECT v.id FROM videos v
      WHERE v.status = 'ready'
        AND NOT EXISTS (SELECT 1 FROM videos_pending p WHERE p.model_version = $1 AND p.video_id = v.id)
      ORDER BY v.created_at, v.id`,
    [version],
  );
  return r.rows.map((row) => row.id);
}

/** How many ready videos there are, and how many of them are staged for `version`. */
export async function stagingCounts(db: Queryable, version: number): Promise<{ done: number; total: number }> {
  const r = await db.query<{ done: number; total: number }>(
    `SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM videos_pending p WHERE p.model_version = $1 AND p.video_id = v.id))::int AS done,
            count(*)::int AS total
       FROM videos v WHERE v.status = 'ready'`,
    [version],
  );
  return r.rows[0];
}

export type SwitchResult =
  | { switched: true; previous: number; videos: number }
  /** `version` is no longer the pending one (cancelled, or replaced by another activation) */
  | { switched: false; reason: "not-pending" }
  /** ready videos without staged vectors (became ready meanwhile): stage them, then try again */
  | { switched: false; reason: "incomplete"; missing: string[] };

/**
 * The switch, in ONE transaction: every staged video's clips and video vector replace its
 * current ones, `version` becomes active and the previous active version 'ready'. Refused while
 * a ready video has nothing staged. Ingestion's final write locks the state row FOR SHARE, so it
 * lands wholly before or wholly after this.
 */
export async function switchActive(db: Db, version: number): Promise<SwitchResult> {
  return withTransaction(db, async (tx) => switchActiveIn(tx, version));
}

async function switchActiveIn(tx: pg.PoolClient, version: number): Promise<SwitchResult> {
  const state = await getState(tx, { lock: "update" });
  if (state.pending !== version) return { switched: false, reason: "not-pending" };
  const missing = await videosToStage(tx, version);
  if (missing.length > 0) return { switched: false, reason: "incomplete", missing };
  await tx.query("DELETE FROM clips c USING videos_pending p WHERE p.model_version = $1 AND c.video_id = p.video_id", [
    version,
  ]);
  await tx.query(
    `INSERT INTO clips (video_id, idx, start_s, end_s, embedding, relevance, slots, model_version)
     SELECT video_id, idx, start_s, end_s, embedding, relevance, slots, model_version FROM clips_pending WHERE model_version = $1`,
    [version],
  );
  const videos = await tx.query(
    `UPDATE videos v SET embedding = p.embedding, model_version = p.encoder, updated_at = now()
       FROM videos_pending p WHERE p.model_version = $1 AND v.id = p.video_id`,
    [version],
  );
  await dropStaged(tx, version);
  await tx.query("UPDATE model_versions SET status = 'ready' WHERE version = $1 AND status = 'active'", [state.active]);
  await tx.query(
    "UPDATE model_versions SET status = 'active', activated_at = now(), error = NULL, finished_at = coalesce(finished_at, now()) WHERE version = $1",
    [version],
  );
  await tx.query(
    "UPDATE model_state SET active = $1, pending = NULL, pending_progress = 0, pending_done = 0, pending_total = 0 WHERE id",
    [version],
  );
  return { switched: true, previous: state.active, videos: videos.rowCount ?? 0 };
}
