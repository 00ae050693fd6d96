/**
 * The library as people organise it, on both databases: sort by date, name and duration,
 * filter by status, search by name, pages that neither overlap nor skip, titles apart
 * from file names, and reprocessing a failed video once its cause is fixed.
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getRoute, PATCH as patchRoute } from "@/app/api/videos/[id]/route";
import { POST as reprocessRoute } from "@/app/api/videos/[id]/reprocess/route";
import { GET as listRoute, POST as uploadRoute } from "@/app/api/videos/route";
import * as videosRepo from "@/db/repositories/videos";
import { absolutePath } from "@/lib/videos/service";
import { bearerRequest, createTestAccount, type TestAccount } from "../helpers/accounts";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";
import { insertVideoRow } from "../helpers/videos";
import { makeTestVideo } from "../helpers/media";

let h: Harness;
let annotator: TestAccount;
const B = "http://test";
const params = (id: string) => ({ params: Promise.resolve({ id }) });

interface Dto {
  id: string;
  name: string;
  title: string;
  titled: boolean;
  status: string;
  duration: number | null;
  error: string | null;
}

async function list(
  query: Record<string, string>,
  token?: string,
): Promise<{ status: number; videos: Dto[]; total: number }> {
  const url = `${B}/api/videos?${new URLSearchParams(query)}`;
  const res = await listRoute(token ? bearerRequest(token, url) : h.request(url));
  const body = (await res.json()) as { videos: Dto[]; total: number };
  return { status: res.status, videos: body.videos, total: body.total };
}
const get = async (id: string) =>
  ((await (await getRoute(h.request(`${B}/api/videos/${id}`), params(id))).json()) as { video: Dto }).video;

/** Rows straight into the table: the library's listing does not care whether they were processed. */
async function seed(
  name: string,
  duration: number | null,
  status: "ready" | "failed",
  createdAt: string,
): Promise<string> {
  const id = randomUUID();
  await insertVideoRow(h.ctx.db, { id, originalName: name, duration: duration ?? 1 });
  // unknown duration: a container that does not say (probed files always do; older rows may not)
  await h.ctx.db.query("UPDATE videos SET status = $2, created_at = $3, duration = $4 WHERE id = $1", [
    id,
    status,
    createdAt,
    duration,
  ]);
  return id;
}

beforeAll(async () => {
  h = await startHarness();
  annotator = await createTestAccount(h.ctx, "annotator", "lib-annotator");
});

afterAll(async () => {
  await h?.stop();
});

describe(`library (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  const ids: Record<string, string> = {};

  it("sorts by date, name and duration, filters by status, searches by name, and pages without overlap", async () => {
    ids.b = await seed("Beach day.mp4", 30, "ready", "2026-01-02T00:00:00Z");
    ids.a = await seed("alpine_100%.mov", 90, "failed", "2026-01-03T00:00:00Z");
    ids.c = await seed("city_walk.mp4", 10, "ready", "2026-01-01T00:00:00Z");
    ids.d = await seed("dunes.mkv", null, "ready", "2026-01-04T00:00:00Z");

    const names = (r: { videos: Dto[] }) => r.videos.map((v) => v.title);
    expect(names(await list({}))).toEqual(["dunes", "alpine_100%", "Beach day", "city_walk"]); // newest first
    expect(names(await list({ sort: "added", order: "asc" }))).toEqual([
      "city_walk",
      "Beach day",
      "alpine_100%",
      "dunes",
    ]);
    expect(names(await list({ sort: "name" }))).toEqual(["alpine_100%", "Beach day", "city_walk", "dunes"]); // case-insensitive
    expect(names(await list({ sort: "duration" }))).toEqual(["city_walk", "Beach day", "alpine_100%", "dunes"]); // unknown last
    expect(names(await list({ sort: "duration", order: "desc" }))).toEqual([
      "alpine_100%",
      "Beach day",
      "city_walk",
      "dunes",
    ]);

    const failed = await list({ status: "failed" });
    expect([names(failed), failed.total]).toEqual([["alpine_100%"], 1]);
    const beach = await list({ q: "BEACH" });
    expect([names(beach), beach.total]).toEqual([["Beach day"], 1]);
    // % and _ are letters in a name, not wildcards
    expect(names(await list({ q: "100%" }))).toEqual(["alpine_100%"]);
    expect(names(await list({ q: "_" }))).toEqual(["alpine_100%", "city_walk"]);
    expect((await list({ q: "%" })).total).toBe(1);

    // pages of two, in name order: all four, each once, total constant
    const p1 = await list({ sort: "name", limit: "2", offset: "0" });
    const p2 = await list({ sort: "name", limit: "2", offset: "2" });
    expect([p1.total, p2.total]).toEqual([4, 4]);
    expect([...names(p1), ...names(p2)]).toEqual(["alpine_100%", "Beach day", "city_walk", "dunes"]);

    const bad: Record<string, string>[] = [{ sort: "size" }, { order: "up" }, { status: "gone" }, { limit: "0" }];
    for (const query of bad) expect((await list(query)).status).toBe(400);
  });

  it("a title is separate from the file name; clearing it shows the file name without its extension", async () => {
    const rename = (id: string, body: unknown, token = annotator.token) =>
      patchRoute(
        bearerRequest(token, `${B}/api/videos/${id}`, {
          method: "PATCH",
          body: JSON.stringify(body),
          headers: { "content-type": "application/json" },
        }),
        params(id),
      );
    const res = await rename(ids.c, { title: "  Walk   through the city " });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { video: Dto }).video).toMatchObject({
      title: "Walk through the city",
      titled: true,
      name: "city_walk.mp4",
    });
    expect((await list({ q: "walk through" })).videos.map((v) => v.id)).toEqual([ids.c]);
    expect((await list({ sort: "name" })).videos.map((v) => v.title)).toEqual([
      "alpine_100%",
      "Beach day",
      "dunes",
      "Walk through the city",
    ]);
    expect(((await (await rename(ids.c, { title: "" })).json()) as { video: Dto }).video).toMatchObject({
      title: "city_walk",
      titled: false,
    });
    expect((await rename(ids.c, { title: "x".repeat(256) })).status).toBe(400);
    expect((await rename(ids.c, { name: "x" })).status).toBe(400);
    expect((await rename(randomUUID(), { title: "x" })).status).toBe(404);
    const viewer = await createTestAccount(h.ctx, "viewer", "lib-viewer");
    expect((await rename(ids.c, { title: "x" }, viewer.token)).status).toBe(403);
  });

  it("a failed video is reprocessed to ready once its cause is fixed; a ready one only by an admin", async () => {
    const file = await makeTestVideo(path.join(h.dataDir, "fixtures", "reprocess.mp4"), { seconds: 4 });
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(readFileSync(file))]), "reprocess.mp4");
    const id = (
      (await (await uploadRoute(h.request(`${B}/api/videos`, { method: "POST", body: form }))).json()) as { id: string }
    ).id;
    expect((await waitForStatus(get, id, ["ready", "failed"])).status).toBe("ready");
    const reprocess = (token: string) =>
      reprocessRoute(bearerRequest(token, `${B}/api/videos/${id}/reprocess`, { method: "POST" }), params(id));

    // a ready video: annotators may not, admins may
    expect((await reprocess(annotator.token)).status).toBe(403);
    // the stored file is damaged: reprocessing fails, with the reason
    const stored = absolutePath(h.ctx, (await videosRepo.findVideo(h.ctx.db, id))!.storedPath);
    writeFileSync(stored, "not a video any more");
    const again = await reprocess(h.admin.token);
    expect(again.status).toBe(202);
    expect(((await again.json()) as { video: Dto }).video.status).toBe("queued");
    const broken = await waitForStatus(get, id, ["ready", "failed"]);
    expect(broken.status).toBe("failed");
    expect(broken.error).toMatch(/decod|video/i);
    // fixed: the annotator reprocesses the failed video and it becomes ready again
    copyFileSync(file, stored);
    expect((await reprocess(annotator.token)).status).toBe(202);
    expect((await reprocess(annotator.token)).status).toBe(409); // already waiting
    const fixed = await waitForStatus(get, id, ["ready", "failed"]);
    expect(fixed).toMatchObject({ status: "ready", error: null });
  });
});
