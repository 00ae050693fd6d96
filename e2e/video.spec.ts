/**
 * (a) The main path: upload a real video in the browser, follow it through processing,
 * then play it, preview the timeline and jump with the clip strip.
 */
import path from "node:path";
import { expect, test } from "./test";
import { UPLOAD_VIDEO } from "./fixtures";
import { mediaTime, waitForMetadata } from "./helpers";

test("upload a video, watch it process, then play, preview and jump to a clip", async ({ page }) => {
  const name = path.basename(UPLOAD_VIDEO);

  // upload: one row per file, server outcome, then live processing status
  await page.goto("/upload");
  await page.getByTestId("upload-input").setInputFiles(UPLOAD_VIDEO);
  const row = page.getByTestId("upload-row").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute("data-outcome", "added", { timeout: 60_000 });
  await expect(row).toHaveAttribute("data-status", "processing", { timeout: 30_000 });
  await expect(row.getByTestId("progress-bar")).toBeVisible();
  await expect(row).toHaveAttribute("data-status", "ready", { timeout: 180_000 });
  await expect(row.getByTestId("progress-bar")).toHaveCount(0);

  // the video page
  await row.getByRole("link", { name: "Open video" }).click();
  await expect(page).toHaveURL(/\/videos\/[0-9a-f-]{36}$/);
  // the title: the file name without its extension
  await expect(page.getByTestId("video-title")).toHaveText(path.basename(UPLOAD_VIDEO, ".mp4"));
  await expect(page.getByTestId("video-details")).toContainText("320×240");

  const player = page.getByTestId("player");
  const duration = await waitForMetadata(page, player);
  expect(duration).toBeGreaterThan(7);

  // play: currentTime advances
  await page.getByRole("button", { name: "Play" }).click();
  await expect.poll(() => mediaTime(player), { timeout: 15_000 }).toBeGreaterThan(0.5);
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByRole("button", { name: "Play" })).toBeVisible();

  // timeline: hovering shows a sprite thumbnail with the hovered time
  const timeline = page.getByTestId("timeline");
  const box = (await timeline.boundingBox())!;
  await timeline.hover({ position: { x: box.width * 0.7, y: box.height / 2 } });
  const thumb = page.getByTestId("timeline-thumb");
  await expect(thumb).toBeVisible();
  expect(await thumb.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain("/sprite");
  await expect(page.getByTestId("timeline-hover-time")).toHaveText("0:05");

  // clicking the timeline seeks there
  await timeline.click({ position: { x: box.width * 0.25, y: box.height / 2 } });
  await expect.poll(() => mediaTime(player)).toBeCloseTo(duration * 0.25, 0);

  // clip strip: a cell per clip; clicking one jumps to its start and highlights it
  const cells = page.getByTestId("clip-cell");
  await expect(cells.first()).toBeVisible();
  const count = await cells.count();
  expect(count).toBeGreaterThan(1);
  const target = cells.nth(count - 1);
  const start = Number(await target.getAttribute("data-start"));
  expect(start).toBeGreaterThan(duration * 0.25 + 1);
  await target.click();
  await expect.poll(() => mediaTime(player)).toBeGreaterThanOrEqual(start - 0.05);
  expect(await mediaTime(player)).toBeLessThan(start + 1);
  await expect(target).toHaveAttribute("aria-current", "true");
  await expect(page.locator('[data-testid="clip-cell"][aria-current="true"]')).toHaveCount(1);
});
