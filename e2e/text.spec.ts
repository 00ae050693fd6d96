/**
 * Subtitles in the UI (issue 21): an .srt dropped with its video on the upload page is
 * attached to it; a subtitle file without its video is listed, not sent; the library card
 * says CC; on the video page the player shows the subtitles as a text track (the CC menu
 * and the C key), and the transcript seeks the player, follows playback and filters.
 * The tests run in order on the one video the first one uploads; it is deleted at the end.
 */
import path from "node:path";
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { LOOSE_SUBTITLES, TEXT_SUBTITLES, TEXT_VIDEO } from "./fixtures";
import { mediaTime, waitForMetadata } from "./helpers";
import { adminApi, expect, test } from "./test";

test.describe.configure({ mode: "serial" });

const STEM = path.basename(TEXT_VIDEO, ".mp4");

let api: APIRequestContext;
let videoId: string | null = null; // set by the first test

test.beforeAll(async ({ playwright }, testInfo) => {
  api = await adminApi(playwright, testInfo.project.use.baseURL);
});

test.afterAll(async () => {
  // the video the first test uploaded, and any other copy of it left behind
  const ids = new Set<string>(videoId ? [videoId] : []);
  const res = await api.get(`/api/videos?limit=100&offset=0&q=${encodeURIComponent(STEM)}`);
  if (res.ok())
    for (const v of ((await res.json()) as { videos: { id: string; name: string }[] }).videos)
      if (v.name === path.basename(TEXT_VIDEO)) ids.add(v.id);
  for (const id of ids) await api.delete(`/api/videos/${id}`);
  await api.dispose();
});

/** The <track> of this label: its mode, whether it loaded, and how many cues it holds. */
function trackState(player: Locator, label: string) {
  return player.evaluate((el, l) => {
    const v = el as HTMLVideoElement;
    const track = Array.from(v.querySelectorAll("track")).find((t) => t.label === l);
    if (!track) return null;
    return {
      mode: track.track.mode,
      loaded: track.readyState === HTMLTrackElement.LOADED,
      cues: track.track.cues?.length ?? 0,
      kind: track.kind,
    };
  }, label);
}

async function openVideo(page: Page): Promise<Locator> {
  expect(videoId, "the upload test ran first").toBeTruthy();
  await page.goto(`/videos/${videoId}`);
  const player = page.getByTestId("player");
  await waitForMetadata(page, player);
  await expect(page.getByTestId("speed-select")).toBeEnabled(); // hydrated
  return player;
}

test("an .srt dropped with its video is attached to it once the upload has its id", async ({ page }) => {
  await page.goto("/upload");
  const put = page.waitForResponse(
    (r) => /\/api\/videos\/[^/]+\/subtitles$/.test(r.url()) && r.request().method() === "PUT",
  );
  await page.getByTestId("upload-input").setInputFiles([TEXT_VIDEO, TEXT_SUBTITLES]);

  // one row: the video; the subtitles go with it, not as an upload of their own
  const rows = page.getByTestId("upload-row");
  await expect(rows).toHaveCount(1);
  const row = rows.filter({ hasText: path.basename(TEXT_VIDEO) });
  await expect(row).toHaveAttribute("data-outcome", "added", { timeout: 60_000 });
  videoId = await row.getAttribute("data-video-id");
  expect(videoId).toBeTruthy();

  const answer = await put;
  expect(answer.url()).toContain(`/api/videos/${videoId}/subtitles`);
  expect(answer.status()).toBe(200);
  // (the row reports the server's cue count below; the response body itself may be gone once the page moves on)
  const line = row.getByTestId("upload-subtitles");
  await expect(line).toHaveAttribute("data-status", "attached");
  await expect(line).toContainText(/subtitles attached \(3 cues\)/i);

  // processing keeps them
  await expect(row).toHaveAttribute("data-status", "ready", { timeout: 180_000 });
  const cues = await api.get(`/api/videos/${videoId}/cues?kind=subtitles`);
  expect(((await cues.json()) as { cues: { text: string }[] }).cues.map((c) => c.text)).toEqual([
    "Welcome to the kumquat orchard",
    "Marmalade simmers in copper pots",
    "The xylophone plays at dawn",
  ]);
});

test("a subtitle file without its video is listed with what to do, and nothing is uploaded", async ({ page }) => {
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" || r.method() === "PUT") posts.push(`${r.method()} ${r.url()}`);
  });
  await page.goto("/upload");
  await page.getByTestId("upload-input").setInputFiles(LOOSE_SUBTITLES);
  const loose = page.getByTestId("upload-subtitle-orphan");
  await expect(loose).toHaveCount(1);
  await expect(loose).toContainText(path.basename(LOOSE_SUBTITLES));
  await expect(loose.getByTestId("upload-subtitle-message")).toContainText(
    /No video named .moments-e2e-no-such-video./,
  );
  await expect(page.getByTestId("upload-row")).toHaveCount(0);
  expect(posts.filter((p) => p.includes("/api/videos"))).toEqual([]);

  await loose.getByRole("button", { name: `Dismiss ${path.basename(LOOSE_SUBTITLES)}` }).click();
  await expect(loose).toHaveCount(0);
});

test("the library card of a video with subtitles says CC", async ({ page }) => {
  expect(videoId, "the upload test ran first").toBeTruthy();
  await page.goto(`/?name=${encodeURIComponent(STEM)}`);
  const card = page.locator(`[data-testid="video-card"][data-video-id="${videoId}"]`);
  await expect(card).toBeVisible();
  const cc = card.getByRole("img", { name: /Has subtitles or on-screen text/ });
  await expect(cc).toBeVisible();
  await expect(cc).toHaveText("CC");
});

test("the player's CC menu and the C key turn the subtitles track on and off", async ({ page }) => {
  const player = await openVideo(page);
  await expect(page.getByRole("img", { name: /Has subtitles or on-screen text/ })).toBeVisible(); // the page's CC mark

  // the track is there, off until picked
  await expect.poll(async () => (await trackState(player, "Subtitles"))?.mode).toBe("disabled");
  const button = page.getByTestId("captions-button");
  await expect(button).toHaveAccessibleName(/^CC/);
  await button.click();
  const menu = page.getByRole("menu", { name: "Subtitles and on-screen text" });
  await expect(menu.getByRole("menuitemradio", { name: "Off" })).toHaveAttribute("aria-checked", "true");
  await menu.getByRole("menuitemradio", { name: "Subtitles" }).click();
  await expect(menu).toBeHidden();
  await expect
    .poll(async () => trackState(player, "Subtitles"))
    .toEqual({ mode: "showing", loaded: true, cues: 3, kind: "subtitles" });
  await expect(button).toHaveAttribute("data-active", "subtitles");

  // C: off, and on again
  await player.focus();
  await page.keyboard.press("c");
  await expect.poll(async () => (await trackState(player, "Subtitles"))?.mode).toBe("disabled");
  await page.keyboard.press("c");
  await expect.poll(async () => (await trackState(player, "Subtitles"))?.mode).toBe("showing");

  // the key is in the list of keys
  await page.keyboard.press("?");
  await expect(page.getByTestId("player-help-keys")).toContainText("captions on / off");
});

test("a transcript line seeks the player there, and the line showing is marked", async ({ page }) => {
  const player = await openVideo(page);
  const transcript = page.getByTestId("transcript");
  const lines = transcript.getByTestId("transcript-cue");
  await expect(lines).toHaveCount(3);
  await expect(lines.nth(0)).toHaveAccessibleName(/^0:00 Welcome to the kumquat orchard/);

  const xylophone = lines.filter({ hasText: "xylophone" });
  await xylophone.click();
  await expect.poll(() => mediaTime(player)).toBeCloseTo(3.5, 1);
  await expect(xylophone).toHaveAttribute("aria-current", "true");
  await expect(transcript.locator('[aria-current="true"]')).toHaveCount(1);

  // the player moved by itself (its own seek): the transcript follows
  await player.evaluate((el) => {
    (el as HTMLVideoElement).currentTime = 1;
  });
  await expect(lines.filter({ hasText: "kumquat" })).toHaveAttribute("aria-current", "true");
  await expect(xylophone).not.toHaveAttribute("aria-current", "true");
});

test("the transcript filter keeps the lines that contain it, ignoring case, and marks it", async ({ page }) => {
  await openVideo(page);
  const transcript = page.getByTestId("transcript");
  const lines = transcript.getByTestId("transcript-cue");
  await expect(lines).toHaveCount(3);

  const filter = transcript.getByRole("searchbox", { name: "Filter lines" });
  await filter.fill("MARMA");
  await expect(lines).toHaveCount(1);
  await expect(lines).toContainText("Marmalade simmers in copper pots");
  await expect(lines.locator("mark")).toHaveText("Marma");
  await expect(transcript.getByTestId("transcript-count")).toHaveText("1 of 3 lines");

  await filter.fill("no such words");
  await expect(lines).toHaveCount(0);
  await expect(transcript.getByTestId("transcript-empty")).toBeVisible();

  await filter.fill("");
  await expect(lines).toHaveCount(3);
});
