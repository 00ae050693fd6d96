/** What /api/health reports: which database, ffmpeg, tfjs backend and model are in use. */
import { databaseInfo, jobCounts } from "@/db/repositories/system";
import type { Context } from "./context";
import { ffmpegBinaries } from "./media/ffmpeg";
import { getBackend, getClipEncoder, getGrounder } from "./models";
import { INGEST_QUEUE } from "./queue";

/** What anyone may know: whether the server and its database answer. */
export async function liveness(ctx: Context): Promise<{ status: "ok" | "unavailable" }> {
  try {
    await ctx.db.query("SELECT 1");
    return { status: "ok" };
  } catch {
    return { status: "unavailable" };
  }
}

/** The full report (versions, paths): admins only. */
export async function health(ctx: Context) {
  const [db, jobs, backend] = await Promise.all([
    databaseInfo(ctx.db),
    jobCounts(ctx.db, INGEST_QUEUE),
    getBackend().catch((e: Error) => ({ name: "unavailable", tried: [{ name: "init", ok: false, reason: e.message }] })),
  ]);
  const clip = await getClipEncoder().then(
    (e) => ({ version: e.version, dim: e.dim, spec: e.spec }),
    (e: Error) => ({ version: null, error: e.message }),
  );
  const grounder = await getGrounder().then(
    (g) => ({ version: g.version, defaultMethod: g.defaultMethod }),
    (e: Error) => ({ version: null, error: e.message }),
  );
  const ff = (() => {
    try {
      const b = ffmpegBinaries();
      return { source: b.source, path: b.ffmpeg, version: b.version };
    } catch (e) {
      return { source: "none", path: null, version: null, error: (e as Error).message };
    }
  })();
  return {
    status: "ok",
    database: { mode: ctx.config.databaseMode, serverVersion: db.serverVersion, pgvector: db.pgvector, schemaVersion: db.schemaVersion },
    ffmpeg: ff,
    tfjs: { backend: backend.name, tried: backend.tried },
    models: { clipEncoder: clip, grounder },
    queue: { name: INGEST_QUEUE, jobs },
  };
}
