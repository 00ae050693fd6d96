/**
 * The annotators' tools around the review queue (issue 16): "Correct this" files a search
 * result (from its card, and from the player it opens) as a flagged review item, and
 * viewers do not get it; the review timeline zooms around the span, with the edges still
 * draggable and the keys still working; an admin asks for two annotators per item on the
 * dashboard, and after two annotators' corrections the dashboard plots the scores and
 * lists the worst miss, whose item page shows both annotations and their agreement.
 *
 * Everything here happens on this spec's own video; deleting it at the end deletes its
 * review items and their annotations, so the other specs' queue and numbers are untouched.
 */
import type { APIRequestContext, Page, PlaywrightWorkerArgs } from "@playwright/test";
import { NO_STATE } from "./auth";
import { ANNOTATE_VIDEO } from "./fixtures";
import { attachSubtitles, uploadViaApi, waitForMetadata, waitUntilProcessed, type ApiVideo } from "./helpers";
import { adminApi, expect, test } from "./test";

interface Span {
  start: number;
  end: number;
}

interface Item {
  id: string;
  videoId: string;
  sentence: string;
  source: string;
  modelVersion: string;
  prediction: Span;
  annotationsWanted: number;
}

const SUBTITLES = "1\n00:00:05,000 --> 00:00:08,000\nA green kite rises\n";
const QUERY = "a green kite rises";

let api: APIRequestContext;
let video: ApiVideo; // set by beforeAll
let duration: number;

test.beforeAll(async ({ playwright }, testInfo) => {
  api = await adminApi(playwright, testInfo.project.use.baseURL);
  video = await uploadViaApi(api, ANNOTATE_VIDEO);
  expect((await waitUntilProcessed(api, video.id)).status).toBe("ready");
  expect(await attachSubtitles(api, video.id, SUBTITLES)).toBe(1);
  duration = ((await (await api.get(`/api/videos/${video.id}`)).json()) as { video: { duration: number } }).video
    .duration;
  expect(duration).toBeGreaterThan(19);
});

test.afterAll(async () => {
  // its review items and their annotations go with it
  if (video) await api.delete(`/api/videos/${video.id}`);
  await api.dispose();
});

async function createItem(request: APIRequestContext, sentence: string): Promise<Item> {
  const res = await request.post("/api/review/items", { data: { videoId: video.id, sentence } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { item: Item }).item;
}

async function decide(request: APIRequestContext, itemId: string, body: object): Promise<void> {
  const res = await request.post(`/api/review/items/${itemId}/decision`, { data: body });
  expect(res.status(), await res.text()).toBe(200);
}

/** A new account of `role`, signed in by cookie in an API context of its own (Origin sent, as a page would). */
async function newUser(
  playwright: PlaywrightWorkerArgs["playwright"],
  baseURL: string,
  role: "viewer" | "annotator",
): Promise<APIRequestContext> {
  const who = {
    email: `${role}-${Date.now()}@e2e.example.com`,
    password: `${role} password 1`,
    name: `E2E ${role}`,
    role,
  };
  const created = await api.post("/api/users", { data: who });
  expect(created.status(), await created.text()).toBe(201);
  const ctx = await playwright.request.newContext({
    baseURL,
    storageState: NO_STATE,
    extraHTTPHeaders: { origin: baseURL },
  });
  const res = await ctx.post("/api/auth/login", { data: { email: who.email, password: who.password } });
  expect(res.ok(), await res.text()).toBe(true);
  return ctx;
}

/** The item shown on /review, once its video is loaded and the keys are listening. */
async function shows(page: Page, item: Item) {
  const root = page.getByTestId("review-item");
  await expect(root).toHaveAttribute("data-item-id", item.id);
  await expect(root).toHaveAttribute("data-keys", "on");
}

function iou(a: Span, b: Span): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? inter / union : 0;
}

const flagRequest = (page: Page) =>
  page.waitForResponse((r) => r.url().endsWith("/api/review/items") && r.request().method() === "POST");

test("“Correct this” files a search result for review, from its card and from the player; viewers do not see it", async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const searchUrl = `/search?q=${encodeURIComponent(QUERY)}&video=${video.id}`;
  await page.goto(searchUrl);
  const card = page.locator(`[data-testid="search-result"][data-video-id="${video.id}"]`).first();
  await expect(card).toBeVisible();
  const start = Number(await card.getAttribute("data-start"));
  const end = Number(await card.getAttribute("data-end"));

  // from the card
  const fromCard = flagRequest(page);
  await card.getByRole("button", { name: "Correct this" }).click();
  const res = await fromCard;
  expect(res.status(), await res.text()).toBe(201);
  const sent = res.request().postDataJSON() as { alternatives: unknown };
  expect(sent).toMatchObject({ videoId: video.id, sentence: QUERY, source: "flagged", start, end });
  expect(Array.isArray(sent.alternatives)).toBe(true);
  const flagged = ((await res.json()) as { item: Item }).item;
  expect(flagged).toMatchObject({ videoId: video.id, sentence: QUERY, source: "flagged" });
  // the result's own span is what gets reviewed, not a fresh prediction
  expect(flagged.prediction.start).toBeCloseTo(start, 2);
  expect(flagged.prediction.end).toBeCloseTo(end, 2);
  const filed = card.getByTestId("correct-this-filed");
  await expect(filed).toContainText("Filed for review.");
  await expect(filed.getByRole("link", { name: "Open the review queue" })).toHaveAttribute("href", "/review");

  // from the player the card opens: the link carries the query
  await card.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/videos/${video.id}\\?t=[\\d.]+&end=[\\d.]+&q=a\\+green\\+kite\\+rises$`));
  const moment = page.getByTestId("player-moment");
  await expect(moment).toBeVisible();
  const fromPlayer = flagRequest(page);
  await moment.getByRole("button", { name: "Correct this" }).click();
  const res2 = await fromPlayer;
  expect(res2.status(), await res2.text()).toBe(201);
  // the span comes from the URL (seconds to 3 decimals)
  const sent2 = res2.request().postDataJSON() as { start: number; end: number };
  expect(sent2).toMatchObject({ videoId: video.id, sentence: QUERY, source: "flagged" });
  expect(sent2.start).toBeCloseTo(start, 2);
  expect(sent2.end).toBeCloseTo(end, 2);
  const flagged2 = ((await res2.json()) as { item: Item }).item;
  await expect(moment.getByTestId("correct-this-filed")).toContainText("Filed for review.");

  // a viewer sees the same result and moment without the button, and the API refuses them
  const viewer = await newUser(playwright, baseURL!, "viewer");
  const context = await browser.newContext({ storageState: await viewer.storageState() });
  try {
    const viewerPage = await context.newPage();
    await viewerPage.goto(searchUrl);
    await expect(
      viewerPage.locator(`[data-testid="search-result"][data-video-id="${video.id}"]`).first(),
    ).toBeVisible();
    await expect(viewerPage.getByTestId("correct-this")).toHaveCount(0);
    await viewerPage.goto(`/videos/${video.id}?t=${start}&end=${end}&q=${encodeURIComponent(QUERY)}`);
    await expect(viewerPage.getByTestId("player-moment")).toBeVisible();
    await expect(viewerPage.getByTestId("correct-this")).toHaveCount(0);
    const refused = await viewer.post("/api/review/items", {
      data: { videoId: video.id, sentence: QUERY, source: "flagged", start, end },
    });
    expect(refused.status()).toBe(403);
  } finally {
    await context.close();
    await viewer.dispose();
  }

  // out of the queue, so the next test's item comes first
  for (const item of [flagged, flagged2]) await decide(api, item.id, { decision: "reject" });
});

test("the review timeline zooms around the span; edges drag and keys work zoomed in", async ({ page, request }) => {
  const item = await createItem(request, "a pattern slides past");
  await page.goto("/review");
  await shows(page, item);
  await waitForMetadata(page, page.getByTestId("review-player"));

  const editor = page.getByTestId("span-editor");
  const view = async () =>
    [Number(await editor.getAttribute("data-view-start")), Number(await editor.getAttribute("data-view-end"))] as const;
  await expect(editor).toHaveAttribute("data-zoom", "0");
  await expect(editor).toHaveAttribute("data-view-start", "0");
  // the whole video, as the player measures it
  const d = (await view())[1];
  expect(d).toBeGreaterThan(19);
  const windowOf = (zoom: number) => Math.max(2, d / 2 ** zoom);
  await expect(page.getByTestId("span-editor-range")).toHaveText("Showing the whole video");

  // the button: half the video, around the span
  await page.getByRole("button", { name: "Zoom in" }).click();
  await expect(editor).toHaveAttribute("data-zoom", "1");
  let [a, b] = await view();
  expect(b - a).toBeCloseTo(windowOf(1), 2);
  await expect(page.getByTestId("edge-start")).toHaveAttribute("data-in-view", "true");
  await expect(page.getByTestId("span-editor-range")).toContainText("Showing");
  await expect(page.getByTestId("span-editor-overview")).toBeVisible();

  // the keys (documented in the help)
  await page.keyboard.press("+");
  await page.keyboard.press("+");
  await expect(editor).toHaveAttribute("data-zoom", "3");
  await page.keyboard.press("-");
  await expect(editor).toHaveAttribute("data-zoom", "2");
  [a, b] = await view();
  expect(b - a).toBeCloseTo(windowOf(2), 2);
  await page.keyboard.press("?");
  await expect(page.getByTestId("review-help")).toContainText("zoom the timeline");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("review-help")).toHaveCount(0);

  // drag the in point to the window's left end: the time under the pointer is the window's
  const track = (await editor.boundingBox())!;
  const handle = (await page.getByTestId("edge-start").boundingBox())!;
  const y = handle.y + handle.height / 2;
  await page.mouse.move(handle.x + handle.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(track.x + 1, y, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => Number(await editor.getAttribute("data-start"))).toBeCloseTo(a, 1);
  // the window held still under the pointer
  expect((await view())[0]).toBeCloseTo(a, 3);

  // arrow nudges still move the selected edge by 0.1 s
  const dragged = Number(await editor.getAttribute("data-start"));
  await page.keyboard.press("ArrowRight");
  await expect.poll(async () => Number(await editor.getAttribute("data-start"))).toBeCloseTo(dragged + 0.1, 3);

  // zoomed in all the way, switching to the other edge brings it into view
  await page.keyboard.press("+");
  await page.keyboard.press("+");
  await page.keyboard.press("+");
  await expect(editor).toHaveAttribute("data-zoom", /^[3-9]$/);
  await page.keyboard.press("Tab");
  await expect(editor).toHaveAttribute("data-selected-edge", "end");
  await expect(page.getByTestId("edge-end")).toHaveAttribute("data-in-view", "true");

  // 0: the whole video again
  await page.keyboard.press("0");
  await expect(editor).toHaveAttribute("data-zoom", "0");
  await expect(editor).toHaveAttribute("data-view-start", "0");

  // Enter saves the correction made zoomed in
  const startNow = Number(await editor.getAttribute("data-start"));
  const endNow = Number(await editor.getAttribute("data-end"));
  const decision = page.waitForResponse(
    (r) => r.url().endsWith(`/api/review/items/${item.id}/decision`) && r.request().method() === "POST",
  );
  await page.keyboard.press("Enter");
  const res = await decision;
  expect(res.status(), await res.text()).toBe(200);
  expect(res.request().postDataJSON()).toEqual({ decision: "correct", start: startNow, end: endNow });
});

test("two annotators' corrections: the dashboard plots them and lists the worst miss; its item page shows both and their agreement", async ({
  page,
  request,
  playwright,
  baseURL,
}) => {
  const before = ((await (await request.get("/api/review/settings")).json()) as { annotationsPerItem: number })
    .annotationsPerItem;
  const second = await newUser(playwright, baseURL!, "annotator");
  try {
    // the admin asks for two annotators per item, on the dashboard
    await page.goto("/evaluation");
    const settings = page.getByTestId("review-settings");
    const field = settings.getByLabel("Annotators per item");
    await expect(field).toHaveValue(String(before));
    await field.fill("2");
    const saved = page.waitForResponse(
      (r) => r.url().endsWith("/api/review/settings") && r.request().method() === "PUT",
    );
    await settings.getByRole("button", { name: "Save" }).click();
    expect((await saved).status()).toBe(200);
    await expect(page.getByTestId("review-settings-saved")).toContainText("2 annotators");

    const sentence = "colours flow across";
    const item = await createItem(request, sentence);
    expect(item.annotationsWanted).toBe(2);
    const p = item.prediction;
    // the admin: a span clear of the prediction (IoU 0); the second annotator: its first half (IoU 0.5 with the admin's)
    const far: Span =
      p.start >= duration - p.end
        ? { start: 0, end: Math.min(2, p.start) }
        : { start: p.end, end: Math.min(duration, p.end + 2) };
    const half: Span = { start: far.start, end: far.start + (far.end - far.start) / 2 };
    expect(iou(p, far)).toBe(0);
    await decide(request, item.id, { decision: "correct", ...far });
    await decide(second, item.id, { decision: "correct", ...half });

    await page.reload();
    await expect(page.getByTestId("evaluation-overview")).toBeVisible();
    // decisions and agreement
    expect(Number(await page.getByTestId("evaluation-decisions-correct").textContent())).toBeGreaterThanOrEqual(2);
    const agreement = page.getByTestId("evaluation-agreement");
    await expect(agreement).toHaveText(/^\d+\.\d%$/);
    expect(Number(await agreement.getAttribute("data-items"))).toBeGreaterThanOrEqual(1);
    // the version's row, and its source's
    const row = page.locator(`[data-testid="evaluation-row"][data-model-version="${item.modelVersion}"]`);
    await expect(row).toBeVisible();
    const sourceRow = page.locator(
      `[data-testid="evaluation-source-row"][data-model-version="${item.modelVersion}"][data-source="described"]`,
    );
    expect(Number(await sourceRow.getAttribute("data-count"))).toBeGreaterThanOrEqual(2);

    // the chart: a line per model version, a caption and the latest values in words
    const chart = page.getByTestId("evaluation-chart");
    await expect(chart).toBeVisible();
    await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
    expect(Number(await chart.getAttribute("data-series"))).toBeGreaterThanOrEqual(1);
    await expect(chart).toHaveAttribute("data-metric", "R1@0.5");
    await expect(chart.getByTestId("evaluation-chart-summary")).toContainText(item.modelVersion);
    await chart.locator("label", { hasText: "mIoU" }).click();
    await expect(chart).toHaveAttribute("data-metric", "mIoU");
    await expect(chart.locator("figcaption")).toContainText("mIoU over time");

    // the worst misses: both corrections missed the prediction entirely
    const misses = page.locator(`[data-testid="worst-miss"][data-item-id="${item.id}"]`);
    await expect(misses).toHaveCount(2);
    await expect(misses.first()).toHaveAttribute("data-iou", "0");
    await expect(misses.first().getByTestId("worst-miss-iou")).toHaveText("0.0%");
    const link = misses.first().getByRole("link", { name: sentence });
    await expect(link).toHaveAttribute("href", `/review/items/${item.id}`);

    // the item page
    await link.click();
    await expect(page).toHaveURL(`/review/items/${item.id}`);
    await expect(page.getByTestId("item-view")).toHaveAttribute("data-item-id", item.id);
    await expect(page.getByTestId("item-sentence")).toHaveText(sentence);
    await expect(page.getByTestId("item-status")).toHaveAttribute("data-status", "decided");
    const annotations = page.getByTestId("item-annotation");
    await expect(annotations).toHaveCount(2);
    for (const a of await annotations.all()) {
      await expect(a).toHaveAttribute("data-decision", "correct");
      await expect(a).toHaveAttribute("data-undone", "false");
    }
    await expect(page.getByTestId("item-agreement")).toHaveText(`${(iou(far, half) * 100).toFixed(1)}%`);
    // the player highlights the model's span, the annotators' faint; picking one highlights it
    const player = page.getByTestId("player");
    await waitForMetadata(page, player);
    await expect(page.getByTestId("player-span")).toHaveAttribute("data-start", String(p.start));
    await expect(page.getByTestId("timeline-mark")).toHaveCount(2);
    const options = page.locator('[data-testid="item-span-option"][data-kind="annotation"]');
    await expect(options).toHaveCount(2);
    const option = options.nth(1); // the second annotator's, made last
    expect(Number(await option.getAttribute("data-end"))).toBeCloseTo(half.end, 2);
    await option.click();
    await expect(option).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("player-span")).toHaveAttribute("data-end", (await option.getAttribute("data-end"))!);
  } finally {
    await request.put("/api/review/settings", { data: { annotationsPerItem: before } });
    await second.dispose();
  }
});
