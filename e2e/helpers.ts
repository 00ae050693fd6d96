import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

/** Minimal view of the API's video JSON that the tests read. */
export interface ApiVideo {
  id: string;
  name: string;
  status: "queued" | "processing" | "ready" | "failed";
  error: string | null;
}

/** Adds a file through the API (not the UI) and returns the video. */
export async function uploadViaApi(request: APIRequestContext, file: string): Promise<ApiVideo> {
  const res = await request.post("/api/videos", {
    multipart: { file: { name: path.basename(file), mimeType: "video/mp4", buffer: readFileSync(file) } },
  });
  expect([200, 201], await res.text()).toContain(res.status());
  const body = (await res.json()) as { video?: ApiVideo; results: { video?: ApiVideo }[] };
  const video = body.video ?? body.results[0]?.video;
  if (!video) throw new Error("upload answered without a video");
  return video;
}

/** Polls the API until the video is ready or failed. */
export async function waitUntilProcessed(request: APIRequestContext, id: string, timeout = 180_000): Promise<ApiVideo> {
  let last: ApiVideo | undefined;
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/videos/${id}`);
        last = ((await res.json()) as { video: ApiVideo }).video;
        return last.status;
      },
      { timeout, intervals: [500, 1000] },
    )
    .toMatch(/^(ready|failed)$/);
  return last!;
}

export function mediaTime(player: Locator): Promise<number> {
  return player.evaluate((v) => (v as HTMLVideoElement).currentTime);
}

/** Waits until the <video> knows its duration (metadata loaded). */
export async function waitForMetadata(page: Page, player: Locator): Promise<number> {
  await expect
    .poll(() => player.evaluate((v) => (v as HTMLVideoElement).readyState), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(1);
  return player.evaluate((v) => (v as HTMLVideoElement).duration);
}

/** Attaches subtitles (.srt or .vtt text) to a video; returns how many cues it kept. */
export async function attachSubtitles(request: APIRequestContext, id: string, text: string): Promise<number> {
  const res = await request.put(`/api/videos/${id}/subtitles`, {
    data: text,
    headers: { "content-type": "text/plain" },
  });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { cues: number }).cues;
}

/** Where playback started: the start of the first range the <video> has played (null before it plays). */
export function playedFrom(player: Locator): Promise<number | null> {
  return player.evaluate((v) => {
    const played = (v as HTMLVideoElement).played;
    return played.length > 0 ? played.start(0) : null;
  });
}
