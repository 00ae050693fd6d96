/** (c) Deleting from the library card goes through the confirmation dialog. */
import path from "node:path";
import { expect, test } from "./test";
import { DELETE_VIDEO } from "./fixtures";
import { uploadViaApi, waitUntilProcessed } from "./helpers";

test("delete a video from its card menu, after confirming", async ({ page, request }) => {
  // cards show the title: the file name without its extension
  const name = path.basename(DELETE_VIDEO, ".mp4");
  const video = await uploadViaApi(request, DELETE_VIDEO);
  await waitUntilProcessed(request, video.id);

  await page.goto("/");
  const card = page.getByTestId("video-card").filter({ hasText: name });
  await expect(card).toHaveAttribute("data-status", /ready|failed/);

  // Cancel keeps it
  await card.hover();
  await card.getByTestId("card-menu-button").click();
  await card.getByTestId("delete-button").click();
  const dialog = page.getByRole("dialog", { name: "Delete this video?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(name);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(card).toHaveCount(1);

  // Delete removes it, here and on the server
  await card.hover();
  await card.getByTestId("card-menu-button").click();
  await card.getByTestId("delete-button").click();
  await page.getByTestId("confirm-delete").click();
  await expect(card).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("video-card").filter({ hasText: name })).toHaveCount(0);
  expect((await request.get(`/api/videos/${video.id}`)).status()).toBe(404);
});

test("delete from the video page returns to the library", async ({ page, request }) => {
  const video = await uploadViaApi(request, DELETE_VIDEO);
  await waitUntilProcessed(request, video.id);
  await page.goto(`/videos/${video.id}`);
  await expect(page.getByTestId("video-title")).toBeVisible();
  await page.getByTestId("delete-button").click();
  await page.getByTestId("confirm-delete").click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator(`[data-video-id="${video.id}"]`)).toHaveCount(0);
  expect((await request.get(`/api/videos/${video.id}`)).status()).toBe(404);
});
