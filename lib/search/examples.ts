/**
 * Example queries that find something: sentences from the library's annotated datasets
 * (the demo library records its events as one), each verified to return a correct moment
 * first — in the sentence's own video, overlapping its annotated span by IoU ≥ 0.5, and
 * confident enough to be shown. Verified once per library state and model version.
 */
import { iou } from "@/ml/data/metrics";
import type { Context } from "../context";
import { getGroundingModels } from "../models";
import { search } from "./service";

/** sentences tried, at most: each costs one search */
const CANDIDATES = 12;
const EXAMPLES = 3;

let cached: { key: string; examples: Promise<string[]> } | null = null;

interface Candidate {
  sentence: string;
  videoId: string;
  start: number;
  end: number;
}

async function candidates(ctx: Context): Promise<Candidate[]> {
  // one sentence per video first (distinct videos make distinct examples), in dataset order
  const r = await ctx.db.query<{ sentence: string; video_id: string; start_s: number; end_s: number }>(
    `SELECT q.sentence, q.video_id, q.start_s, q.end_s
       FROM dataset_queries q JOIN datasets d ON d.id = q.dataset_id JOIN videos v ON v.id = q.video_id
      WHERE v.status = 'ready' AND q.start_s IS NOT NULL
      ORDER BY row_number() OVER (PARTITION BY q.video_id ORDER BY q.position), d.created_at, q.position
      LIMIT $1`,
    [CANDIDATES * 4],
  );
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const q of r.rows) {
    const key = q.sentence.trim().toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ sentence: q.sentence.trim(), videoId: q.video_id, start: q.start_s, end: q.end_s });
  }
  return out.slice(0, CANDIDATES);
}

async function verified(ctx: Context): Promise<string[]> {
  const out: string[] = [];
  for (const c of await candidates(ctx)) {
    // the first moment shown (at or above the default threshold) is right
    const [top] = (await search(ctx, { q: c.sentence, limit: 1 })).moments;
    if (top && top.videoId === c.videoId && iou(top, c) >= 0.5) out.push(c.sentence);
    if (out.length >= EXAMPLES) break;
  }
  return out;
}

export async function exampleQueries(ctx: Context): Promise<string[]> {
  const state = await ctx.db.query<{ k: string }>(
    "SELECT (SELECT count(*) FROM videos WHERE status = 'ready') || ':' || (SELECT count(*) FROM dataset_queries) || ':' || coalesce((SELECT max(ready_at)::text FROM videos), '') AS k",
  );
  const key = `${state.rows[0].k}:${(await getGroundingModels(ctx)).version}`;
  if (cached?.key !== key) {
    const examples = verified(ctx);
    cached = { key, examples };
    examples.catch(() => {
      if (cached?.examples === examples) cached = null;
    });
  }
  return cached.examples;
}
