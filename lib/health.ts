/** What /api/health reports: which database, ffmpeg, tfjs backend and model are in use. */
import { statfs } from "node:fs/promises";
import { getState } from "@/db/repositories/model-versions";
import { databaseInfo, jobCounts } from "@/db/repositories/system";
import type { Context } from "./context";
import { ffmpegBinaries } from "./media/ffmpeg";
import { getBackend, modelsOf } from "./models";
import { toPendingDto } from "./models/registry";
import { INGEST_QUEUE } from "./queue";
import { modelLabel } from "./model-names";
import { summarizeHealth } from "./health-summary";

/** Below this much free space where uploads and media are written, the server is "degraded". */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

export interface DiskSpace {
  dir: string;
  freeBytes: number | null;
}

/** Free space (for this user) where uploads land and media is written. */
export async function diskSpace(ctx: Context): Promise<DiskSpace[]> {
  const dirs = [...new Set([ctx.config.tmpDir, ctx.config.mediaDir])];
  return Promise.all(
    dirs.map(async (dir) => {
      const s = await statfs(dir).catch(() => null);
      return { dir, freeBytes: s ? s.bavail * s.bsize : null };
    }),
  );
}

/**
 * What anyone may know: "ok"; "degraded" when a disk the app writes to is (nearly)
 * full (uploads are refused with 507, search still works); "unavailable" when the
 * database does not answer (503).
 */
export async function liveness(ctx: Context): Promise<{ status: "ok" | "degraded" | "unavailable" }> {
  try {
    await ctx.db.query("SELECT 1");
  } catch {
    return { status: "unavailable" };
  }
  const disks = await diskSpace(ctx);
  return { status: disks.some((d) => d.freeBytes !== null && d.freeBytes < MIN_FREE_BYTES) ? "degraded" : "ok" };
}

/** The full report (versions, paths) with its summary: admins only. */
export async function health(ctx: Context) {
  const details = await healthDetails(ctx);
  return { summary: summarizeHealth(details), ...details };
}

export async function healthDetails(ctx: Context) {
  const [live, disks, db, jobs, backend] = await Promise.all([
    liveness(ctx),
    diskSpace(ctx),
    databaseInfo(ctx.db),
    jobCounts(ctx.db, INGEST_QUEUE),
    getBackend().catch((e: Error) => ({
      name: "unavailable",
      candidate: "none",
      why: e.message,
      tried: [{ name: "init", ok: false, reason: e.message }],
    })),
  ]);
  // the version that answers searches, and the one being re-embedded to take over
  const state = await getState(ctx.db);
  const active = modelsOf(ctx.config, state.active);
  const clip = await active.clipEncoder().then(
    (e) => ({ version: e.version, label: modelLabel(e.version), dim: e.dim, spec: e.spec }),
    (e: Error) => ({ version: null, error: e.message }),
  );
  const grounder = await active.groundingModels().then(
    (g) => ({ version: g.version, label: modelLabel(g.version), defaultMethod: g.defaultMethod }),
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
    status: live.status,
    disk: disks.map((d) => ({ ...d, low: d.freeBytes !== null && d.freeBytes < MIN_FREE_BYTES })),
    database: {
      mode: ctx.config.databaseMode,
      serverVersion: db.serverVersion,
      pgvector: db.pgvector,
      schemaVersion: db.schemaVersion,
    },
    ffmpeg: ff,
    tfjs: { backend: backend.name, candidate: backend.candidate, why: backend.why, tried: backend.tried },
    models: { version: state.active, pending: toPendingDto(state), clipEncoder: clip, grounder },
    queue: { name: INGEST_QUEUE, jobs },
  };
}
