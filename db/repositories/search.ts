/** Nearest-neighbour queries over the pgvector columns. */
import os from "node:os";
import pgvector from "pgvector";
import type pg from "pg";
import type { ClipVector } from "@/ml/types";
import type { Queryable } from "../pool";

export interface ClipHit {
  videoId: string;
  idx: number;
  start: number;
  end: number;
  similarity: number;
}

/**
 * Top-`limit` clips by cosine similarity. `exact: false` uses the HNSW index (ef_search
 * widened to at least `limit`, in a transaction so the setting stays local); `exact:
 * true` forces a sequential scan — the reference for recall and for benchmarks.
 */
export async function nearestClips(
  db: pg.Pool,
  embedding: ArrayLike<number>,
  o: { limit: number; videoId?: string; exact?: boolean; efSearch?: number },
): Promise<ClipHit[]> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    if (o.exact) await client.query("SET LOCAL enable_indexscan = off");
    else
      await client.query(
        `SET LOCAL hnsw.ef_search = ${Math.max(40, Math.min(1000, Math.floor(o.efSearch ?? o.limit)))}`,
      );
    const r = await client.query<{ video_id: string; idx: number; start_s: number; end_s: number; sim: number }>(
      `SELECT video_id, idx, start_s, end_s, 1 - (embedding <=> $1) AS sim
         FROM clips
        ${o.videoId ? "WHERE video_id = $3" : ""}
        ORDER BY embedding <=> $1
        LIMIT $2`,
      o.videoId
        ? [pgvector.toSql(Array.from(embedding)), o.limit, o.videoId]
        : [pgvector.toSql(Array.from(embedding)), o.limit],
    );
    await client.query("COMMIT");
    return r.rows.map((x) => ({ videoId: x.video_id, idx: x.idx, start: x.start_s, end: x.end_s, similarity: x.sim }));
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function nearestVideos(
  db: Queryable,
  embedding: ArrayLike<number>,
  limit: number,
): Promise<{ videoId: string; similarity: number }[]> {
  const r = await db.query<{ id: string; sim: number }>(
    `SELECT id, 1 - (embedding <=> $1) AS sim FROM videos
      WHERE status = 'ready' AND embedding IS NOT NULL
      ORDER BY embedding <=> $1 LIMIT $2`,
    [pgvector.toSql(Array.from(embedding)), limit],
  );
  return r.rows.map((x) => ({ videoId: x.id, similarity: x.sim }));
}

/**
 * The clip vectors of several videos at once, in time order per video: each clip's embedding and,
 * when it has them, its relevance features (what the grounders read) and object-slot statistics
 * (what the span verifier reads).
 */
export async function clipVectors(
  db: Queryable,
  videoIds: string[],
  /** slots: false leaves the slot statistics unread (nothing will verify these clips) */
  o: { slots?: boolean } = {},
): Promise<Map<string, ClipVector[]>> {
  const out = new Map<string, ClipVector[]>(videoIds.map((id) => [id, []]));
  if (videoIds.length === 0) return out;
  // Binary (vector_send) rather than text: parsing ~100k decimal strings per query
  // was the slowest stage of search.
  // two queries at once: on PostgreSQL they run on two connections in parallel, and the slot
  // statistics (what only the span verifier reads) nearly double the bytes a search fetches
  const [r, slots] = await Promise.all([
    db.query<{ video_id: string; idx: number; model_version: number; e: Buffer; g: Buffer | null }>(
      `SELECT video_id, idx, model_version, vector_send(embedding) AS e, halfvec_send(relevance) AS g
         FROM clips WHERE video_id = ANY($1::uuid[]) ORDER BY video_id, idx`,
      [videoIds],
    ),
    o.slots === false
      ? { rows: [] }
      : db.query<{ video_id: string; idx: number; model_version: number; s: Buffer | null }>(
          "SELECT video_id, idx, model_version, halfvec_send(slots) AS s FROM clips WHERE video_id = ANY($1::uuid[])",
          [videoIds],
        ),
  ]);
  // matched by (video, clip, model version) rather than by position, so that neither a video
  // re-embedded nor a model switch committed between the two reads can give a clip statistics
  // that are not its own (it then has none: the verifier stays silent on its video)
  const key = (row: { video_id: string; idx: number; model_version: number }) =>
    `${row.video_id}/${row.idx}/${row.model_version}`;
  const slotsOf = new Map(slots.rows.map((row) => [key(row), row.s]));
  for (const row of r.rows) {
    const clip: ClipVector = { embedding: decodeVectorBinary(row.e) };
    if (row.g) clip.relevance = decodeHalfvecBinary(row.g);
    const s = slotsOf.get(key(row));
    if (s) clip.slots = decodeHalfvecBinary(s);
    out.get(row.video_id)!.push(clip);
  }
  return out;
}

/**
 * The first `dims` values of each clip's relevance features, per video in time order (what the
 * first-pass ranker reads: one member of the scorer's ensemble); a video with any clip lacking
 * them gets an empty list.
 */
export async function clipRelevancePrefixes(
  db: Queryable,
  videoIds: string[],
  dims: number,
): Promise<Map<string, Float32Array[]>> {
  const out = new Map<string, Float32Array[]>(videoIds.map((id) => [id, []]));
  if (videoIds.length === 0 || dims <= 0) return out;
  // clips without features come back NULL (or short) and disqualify their video
  const r = await db.query<{ video_id: string; g: Buffer | null }>(
    "SELECT video_id, halfvec_send(subvector(relevance, 1, $2)) AS g FROM clips WHERE video_id = ANY($1::uuid[]) ORDER BY video_id, idx",
    [videoIds, dims],
  );
  const incomplete = new Set<string>();
  for (const row of r.rows) {
    const g = row.g ? decodeHalfvecBinary(row.g) : null;
    if (!g || g.length < dims) incomplete.add(row.video_id);
    else out.get(row.video_id)!.push(g);
  }
  for (const id of incomplete) out.set(id, []);
  return out;
}

/** pgvector's binary format: int16 dimensions, int16 unused, then big-endian float32s. */
export function decodeVectorBinary(buf: Buffer): Float32Array {
  const dim = buf.readInt16BE(0);
  const out = new Float32Array(dim);
  // one native copy + byte swap instead of a readFloatBE per value (search decodes millions)
  const bytes = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  buf.copy(bytes, 0, 4, 4 + 4 * dim);
  if (os.endianness() === "LE") bytes.swap32();
  return out;
}

/** Every IEEE half-precision bit pattern as a float (256 KB, built on first use). */
let halfTable: Float32Array | null = null;
function halfToFloat(): Float32Array {
  if (halfTable) return halfTable;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    t[h] =
      exp === 0
        ? sign * frac * 2 ** -24
        : exp === 31
          ? frac
            ? NaN
            : sign * Infinity
          : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return (halfTable = t);
}

/** pgvector's halfvec binary format: int16 dimensions, int16 unused, then big-endian float16s. */
export function decodeHalfvecBinary(buf: Buffer): Float32Array {
  const dim = buf.readInt16BE(0);
  const table = halfToFloat();
  const out = new Float32Array(dim);
  for (let i = 0, o = 4; i < dim; i++, o += 2) out[i] = table[(buf[o] << 8) | buf[o + 1]];
  return out;
}
