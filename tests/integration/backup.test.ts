/**
 * Backup → restore into an empty library (a new database and DATA_DIR), on PGlite and
 * on PostgreSQL: every row comes back identical, media are served, searches give the
 * same answer and sign-in tokens still work.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { GET as searchRoute } from "@/app/api/search/route";
import { GET as fileRoute } from "@/app/api/videos/[id]/file/route";
import { PUT as subtitlesRoute } from "@/app/api/videos/[id]/subtitles/route";
import { POST as uploadRoute } from "@/app/api/videos/route";
import { GET as getRoute } from "@/app/api/videos/[id]/route";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/db/embedded";
import { getPool } from "@/db/pool";
import { backup, BACKUP_TABLES, restore, UNSAVED_TABLES } from "@/lib/backup";
import { forgetUsersExist } from "@/lib/auth/accounts";
import { loadConfig } from "@/lib/config";
import { createContext, setContext, type Context } from "@/lib/context";
import { publicTables } from "@/db/repositories/dump";
import { bearerRequest } from "../helpers/accounts";
import { makeTestVideo } from "../helpers/media";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";

let h: Harness;
let out: string;
let second: { ctx: Context; dataDir: string; embedded: EmbeddedDatabase | null; url: string } | undefined;
let videoId: string;

beforeAll(async () => {
  h = await startHarness();
  out = path.join(mkdtempSync(path.join(os.tmpdir(), "momentsearch-backup-")), "backup");
  const file = await makeTestVideo(path.join(h.dataDir, "fixtures", "saved.mp4"), { seconds: 4 });
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(readFileSync(file))]), "saved.mp4");
  videoId = (
    (await (await uploadRoute(h.request("http://test/api/videos", { method: "POST", body: form }))).json()) as {
      id: string;
    }
  ).id;
  const get = async (id: string) =>
    (await (await getRoute(h.request(`http://test/api/videos/${id}`), { params: Promise.resolve({ id }) })).json())
      .video;
  expect((await waitForStatus(get, videoId, ["ready", "failed"])).status).toBe("ready");
  const srt = "1\n00:00:01,000 --> 00:00:02,500\na lighthouse in the fog\n";
  const res = await subtitlesRoute(
    h.request(`http://test/api/videos/${videoId}/subtitles`, {
      method: "PUT",
      body: srt,
      headers: { "content-type": "text/plain" },
    }),
    { params: Promise.resolve({ id: videoId }) },
  );
  expect(res.status).toBe(200);
});

afterAll(async () => {
  setContext(h?.ctx);
  await second?.ctx
    .queue()
    .then((q) => q.stop())
    .catch(() => undefined);
  await second?.embedded?.close();
  if (second) rmSync(second.dataDir, { recursive: true, force: true });
  await h?.stop();
  rmSync(path.dirname(out), { recursive: true, force: true });
});

async function emptyLibrary(): Promise<NonNullable<typeof second>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "momentsearch-restored-"));
  let url: string;
  let embedded: EmbeddedDatabase | null = null;
  if (process.env.TEST_DATABASE_URL) {
    const admin = getPool(process.env.TEST_DATABASE_URL);
    await admin.query("DROP DATABASE IF EXISTS restored");
    await admin.query("CREATE DATABASE restored");
    const u = new URL(process.env.TEST_DATABASE_URL);
    u.pathname = "/restored";
    url = u.toString();
  } else {
    embedded = await startEmbeddedDatabase(null);
    url = embedded.url;
  }
  const ctx = createContext({
    ...loadConfig({ DATA_DIR: dataDir } as unknown as NodeJS.ProcessEnv),
    databaseUrl: url,
    databaseMode: h.ctx.config.databaseMode,
  });
  return { ctx, dataDir, embedded, url };
}

const dump = async (ctx: Context, table: string) =>
  (
    await ctx.db.query<{ j: string }>(
      `SELECT row_to_json(t)::text AS j FROM "${table}" t ORDER BY row_to_json(t)::text`,
    )
  ).rows.map((r) => r.j);

it("every table is either saved or deliberately not", async () => {
  expect((await publicTables(h.ctx.db)).sort()).toEqual([...BACKUP_TABLES, ...UNSAVED_TABLES].sort());
});

it("a backup restores into an empty library with identical rows, media, search and tokens", async () => {
  const before = await searchRoute(h.request("http://test/api/search?q=lighthouse+fog&limit=3"));
  const expected = (
    (await before.json()) as { moments: { videoId: string; start: number; end: number }[] }
  ).moments.map((m) => [m.videoId, m.start, m.end]);
  expect(expected.length).toBeGreaterThan(0);

  const manifest = await backup(h.ctx, out);
  expect(manifest.rows.videos).toBe(1);
  expect(manifest.rows.clips).toBeGreaterThan(0);
  expect(manifest.mediaFolders).toBe(1);
  await expect(backup(h.ctx, out)).rejects.toThrow(/not empty/);

  second = await emptyLibrary();
  await restore(second.ctx, out);
  for (const table of BACKUP_TABLES) expect(await dump(second.ctx, table), table).toEqual(await dump(h.ctx, table));
  await expect(restore(second.ctx, out)).rejects.toThrow(/not empty/);

  setContext(second.ctx);
  forgetUsersExist();
  // the admin's token from the first library signs in to the restored one
  const file = await fileRoute(
    bearerRequest(h.admin.token, `http://test/api/videos/${videoId}/file`, { headers: { range: "bytes=0-99" } }),
    { params: Promise.resolve({ id: videoId }) },
  );
  expect(file.status).toBe(206);
  const after = await searchRoute(bearerRequest(h.admin.token, "http://test/api/search?q=lighthouse+fog&limit=3"));
  expect(after.status).toBe(200);
  const got = ((await after.json()) as { moments: { videoId: string; start: number; end: number }[] }).moments.map(
    (m) => [m.videoId, m.start, m.end],
  );
  expect(got).toEqual(expected);
  setContext(h.ctx);
});
