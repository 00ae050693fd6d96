/**
 * Upload → ready, end to end through the real route handlers, database, queue, ffmpeg
 * and clip encoder. Runs against PGlite (npm run test:pglite) and against a real
 * PostgreSQL + pgvector (npm run test:postgres) unchanged.
 */
import { existsSync, readdirSync } from "node:fs";
import { copyFile, readFile, rm, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute, POST as uploadRoute } from "@/app/api/videos/route";
import { DELETE as deleteRoute, GET as getRoute } from "@/app/api/videos/[id]/route";
import { GET as fileRoute } from "@/app/api/videos/[id]/file/route";
import { GET as clipsRoute } from "@/app/api/videos/[id]/clips/route";
import { GET as healthRoute } from "@/app/api/health/route";
import { migrate } from "@/db/migrate";
import { loadConfig } from "@/lib/config";
import { loadRelevance } from "@/ml/relevance/load";
import type { VideoDto } from "@/lib/videos/dto";
import { makeTestVideo } from "../helpers/media";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";

let h: Harness;
let fixtures: string;

const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function upload(...files: { path: string; name?: string }[]): Promise<{ status: number; body: any }> {
  const form = new FormData();
  for (const f of files) form.append("file", new Blob([await readFile(f.path)]), f.name ?? path.basename(f.path));
  const res = await uploadRoute(h.request("http://test/api/videos", { method: "POST", body: form }));
  return { status: res.status, body: await res.json() };
}

async function getVideo(id: string): Promise<VideoDto & { status: string }> {
  const res = await getRoute(h.request(`http://test/api/videos/${id}`), params(id));
  expect(res.status).toBe(200);
  return (await res.json()).video;
}

beforeAll(async () => {
  h = await startHarness();
  fixtures = path.join(h.dataDir, "fixtures");
  await Promise.all([
    makeTestVideo(path.join(fixtures, "clip30.mp4"), { seconds: 30, width: 640, height: 480, fps: 30 }),
    makeTestVideo(path.join(fixtures, "clip6.mp4"), { seconds: 6, source: "testsrc" }),
    makeTestVideo(path.join(fixtures, "faststart20.mp4"), { seconds: 20, faststart: true, source: "mandelbrot" }),
  ]);
});

afterAll(async () => {
  await h?.stop();
});

describe(`ingestion (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  let videoId: string;

  it("health names the database mode, pgvector, ffmpeg, tfjs backend and model", async () => {
    const body = await (await healthRoute(h.request("http://test/api/health"))).json();
    expect(body.database.mode).toBe(process.env.TEST_DATABASE_URL ? "postgres" : "embedded");
    expect(body.database.pgvector).toMatch(/^\d+\.\d+/);
    expect(body.ffmpeg.version).toMatch(/ffmpeg version/);
    expect(["tensorflow", "wasm", "cpu"]).toContain(body.tfjs.backend);
    expect(["tfjs-node-gpu", "tfjs-node", "wasm", "cpu"]).toContain(body.tfjs.candidate);
    expect(body.tfjs.why).toContain(body.tfjs.candidate);
    expect(body.models.clipEncoder.version).toBeTruthy();
    expect(body.models.clipEncoder.dim).toBe(128);
    // the shipped models: clip vectors carry the relevance scorer's features, and the grounder
    // grounds with the boundary head ranked by it by default
    expect(body.models.clipEncoder.version).toMatch(/^locvtp-.*\+relevance-/);
    expect(body.models.grounder.version).toMatch(/^cpl-.*\+relevance-/);
    expect(body.models.grounder.defaultMethod).toBe("boundary-rerank");
  });

  it("a 30 s 640x480 H.264 upload is accepted (201) and becomes ready with one embedded clip per clip length", async () => {
    const { status, body } = await upload({ path: path.join(fixtures, "clip30.mp4") });
    expect(status).toBe(201);
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    videoId = body.id;
    const v = await waitForStatus(getVideo, videoId, ["ready", "failed"]);
    expect(v.status).toBe("ready");
    expect(v.error).toBeNull();
    expect(v).toMatchObject({ width: 640, height: 480, codec: "h264", progress: 100 });
    expect(v.duration).toBeCloseTo(30, 0);

    const clipSeconds = v.clipSeconds!;
    const rows = await h.ctx.db.query<{
      idx: number;
      start_s: number;
      end_s: number;
      dims: number;
      norm: number;
      gdims: number | null;
    }>(
      "SELECT idx, start_s, end_s, vector_dims(embedding) AS dims, sqrt(inner_product(embedding, embedding)) AS norm, vector_dims(relevance) AS gdims FROM clips WHERE video_id = $1 ORDER BY idx",
      [videoId],
    );
    expect(rows.rows.length).toBe(Math.ceil(30 / clipSeconds));
    // the relevance scorer's per-clip features (64 per ensemble member), stored beside
    const groundDims = (await loadRelevance(path.join(loadConfig().ml.modelsDir, "relevance")))!.model.featureDim;
    expect(groundDims % 64).toBe(0);
    rows.rows.forEach((r, i) => {
      expect(r.idx).toBe(i);
      expect(r.start_s).toBeCloseTo(i * clipSeconds, 5);
      expect(r.dims).toBe(128);
      expect(r.norm).toBeCloseTo(1, 3);
      expect(r.gdims).toBe(groundDims);
    });
    expect(rows.rows.at(-1)!.end_s).toBeCloseTo(30, 0);
    const videoEmbedding = await h.ctx.db.query("SELECT vector_dims(embedding) AS d FROM videos WHERE id = $1", [
      videoId,
    ]);
    expect(videoEmbedding.rows[0].d).toBe(128);

    const dir = path.join(h.dataDir, "media", videoId);
    expect(readdirSync(dir).sort()).toEqual(["original.mp4", "poster.jpg", "sprite.jpg"]);

    const clips = await (await clipsRoute(h.request("http://test"), params(videoId))).json();
    expect(clips.clips).toHaveLength(rows.rows.length);
  });

  it("the same bytes again return the existing video with 200, storing nothing twice", async () => {
    const { status, body } = await upload({ path: path.join(fixtures, "clip30.mp4"), name: "renamed.mp4" });
    expect(status).toBe(200);
    expect(body.id).toBe(videoId);
    expect(body.created).toBe(false);
    expect(readdirSync(path.join(h.dataDir, "media"))).toHaveLength(1);
  });

  it("serves the original with HTTP ranges so the player can seek", async () => {
    const full = await fileRoute(h.request("http://test/file"), params(videoId));
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("video/mp4");
    const size = Number(full.headers.get("content-length"));
    await full.body?.cancel();
    const part = await fileRoute(
      h.request("http://test/file", { headers: { range: "bytes=100-199" } }),
      params(videoId),
    );
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-199/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const bad = await fileRoute(
      h.request("http://test/file", { headers: { range: `bytes=${size + 10}-` } }),
      params(videoId),
    );
    expect(bad.status).toBe(416);
  });

  it("a text file named x.mp4 is refused with 415 and a message that says why", async () => {
    const fake = path.join(fixtures, "x.mp4");
    await writeFile(fake, "this is not a video\n");
    const { status, body } = await upload({ path: fake });
    expect(status).toBe(415);
    expect(body.error.code).toBe("unsupported_media_type");
    expect(body.error.message).toMatch(/x\.mp4.*not a video.*(recognise|format)/);
    expect(readdirSync(path.join(h.dataDir, "tmp"))).toEqual([]);
  });

  it("a truncated mp4 whose index is at the end is refused with 415 explaining it is incomplete", async () => {
    const cut = path.join(fixtures, "cut-moov.mp4");
    await copyFile(path.join(fixtures, "clip30.mp4"), cut);
    await truncate(cut, 500_000);
    const { status, body } = await upload({ path: cut });
    expect(status).toBe(415);
    expect(body.error.message).toMatch(/incomplete/);
  });

  it("a truncated streamable mp4 becomes ready for the part that decodes, with a warning", async () => {
    const cut = path.join(fixtures, "cut-faststart.mp4");
    const src = path.join(fixtures, "faststart20.mp4");
    await copyFile(src, cut);
    const { size } = await import("node:fs").then((fs) => fs.statSync(src));
    await truncate(cut, Math.floor(size / 2));
    const { status, body } = await upload({ path: cut });
    expect(status).toBe(201);
    const v = await waitForStatus(getVideo, body.id, ["ready", "failed"]);
    expect(v.status).toBe("ready");
    expect(v.warning).toMatch(/only the first [\d.]+ s of 20\.0 s could be decoded/);
    const r = await h.ctx.db.query<{ n: number; last: number }>(
      "SELECT count(*)::int AS n, max(end_s) AS last FROM clips WHERE video_id = $1",
      [body.id],
    );
    expect(r.rows[0].n).toBeGreaterThan(0);
    expect(r.rows[0].last).toBeLessThan(19);
    // The earlier video is untouched.
    expect((await getVideo(videoId)).status).toBe("ready");
  });

  it("several files in one request get one result each", async () => {
    const fake = path.join(fixtures, "notes.mp4");
    await writeFile(fake, "nope");
    const { status, body } = await upload({ path: path.join(fixtures, "clip6.mp4") }, { path: fake });
    expect(status).toBe(207);
    expect(body.results.map((r: { status: number }) => r.status)).toEqual([201, 415]);
    await waitForStatus(getVideo, body.results[0].video.id, ["ready"]);
  });

  it("lists videos newest first with a total", async () => {
    const res = await listRoute(h.request("http://test/api/videos?limit=2"));
    const body = await res.json();
    expect(body.total).toBe(3);
    expect(body.videos).toHaveLength(2);
    expect(body.videos[0].name).toBe("clip6.mp4");
    const bad = await listRoute(h.request("http://test/api/videos?limit=-1"));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/limit/);
  });

  it("deleting removes the rows and the files, and only those", async () => {
    const res = await deleteRoute(h.request("http://test", { method: "DELETE" }), params(videoId));
    expect(res.status).toBe(200);
    expect(existsSync(path.join(h.dataDir, "media", videoId))).toBe(false);
    const clips = await h.ctx.db.query("SELECT count(*)::int AS n FROM clips WHERE video_id = $1", [videoId]);
    expect(clips.rows[0].n).toBe(0);
    const gone = await getRoute(h.request("http://test"), params(videoId));
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.code).toBe("not_found");
    expect((await (await listRoute(h.request("http://test/api/videos"))).json()).total).toBe(2);
    const again = await deleteRoute(h.request("http://test", { method: "DELETE" }), params(videoId));
    expect(again.status).toBe(404);
  });

  it("unknown or malformed ids are 404 with a JSON error", async () => {
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      const res = await getRoute(h.request("http://test"), params(id));
      expect(res.status).toBe(404);
      expect((await res.json()).error.message).toContain(id);
    }
  });

  it("a job that keeps failing is retried a bounded number of times, then the video is failed with the error", async () => {
    await h.stopWorker();
    const { body } = await upload({ path: path.join(fixtures, "faststart20.mp4") });
    // Sabotage: the stored original disappears before any worker runs.
    await rm(path.join(h.dataDir, "media", body.id, "original.mp4"));
    await h.startWorker();
    const v = await waitForStatus(getVideo, body.id, ["failed", "ready"], 60_000);
    expect(v.status).toBe("failed");
    expect(v.error).toMatch(/stored file is missing/);
    const attempts = await h.ctx.db.query<{ attempts: number }>("SELECT attempts FROM videos WHERE id = $1", [body.id]);
    expect(attempts.rows[0].attempts).toBe(h.ctx.config.jobRetryLimit + 1);
  });

  it("videos embedded by an older model are re-embedded when a worker starts", async () => {
    const { rows } = await h.ctx.db.query<{ id: string; model_version: string }>(
      "SELECT id, model_version FROM videos WHERE status = 'ready' LIMIT 1",
    );
    const { id, model_version: current } = rows[0];
    await h.stopWorker();
    await h.ctx.db.query("UPDATE videos SET model_version = 'some-older-model' WHERE id = $1", [id]);
    await h.startWorker();
    const t0 = Date.now();
    let v = await getVideo(id);
    while (v.modelVersion !== current && Date.now() - t0 < 60_000) {
      await new Promise((r) => setTimeout(r, 250));
      v = await getVideo(id);
    }
    v = await waitForStatus(getVideo, id, ["ready", "failed"]);
    expect(v.status).toBe("ready");
    expect(v.modelVersion).toBe(current);
  });

  it("videos stored before clips kept their object-slot statistics get them when a worker starts", async () => {
    const { rows } = await h.ctx.db.query<{ id: string }>("SELECT id FROM videos WHERE status = 'ready' LIMIT 1");
    const { id } = rows[0];
    // clips without the statistics; a video caught between deleting and inserting its clips counts as missing
    const missing = async () => {
      const { rows: r } = await h.ctx.db.query<{ lacking: string; total: string }>(
        "SELECT count(*) FILTER (WHERE slots IS NULL) AS lacking, count(*) AS total FROM clips WHERE video_id = $1",
        [id],
      );
      return Number(r[0].total) === 0 ? Infinity : Number(r[0].lacking);
    };
    await h.stopWorker();
    // as migration 014 leaves an older library's clips
    await h.ctx.db.query("UPDATE clips SET slots = NULL WHERE video_id = $1", [id]);
    expect(await missing()).toBeGreaterThan(0);
    await h.startWorker();
    const t0 = Date.now();
    while ((await missing()) > 0 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 250));
    expect(await missing()).toBe(0);
    expect((await waitForStatus(getVideo, id, ["ready", "failed"])).status).toBe("ready");
  });

  it("migrations are idempotent", async () => {
    expect(await migrate(h.ctx.db)).toEqual([]);
  });
});

describe("upload limits", () => {
  it("a file over MAX_UPLOAD_BYTES is refused with 413 and leaves nothing behind", async () => {
    const before = (await (await listRoute(h.request("http://test/api/videos"))).json()).total;
    const saved = h.ctx.config.maxUploadBytes;
    h.ctx.config.maxUploadBytes = 100_000;
    try {
      const { status, body } = await upload({ path: path.join(fixtures, "clip30.mp4") });
      expect(status).toBe(413);
      expect(body.error.message).toMatch(/larger than the 97\.7 KiB upload limit/);
    } finally {
      h.ctx.config.maxUploadBytes = saved;
    }
    expect(readdirSync(path.join(h.dataDir, "tmp"))).toEqual([]);
    expect((await (await listRoute(h.request("http://test/api/videos"))).json()).total).toBe(before);
  });

  it("a request that is not multipart, or has no file, is a 4xx with a message", async () => {
    const json = await uploadRoute(
      h.request("http://test/api/videos", {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      }),
    );
    expect(json.status).toBe(415);
    expect((await json.json()).error.message).toMatch(/multipart\/form-data/);
    const form = new FormData();
    form.append("title", "no file here");
    const empty = await uploadRoute(h.request("http://test/api/videos", { method: "POST", body: form }));
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.code).toBe("no_file");
  });
});
