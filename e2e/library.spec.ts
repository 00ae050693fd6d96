/**
 * The library as people organise it (issue 17): sort, filters and pages kept in the URL,
 * titles renamed in place, several videos deleted at once; and recovery: reprocess a
 * failed video once its cause is fixed, retry a failed upload, "Clear finished" keeping
 * failures, the processing ETA.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Page, Route } from "@playwright/test";
import { expect, test } from "./test";
import {
  BULK_VIDEOS,
  LIBRARY_ALPHA,
  LIBRARY_BRAVO,
  LIBRARY_CHARLIE,
  NOT_A_VIDEO,
  REPROCESS_VIDEO,
  RETRY_VIDEO,
} from "./fixtures";
import { uploadViaApi, waitUntilProcessed, type ApiVideo } from "./helpers";

/** The e2e server's DATA_DIR (playwright.config.ts): each video's files are under media/<id>/. */
const MEDIA_DIR = path.resolve(".tmp/e2e-data/media");

/** What cards show: the file name without its extension. */
const title = (file: string) => path.basename(file, path.extname(file));

/** Adds the files (or finds them: same bytes, same video) with their file names as titles, and waits until each is processed. */
async function ensureVideos(request: APIRequestContext, files: readonly string[]): Promise<ApiVideo[]> {
  const videos: ApiVideo[] = [];
  for (const file of files) {
    const v = await uploadViaApi(request, file);
    const res = await request.patch(`/api/videos/${v.id}`, { data: { title: null } });
    expect(res.status(), await res.text()).toBe(200);
    videos.push(v);
  }
  for (const v of videos) expect((await waitUntilProcessed(request, v.id)).status).toBe("ready");
  return videos;
}

function isListRequest(url: URL): boolean {
  return url.pathname === "/api/videos";
}

function cardOf(page: Page, id: string) {
  return page.locator(`[data-testid="video-card"][data-video-id="${id}"]`);
}

test("sort, status filter and name filter change the cards and the URL, and survive reload and Back", async ({
  page,
  request,
}) => {
  await ensureVideos(request, [LIBRARY_ALPHA, LIBRARY_BRAVO, LIBRARY_CHARLIE]);
  const [alpha, bravo, charlie] = [title(LIBRARY_ALPHA), title(LIBRARY_BRAVO), title(LIBRARY_CHARLIE)];
  const titles = page.getByTestId("video-card-title");

  await page.goto("/");
  // the library's own filter, apart from the header's moment search
  const nameFilter = page.getByRole("searchbox", { name: "Filter by name" });
  await expect(nameFilter).toBeVisible();
  const filtered = page.waitForResponse(
    (r) => isListRequest(new URL(r.url())) && new URL(r.url()).searchParams.get("q") === "moments-e2e-lib-",
  );
  await nameFilter.fill("moments-e2e-lib-");
  await filtered;
  await expect(page).toHaveURL(/\/\?name=moments-e2e-lib-$/);
  await expect(page.getByTestId("search-input")).toHaveValue("");
  // newest first by default: they were added alpha, bravo, charlie
  await expect(titles).toHaveText([charlie, bravo, alpha]);
  // no ".mp4"; the whole title on hover; the date added, with the full timestamp on hover
  const first = page.getByTestId("video-card").first();
  await expect(first.getByTestId("video-card-title")).toHaveAttribute("title", charlie);
  const added = first.getByTestId("video-added");
  await expect(added).toHaveText(/^(just now|\d+ minutes? ago)$/);
  await expect(added).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  await expect(added).toHaveAttribute("title", new RegExp(String(new Date().getFullYear())));

  // sort by name, A to Z, then Z to A
  await page.getByLabel("Sort by", { exact: true }).selectOption("name");
  await expect(page).toHaveURL(/\/\?sort=name&name=moments-e2e-lib-$/);
  await expect(titles).toHaveText([alpha, bravo, charlie]);
  await page.getByLabel("Order", { exact: true }).selectOption({ label: "Z to A" });
  await expect(page).toHaveURL(/\/\?sort=name&order=desc&name=moments-e2e-lib-$/);
  await expect(titles).toHaveText([charlie, bravo, alpha]);

  // by duration: shortest first (2 s, 3 s, 6 s)
  await page.getByLabel("Sort by", { exact: true }).selectOption("duration");
  await expect(page).toHaveURL(/\/\?sort=duration&name=moments-e2e-lib-$/);
  await expect(titles).toHaveText([charlie, alpha, bravo]);

  // by status: none of them failed; all are ready
  await page.getByLabel("Status", { exact: true }).selectOption("failed");
  await expect(page).toHaveURL(/\/\?sort=duration&status=failed&name=moments-e2e-lib-$/);
  await expect(page.getByTestId("library-no-match")).toBeVisible();
  await expect(titles).toHaveCount(0);
  await page.getByLabel("Status", { exact: true }).selectOption("ready");
  await expect(page).toHaveURL(/\/\?sort=duration&status=ready&name=moments-e2e-lib-$/);
  await expect(titles).toHaveText([charlie, alpha, bravo]);

  // a narrower name
  await nameFilter.fill("moments-e2e-lib-b");
  await expect(page).toHaveURL(/\/\?sort=duration&status=ready&name=moments-e2e-lib-b$/);
  await expect(titles).toHaveText([bravo]);

  // reload keeps the view, controls included
  await page.reload();
  await expect(titles).toHaveText([bravo]);
  await expect(nameFilter).toHaveValue("moments-e2e-lib-b");
  await expect(page.getByLabel("Sort by", { exact: true })).toHaveValue("duration");
  await expect(page.getByLabel("Status", { exact: true })).toHaveValue("ready");

  // Back returns to the views before (typing refines one history entry)
  await page.goBack();
  await expect(page).toHaveURL(/\/\?sort=duration&status=failed&name=moments-e2e-lib-$/);
  await expect(page.getByTestId("library-no-match")).toBeVisible();
  await expect(nameFilter).toHaveValue("moments-e2e-lib-");
  await page.goBack();
  await expect(page).toHaveURL(/\/\?sort=duration&name=moments-e2e-lib-$/);
  await expect(titles).toHaveText([charlie, alpha, bravo]);
  await expect(page.getByLabel("Status", { exact: true })).toHaveValue("");
});

test("the library is fetched one server page at a time; the page is in the URL; processing shows an ETA", async ({
  page,
  request,
}) => {
  await ensureVideos(request, [LIBRARY_ALPHA]);
  // the e2e library is small: the server's answers are made to say there are 500 videos,
  // the first of them processing with about 41 s left
  const offsets: number[] = [];
  const limits: number[] = [];
  await page.route(isListRequest, async (route: Route) => {
    if (route.request().method() !== "GET") return route.fallback();
    const url = new URL(route.request().url());
    offsets.push(Number(url.searchParams.get("offset")));
    limits.push(Number(url.searchParams.get("limit")));
    // the page polls while a video is processing: a poll still in flight when the test reloads or
    // goes Back is disposed with its page, and there is nothing left to answer
    const answered = async () => {
      const res = await route.fetch();
      const body = (await res.json()) as { videos: Record<string, unknown>[]; total: number };
      body.total = 500;
      if (body.videos[0]) Object.assign(body.videos[0], { status: "processing", progress: 50, etaSeconds: 41 });
      await route.fulfill({ response: res, json: body });
    };
    await answered().catch((err: Error) => {
      if (!/disposed|closed|Route is already handled/i.test(err.message)) throw err;
    });
  });

  await page.goto("/");
  await expect(page.getByTestId("page-status")).toHaveText("Page 1 of 11");
  await expect(page.getByTestId("library-count")).toContainText("500 videos");
  await expect(page.getByTestId("video-card").first().getByTestId("video-eta")).toHaveText("about 40 s left");
  // one page asked for, never the whole library
  expect(offsets.every((o) => o === 0)).toBe(true);
  expect(Math.max(...limits)).toBeLessThanOrEqual(48);

  const second = page.waitForRequest(
    (r) => isListRequest(new URL(r.url())) && new URL(r.url()).searchParams.get("offset") === "48",
  );
  await page.getByTestId("library-pager").getByRole("button", { name: "Next" }).click();
  await second;
  await expect(page).toHaveURL(/\/\?page=2$/);
  await expect(page.getByTestId("page-status")).toHaveText("Page 2 of 11");

  const again = page.waitForRequest(
    (r) => isListRequest(new URL(r.url())) && new URL(r.url()).searchParams.get("offset") === "48",
  );
  await page.reload();
  await again;
  await expect(page.getByTestId("page-status")).toHaveText("Page 2 of 11");

  const back = page.waitForRequest(
    (r) => isListRequest(new URL(r.url())) && new URL(r.url()).searchParams.get("offset") === "0",
  );
  await page.goBack();
  await back;
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("page-status")).toHaveText("Page 1 of 11");
});

test("rename on the card and on the video page: Enter saves, Escape cancels, errors show, the title survives reload", async ({
  page,
  request,
}) => {
  const [video] = await ensureVideos(request, [LIBRARY_ALPHA]);
  const original = title(LIBRARY_ALPHA);
  const patches: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "PATCH") patches.push(r.url());
  });

  await page.goto("/");
  const card = cardOf(page, video.id);
  const cardTitle = card.getByTestId("video-card-title");
  await expect(cardTitle).toHaveText(original);

  const openRename = async () => {
    await card.hover();
    await card.getByTestId("card-menu-button").click();
    await card.getByRole("menuitem", { name: "Rename" }).click();
  };

  // Escape cancels: nothing is sent
  await openRename();
  const input = card.getByRole("textbox", { name: "Title" });
  await expect(input).toBeFocused();
  await expect(input).toHaveValue(original);
  await input.fill("Not this one");
  await input.press("Escape");
  await expect(input).toHaveCount(0);
  await expect(cardTitle).toHaveText(original);
  await expect(cardTitle).toBeFocused();
  expect(patches).toHaveLength(0);

  // an error from the server shows, and the text stays to try again
  await page.route(`**/api/videos/${video.id}`, (route) =>
    route.request().method() === "PATCH"
      ? route.fulfill({ status: 500, json: { error: { code: "internal", message: "The title store is out of ink." } } })
      : route.fallback(),
  );
  await openRename();
  await input.fill("Sunrise over the lake");
  await input.press("Enter");
  await expect(card.getByTestId("title-error")).toHaveText("The title store is out of ink.");
  await expect(input).toHaveValue("Sunrise over the lake");
  await page.unroute(`**/api/videos/${video.id}`);

  // Enter saves
  const saved = page.waitForResponse(
    (r) => r.request().method() === "PATCH" && r.url().endsWith(`/api/videos/${video.id}`),
  );
  await input.press("Enter");
  expect((await saved).status()).toBe(200);
  await expect(input).toHaveCount(0);
  await expect(cardTitle).toHaveText("Sunrise over the lake");
  await page.reload();
  await expect(cardTitle).toHaveText("Sunrise over the lake");
  await expect(cardTitle).toHaveAttribute("title", `Sunrise over the lake (${path.basename(LIBRARY_ALPHA)})`);

  // on the video page: the title, the file name beside it, renamed in place
  await page.goto(`/videos/${video.id}`);
  const heading = page.getByTestId("video-title");
  await expect(heading).toHaveText("Sunrise over the lake");
  await expect(page.getByTestId("video-file-name")).toHaveText(`File: ${path.basename(LIBRARY_ALPHA)}`);
  await page.getByRole("button", { name: "Rename" }).click();
  const pageInput = page.getByRole("textbox", { name: "Title" });
  await expect(pageInput).toBeFocused();
  await pageInput.fill("Lake at dawn");
  await pageInput.press("Escape");
  await expect(heading).toHaveText("Sunrise over the lake");
  await page.getByRole("button", { name: "Rename" }).click();
  await pageInput.fill("Lake at dawn");
  const savedOnPage = page.waitForResponse(
    (r) => r.request().method() === "PATCH" && r.url().endsWith(`/api/videos/${video.id}`),
  );
  await pageInput.press("Enter");
  expect((await savedOnPage).status()).toBe(200);
  await expect(heading).toHaveText("Lake at dawn");
  await page.reload();
  await expect(heading).toHaveText("Lake at dawn");

  // an empty title goes back to the file name
  await page.getByRole("button", { name: "Rename" }).click();
  await pageInput.fill("");
  await pageInput.press("Enter");
  await expect(heading).toHaveText(original);
  await expect(page.getByTestId("video-file-name")).toHaveCount(0);
});

test("select two videos and delete them together; a failed delete is reported and can be retried", async ({
  page,
  request,
}) => {
  const videos = await ensureVideos(request, BULK_VIDEOS);
  const [one, two] = BULK_VIDEOS.map(title);

  await page.goto("/?name=moments-e2e-bulk");
  await expect(page.getByTestId("video-card")).toHaveCount(2);

  // select all on this page, and none again
  const all = page.getByRole("checkbox", { name: "Select all on this page" });
  await all.check();
  await expect(page.getByTestId("selected-count")).toHaveText("2 selected");
  await expect(page.locator('[data-testid="video-card"][data-selected="true"]')).toHaveCount(2);
  await all.uncheck();
  await expect(page.getByTestId("selected-count")).toHaveCount(0);

  // one by one
  await page.getByRole("checkbox", { name: `Select ${one}` }).check();
  await expect(page.getByTestId("selected-count")).toHaveText("1 selected");
  await page.getByRole("checkbox", { name: `Select ${two}` }).check();
  await expect(page.getByTestId("selected-count")).toHaveText("2 selected");
  await expect(all).toBeChecked();

  // the server refuses the second delete once
  await page.route(`**/api/videos/${videos[1].id}`, (route) =>
    route.request().method() === "DELETE"
      ? route.fulfill({ status: 500, json: { error: { code: "internal", message: "The disk is busy." } } })
      : route.fallback(),
  );
  await page.getByRole("button", { name: "Delete selected…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete 2 videos?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(one);
  await expect(dialog).toContainText(two);
  await dialog.getByTestId("confirm-bulk-delete").click();
  // the dialog stays, now about the one left
  const left = page.getByRole("dialog", { name: "Delete 1 video?" });
  await expect(left.getByRole("alert")).toHaveText("1 video deleted; 1 video could not be deleted.");
  await expect(left.getByTestId("bulk-delete-failures")).toContainText(`${two}: The disk is busy.`);
  await expect(cardOf(page, videos[0].id)).toHaveCount(0);
  await expect(cardOf(page, videos[1].id)).toHaveCount(1);
  await page.unroute(`**/api/videos/${videos[1].id}`);

  // trying again deletes the one left
  await expect(left.getByTestId("confirm-bulk-delete")).toHaveText("Try again");
  await left.getByTestId("confirm-bulk-delete").click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("video-card")).toHaveCount(0);
  await expect(page.getByTestId("library-no-match")).toBeVisible();
  for (const v of videos) expect((await request.get(`/api/videos/${v.id}`)).status()).toBe(404);
});

test("a video that failed is reprocessed to ready once its cause is fixed", async ({ page, request }) => {
  const [video] = await ensureVideos(request, [REPROCESS_VIDEO]);
  const dir = path.join(MEDIA_DIR, video.id);
  const stored = readdirSync(dir).find((f) => f.startsWith("original"));
  expect(stored, `no original file in ${dir}`).toBeTruthy();
  const file = path.join(dir, stored!);
  const bytes = readFileSync(file);

  try {
    // the stored file breaks: reprocessing it (an admin may reprocess a ready video, after confirming) fails
    writeFileSync(file, "this is not a video any more\n".repeat(200));
    await page.goto(`/videos/${video.id}`);
    await expect(page.getByTestId("status-badge")).toHaveText("Ready");
    await page.getByRole("button", { name: "Reprocess…" }).click();
    const dialog = page.getByRole("dialog", { name: "Reprocess this video?" });
    await expect(dialog).toBeVisible();
    const started = page.waitForResponse(
      (r) => r.request().method() === "POST" && r.url().endsWith(`/api/videos/${video.id}/reprocess`),
    );
    await dialog.getByTestId("confirm-reprocess").click();
    expect((await started).status()).toBe(202);
    await expect(dialog).toBeHidden();
    // live: no reload
    await expect(page.getByTestId("status-badge")).toHaveText("Failed", { timeout: 180_000 });
    await expect(page.getByRole("alert").filter({ hasText: "Processing failed" })).toBeVisible();
  } finally {
    writeFileSync(file, bytes);
  }

  // the cause fixed, the card's menu reprocesses the failed video (no confirmation) to ready
  // (by name only: a status=failed view would drop it as soon as it is reprocessed)
  await page.goto("/?name=moments-e2e-reprocess");
  const card = cardOf(page, video.id);
  await expect(card).toHaveAttribute("data-status", "failed");
  await card.hover();
  await card.getByTestId("card-menu-button").click();
  const again = page.waitForResponse(
    (r) => r.request().method() === "POST" && r.url().endsWith(`/api/videos/${video.id}/reprocess`),
  );
  await card.getByRole("menuitem", { name: "Reprocess" }).click();
  expect((await again).status()).toBe(202);
  await expect(card).toHaveAttribute("data-status", /queued|processing|ready/);
  await expect(card).toHaveAttribute("data-status", "ready", { timeout: 180_000 });
  await expect(card.getByTestId("video-error")).toHaveCount(0);
  expect((await waitUntilProcessed(request, video.id)).status).toBe("ready");
});

test("a failed upload row is retried with the same file, and shows the ETA while processing", async ({ page }) => {
  // the first upload breaks off; the second goes through
  let aborted = false;
  await page.route(isListRequest, (route) => {
    if (route.request().method() === "POST" && !aborted) {
      aborted = true;
      return route.abort("connectionreset");
    }
    return route.fallback();
  });

  await page.goto("/upload");
  await page.getByTestId("upload-input").setInputFiles(RETRY_VIDEO);
  const row = page.getByTestId("upload-row").filter({ hasText: path.basename(RETRY_VIDEO) });
  await expect(row).toHaveAttribute("data-status", "error");
  await expect(row.getByTestId("upload-message")).toContainText("could not be reached");
  expect(aborted).toBe(true);

  // while it processes, the server's estimate is shown (the answers are made to say 41 s left)
  await page.route(
    (url) => /^\/api\/videos\/[0-9a-f-]{36}$/.test(url.pathname),
    async (route) => {
      if (route.request().method() !== "GET") return route.fallback();
      const res = await route.fetch();
      const body = (await res.json()) as { video: Record<string, unknown> };
      Object.assign(body.video, { status: "processing", progress: 50, etaSeconds: 41 });
      await route.fulfill({ response: res, json: body });
    },
  );

  const sent = page.waitForResponse((r) => r.request().method() === "POST" && isListRequest(new URL(r.url())));
  await row.getByRole("button", { name: `Retry ${path.basename(RETRY_VIDEO)}` }).click();
  expect((await sent).status()).toBe(201);
  await expect(row).toHaveAttribute("data-outcome", "added");
  await expect(row.getByTestId("upload-message")).toContainText("about 40 s left");
  await expect(row.getByTestId("upload-retry")).toHaveCount(0);

  await page.unrouteAll({ behavior: "wait" });
  await expect(row).toHaveAttribute("data-status", "ready", { timeout: 180_000 });
});

test("“Clear finished” clears the rows that went well and keeps the failed ones", async ({ page, request }) => {
  await ensureVideos(request, [LIBRARY_CHARLIE]);
  await page.goto("/upload");
  await page.getByTestId("upload-input").setInputFiles([NOT_A_VIDEO, LIBRARY_CHARLIE]);
  const refused = page.getByTestId("upload-row").filter({ hasText: path.basename(NOT_A_VIDEO) });
  const ready = page.getByTestId("upload-row").filter({ hasText: path.basename(LIBRARY_CHARLIE) });
  await expect(refused).toHaveAttribute("data-status", "error");
  await expect(ready).toHaveAttribute("data-status", "ready");

  await page.getByRole("button", { name: "Clear finished" }).click();
  await expect(ready).toHaveCount(0);
  await expect(refused).toHaveCount(1);
  await expect(refused.getByTestId("upload-retry")).toBeVisible();
  await expect(page.getByRole("button", { name: "Clear finished" })).toHaveCount(0);

  // a failed row goes when dismissed
  await refused.getByRole("button", { name: `Dismiss ${path.basename(NOT_A_VIDEO)}` }).click();
  await expect(page.getByTestId("upload-row")).toHaveCount(0);
});
