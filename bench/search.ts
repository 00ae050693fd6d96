/**
 * npm run bench:search [-- --videos 1000 --clips 100 --queries 200 --only pglite|postgres --methods default,relevance]
 *
 * A library of N videos × M clips (vectors inserted directly: each video has its own
 * direction and its clips vary around it, like real footage), on PGlite and on a real
 * PostgreSQL + pgvector. Measures p50/p95/p99 of the search API end to end and of the
 * ANN stage alone, the same for an exact scan in the same database, and HNSW recall@10
 * against the exact scan. Prints ratios against the exact-scan baseline of the same run.
 * `--methods` times the search API once per grounding method (`default`: the installed default),
 * interleaved query by query so that each sees the same machine.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import pgvector from "pgvector";
import { nearestClips } from "@/db/repositories/search";
import { loadConfig } from "@/lib/config";
import { GET as searchRoute } from "@/app/api/search/route";
import type { Context } from "@/lib/context";
import { getBackend } from "@/lib/models";
import { OBJECT_SLOTS } from "@/ml/encoders";
import { SLOT_FEATURES } from "@/ml/features/slots";
import { loadRelevance } from "@/ml/relevance/load";
import type { SearchResult } from "@/lib/search/service";
import { bearerRequest } from "../tests/helpers/accounts";
import { withBenchLibrary, type DatabaseMode } from "./harness";
import { percentile } from "./stats";

const { values } = parseArgs({
  options: {
    videos: { type: "string", default: "1000" },
    clips: { type: "string", default: "100" },
    queries: { type: "string", default: "200" },
    only: { type: "string" },
    methods: { type: "string", default: "default" },
  },
});
const N_VIDEOS = Number(values.videos);
const N_CLIPS = Number(values.clips);
const N_QUERIES = Number(values.queries);
const DIM = 128;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(7);
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
function unit(v: number[]): number[] {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}
function around(center: number[], spread: number): number[] {
  return unit(center.map((c) => c + spread * gauss()));
}

/** width of the shipped relevance scorer's per-clip features (64 per ensemble member) */
const GROUND_DIM = (await loadRelevance(path.join(loadConfig().ml.modelsDir, "relevance")))?.model.featureDim ?? 64;
/** each clip's object-slot statistics, stored beside the relevance features (what the span verifier reads) */
const SLOTS_DIM = OBJECT_SLOTS * SLOT_FEATURES;
const SENTENCES = [
  "the red square spins",
  "a blue circle moves to the left",
  "the background turns gray",
  "a yellow triangle appears",
  "the green box shrinks",
  "a white ball blinks",
];

function percentiles(xs: number[]) {
  return { p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99) };
}
const fmt = (x: { p50: number; p95: number; p99: number }) =>
  `p50 ${x.p50.toFixed(1)} ms  p95 ${x.p95.toFixed(1)} ms  p99 ${x.p99.toFixed(1)} ms`;

async function populate(ctx: Context) {
  const db = ctx.db;
  const t0 = performance.now();
  // Load first, index after: building HNSW once is far faster than maintaining it per row.
  await db.query("DROP INDEX IF EXISTS clips_embedding_hnsw");
  const centers: number[][] = [];
  for (let v = 0; v < N_VIDEOS; v++) {
    const id = randomUUID();
    const center = unit(Array.from({ length: DIM }, gauss));
    centers.push(center);
    await db.query(
      `INSERT INTO videos (id, original_name, stored_path, sha256, bytes, duration, fps, width, height, codec, container, status, progress, clip_seconds, embedding, model_version)
       VALUES ($1, $2, $3, $4, 1, $5, 25, 640, 480, 'h264', 'mp4', 'ready', 100, 1, $6, 'bench')`,
      [id, `bench-${v}.mp4`, `media/${id}/original.mp4`, id, N_CLIPS, pgvector.toSql(center)],
    );
    const params: unknown[] = [id];
    const rows: string[] = [];
    for (let c = 0; c < N_CLIPS; c++) {
      // relevance features and slot statistics as ingestion stores them, so search runs its
      // default grounding path and the span verifier
      params.push(
        c,
        c,
        c + 1,
        pgvector.toSql(around(center, 0.08)),
        pgvector.toSql(Array.from({ length: GROUND_DIM }, gauss)),
        pgvector.toSql(Array.from({ length: SLOTS_DIM }, gauss)),
      );
      const b = 2 + c * 6;
      rows.push(`($1, $${b}, $${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`);
    }
    await db.query(
      `INSERT INTO clips (video_id, idx, start_s, end_s, embedding, relevance, slots) VALUES ${rows.join(",")}`,
      params,
    );
  }
  const tLoad = performance.now();
  await db.query("SET maintenance_work_mem = '512MB'").catch(() => undefined);
  await db.query("CREATE INDEX clips_embedding_hnsw ON clips USING hnsw (embedding vector_cosine_ops)");
  await db.query("ANALYZE clips");
  console.log(
    `  loaded ${N_VIDEOS} videos / ${N_VIDEOS * N_CLIPS} clips in ${((tLoad - t0) / 1000).toFixed(0)} s, HNSW built in ${((performance.now() - tLoad) / 1000).toFixed(0)} s`,
  );
  return centers;
}

async function timeIt<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

async function run(mode: DatabaseMode) {
  console.log(`\n== ${mode}`);
  // Searches go through the guard like a script's would: a viewer's bearer token.
  return withBenchLibrary(mode, async (ctx, viewer) => {
    const centers = await populate(ctx);
    const queries = Array.from({ length: N_QUERIES }, (_, i) =>
      around(centers[Math.floor(rand() * centers.length)], 0.12 + 0.01 * (i % 3)),
    );

    const ann: number[] = [];
    const exact: number[] = [];
    let recall = 0;
    for (const q of queries) {
      const [ta, approx] = await timeIt(() => nearestClips(ctx.db, q, { limit: 200 }));
      const [te, truth] = await timeIt(() => nearestClips(ctx.db, q, { limit: 200, exact: true }));
      ann.push(ta);
      exact.push(te);
      const top = new Set(truth.slice(0, 10).map((h) => `${h.videoId}/${h.idx}`));
      recall += approx.slice(0, 10).filter((h) => top.has(`${h.videoId}/${h.idx}`)).length / 10;
    }
    const annP = percentiles(ann);
    const exactP = percentiles(exact);
    console.log(`  ANN (HNSW, top 200):   ${fmt(annP)}`);
    console.log(`  exact scan (top 200):  ${fmt(exactP)}`);
    console.log(
      `  HNSW speed-up over exact at p50: ${(exactP.p50 / annP.p50).toFixed(1)}×   recall@10: ${(recall / queries.length).toFixed(3)}`,
    );

    await getBackend();
    const methods = values.methods.split(",").map((m) => m.trim());
    const e2e = new Map(methods.map((m) => [m, [] as number[]]));
    const stages = new Map(methods.map((m) => [m, {} as Record<string, number[]>]));
    for (let i = 0; i < Math.min(N_QUERIES, 100); i++) {
      const q = `${SENTENCES[i % SENTENCES.length]} ${i % 7 ? "" : "quickly"}`.trim();
      for (const method of methods) {
        const extra = method === "default" ? "" : `&method=${encodeURIComponent(method)}`;
        // Through the real route handler: parameter parsing, the service, JSON encoding.
        const [t, r] = await timeIt(async () => {
          const res = await searchRoute(
            bearerRequest(viewer.token, `http://bench/api/search?q=${encodeURIComponent(q)}&limit=10${extra}`),
          );
          return (await res.json()) as SearchResult;
        });
        if (i >= 3) e2e.get(method)!.push(t); // the first calls load the models
        for (const [k, v] of Object.entries(r.timings)) (stages.get(method)![k] ??= []).push(v);
      }
    }
    for (const method of methods) {
      const p = percentiles(e2e.get(method)!);
      console.log(
        `  search API end to end${methods.length > 1 ? ` (${method})` : ""}: ${fmt(p)}   p50 / exact p50: ${(p.p50 / exactP.p50).toFixed(2)}`,
      );
      console.log(
        `  stages p50: ${Object.entries(stages.get(method)!)
          .map(([k, v]) => `${k} ${percentiles(v).p50.toFixed(1)}`)
          .join(", ")} (ms)`,
      );
    }
    const first = percentiles(e2e.get(methods[0])!);
    return { annP, exactP, recall: recall / queries.length, e2e: first };
  });
}

const modes = values.only ? [values.only as DatabaseMode] : (["postgres", "pglite"] as const);
for (const m of modes) await run(m);
console.log("\ntargets (real Postgres, 100k clips): end to end p50 ≤ 50 ms, p99 ≤ 150 ms; recall@10 ≥ 0.95");
