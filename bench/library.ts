/**
 * npm run bench:library [-- --videos 10000 --requests 40 --only pglite|postgres]
 *
 * The library page's listing at N videos, on PGlite and a real PostgreSQL: p50/p95 of
 * GET /api/videos end to end for the first page (newest first: the baseline), a deep page,
 * each sort, a status filter and a name search. Prints each as a ratio against the
 * baseline of the same run, so a query that stops using its index shows up as a large
 * ratio rather than as a number that depends on the machine.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { GET as listRoute } from "@/app/api/videos/route";
import { bearerRequest } from "../tests/helpers/accounts";
import { withBenchLibrary, type DatabaseMode } from "./harness";
import { percentile } from "./stats";

const { values } = parseArgs({
  options: {
    videos: { type: "string", default: "10000" },
    requests: { type: "string", default: "40" },
    only: { type: "string" },
  },
});
const N = Number(values.videos);
const REQUESTS = Number(values.requests);
const WORDS = [
  "beach",
  "city",
  "forest",
  "lecture",
  "birthday",
  "match",
  "concert",
  "garden",
  "harbour",
  "mountain",
  "river",
  "studio",
];

const CASES: [name: string, query: string][] = [
  ["first page, newest first (baseline)", "limit=48"],
  [`deep page (offset ${N - 48})`, `limit=48&offset=${N - 48}`],
  ["sorted by name", "limit=48&sort=name"],
  ["sorted by duration, longest first", "limit=48&sort=duration&order=desc"],
  ["failed only", "limit=48&status=failed"],
  ["name search", "limit=48&q=harbour"],
];

async function run(mode: DatabaseMode) {
  await withBenchLibrary(mode, async (ctx, viewer) => {
    // rows straight into the table, in batches: names from a small vocabulary, one in 20 failed
    for (let at = 0; at < N; at += 1000) {
      const rows = Array.from({ length: Math.min(1000, N - at) }, (_, k) => {
        const i = at + k;
        const id = randomUUID();
        return {
          id,
          name: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${i}.mp4`,
          sha: randomUUID(),
          duration: 5 + ((i * 37) % 3600),
          status: i % 20 === 0 ? "failed" : "ready",
        };
      });
      await ctx.db.query(
        `INSERT INTO videos (id, original_name, stored_path, sha256, bytes, duration, status, created_at)
         SELECT x.id, x.name, 'media/' || x.id || '/original.mp4', x.sha, 1, x.duration, x.status, now() - make_interval(secs => x.n)
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, name text, sha text, duration double precision, status text, n integer)`,
        [JSON.stringify(rows.map((r, k) => ({ ...r, n: at + k })))],
      );
    }
    await ctx.db.query("ANALYZE videos");
    const results: { name: string; p50: number; p95: number; total: number }[] = [];
    for (const [name, query] of CASES) {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < REQUESTS + 3; i++) {
        const t0 = performance.now();
        const res = await listRoute(bearerRequest(viewer.token, `http://bench/api/videos?${query}`));
        const body = (await res.json()) as { total: number; videos: unknown[] };
        if (res.status !== 200 || body.videos.length === 0) throw new Error(`${name}: ${res.status}`);
        total = body.total;
        if (i >= 3) times.push(performance.now() - t0); // the first few warm the caches
      }
      results.push({ name, p50: percentile(times, 50), p95: percentile(times, 95), total });
    }
    const base = results[0].p50;
    console.log(`\n${mode}: ${N} videos, ${REQUESTS} requests each (ms; ratio = p50 / the baseline's p50)`);
    for (const r of results)
      console.log(
        `  ${r.name.padEnd(40)} p50 ${r.p50.toFixed(1).padStart(7)}  p95 ${r.p95.toFixed(1).padStart(7)}  ×${(r.p50 / base).toFixed(2).padStart(5)}  (${r.total} matching)`,
      );
  });
}

for (const mode of ["pglite", "postgres"] as const) if (!values.only || values.only === mode) await run(mode);
process.exit(0);
