/**
 * Weak captions as data (issue 22): on /datasets the Training data section lists a new
 * ready video among the videos without any sentence, and its link opens the video page's
 * "What happens in this video" editor. An admin adds two sentences there (the POST and
 * the list), adds one again in other letters (skipped as a repeat), removes one (the
 * DELETE, the list, the focus), a viewer sees the one left and no editing, and /datasets
 * counts it under "Typed descriptions" and no longer lists the video among those without.
 *
 * The numbers are checked against the API's own answer and against its answer before the
 * test (only this spec types descriptions), so what the other specs leave in the library
 * does not matter. The video, and its descriptions with it, are deleted at the end.
 */
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page, PlaywrightWorkerArgs, Response } from "@playwright/test";
import { NO_STATE } from "./auth";
import { DESCRIBE_VIDEO } from "./fixtures";
import { uploadViaApi, waitUntilProcessed } from "./helpers";
import { adminApi, expect, test } from "./test";

const STEM = path.basename(DESCRIBE_VIDEO, ".mp4");
const FIRST = "a test pattern of colour bars fills the screen";
const SECOND = "a counter ticks up in the middle of the frame";

interface Description {
  id: string;
  videoId: string;
  sentence: string;
  addedBy: string | null;
  createdAt: string;
}

interface SourceCount {
  source: "descriptions" | "subtitles" | "datasets" | "review";
  videos: number;
  sentences: number;
}

interface TrainingData {
  sources: SourceCount[];
  readyVideos: number;
  videosWithout: { videos: { id: string; name: string; title: string | null }[]; total: number };
}

const SOURCE_LABELS: Record<SourceCount["source"], string> = {
  descriptions: "Typed descriptions",
  subtitles: "Subtitles",
  datasets: "Imported datasets",
  review: "Review items",
};

let api: APIRequestContext;
let videoId: string | undefined;

test.beforeAll(async ({ playwright }, testInfo) => {
  api = await adminApi(playwright, testInfo.project.use.baseURL);
});

test.afterAll(async () => {
  if (videoId) await api.delete(`/api/videos/${videoId}`);
  await api.dispose();
});

async function trainingData(): Promise<TrainingData> {
  const res = await api.get("/api/training/data");
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as TrainingData;
}

const descriptionsUrl = () => `/api/videos/${videoId}/descriptions`;
const isPost = (r: Response) => r.url().endsWith(descriptionsUrl()) && r.request().method() === "POST";

/** /datasets, once the Training data section has the API's answer: the answer. */
async function openDatasets(page: Page): Promise<TrainingData> {
  const answered = page.waitForResponse(
    (r) => r.url().endsWith("/api/training/data") && r.request().method() === "GET",
  );
  await page.goto("/datasets");
  const res = await answered;
  expect(res.status(), await res.text()).toBe(200);
  const data = (await res.json()) as TrainingData;
  await expect(page.getByRole("heading", { level: 2, name: "Training data" })).toBeVisible();
  await expect(page.getByTestId("training-data")).toBeVisible();
  return data;
}

/** The section shows these numbers: the sources' table, the ready videos, the count of those without. */
async function showsNumbers(page: Page, data: TrainingData): Promise<void> {
  const table = page.getByTestId("training-sources");
  for (const [source, label] of Object.entries(SOURCE_LABELS)) {
    const row = table.locator(`[data-testid="training-source"][data-source="${source}"]`);
    const counts = data.sources.find((s) => s.source === source) ?? { videos: 0, sentences: 0 };
    await expect(row.getByRole("rowheader")).toContainText(label);
    await expect(row.getByTestId("training-videos")).toHaveText(counts.videos.toLocaleString("en"));
    await expect(row.getByTestId("training-sentences")).toHaveText(counts.sentences.toLocaleString("en"));
  }
  await expect(page.getByTestId("training-ready")).toHaveAttribute("data-ready", String(data.readyVideos));
  const without = page.getByTestId("training-without");
  await expect(without).toHaveAttribute("data-total", String(data.videosWithout.total));
  await expect(without.getByRole("heading", { name: /^Videos without any sentence/ })).toContainText(
    `(${data.videosWithout.total.toLocaleString("en")})`,
  );
  await expect(without.getByTestId("training-without-video")).toHaveCount(data.videosWithout.videos.length);
}

/** A new viewer account's signed-in browser state. */
async function viewerState(playwright: PlaywrightWorkerArgs["playwright"], baseURL: string) {
  const who = {
    email: `viewer-describe-${Date.now()}@e2e.example.com`,
    password: "viewer password 1",
    name: "E2E describe viewer",
    role: "viewer",
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

test("sentences typed for a video without times: added, a repeat skipped, one removed, and counted as training data", async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const video = await uploadViaApi(api, DESCRIBE_VIDEO);
  videoId = video.id;
  expect((await waitUntilProcessed(api, video.id)).status).toBe("ready");
  const before = await trainingData();
  const beforeDescriptions = before.sources.find((s) => s.source === "descriptions") ?? { videos: 0, sentences: 0 };
  // the newest ready video, with no sentence from any source: listed first
  expect(before.videosWithout.videos.map((v) => v.id)).toContain(video.id);

  // /datasets: the video is listed without sentences, by its title, with a link to describe it
  const shownBefore = await openDatasets(page);
  await showsNumbers(page, shownBefore);
  const listed = page.locator(`[data-testid="training-without-video"][data-video-id="${video.id}"]`);
  const link = listed.getByRole("link");
  await expect(link.getByTestId("training-without-title")).toHaveText(STEM);
  await expect(link).toContainText("Describe what happens in it");
  await expect(link).toHaveAttribute("href", `/videos/${video.id}#what-happens`);

  // the link opens the video page with the editor open and the textarea focused
  const listedOnPage = page.waitForResponse(
    (r) => r.url().endsWith(descriptionsUrl()) && r.request().method() === "GET",
  );
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/videos/${video.id}#what-happens$`));
  expect((await listedOnPage).status()).toBe(200);
  const section = page.getByTestId("video-descriptions");
  await expect(section.getByRole("heading", { level: 2, name: "What happens in this video" })).toBeVisible();
  await expect(section).toContainText("no times needed");
  await expect(section.getByTestId("descriptions-empty")).toHaveText("None yet.");
  // "Describe a moment" is another section: one moment, with its time, for review
  await expect(page.getByTestId("describe-moment")).toContainText("One moment, with its time");
  const toggle = section.getByRole("button", { name: "Add sentences" });
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const input = section.getByLabel("One sentence per line");
  await expect(input).toBeFocused();

  // two sentences, with a blank line and stray spaces
  await input.fill(`${FIRST}\n\n   ${SECOND}  \n`);
  let posted = page.waitForResponse(isPost);
  await section.getByRole("button", { name: "Add", exact: true }).click();
  let res = await posted;
  expect(res.status(), await res.text()).toBe(201);
  expect(res.request().postDataJSON()).toEqual({ sentences: [FIRST, SECOND] });
  const added = ((await res.json()) as { added: Description[] }).added;
  expect(added.map((d) => d.sentence)).toEqual([FIRST, SECOND]);
  expect(added.every((d) => d.videoId === video.id)).toBe(true);
  const sentences = section.getByTestId("description-sentence");
  await expect(sentences).toHaveText([FIRST, SECOND]);
  await expect(section.getByTestId("descriptions-added")).toHaveText("Added 2 sentences.");
  await expect(section.getByTestId("descriptions-skipped")).toHaveCount(0);
  await expect(section.getByTestId("descriptions-empty")).toHaveCount(0);
  await expect(input).toHaveValue("");

  // the open editor with its list and result passes axe (the pages' own check sees it closed)
  const axe = await new AxeBuilder({ page }).include('[data-testid="video-descriptions"]').analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // the first one again, in capitals, with Ctrl+Enter: skipped as a repeat
  await input.fill(FIRST.toUpperCase());
  posted = page.waitForResponse(isPost);
  await input.press("Control+Enter");
  res = await posted;
  expect(res.status(), await res.text()).toBe(201);
  expect(res.request().postDataJSON()).toEqual({ sentences: [FIRST.toUpperCase()] });
  expect(((await res.json()) as { added: Description[] }).added).toEqual([]);
  await expect(section.getByTestId("descriptions-added")).toHaveText("Nothing added.");
  const skipped = section.getByTestId("descriptions-skipped");
  await expect(skipped).toHaveAttribute("data-count", "1");
  await expect(skipped).toContainText("Skipped 1 already there");
  await expect(skipped).toContainText(`“${FIRST.toUpperCase()}”`);
  await expect(sentences).toHaveText([FIRST, SECOND]);

  // remove the first: the DELETE, the list, and the focus on the next sentence's button
  const removeFirst = section.getByRole("button", { name: `Remove “${FIRST}”`, exact: true });
  const deleted = page.waitForResponse(
    (r) => r.url().endsWith(`${descriptionsUrl()}/${added[0].id}`) && r.request().method() === "DELETE",
  );
  await removeFirst.click();
  res = await deleted;
  expect(res.status(), await res.text()).toBe(200);
  expect(await res.json()).toEqual({ deleted: added[0].id });
  await expect(sentences).toHaveText([SECOND]);
  await expect(section.getByTestId("descriptions-result")).toContainText(`Removed “${FIRST}”.`);
  await expect(section.getByRole("button", { name: `Remove “${SECOND}”`, exact: true })).toBeFocused();

  // the server agrees, in the order typed
  const stored = (await (await api.get(descriptionsUrl())).json()) as { descriptions: Description[] };
  expect(stored.descriptions.map((d) => ({ id: d.id, sentence: d.sentence }))).toEqual([
    { id: added[1].id, sentence: SECOND },
  ]);

  // a viewer sees the sentence, and neither the editor nor a Remove button; the API refuses them
  const viewer = await viewerState(playwright, baseURL!);
  const context = await browser.newContext({ storageState: await viewer.storageState() });
  try {
    const viewerPage = await context.newPage();
    const viewerListed = viewerPage.waitForResponse(
      (r) => r.url().endsWith(descriptionsUrl()) && r.request().method() === "GET",
    );
    await viewerPage.goto(`/videos/${video.id}`);
    expect((await viewerListed).status()).toBe(200);
    const viewerSection = viewerPage.getByTestId("video-descriptions");
    await expect(viewerSection.getByTestId("description-sentence")).toHaveText([SECOND]);
    await expect(viewerSection.getByRole("button")).toHaveCount(0);
    await expect(viewerPage.getByTestId("describe-moment")).toHaveCount(0);
    const refused = await viewer.post(descriptionsUrl(), { data: { sentences: ["a viewer's sentence"] } });
    expect(refused.status()).toBe(403);
  } finally {
    await context.close();
    await viewer.dispose();
  }

  // /datasets counts it: one more video and one more sentence typed, the video no longer without
  const after = await openDatasets(page);
  const afterDescriptions = after.sources.find((s) => s.source === "descriptions");
  expect(afterDescriptions).toEqual({
    source: "descriptions",
    videos: beforeDescriptions.videos + 1,
    sentences: beforeDescriptions.sentences + 1,
  });
  expect(after.videosWithout.videos.map((v) => v.id)).not.toContain(video.id);
  await showsNumbers(page, after);
  await expect(page.locator(`[data-testid="training-without-video"][data-video-id="${video.id}"]`)).toHaveCount(0);
});
