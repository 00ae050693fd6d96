/** What a crash leaves on disk is swept at start; what is in use or in the library stays. */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sweepLeftovers } from "@/lib/sweep";
import { startHarness, type Harness } from "../helpers/harness";
import { insertVideoRow } from "../helpers/videos";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.stopWorker();
});
afterAll(async () => {
  await h?.stop();
});

async function aged(p: string, minutes: number): Promise<void> {
  const t = new Date(Date.now() - minutes * 60_000);
  await utimes(p, t, t);
}

it("removes interrupted uploads and media folders without a video, keeps fresh ones and the library's", async () => {
  const { tmpDir, mediaDir } = h.ctx.config;
  await mkdir(tmpDir, { recursive: true });
  const stale = path.join(tmpDir, `${randomUUID()}.part`);
  const fresh = path.join(tmpDir, `${randomUUID()}.part`);
  await writeFile(stale, "half an upload");
  await writeFile(fresh, "an upload in progress");
  await aged(stale, 60);

  const orphan = path.join(mediaDir, randomUUID());
  const kept = randomUUID();
  await mkdir(orphan, { recursive: true });
  await writeFile(path.join(orphan, "original.mp4"), "renamed, then the server died");
  await aged(orphan, 60);
  await mkdir(path.join(mediaDir, kept), { recursive: true });
  await writeFile(path.join(mediaDir, kept, "original.mp4"), "a stored video");
  await aged(path.join(mediaDir, kept), 60);
  await insertVideoRow(h.ctx.db, { id: kept, originalName: "kept.mp4", bytes: 14 });
  const unrelated = path.join(mediaDir, "README.txt");
  await writeFile(unrelated, "not ours to judge");
  await aged(unrelated, 60);

  expect(await sweepLeftovers(h.ctx)).toEqual({ partialUploads: 1, orphanFolders: 1 });
  expect(existsSync(stale)).toBe(false);
  expect(existsSync(fresh)).toBe(true);
  expect(existsSync(orphan)).toBe(false);
  expect(existsSync(path.join(mediaDir, kept, "original.mp4"))).toBe(true);
  expect(existsSync(unrelated)).toBe(true);
});
