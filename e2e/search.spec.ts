/**
 * (d) Moment search: a video with a known subtitle is found from the header search box,
 * its result card leads to the video page playing the moment, the moment can loop, and
 * the video page searches within itself. An empty query shows the API's error.
 */
import type { APIRequestContext, Locator } from "@playwright/test";
import { SEARCH_VIDEO } from "./fixtures";
import { attachSubtitles, mediaTime, playedFrom, uploadViaApi, waitUntilProcessed, type ApiVideo } from "./helpers";
import { adminApi, expect, test } from "./test";

const SUBTITLES = "1\n00:00:03,000 --> 00:00:06,000\nA purple elephant dances\n";
const CUE = { start: 3, end: 6 };

let api: APIRequestContext;
let video: ApiVideo; // set by beforeAll

test.beforeAll(async ({ playwright }, testInfo) => {
  api = await adminApi(playwright, testInfo.project.use.baseURL);
  video = await uploadViaApi(api, SEARCH_VIDEO);
  expect((await waitUntilProcessed(api, video.id)).status).toBe("ready");
  expect(await attachSubtitles(api, video.id, SUBTITLES)).toBe(1);
});

test.afterAll(async () => {
  if (video) await api.delete(`/api/videos/${video.id}`);
  await api.dispose();
});

/**
 * Playback started at `start`: the first range the <video> has played begins there. The
 * played ranges are a record of what happened, so a busy machine that lets the video run
 * on before the test looks cannot make this fail (polling currentTime could).
 */
async function expectPlayingFrom(player: Locator, start: number): Promise<void> {
  await expect.poll(() => playedFrom(player), { timeout: 30_000, intervals: [100] }).not.toBeNull();
  expect(Math.abs((await playedFrom(player))! - start)).toBeLessThan(0.5);
  await expect.poll(async () => (await mediaTime(player)) > start, { timeout: 30_000 }).toBe(true);
}

test("the header search finds the subtitle's moment, and its card plays it on the video page", async ({ page }) => {
  await page.goto("/");
  const input = page.getByTestId("search-input");
  await input.fill("purple elephant");
  await input.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=purple\+elephant$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("purple elephant");

  // (a video may show several moments: the one quoting the subtitle is the one to check)
  const cards = page.locator(`[data-testid="search-result"][data-video-id="${video.id}"]`);
  await expect(cards.first()).toBeVisible();
  const card = cards.filter({ hasText: "A purple elephant dances" });
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId("search-span")).toBeVisible();
  await expect(card.getByTestId("search-result-text")).toContainText("A purple elephant dances");
  await expect(card).toContainText("moments-e2e-search.mp4");
  await expect(page.getByTestId("search-summary")).toHaveText(/^\d+ moments? · [\d.]+ m?s$/);

  // the result is the subtitled moment: its span overlaps the cue. (It is exactly the cue
  // only when the subtitle outranks the grounded span: in a one-video library both rank
  // first and the fusion keeps the grounded span, so the seek is checked against the card.)
  const start = Number(await card.getAttribute("data-start"));
  const end = Number(await card.getAttribute("data-end"));
  expect(end).toBeGreaterThan(start);
  expect(start).toBeLessThan(CUE.end);
  expect(end).toBeGreaterThan(CUE.start);

  await card.click();
  // the link keeps the query, so "Correct this" on the video page knows the sentence
  await expect(page).toHaveURL(
    new RegExp(`/videos/${video.id}\\?t=${start}&end=${end}&q=purple\\+elephant$`.replace(/\./g, "\\.")),
  );
  await expectPlayingFrom(page.getByTestId("player"), start);
  await expect(page.getByTestId("video-title")).toHaveText("moments-e2e-search");
  const span = page.getByTestId("player-span");
  await expect(span).toBeVisible();
  await expect(span).toHaveAttribute("data-start", String(start));
  await expect(span).toHaveAttribute("data-end", String(end));
});

test("a moment link seeks to t, plays, highlights [t, end], and loops it on request", async ({ page }) => {
  await page.goto(`/videos/${video.id}?t=${CUE.start}&end=${CUE.end}`);
  const player = page.getByTestId("player");
  await expectPlayingFrom(player, CUE.start);
  await expect(page.getByTestId("player-span")).toBeVisible();
  await expect(page.getByTestId("player-moment")).toContainText("0:03–0:06");

  // From here on, count jumps back while playing. Paused first and restarted at the
  // span's start with loop on, so a slow machine cannot have run past the span already.
  await player.evaluate((el) => (el as HTMLVideoElement).pause());
  const loop = page.getByTestId("loop-toggle");
  await expect(loop).toHaveAttribute("aria-pressed", "false");
  await loop.click();
  await expect(loop).toHaveAttribute("aria-pressed", "true");
  await player.evaluate((el, start) => {
    const v = el as HTMLVideoElement;
    v.currentTime = start;
    let last = start;
    v.dataset.loops = "0";
    v.dataset.max = String(last);
    v.addEventListener("timeupdate", () => {
      if (v.currentTime < last - 1) v.dataset.loops = String(Number(v.dataset.loops) + 1);
      last = v.currentTime;
      v.dataset.max = String(Math.max(Number(v.dataset.max), last));
    });
    void v.play();
  }, CUE.start);

  await expect(player).toHaveAttribute("data-loops", /^[1-9]/, { timeout: 20_000 });
  // it went back to the start instead of running on to the video's end (10 s); a timeupdate
  // comes every ≈ 250 ms, and later on a busy machine, hence the margin
  expect(Number(await player.getAttribute("data-max"))).toBeLessThan(CUE.end + 1.5);
  const t = await mediaTime(player);
  expect(t).toBeGreaterThanOrEqual(CUE.start - 0.1);
  expect(t).toBeLessThan(CUE.end + 1.5);

  await loop.click();
  await expect(loop).toHaveAttribute("aria-pressed", "false");
});

test("searching in the video lists its moments; picking one seeks and highlights it", async ({ page }) => {
  await page.goto(`/videos/${video.id}`);
  const player = page.getByTestId("player");
  await expect(page.getByTestId("player-span")).toHaveCount(0);

  const input = page.getByTestId("video-search-input");
  await expect(input).toBeEnabled();
  await input.fill("purple elephant");
  await input.press("Enter");
  const rows = page.getByTestId("video-search-result");
  await expect(rows.first()).toBeVisible();
  const row = rows.filter({ hasText: "A purple elephant dances" });
  await expect(row).toHaveCount(1);

  const start = Number(await row.getAttribute("data-start"));
  const end = Number(await row.getAttribute("data-end"));
  await row.click();
  await expectPlayingFrom(player, start);
  await expect(row).toHaveAttribute("aria-current", "true");
  const span = page.getByTestId("player-span");
  await expect(span).toBeVisible();
  await expect(span).toHaveAttribute("data-start", String(start));
  await expect(span).toHaveAttribute("data-end", String(end));
  await expect(page).toHaveURL(new RegExp(`\\?t=${start}&end=${end}&q=purple\\+elephant$`.replace(/\./g, "\\.")));
});

test("an empty query shows the API's error", async ({ page, request }) => {
  const res = await request.get("/api/search?q=");
  expect(res.status()).toBe(400);
  const { error } = (await res.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe("empty_query");

  await page.goto("/");
  await page.getByTestId("search-input").press("Enter");
  await expect(page).toHaveURL(/\/search\?q=$/);
  const alert = page.getByTestId("search-error");
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(error.message);
  await expect(page.getByTestId("search-result")).toHaveCount(0);
});
