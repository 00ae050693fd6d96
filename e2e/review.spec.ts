/**
 * Review with the keyboard only: three items from sentences typed for a video; accept
 * one, adjust one with I/O at the playhead and arrow nudges, reject one (and undo and
 * redo that); a reload mid-review loses nothing; the empty state; then the evaluation
 * dashboard counts the two spans with the numbers computed here from the prediction.
 */
import type { Page, Response } from "@playwright/test";
import { expect, test } from "./test";
import { REVIEW_VIDEO } from "./fixtures";
import { uploadViaApi, waitForMetadata, waitUntilProcessed } from "./helpers";

interface Item {
  id: string;
  sentence: string;
  modelVersion: string;
  prediction: { start: number; end: number };
}

const iou = (a: { start: number; end: number }, b: { start: number; end: number }) => {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? inter / union : 0;
};

/** Presses `key` and returns the decision request it sends for `itemId`. */
async function decideWith(page: Page, key: string, itemId: string): Promise<Response> {
  const response = page.waitForResponse(
    (r) => r.url().endsWith(`/api/review/items/${itemId}/decision`) && r.request().method() === "POST",
  );
  await page.keyboard.press(key);
  const res = await response;
  expect(res.status(), await res.text()).toBe(200);
  return res;
}

/** The item shown, once its video is loaded and the keys are listening. */
async function shows(page: Page, item: Item) {
  const root = page.getByTestId("review-item");
  await expect(root).toHaveAttribute("data-item-id", item.id);
  await expect(root).toHaveAttribute("data-keys", "on");
  await expect(page.getByTestId("review-sentence")).toHaveValue(item.sentence);
}

test("an annotator reviews three items with the keyboard only; a reload loses nothing; the dashboard counts them", async ({
  page,
  request,
}) => {
  const video = await uploadViaApi(request, REVIEW_VIDEO);
  expect((await waitUntilProcessed(request, video.id)).status).toBe("ready");

  const items: Item[] = [];
  for (const sentence of ["the picture moves", "colours change", "a circle sweeps around"]) {
    const res = await request.post("/api/review/items", { data: { videoId: video.id, sentence } });
    expect(res.status(), await res.text()).toBe(201);
    items.push(((await res.json()) as { item: Item }).item);
  }
  const [first, second, third] = items;

  await page.goto("/review");
  await shows(page, first);

  // the help overlay
  await page.keyboard.press("?");
  await expect(page.getByTestId("review-help")).toBeVisible();
  await expect(page.getByTestId("review-help")).toContainText("Ctrl + Z");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("review-help")).toHaveCount(0);

  // keys do nothing while typing in the sentence field
  await page.getByTestId("review-sentence").focus();
  await page.keyboard.press("End");
  await page.keyboard.type(" s");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await expect(page.getByTestId("review-sentence")).toHaveValue(first.sentence);
  await page.keyboard.press("Escape"); // back to the keys
  await expect(page.getByTestId("review-notice")).toHaveCount(0); // "s" did not skip

  // 1: accept the model's span
  const accepted = await decideWith(page, "Enter", first.id);
  expect(accepted.request().postDataJSON()).toEqual({ decision: "accept" });
  await shows(page, second);

  // a reload mid-review: the claimed second item again, the decided one gone
  await page.reload();
  await shows(page, second);

  // 2: adjust with I/O at the playhead and arrow nudges
  const player = page.getByTestId("review-player");
  await waitForMetadata(page, player);
  await page.keyboard.press("k");
  await expect(player).toHaveAttribute("data-paused", "true");
  await page.keyboard.press("j");
  await page.keyboard.press("j"); // → 0 s
  await expect.poll(() => player.evaluate((v) => (v as HTMLVideoElement).currentTime)).toBe(0);
  await page.keyboard.press("i");
  await expect(page.getByTestId("review-in")).toHaveText("0:00.0");
  await page.keyboard.press("l"); // → 5 s
  await page.keyboard.press("o");
  await expect(page.getByTestId("review-out")).toHaveText("0:05.0");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft"); // out 4.8
  await page.keyboard.press("Tab"); // the in point
  await expect(page.getByTestId("span-editor")).toHaveAttribute("data-selected-edge", "start");
  await page.keyboard.press("Shift+ArrowRight"); // in 1.0
  const editor = page.getByTestId("span-editor");
  await expect(editor).toHaveAttribute("data-start", "1");
  await expect(editor).toHaveAttribute("data-end", "4.8");
  await expect(page.getByTestId("review-changed")).toHaveAttribute("data-changed", "true");
  const corrected = await decideWith(page, "Enter", second.id);
  expect(corrected.request().postDataJSON()).toEqual({ decision: "correct", start: 1, end: 4.8 });
  await shows(page, third);

  // 3: reject; undo brings it back; reject again
  const rejected = await decideWith(page, "Backspace", third.id);
  expect(rejected.request().postDataJSON()).toMatchObject({ decision: "reject" });
  await expect(page.getByTestId("review-empty")).toBeVisible();
  await expect(page.getByText("Nothing left to review")).toBeVisible();
  const undone = page.waitForResponse((r) => r.url().endsWith("/api/review/undo"));
  await page.keyboard.press("Control+z");
  expect((await undone).status()).toBe(200);
  await shows(page, third);
  await decideWith(page, "Backspace", third.id);
  await expect(page.getByTestId("review-empty")).toBeVisible();

  // still empty after a reload
  await page.reload();
  await expect(page.getByTestId("review-empty")).toBeVisible();

  // the dashboard: the accept (IoU 1) and the correction; the reject does not count
  const i2 = iou(second.prediction, { start: 1, end: 4.8 });
  const r1At = (m: number) => ((1 + (i2 >= m - 1e-9 ? 1 : 0)) / 2) * 100;
  await page.goto("/evaluation");
  const row = page.locator(`[data-testid="evaluation-row"][data-model-version="${first.modelVersion}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("evaluation-count")).toHaveText("2");
  await expect(row.getByTestId("evaluation-R1@0.5")).toHaveText(`${r1At(0.5).toFixed(1)}%`);
  await expect(row.getByTestId("evaluation-mIoU")).toHaveText(
    `${(Math.round(((1 + i2) / 2) * 10000) / 100).toFixed(1)}%`,
  );
});
