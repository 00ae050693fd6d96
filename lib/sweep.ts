/**
 * Leftovers of crashes: a `.part` upload whose server died mid-request, and a media
 * folder whose video row never got written (or was deleted while its files were being
 * removed). `npm start` sweeps at start and every hour. Only things untouched for
 * `minAgeMs` go: an upload in progress writes its `.part` continuously, and a folder is
 * renamed into place moments before its row is inserted.
 */
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { existingVideoIds } from "@/db/repositories/videos";
import type { Context } from "./context";

export interface SweepResult {
  partialUploads: number;
  orphanFolders: number;
}

const UUID_DIR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function oldEntries(dir: string, minAgeMs: number, keep: (name: string) => boolean): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  const out: string[] = [];
  for (const name of names) {
    if (!keep(name)) continue;
    const s = await stat(path.join(dir, name)).catch(() => null);
    if (s && now - s.mtimeMs >= minAgeMs) out.push(name);
  }
  return out;
}

export async function sweepLeftovers(ctx: Context, o: { minAgeMs?: number } = {}): Promise<SweepResult> {
  const minAgeMs = o.minAgeMs ?? 10 * 60 * 1000;
  const parts = await oldEntries(ctx.config.tmpDir, minAgeMs, (n) => n.endsWith(".part"));
  for (const p of parts) await rm(path.join(ctx.config.tmpDir, p), { force: true });

  const folders = await oldEntries(ctx.config.mediaDir, minAgeMs, (n) => UUID_DIR.test(n));
  const known = await existingVideoIds(ctx.db, folders);
  const orphans = folders.filter((f) => !known.has(f));
  for (const f of orphans) await rm(path.join(ctx.config.mediaDir, f), { recursive: true, force: true });
  return { partialUploads: parts.length, orphanFolders: orphans.length };
}
