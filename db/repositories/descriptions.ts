/** All SQL touching `video_descriptions`, and the counts of every source of training sentences. */
import type { Queryable } from "../pool";
import type { RowOf } from "../rows";

export interface Description {
  id: string;
  videoId: string;
  sentence: string;
  addedBy: string | null;
  createdAt: Date;
}

type Row = RowOf<Description>;

const toDescription = (r: Row): Description => ({
  id: r.id,
  videoId: r.video_id,
  sentence: r.sentence,
  addedBy: r.added_by,
  createdAt: r.created_at,
});

export async function listDescriptions(db: Queryable, videoId: string): Promise<Description[]> {
  const r = await db.query<Row>(
    "SELECT id, video_id, sentence, added_by, created_at FROM video_descriptions WHERE video_id = $1 ORDER BY seq",
    [videoId],
  );
  return r.rows.map(toDescription);
}

/** Adds the sentences not yet there (case-insensitive); returns the ones added. */
export async function addDescriptions(
  db: Queryable,
  videoId: string,
  sentences: string[],
  addedBy: string | null,
): Promise<Description[]> {
  const r = await db.query<Row>(
    `INSERT INTO video_descriptions (video_id, sentence, added_by)
     SELECT $1, s, $3 FROM unnest($2::text[]) WITH ORDINALITY AS x(s, n) ORDER BY n
     ON CONFLICT (video_id, lower(sentence)) DO NOTHING
     RETURNING id, video_id, sentence, added_by, created_at, seq`,
    [videoId, sentences, addedBy],
  );
  return r.rows
    .sort((a, b) => Number((a as Row & { seq: number }).seq) - Number((b as Row & { seq: number }).seq))
    .map(toDescription);
}

export async function deleteDescription(db: Queryable, videoId: string, id: string): Promise<boolean> {
  const r = await db.query("DELETE FROM video_descriptions WHERE video_id = $1 AND id = $2", [videoId, id]);
  return (r.rowCount ?? 0) > 0;
}

export type SentenceSource = "descriptions" | "subtitles" | "datasets" | "review";

/**
 * Every (video, sentence) the library holds, by where it came from: typed descriptions,
 * subtitle cues (files, streams), imported datasets' queries (timed or not), and the
 * sentences of review items. On-screen text is left out: it shows what is written, not
 * what happens.
 */
const SOURCES_SQL: Record<SentenceSource, string> = {
  descriptions: "SELECT video_id, sentence FROM video_descriptions",
  subtitles: "SELECT video_id, text AS sentence FROM cues WHERE source IN ('sidecar', 'embedded')",
  datasets: "SELECT video_id, sentence FROM dataset_queries WHERE video_id IS NOT NULL",
  review: "SELECT video_id, sentence FROM review_items",
};

export async function sentenceCounts(
  db: Queryable,
): Promise<{ source: SentenceSource; videos: number; sentences: number }[]> {
  const parts = (Object.keys(SOURCES_SQL) as SentenceSource[]).map(
    (s) =>
      `SELECT '${s}' AS source, count(DISTINCT video_id)::int AS videos, count(*)::int AS sentences FROM (${SOURCES_SQL[s]}) x`,
  );
  const r = await db.query<{ source: SentenceSource; videos: number; sentences: number }>(parts.join(" UNION ALL "));
  return r.rows;
}

/** Ready videos that no source gives a sentence for, newest first. */
export async function videosWithoutSentences(
  db: Queryable,
  limit: number,
): Promise<{ videos: { id: string; name: string; title: string | null }[]; total: number }> {
  const any = (Object.values(SOURCES_SQL) as string[]).map((q) => `SELECT video_id FROM (${q}) x`).join(" UNION ");
  const [rows, count] = await Promise.all([
    db.query<{ id: string; original_name: string; title: string | null }>(
      `SELECT id, original_name, title FROM videos WHERE status = 'ready' AND id NOT IN (${any}) ORDER BY created_at DESC, id LIMIT $1`,
      [limit],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM videos WHERE status = 'ready' AND id NOT IN (${any})`),
  ]);
  return {
    videos: rows.rows.map((v) => ({ id: v.id, name: v.original_name, title: v.title })),
    total: count.rows[0].n,
  };
}

/** The (video, sentence) pairs of the chosen sources, de-duplicated per video: what retraining reads. */
export async function trainingSentences(
  db: Queryable,
  sources: SentenceSource[],
): Promise<{ videoId: string; sentence: string }[]> {
  if (sources.length === 0) return [];
  const r = await db.query<{ video_id: string; sentence: string }>(
    `SELECT DISTINCT ON (video_id, lower(sentence)) video_id, sentence FROM (${sources.map((s) => SOURCES_SQL[s]).join(" UNION ALL ")}) x
      ORDER BY video_id, lower(sentence)`,
  );
  return r.rows.map((x) => ({ videoId: x.video_id, sentence: x.sentence }));
}
