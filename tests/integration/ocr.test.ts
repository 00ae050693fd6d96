/**
 * On-screen text, on both databases (the acceptance case): a 60 s 1280×720 video
 * with three burned-in sentences at known times joins a library that holds the demo
 * videos, with OCR on; it is searchable by its clips first (OCR runs after it is ready),
 * then each sentence typed as a query returns a moment overlapping its time first, a
 * misspelt query still finds it, the cues come back as a transcript and as WebVTT, and
 * attaching subtitles does not erase them.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as cuesRoute } from "@/app/api/videos/[id]/cues/route";
import { GET as getRoute } from "@/app/api/videos/[id]/route";
import { PUT as subtitlesRoute } from "@/app/api/videos/[id]/subtitles/route";
import { GET as trackRoute } from "@/app/api/videos/[id]/tracks/[kind]/route";
import { POST as uploadRoute } from "@/app/api/videos/route";
import { GET as searchRoute } from "@/app/api/search/route";
import { seedDemoLibrary } from "@/lib/demo";
import { GENERATED_H264, runFfmpeg } from "@/lib/media/ffmpeg";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";

let h: Harness;
let videoId: string;
const B = "http://test";
const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
const SENTENCES = [
  { text: "Quarterly revenue grew", start: 5, end: 12 },
  { text: "The factory opens in March", start: 25, end: 32 },
  { text: "Thank you for watching", start: 48, end: 56 },
];

interface Video {
  status: string;
  hasText: boolean;
  ocr: { status: string | null; progress: number };
}
const get = async (id: string) =>
  (
    (await (await getRoute(h.request(`${B}/api/videos/${id}`), { params: Promise.resolve({ id }) })).json()) as {
      video: Video & { id: string };
    }
  ).video;
async function search(q: string) {
  const res = await searchRoute(h.request(`${B}/api/search?${new URLSearchParams({ q, limit: "5" })}`));
  expect(res.status).toBe(200);
  return (
    (await res.json()) as {
      moments: { videoId: string; start: number; end: number; text: string | null; textSource: string | null }[];
    }
  ).moments;
}
const overlaps = (m: { start: number; end: number }, s: { start: number; end: number }) =>
  m.start < s.end && m.end > s.start;

beforeAll(async () => {
  h = await startHarness({ ocr: true, ocrWorkers: 1, demoVideos: 4 });
  // the demo library first: the sentences must win against its videos too
  expect(await seedDemoLibrary(h.ctx, () => undefined)).toBe(4);
  const file = path.join(h.dataDir, "fixtures", "burned-in.mp4");
  const font = existsSync(FONT) ? `fontfile=${FONT}:` : "";
  const draw = SENTENCES.map(
    (s) =>
      `drawtext=${font}text='${s.text}':fontsize=64:fontcolor=white:box=1:boxborderw=20:boxcolor=black@0.7:x=80:y=560:enable='between(t,${s.start},${s.end - 0.01})'`,
  ).join(",");
  mkdirSync(path.dirname(file), { recursive: true });
  await runFfmpeg([
    "-y",
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=1280x720:rate=25",
    "-t",
    "60",
    "-vf",
    draw,
    ...GENERATED_H264,
    file,
  ]);
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(readFileSync(file))]), "burned-in.mp4");
  videoId = (
    (await (await uploadRoute(h.request(`${B}/api/videos`, { method: "POST", body: form }))).json()) as { id: string }
  ).id;
});

afterAll(async () => {
  await h?.stop();
});

describe(`on-screen text (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("the video is ready (searchable by its clips) before OCR finishes, then OCR reads its text", async () => {
    const ready = await waitForStatus(get, videoId, ["ready", "failed"]);
    expect(ready.status).toBe("ready");
    expect(["queued", "running", "done"]).toContain(ready.ocr.status);
    // one read per poll: two (one for the fields, one for the status) could straddle the moment
    // OCR commits, pairing "done" with the text state from before it
    const read = await waitForStatus(
      async (id) => {
        const v = await get(id);
        return { ...v, status: v.ocr.status ?? "none" };
      },
      videoId,
      ["done", "failed"],
      240_000,
    );
    expect(read.status).toBe("done");
    expect(read.hasText).toBe(true);
  });

  it("each sentence typed as a query returns a moment overlapping its time first, from the on-screen text; a misspelt one still finds it", async () => {
    for (const s of SENTENCES) {
      const [first] = await search(s.text.toLowerCase());
      expect(first, s.text).toBeDefined();
      expect(first.videoId, s.text).toBe(videoId);
      expect(overlaps(first, s), `${s.text}: ${first.start}–${first.end}`).toBe(true);
      expect(first.textSource).toBe("ocr");
      expect(first.text).toMatch(new RegExp(s.text.split(" ")[1], "i"));
    }
    const fuzzy = (await search("quartely revenve")).find((m) => m.textSource === "ocr");
    expect(fuzzy && overlaps(fuzzy, SENTENCES[0])).toBe(true);
  });

  it("the cues come back as a transcript and as WebVTT; subtitles attached later leave them alone", async () => {
    const cues = async (kind: string) =>
      (
        (await (
          await cuesRoute(h.request(`${B}/api/videos/${videoId}/cues?kind=${kind}`), {
            params: Promise.resolve({ id: videoId }),
          })
        ).json()) as { cues: { start: number; end: number; text: string }[] }
      ).cues;
    const ocr = await cues("ocr");
    const caption = ocr.find((c) => /revenue/i.test(c.text))!;
    expect(overlaps(caption, SENTENCES[0])).toBe(true);
    const vtt = await trackRoute(h.request(`${B}/api/videos/${videoId}/tracks/ocr.vtt`), {
      params: Promise.resolve({ id: videoId, kind: "ocr.vtt" }),
    });
    expect(vtt.headers.get("content-type")).toContain("text/vtt");
    const text = await vtt.text();
    expect(text.startsWith("WEBVTT")).toBe(true);
    expect(text).toMatch(/revenue/i);

    const srt = "1\n00:00:01,000 --> 00:00:03,000\na spoken line\n";
    const put = await subtitlesRoute(h.request(`${B}/api/videos/${videoId}/subtitles`, { method: "PUT", body: srt }), {
      params: Promise.resolve({ id: videoId }),
    });
    expect(put.status).toBe(200);
    expect((await cues("subtitles")).map((c) => c.text)).toEqual(["a spoken line"]);
    expect(await cues("ocr")).toEqual(ocr);
    const bad = await cuesRoute(h.request(`${B}/api/videos/${videoId}/cues?kind=audio`), {
      params: Promise.resolve({ id: videoId }),
    });
    expect(bad.status).toBe(400);
  });
});
