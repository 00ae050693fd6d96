/**
 * Datasets from the page: an annotator imports a Charades-STA file with its one video
 * uploaded through the form and "Queue predictions for review" on; the outcome names the
 * dataset and its matched video, the batch of predictions reaches done, the dataset is
 * listed, and the export link downloads an annotations.json with the decided sentences.
 *
 * The two predictions are rejected through the API before the export (a rejected item
 * does not count on the evaluation dashboard) and the video is deleted afterwards (its
 * items with it), so the review spec's queue and dashboard see nothing of this one.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { DATASET_VIDEO } from "./fixtures";
import { adminApi, expect, test } from "./test";

const FILE = path.basename(DATASET_VIDEO);
const STEM = path.basename(DATASET_VIDEO, ".mp4");
const NAME = "e2e Charades-STA import";
const SENTENCES = ["the test pattern appears", "the counter keeps running"];
/** `<video_id> <start> <end>##<sentence>` per line; the video id is the uploaded file's name without extension */
const CHARADES = SENTENCES.map((s, i) => `${STEM} ${i * 2}.0 ${i * 2 + 3}.0##${s}`).join("\n") + "\n";

interface ReviewItem {
  id: string;
  videoId: string;
  sentence: string;
  batchId: string | null;
}

let api: APIRequestContext;
let videoId: string | undefined;

test.beforeAll(async ({ playwright }, testInfo) => {
  api = await adminApi(playwright, testInfo.project.use.baseURL);
});

test.afterAll(async () => {
  if (videoId) await api.delete(`/api/videos/${videoId}`);
  await api.dispose();
});

test("an annotator imports a Charades-STA file with its video, the predictions reach done, and the export downloads annotations.json", async ({
  page,
  request,
}) => {
  await page.goto("/datasets");
  await expect(page.getByRole("heading", { level: 1, name: "Datasets" })).toBeVisible();
  const form = page.getByTestId("dataset-import");

  await form
    .getByTestId("dataset-annotations-input")
    .setInputFiles({ name: "charades_sta_e2e.txt", mimeType: "text/plain", buffer: Buffer.from(CHARADES) });
  await expect(form.getByTestId("dataset-annotations-name")).toContainText("charades_sta_e2e.txt");
  await expect(form.getByLabel("Format", { exact: true })).toHaveValue("auto");
  await form.getByTestId("dataset-videos-input").setInputFiles(DATASET_VIDEO);
  await expect(form.getByTestId("dataset-videos-chosen")).toHaveAttribute("data-count", "1");
  await form.getByLabel("Name (optional)").fill(NAME);
  await expect(form.getByLabel("Queue predictions for review")).toBeChecked();
  await expect(form.getByLabel("Make timed sentences searchable")).not.toBeChecked();

  // the video is uploaded first, then the annotations with what the file became
  const uploaded = page.waitForResponse((r) => r.url().endsWith("/api/videos") && r.request().method() === "POST");
  const imported = page.waitForResponse((r) => r.url().endsWith("/api/datasets") && r.request().method() === "POST");
  await form.getByRole("button", { name: "Import dataset" }).click();

  const upload = await uploaded;
  expect([200, 201], await upload.text()).toContain(upload.status());
  const uploadBody = (await upload.json()) as { video?: { id: string }; results: { video?: { id: string } }[] };
  videoId = (uploadBody.video ?? uploadBody.results[0]?.video)?.id;
  expect(videoId).toBeTruthy();
  await expect(page.locator(`[data-testid="upload-row"][data-video-id="${videoId}"]`)).toBeVisible();

  const res = await imported;
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as {
    dataset: { id: string; name: string; format: string; queries: number; timedQueries: number };
    videos: { datasetId: string; videoId: string | null; error?: string }[];
    batch: { id: string; total: number } | null;
    skipped: unknown[];
  };
  expect(body.dataset).toMatchObject({ name: NAME, format: "charades", queries: 2, timedQueries: 2 });
  expect(body.videos).toEqual([expect.objectContaining({ datasetId: STEM, videoId })]);
  expect(body.skipped).toEqual([]);
  expect(body.batch).toMatchObject({ total: 2 });
  const batchId = body.batch!.id;

  // the outcome
  const outcome = page.getByTestId("dataset-outcome");
  await expect(outcome).toHaveAttribute("data-dataset-id", body.dataset.id);
  await expect(outcome.getByTestId("dataset-outcome-name")).toHaveText(NAME);
  await expect(outcome.getByTestId("dataset-outcome-summary")).toContainText("Charades-STA");
  await expect(outcome.getByTestId("dataset-outcome-summary")).toContainText("2 queries (2 timed)");
  await expect(outcome.getByTestId("dataset-outcome-summary")).toContainText("1 of 1 video matched");
  await expect(outcome.getByTestId("dataset-outcome-missing")).toHaveCount(0);

  // the batch waits for the video's processing, then predicts both sentences
  const batchRow = page.locator(`[data-testid="batch-row"][data-batch-id="${batchId}"]`);
  await expect(batchRow).toHaveCount(1);
  await expect(batchRow).toHaveAttribute("data-status", "done", { timeout: 180_000 });
  const progress = batchRow.getByTestId("batch-progress");
  await expect(progress).toHaveAttribute("data-done", "2");
  await expect(progress).toHaveAttribute("data-failed", "0");
  await expect(batchRow.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await expect(batchRow.getByTestId("batch-counts")).toHaveText("2 of 2 predicted");
  await expect(batchRow.getByRole("link", { name: "Review the predictions" })).toHaveAttribute("href", "/review");
  await expect(outcome.getByTestId("batch-progress")).toHaveAttribute("data-status", "done");

  // the dataset is listed with its counts
  const row = page.locator(`[data-testid="dataset-row"][data-dataset-id="${body.dataset.id}"]`);
  await expect(row).toContainText(NAME);
  await expect(row.getByTestId("dataset-videos")).toHaveText("1");
  await expect(row.getByTestId("dataset-queries")).toHaveText("2 (2)");
  await expect(row.getByRole("button", { name: "Predict for review" })).toBeEnabled();

  // reject the two predictions (through the API, as the same admin)
  const rejected: ReviewItem[] = [];
  for (let i = 0; i < SENTENCES.length; i++) {
    const next = await request.get("/api/review/next");
    expect(next.status(), await next.text()).toBe(200);
    const { item } = (await next.json()) as { item: ReviewItem | null };
    expect(item).toMatchObject({ videoId, batchId });
    const decided = await request.post(`/api/review/items/${item!.id}/decision`, { data: { decision: "reject" } });
    expect(decided.status(), await decided.text()).toBe(200);
    rejected.push(item!);
  }
  expect(rejected.map((r) => r.sentence).sort()).toEqual([...SENTENCES].sort());

  // the export: accepted and corrected by default; add the rejected ones
  const link = page.getByRole("link", { name: "Download annotations.json" });
  await expect(link).toHaveAttribute("href", "/api/datasets/export?status=accepted,corrected");
  await page.getByLabel("Rejected", { exact: true }).check();
  await expect(link).toHaveAttribute("href", "/api/datasets/export?status=accepted,corrected,rejected");
  const downloading = page.waitForEvent("download");
  await link.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("annotations.json");
  const doc = JSON.parse(await readFile(await download.path(), "utf8")) as {
    videos: { id: string; name: string }[];
    queries: { video: string; query: string; decision: string; start?: number; itemId: string }[];
  };
  expect(doc.videos).toContainEqual(expect.objectContaining({ id: videoId, name: FILE }));
  const mine = doc.queries.filter((q) => q.video === videoId);
  expect(mine.map((q) => q.query).sort()).toEqual([...SENTENCES].sort());
  for (const q of mine) {
    expect(q.decision).toBe("reject");
    expect(q.start).toBeUndefined(); // a rejected item has no span
  }
});
