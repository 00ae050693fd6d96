/**
 * The player: speed, volume, frame step, the shortcut overlay, "stop at the end of the
 * moment" (the default when a search result opens the video) and loop, the moment's band
 * drawn above the playhead, the clip strip as one Tab stop, the model's readable name, a
 * file the browser cannot play, and the main flow at phone size.
 */
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { modelLabel } from "../lib/model-names";
import {
  attachSubtitles,
  mediaTime,
  playedFrom,
  uploadViaApi,
  waitForMetadata,
  waitUntilProcessed,
  type ApiVideo,
} from "./helpers";
import { PLAYER_VIDEO, UNPLAYABLE_VIDEO } from "./player-fixtures";
import { adminApi, expect, test } from "./test";

const SUBTITLES = "1\n00:00:02,000 --> 00:00:05,000\nA green giraffe sings opera\n";
const QUERY = "green giraffe sings opera";

interface VideoJson extends ApiVideo {
  fps: number | null;
  duration: number | null;
  modelVersion: string | null;
}

let api: APIRequestContext;
let video: VideoJson; // set by beforeAll

test.beforeAll(async ({ playwright }, testInfo) => {
  api = await adminApi(playwright, testInfo.project.use.baseURL);
  const added = await uploadViaApi(api, PLAYER_VIDEO);
  expect((await waitUntilProcessed(api, added.id)).status).toBe("ready");
  expect(await attachSubtitles(api, added.id, SUBTITLES)).toBe(1);
  video = ((await (await api.get(`/api/videos/${added.id}`)).json()) as { video: VideoJson }).video;
});

test.afterAll(async () => {
  if (video) await api.delete(`/api/videos/${video.id}`);
  await api.dispose();
});

/** The <video>'s own state, read in the page. */
function state(player: Locator) {
  return player.evaluate((el) => {
    const v = el as HTMLVideoElement;
    return { t: v.currentTime, paused: v.paused, rate: v.playbackRate, volume: v.volume, muted: v.muted };
  });
}

/** Seeks the element itself and waits for the seek to land. */
async function seekTo(player: Locator, t: number): Promise<void> {
  await player.evaluate(
    (el, to) =>
      new Promise<void>((resolve) => {
        const v = el as HTMLVideoElement;
        v.pause();
        v.addEventListener("seeked", () => resolve(), { once: true });
        v.currentTime = to;
      }),
    t,
  );
}

/** The video page, once the player knows its duration and the keys are wired (the page is hydrated). */
async function openVideo(page: Page, path = `/videos/${video.id}`): Promise<Locator> {
  await page.goto(path);
  const player = page.getByTestId("player");
  await waitForMetadata(page, player);
  await expect(page.getByTestId("speed-select")).toBeEnabled();
  return player;
}

/** From the header search to this video's result card. */
async function searchForIt(page: Page): Promise<Locator> {
  await page.goto("/");
  const input = page.getByTestId("search-input");
  await input.fill(QUERY);
  await input.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=/);
  const card = page.locator(`[data-testid="search-result"][data-video-id="${video.id}"]`).first();
  await expect(card).toBeVisible();
  return card;
}

test("speed from the menu and with < >, volume from the slider, M mutes; , and . step one frame of the video's fps", async ({
  page,
}) => {
  const player = await openVideo(page);
  expect(video.fps).toBeGreaterThan(0);
  const frame = 1 / video.fps!;

  // speed: the menu offers 0.25× to 2×
  const speed = page.getByTestId("speed-select");
  await expect(speed).toHaveValue("1");
  const offered = await speed.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(offered).toEqual(["0.25", "0.5", "0.75", "1", "1.25", "1.5", "1.75", "2"]);
  await speed.selectOption("0.5");
  await expect.poll(async () => (await state(player)).rate).toBe(0.5);
  await player.focus();
  await page.keyboard.press(">");
  await expect.poll(async () => (await state(player)).rate).toBe(0.75);
  await expect(speed).toHaveValue("0.75");
  for (let i = 0; i < 4; i++) await page.keyboard.press("<");
  await expect.poll(async () => (await state(player)).rate).toBe(0.25); // and no lower
  await speed.selectOption("2");
  await expect.poll(async () => (await state(player)).rate).toBe(2);
  await speed.selectOption("1");

  // volume: the slider's own keys (the player's keys leave it alone); 0 is muted
  const volume = page.getByTestId("volume-slider");
  await volume.focus();
  await page.keyboard.press("Home");
  await expect.poll(async () => (await state(player)).muted).toBe(true);
  // one step at a time: each press moves the slider from the value the player reported
  for (let i = 1; i <= 6; i++) {
    await page.keyboard.press("ArrowRight");
    await expect.poll(async () => (await state(player)).volume).toBeCloseTo(0.05 * i, 2);
  }
  expect((await state(player)).muted).toBe(false);
  expect((await state(player)).t).toBe(0); // → did not seek
  await player.focus();
  await page.keyboard.press("m");
  await expect.poll(async () => (await state(player)).muted).toBe(true);
  await expect(volume).toHaveValue("0");
  await page.keyboard.press("m");
  await expect.poll(async () => (await state(player)).muted).toBe(false);
  await expect(volume).toHaveValue("0.3");

  // frame step: paused, exactly one frame each way
  await seekTo(player, 4);
  await player.focus();
  await page.keyboard.press(".");
  await expect.poll(async () => (await state(player)).t).toBeCloseTo(4 + frame, 3);
  expect((await state(player)).paused).toBe(true);
  await page.keyboard.press(",");
  await page.keyboard.press(",");
  await expect.poll(async () => (await state(player)).t).toBeCloseTo(4 - frame, 3);

  // while playing, a frame step pauses first
  await page.getByTestId("play-button").click();
  await expect.poll(async () => (await state(player)).paused).toBe(false);
  await player.focus();
  await page.keyboard.press(".");
  await expect.poll(async () => (await state(player)).paused).toBe(true);
  const at = (await state(player)).t;
  await page.keyboard.press(".");
  await expect.poll(async () => (await state(player)).t).toBeCloseTo(at + frame, 3);
});

test("? opens a list of every player shortcut; Escape closes it and focus goes back", async ({ page }) => {
  const player = await openVideo(page);
  await player.focus();
  await page.keyboard.press("?");
  const help = page.getByTestId("player-help");
  await expect(help).toBeVisible();
  await expect(page.getByRole("dialog", { name: "Player keyboard shortcuts" })).toBeVisible();
  for (const keys of [
    "Space / K",
    "J / ←",
    "L / →",
    ", / .",
    "< / >",
    "↑ / ↓",
    "M",
    "F",
    "?",
    "Esc",
    "Home / End",
    "Page Up / Page Down",
  ]) {
    await expect(help.locator("kbd", { hasText: keys }).first()).toBeVisible();
  }
  // one frame of this video, in words
  await expect(help).toContainText(`this video has ${Math.round(video.fps! * 100) / 100} fps`);
  // the player's keys do nothing meanwhile
  await page.keyboard.press("k");
  expect((await state(player)).paused).toBe(true);
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);
  await expect(player).toBeFocused();

  // the keyboard button opens it too, and ? closes it
  await page.getByTestId("player-help-button").click();
  await expect(help).toBeVisible();
  await expect(page.getByTestId("player-help-close")).toBeFocused();
  await page.keyboard.press("?");
  await expect(help).toHaveCount(0);

  // with nothing focused, the letter keys still reach the player
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("?");
  await expect(help).toBeVisible();
  await page.keyboard.press("Escape");
});

test("opened from a search result, playback stops at the end of the moment; Play goes on; with loop on it loops", async ({
  page,
}) => {
  const card = await searchForIt(page);
  const start = Number(await card.getAttribute("data-start"));
  const end = Number(await card.getAttribute("data-end"));
  await card.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/videos/${video.id}\\?t=`));
  const player = page.getByTestId("player");
  const stop = page.getByTestId("stop-at-end-toggle");
  await expect(stop).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("loop-toggle")).toHaveAttribute("aria-pressed", "false");

  // it played from the start of the moment and paused at its end, not later
  await expect.poll(() => playedFrom(player), { timeout: 30_000 }).not.toBeNull();
  expect(Math.abs((await playedFrom(player))! - start)).toBeLessThan(0.5);
  await expect.poll(async () => (await state(player)).paused, { timeout: 30_000 }).toBe(true);
  const stopped = await state(player);
  expect(Math.abs(stopped.t - end)).toBeLessThan(0.1);
  await expect(page.getByTestId("play-button")).toHaveAttribute("aria-label", "Play");

  // Play goes on past the end (unless the moment runs to the end of the video)
  if (end < (video.duration ?? 0) - 1) {
    await page.getByTestId("play-button").click();
    await expect.poll(async () => (await state(player)).t, { timeout: 15_000 }).toBeGreaterThan(end + 0.3);
    await player.evaluate((el) => (el as HTMLVideoElement).pause());
  }

  // loop on: back to the start of the moment at its end, instead of stopping
  await page.getByTestId("loop-toggle").click();
  await expect(page.getByTestId("loop-toggle")).toHaveAttribute("aria-pressed", "true");
  await expect(stop).toBeDisabled();
  await player.evaluate((el, from) => {
    const v = el as HTMLVideoElement;
    let last = v.currentTime;
    v.dataset.loops = "0";
    v.dataset.pausedAtEnd = "0";
    v.addEventListener("timeupdate", () => {
      if (v.currentTime < last - 0.5) v.dataset.loops = String(Number(v.dataset.loops) + 1);
      last = v.currentTime;
    });
    v.addEventListener("pause", () => (v.dataset.pausedAtEnd = "1"));
    v.currentTime = from;
    void v.play();
  }, start);
  await expect(player).toHaveAttribute("data-loops", /^[1-9]/, { timeout: 30_000 });
  await expect(player).toHaveAttribute("data-paused-at-end", "0");

  // loop off: stops at the end again
  await page.getByTestId("loop-toggle").click();
  await expect(stop).toHaveAttribute("aria-pressed", "true");
  await expect.poll(async () => (await state(player)).paused, { timeout: 30_000 }).toBe(true);
  expect(Math.abs((await state(player)).t - end)).toBeLessThan(0.1);
});

test("stop at the end can be turned off: playback runs on through the moment", async ({ page }) => {
  const player = await openVideo(page, `/videos/${video.id}?t=2&end=3`);
  await expect.poll(() => playedFrom(player), { timeout: 30_000 }).not.toBeNull();
  await page.getByTestId("stop-at-end-toggle").click();
  await expect(page.getByTestId("stop-at-end-toggle")).toHaveAttribute("aria-pressed", "false");
  await seekTo(player, 2);
  await player.evaluate((el) => void (el as HTMLVideoElement).play());
  await expect.poll(async () => (await state(player)).t, { timeout: 15_000 }).toBeGreaterThan(3.5);
  expect((await state(player)).paused).toBe(false);
});

/** The band of the moment: filled, drawn over the playhead and the progress, a few pixels at least. */
async function expectVisibleBand(page: Page): Promise<void> {
  const band = page.getByTestId("player-span");
  await expect(band).toBeVisible();
  const box = (await band.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(3);
  expect(box.height).toBeGreaterThanOrEqual(6);
  const timeline = (await page.getByTestId("timeline").boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(timeline.x - 1);
  expect(box.x + box.width).toBeLessThanOrEqual(timeline.x + timeline.width + 1);
  const look = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('[data-testid="player-span"]')!);
    const p = getComputedStyle(document.querySelector('[data-testid="playhead"]')!);
    return { fill: s.backgroundColor, band: Number(s.zIndex), playhead: Number(p.zIndex) || 0 };
  });
  // an opaque fill, not an outline (no alpha in the computed colour)
  expect(look.fill).not.toMatch(/\/|rgba|transparent/);
  expect(look.band).toBeGreaterThan(look.playhead);
}

test("the moment's band stays visible above the playhead, and the model reads as a name", async ({ page }) => {
  const player = await openVideo(page, `/videos/${video.id}?t=4&end=6`);
  await seekTo(player, 5);
  await expectVisibleBand(page);

  // the details name the model readably, with the full version on hover
  expect(video.modelVersion).toBeTruthy();
  const model = page.getByTestId("video-model");
  await expect(model).toHaveText(modelLabel(video.modelVersion));
  await expect(model).toHaveAttribute("title", video.modelVersion!);
});

test("the clip strip is one Tab stop: arrows, Home and End move along it, Enter jumps", async ({ page }) => {
  const player = await openVideo(page);
  const cells = page.getByTestId("clip-cell");
  await expect(cells.first()).toBeVisible();
  const count = await cells.count();
  expect(count).toBeGreaterThan(5);
  await expect(page.locator('[data-testid="clip-cell"][tabindex="0"]')).toHaveCount(1);
  // each clip is named by what it shows
  const first = cells.first();
  const shown = await first.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".sr-only").forEach((n) => n.remove());
    return (copy.textContent ?? "").trim();
  });
  expect(shown).toMatch(/^0:00–0:0\d$/);
  await expect(first).toHaveAccessibleName(`Clip 1: ${shown}`);

  // Tab reaches the strip once, and leaves it with the next Tab
  await page.getByRole("button", { name: "Full screen" }).focus();
  await page.keyboard.press("Tab");
  await expect(first).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(cells.nth(1)).toBeFocused();
  await page.keyboard.press("End");
  await expect(cells.nth(count - 1)).toBeFocused();
  await page.keyboard.press("Home");
  await expect(first).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  const third = cells.nth(2);
  await expect(third).toBeFocused();
  await page.keyboard.press("Enter");
  const start = Number(await third.getAttribute("data-start"));
  await expect.poll(() => mediaTime(player)).toBeCloseTo(start, 1);
  await expect(third).toHaveAttribute("aria-current", "true");
  await expect(page.locator('[data-testid="clip-cell"][tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? null)).not.toBe("clip-cell");
  // back into the strip: to the clip it was left on
  await page.keyboard.press("Shift+Tab");
  await expect(third).toBeFocused();
});

test("a file the browser cannot decode says so over the picture, and a later playing event does not hide it", async ({
  page,
  request,
}) => {
  const added = await uploadViaApi(request, UNPLAYABLE_VIDEO);
  try {
    // ffmpeg reads it, so the server indexes it like any other file
    expect((await waitUntilProcessed(request, added.id)).status).toBe("ready");
    await page.goto(`/videos/${added.id}`);
    const error = page.getByTestId("player-error");
    await expect(error).toBeVisible({ timeout: 30_000 });
    await expect(error).toContainText("This video\u2019s file cannot be played in the browser: ");
    await expect(error.getByRole("link", { name: "Download the original" })).toBeVisible();
    const play = page.getByTestId("play-button");
    await expect(play).toHaveAttribute("aria-label", "Play");
    await expect(play).toBeDisabled();
    // the old bug: the message was cleared by a `playing` event that came after the error
    await page.getByTestId("player").evaluate((el) => {
      el.dispatchEvent(new Event("playing"));
      el.dispatchEvent(new Event("timeupdate"));
    });
    await expect(error).toBeVisible();
    await expect(play).toHaveAttribute("aria-label", "Play");
  } finally {
    await request.delete(`/api/videos/${added.id}`);
  }
});

test("garbage bytes served as the video file: the player says it cannot be played", async ({ page }) => {
  await page.route(`**/api/videos/${video.id}/file`, (route) =>
    route.fulfill({
      status: 200,
      contentType: "video/mp4",
      body: Buffer.from("this is not a video at all ".repeat(4000)),
    }),
  );
  await page.goto(`/videos/${video.id}`);
  const error = page.getByTestId("player-error");
  await expect(error).toBeVisible({ timeout: 30_000 });
  await expect(error).toContainText("This video\u2019s file cannot be played in the browser: ");
  await expect(page.getByTestId("play-button")).toBeDisabled();
  await page.getByTestId("player").evaluate((el) => el.dispatchEvent(new Event("playing")));
  await expect(error).toBeVisible();
});

test.describe("at phone size (390×844)", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test("library → search → open a result → it plays the moment, with 44 px controls and the moment's band in view", async ({
    page,
  }) => {
    const card = await searchForIt(page);
    const start = Number(await card.getAttribute("data-start"));
    await card.getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(`/videos/${video.id}\\?t=`));
    const player = page.getByTestId("player");
    await expect.poll(() => playedFrom(player), { timeout: 30_000 }).not.toBeNull();
    expect(Math.abs((await playedFrom(player))! - start)).toBeLessThan(0.5);
    await expectVisibleBand(page);

    // nothing wider than the screen, controls big enough to tap
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const control of [
      page.getByTestId("play-button"),
      page.getByTestId("mute-button"),
      page.getByRole("button", { name: "Full screen" }),
      page.getByTestId("speed-select"),
      page.getByTestId("play-moment"),
      page.getByTestId("loop-toggle"),
      page.getByTestId("stop-at-end-toggle"),
    ]) {
      const box = (await control.boundingBox())!;
      expect(box.height, await control.evaluate((el) => el.outerHTML.slice(0, 80))).toBeGreaterThanOrEqual(44);
    }
    const play = (await page.getByTestId("play-button").boundingBox())!;
    expect(play.width).toBeGreaterThanOrEqual(44);

    // tap to pause and to play
    await expect.poll(async () => (await state(player)).paused, { timeout: 30_000 }).toBe(true); // stopped at the end
    await page.getByTestId("play-button").tap();
    await expect.poll(async () => (await state(player)).paused).toBe(false);
    await page.getByTestId("play-button").tap();
    await expect.poll(async () => (await state(player)).paused).toBe(true);
  });
});
