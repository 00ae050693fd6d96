/**
 * A full disk: an upload answers 507 at once with a message and leaves nothing behind,
 * and health says "degraded". The upload folder is a 512 KiB tmpfs (mounting needs root,
 * which CI has; elsewhere the test is skipped).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import { GET as listRoute, POST as uploadRoute } from "@/app/api/videos/route";
import { makeTestVideo } from "../helpers/media";
import { startHarness, type Harness } from "../helpers/harness";

const root = process.getuid?.() === 0;
let h: Harness;
let tmpfs: string;

beforeAll(async () => {
  if (!root) return;
  tmpfs = path.join(os.tmpdir(), `momentsearch-full-${process.pid}`);
  mkdirSync(tmpfs, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", tmpfs]);
  h = await startHarness({ tmpDir: tmpfs });
  await h.stopWorker();
});

afterAll(async () => {
  await h?.stop();
  if (tmpfs) {
    execFileSync("umount", [tmpfs]);
    rmSync(tmpfs, { recursive: true, force: true });
  }
});

it.skipIf(!root)(
  "an upload that fills the disk answers 507 with a reason, stores nothing, and health says degraded",
  async () => {
    const file = await makeTestVideo(path.join(h.dataDir, "fixtures", "big.mp4"), {
      seconds: 20,
      width: 640,
      height: 480,
    });
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await readFile(file))]), "big.mp4");
    const res = await uploadRoute(h.request("http://test/api/videos", { method: "POST", body: form }));
    expect(res.status).toBe(507);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("insufficient_storage");
    expect(body.error.message).toMatch(/disk is full/);
    expect(readdirSync(tmpfs)).toEqual([]);
    const list = (await (await listRoute(h.request("http://test/api/videos"))).json()) as { total: number };
    expect(list.total).toBe(0);

    // the tmpfs is nearly empty again but smaller than the free-space floor
    const health = await healthRoute(new Request("http://test/api/health"));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "degraded" });
  },
);
