/**
 * A worker killed with SIGKILL mid-ingestion: its lease lapses within seconds, another
 * worker takes the job over (not after JOB_TIMEOUT_SECONDS), and the video becomes ready.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { GET as getRoute } from "@/app/api/videos/[id]/route";
import { POST as uploadRoute } from "@/app/api/videos/route";
import { makeTestVideo } from "../helpers/media";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
let child: ChildProcess | undefined;
const LEASE = 2;

beforeAll(async () => {
  h = await startHarness({ workerLeaseSeconds: LEASE, jobRetryLimit: 2 });
  await h.stopWorker();
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await h?.stop();
});

async function video(id: string): Promise<{ status: string; attempts?: number; progress: number }> {
  const res = await getRoute(h.request(`http://test/api/videos/${id}`), { params: Promise.resolve({ id }) });
  return ((await res.json()) as { video: { status: string; progress: number } }).video;
}

const count = async (sql: string) => (await h.ctx.db.query<{ n: number }>(sql)).rows[0].n;

it("a killed worker's job is taken over within seconds and the video becomes ready", async () => {
  // long enough that ingestion is still running when the worker is killed
  const file = await makeTestVideo(path.join(h.dataDir, "fixtures", "long.mp4"), {
    seconds: 600,
    width: 160,
    height: 120,
    fps: 10,
  });
  child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: h.ctx.config.databaseUrl!,
      DATA_DIR: h.dataDir,
      WORKER_LEASE_SECONDS: String(LEASE),
    },
    stdio: "ignore",
  });
  await expect
    .poll(() => count("SELECT count(*)::int AS n FROM worker_leases"), { timeout: 60_000, interval: 200 })
    .toBe(1);

  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(await readFile(file))]), "long.mp4");
  const res = await uploadRoute(h.request("http://test/api/videos", { method: "POST", body: form }));
  expect(res.status).toBe(201);
  const id = ((await res.json()) as { id: string }).id;
  await expect
    .poll(() => count("SELECT count(*)::int AS n FROM job_leases"), { timeout: 60_000, interval: 100 })
    .toBe(1);
  // the lease is taken just before the video is marked processing
  await expect.poll(async () => (await video(id)).status, { timeout: 10_000, interval: 20 }).toBe("processing");

  child.kill("SIGKILL");
  const killedAt = Date.now();
  await h.startWorker();
  const attempts = async () =>
    (await h.ctx.db.query<{ attempts: number }>("SELECT attempts FROM videos WHERE id = $1", [id])).rows[0].attempts;
  // taken over after the lease (2 s) and pg-boss's retry delay, not after JOB_TIMEOUT_SECONDS (30 min)
  await expect.poll(attempts, { timeout: 30_000, interval: 100 }).toBe(2);
  expect(Date.now() - killedAt).toBeLessThan(30_000);
  await expect.poll(async () => (await video(id)).status, { timeout: 180_000, interval: 250 }).toBe("ready");
  expect(await attempts()).toBe(2);
  // the worker lets go of its job lease once the job has ended (just after the video is ready)
  await expect
    .poll(() => count("SELECT count(*)::int AS n FROM job_leases"), { timeout: 30_000, interval: 100 })
    .toBe(0);
});
