/**
 * Hostile and careless inputs (issue 15): each is refused with a 4xx that says why, or
 * handled correctly, and nothing is stored for a refused one. Real files made with the
 * project's ffmpeg; route handlers called directly. PGlite and PostgreSQL alike.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute, POST as uploadRoute } from "@/app/api/videos/route";
import { GET as getRoute } from "@/app/api/videos/[id]/route";
import { GET as fileRoute, HEAD as fileHeadRoute } from "@/app/api/videos/[id]/file/route";
import { GET as clipsRoute } from "@/app/api/videos/[id]/clips/route";
import { PUT as subtitlesRoute } from "@/app/api/videos/[id]/subtitles/route";
import { GET as searchRoute } from "@/app/api/search/route";
import { countCues } from "@/db/repositories/cues";
import * as videosRepo from "@/db/repositories/videos";
import { isNotAllowedHandler, ROUTE_METHODS } from "@/lib/http/methods";
import { probe, runFfmpeg } from "@/lib/media/ffmpeg";
import { MAX_CUES } from "@/lib/videos/service";
import type { VideoDto } from "@/lib/videos/dto";
import { makeTestVideo } from "../helpers/media";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";
import { insertVideoRow } from "../helpers/videos";

let h: Harness;
let fixtures: string;
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function upload(file: string, name = path.basename(file)): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append("file", new Blob([await readFile(file)]), name);
  const res = await uploadRoute(h.request("http://test/api/videos", { method: "POST", body: form }));
  return { status: res.status, body: await res.json() };
}
async function getVideo(id: string): Promise<VideoDto> {
  const res = await getRoute(h.request(`http://test/api/videos/${id}`), params(id));
  expect(res.status).toBe(200);
  return (await res.json()).video;
}
async function libraryTotal(): Promise<number> {
  return (await (await listRoute(h.request("http://test/api/videos"))).json()).total;
}
/** Files left in DATA_DIR/media and DATA_DIR/tmp. */
function storedFiles(): string[] {
  const out: string[] = [];
  for (const d of ["media", "tmp"]) {
    const dir = path.join(h.dataDir, d);
    if (existsSync(dir)) out.push(...readdirSync(dir, { recursive: true }).map(String));
  }
  return out;
}
/** A video row (and its file) added behind the upload checks, as a file from before a limit existed would be. */
async function addBehindTheChecks(file: string): Promise<string> {
  const id = randomUUID();
  const dest = path.join(h.dataDir, "media", id, `original${path.extname(file)}`);
  await mkdir(path.dirname(dest), { recursive: true });
  await copyFile(file, dest);
  await insertVideoRow(h.ctx.db, {
    id,
    storedPath: `media/${id}/original${path.extname(file)}`,
    originalName: path.basename(file),
    fps: 1,
    width: 64,
    height: 64,
  });
  await (await h.ctx.queue()).enqueueIngest(id);
  return id;
}

beforeAll(async () => {
  h = await startHarness();
  fixtures = path.join(h.dataDir, "fixtures");
  await mkdir(fixtures, { recursive: true });
  // 3 frames whose timestamps are 27,000 s apart: a 5 KB file claiming 15 hours.
  await runFfmpeg([
    "-y",
    "-f",
    "lavfi",
    "-i",
    "color=c=red:s=64x64:r=1",
    "-frames:v",
    "3",
    "-vf",
    "setpts=N*27000/TB",
    "-vsync",
    "passthrough",
    "-c:v",
    "libx264",
    "-pix_fmt",
    "yuv420p",
    path.join(fixtures, "fifteen-hours.mp4"),
  ]);
  await runFfmpeg([
    "-y",
    "-f",
    "lavfi",
    "-i",
    "color=c=blue:s=64x64:r=25",
    "-frames:v",
    "1",
    "-c:v",
    "libx264",
    "-pix_fmt",
    "yuv420p",
    path.join(fixtures, "one-frame.mp4"),
  ]);
  await makeTestVideo(path.join(fixtures, "plain.mp4"), { seconds: 3, width: 320, height: 240, fps: 10 });
  // The same picture, marked to be shown turned a quarter (display matrix).
  await runFfmpeg([
    "-y",
    "-i",
    path.join(fixtures, "plain.mp4"),
    "-c",
    "copy",
    "-metadata:s:v:0",
    "rotate=90",
    path.join(fixtures, "rotated.mp4"),
  ]);
});

afterAll(async () => {
  await h?.stop();
});

describe(`hostile inputs (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("refuses a tiny file whose timeline claims 15 hours, before decoding anything, naming the limit", async () => {
    const file = path.join(fixtures, "fifteen-hours.mp4");
    expect((await probe(file)).duration).toBeGreaterThan(14 * 3600); // the container really claims it
    const t0 = Date.now();
    const { status, body } = await upload(file);
    expect(status).toBe(413);
    expect(body.error.code).toBe("video_too_long");
    expect(body.error.message).toMatch(/15 h 0 min.*6 h.*MAX_VIDEO_SECONDS=21600/);
    expect(Date.now() - t0).toBeLessThan(30_000); // it took 387 s of worker time before
    expect(await libraryTotal()).toBe(0);
    expect(storedFiles()).toEqual([]);
  });

  it("refuses a one-frame video at upload with the true reason, storing nothing", async () => {
    const { status, body } = await upload(path.join(fixtures, "one-frame.mp4"));
    expect(status).toBe(415);
    expect(body.error.code).toBe("too_short");
    expect(body.error.message).toMatch(/0\.04 s long; nothing can be indexed/);
    expect(await libraryTotal()).toBe(0);
  });

  it("refuses frames over MAX_FRAME_PIXELS and videos over MAX_CLIPS_PER_VIDEO", async () => {
    const cfg = h.ctx.config;
    const saved = { ...cfg };
    try {
      cfg.maxFramePixels = 320 * 240 - 1;
      let r = await upload(path.join(fixtures, "plain.mp4"));
      expect(r.status).toBe(415);
      expect(r.body.error.message).toMatch(/320×240 \(76800 pixels\).*MAX_FRAME_PIXELS=76799/);
      cfg.maxFramePixels = saved.maxFramePixels;
      cfg.maxClipsPerVideo = 2;
      r = await upload(path.join(fixtures, "plain.mp4"));
      expect(r.status).toBe(413);
      expect(r.body.error.message).toMatch(/3 clips of 1 s.*MAX_CLIPS_PER_VIDEO=2/);
    } finally {
      Object.assign(cfg, saved);
    }
    expect(await libraryTotal()).toBe(0);
    expect(storedFiles()).toEqual([]);
  });

  it("the worker re-checks: a 15-hour file added before the limit fails once, with the reason, no clips and no poster URL", async () => {
    const id = await addBehindTheChecks(path.join(fixtures, "fifteen-hours.mp4"));
    const v = await waitForStatus(getVideo, id, ["failed", "ready"]);
    expect(v.status).toBe("failed");
    expect(v.error).toMatch(/MAX_VIDEO_SECONDS=21600/);
    expect(v.urls.poster).toBeNull();
    expect(v.urls.sprite).toBeNull();
    expect((await videosRepo.findVideo(h.ctx.db, id))!.attempts).toBe(1); // not retried
    const clips = await (await clipsRoute(h.request(`http://test/api/videos/${id}/clips`), params(id))).json();
    expect(clips.clips).toEqual([]);
  });

  it("a one-frame video that got in before the check fails once with the true reason and no poster URL", async () => {
    const id = await addBehindTheChecks(path.join(fixtures, "one-frame.mp4"));
    const v = await waitForStatus(getVideo, id, ["failed", "ready"]);
    expect(v.status).toBe("failed");
    expect(v.error).toMatch(/0\.04 s long/);
    expect(v.urls.poster).toBeNull();
    expect((await videosRepo.findVideo(h.ctx.db, id))!.attempts).toBe(1);
  });

  it("records a rotated video's displayed dimensions, and its poster is upright", async () => {
    const { status, body } = await upload(path.join(fixtures, "rotated.mp4"));
    expect(status).toBe(201);
    expect([body.video.width, body.video.height]).toEqual([240, 320]);
    const v = await waitForStatus(getVideo, body.video.id, ["ready", "failed"]);
    expect(v.status).toBe("ready");
    const poster = (await videosRepo.findVideo(h.ctx.db, v.id))!.posterPath!;
    const p = await probe(path.join(h.dataDir, poster));
    expect(p.height).toBeGreaterThan(p.width); // ffmpeg's autorotate turns the poster too
  });

  it("keeps the extension of a 300-character name, and serves it as video/mp4", async () => {
    const long = `${"a very long holiday video name ".repeat(10)}.mp4`;
    expect(long.length).toBeGreaterThan(300);
    const { status, body } = await upload(path.join(fixtures, "plain.mp4"), long);
    expect(status).toBe(201);
    expect(body.video.name).toHaveLength(255);
    expect(body.video.name.endsWith(".mp4")).toBe(true);
    const res = await fileRoute(h.request(`http://test/api/videos/${body.video.id}/file`), params(body.video.id));
    expect(res.headers.get("content-type")).toBe("video/mp4");
    await res.body?.cancel();
  });

  describe("ranges", () => {
    let id: string;
    let size: number;
    beforeAll(async () => {
      const [v] = (await (await listRoute(h.request("http://test/api/videos"))).json()).videos.filter(
        (x: VideoDto) => x.name.endsWith(".mp4") && x.status !== "failed",
      );
      id = v.id;
      size = v.bytes;
    });
    it("HEAD and 206 responses carry Content-Length", async () => {
      const head = await fileHeadRoute(h.request(`http://test/api/videos/${id}/file`, { method: "HEAD" }), params(id));
      expect(head.status).toBe(200);
      expect(head.headers.get("content-length")).toBe(String(size));
      expect(head.headers.get("x-content-length")).toBe(String(size)); // what the web server's preload turns back into Content-Length
      const part = await fileRoute(
        h.request(`http://test/api/videos/${id}/file`, { headers: { range: "bytes=10-19" } }),
        params(id),
      );
      expect(part.status).toBe(206);
      expect(part.headers.get("content-length")).toBe("10");
      expect((await part.arrayBuffer()).byteLength).toBe(10);
    });
    it("answers a multi-range request with the whole file (200), not 416", async () => {
      const res = await fileRoute(
        h.request(`http://test/api/videos/${id}/file`, { headers: { range: "bytes=0-9,20-29" } }),
        params(id),
      );
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(size);
    });
  });

  describe("subtitles", () => {
    let id: string;
    beforeAll(async () => {
      id = randomUUID();
      await insertVideoRow(h.ctx.db, { id, originalName: "subs.mp4", duration: 60 });
    });
    const put = (body: BodyInit, headers: Record<string, string> = { "content-type": "text/plain" }) =>
      subtitlesRoute(
        h.request(`http://test/api/videos/${id}/subtitles`, {
          method: "PUT",
          body,
          headers,
          duplex: "half",
        } as RequestInit),
        params(id),
      );

    it("stops reading a chunked body (no Content-Length) at 10 MiB with 413, storing nothing", async () => {
      const cue = (i: number) => `${i}\n00:00:01,000 --> 00:00:02,000\ncue ${i}\n\n`;
      let sent = 0;
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent > 50 * 1024 * 1024) return c.close();
          const chunk = new TextEncoder().encode(Array.from({ length: 2000 }, () => cue(++i)).join(""));
          sent += chunk.length;
          c.enqueue(chunk);
        },
      });
      const res = await put(body);
      expect(res.status).toBe(413);
      expect((await res.json()).error.message).toMatch(/10 MiB/);
      expect(sent).toBeLessThan(12 * 1024 * 1024); // the rest was never pulled
      expect(await countCues(h.ctx.db, id)).toBe(0);
    });

    it(`refuses more than ${MAX_CUES} cues with a clear message`, async () => {
      const srt = Array.from(
        { length: MAX_CUES + 1 },
        (_, i) => `${i + 1}\n00:00:01,000 --> 00:00:02,000\nline ${i}\n`,
      ).join("\n");
      const res = await put(srt);
      expect(res.status).toBe(413);
      expect((await res.json()).error.message).toMatch(new RegExp(`${MAX_CUES + 1} cues; at most ${MAX_CUES}`));
      expect(await countCues(h.ctx.db, id)).toBe(0);
    });

    it("stores subtitles with NUL bytes (without the NULs) instead of answering 500", async () => {
      const res = await put("1\n00:00:01,000 --> 00:00:02,000\nred\u0000 square\n");
      expect(res.status).toBe(200);
      expect((await res.json()).cues).toBe(1);
      const { rows } = await h.ctx.db.query("SELECT text FROM cues WHERE video_id = $1", [id]);
      expect(rows[0].text).toBe("red square");
    });

    it("a multipart body without a boundary is a 400", async () => {
      const res = await put("whatever", { "content-type": "multipart/form-data" });
      expect(res.status).toBe(400);
    });
  });

  it("a NUL byte in a search query is a 400, not a 500", async () => {
    const res = await searchRoute(h.request("http://test/api/search?q=a%00b"));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/NUL/);
  });

  it("an upload declared multipart/form-data without a boundary is a 400", async () => {
    const res = await uploadRoute(
      h.request("http://test/api/videos", {
        method: "POST",
        body: "x",
        headers: { "content-type": "multipart/form-data" },
      }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("bad_multipart");
  });

  it("every route answers the methods it lacks with 405 and an Allow header naming the ones it has", async () => {
    const apiDir = path.resolve("app/api");
    const files = readdirSync(apiDir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith("route.ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const mod = (await import(path.join(apiDir, f))) as Record<string, unknown>;
      const real = ROUTE_METHODS.filter((m) => typeof mod[m] === "function" && !isNotAllowedHandler(mod[m]));
      const implied = new Set<string>([...real, "OPTIONS", ...(real.includes("GET") ? ["HEAD"] : [])]);
      const allow = ROUTE_METHODS.filter((m) => implied.has(m)).join(", ");
      for (const m of ROUTE_METHODS) {
        if (implied.has(m) && m !== "OPTIONS") continue;
        // Next.js would answer a missing export with a bare 405 without Allow: every route exports them all.
        expect(typeof mod[m], `${f} ${m}`).toBe("function");
        const res = await (mod[m] as (r: Request) => Promise<Response>)(
          new Request("http://test/", { method: m === "HEAD" ? "HEAD" : m }),
        );
        expect(res.status, `${f} ${m}`).toBe(m === "OPTIONS" ? 204 : 405);
        expect(res.headers.get("allow"), `${f} ${m}`).toBe(allow);
      }
    }
  });
});
