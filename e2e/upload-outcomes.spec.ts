/**
 * (b) What the upload rows say about the server's answer: a refused file shows the
 * server's own message; a file already in the library links to the existing video.
 */
import path from "node:path";
import { expect, test } from "./test";
import { DELETE_VIDEO, NOT_A_VIDEO } from "./fixtures";
import { uploadViaApi, waitUntilProcessed } from "./helpers";

test("a text file named x.mp4 is refused with the server's 415 message", async ({ page }) => {
  await page.goto("/upload");
  const answer = page.waitForResponse((r) => r.url().endsWith("/api/videos") && r.request().method() === "POST");
  await page.getByTestId("upload-input").setInputFiles(NOT_A_VIDEO);
  const res = await answer;
  expect(res.status()).toBe(415);
  const body = (await res.json()) as { error?: { message: string }; results?: { error?: { message: string } }[] };
  const message = body.results?.[0]?.error?.message ?? body.error?.message;
  expect(message).toBeTruthy();

  const row = page.getByTestId("upload-row").filter({ hasText: "x.mp4" });
  await expect(row).toHaveAttribute("data-status", "error");
  await expect(row).toHaveAttribute("data-outcome", "error");
  await expect(row).toHaveAttribute("data-http-status", "415");
  await expect(row.getByTestId("upload-message")).toContainText(message!);
  await expect(row.getByRole("link")).toHaveCount(0);
});

test("uploading a file that is already in the library links to the existing video", async ({ page, request }) => {
  const existing = await uploadViaApi(request, DELETE_VIDEO);
  await waitUntilProcessed(request, existing.id);

  await page.goto("/upload");
  await page.getByTestId("upload-input").setInputFiles(DELETE_VIDEO);
  const row = page.getByTestId("upload-row").filter({ hasText: path.basename(DELETE_VIDEO) });
  await expect(row).toHaveAttribute("data-outcome", "duplicate");
  await expect(row).toHaveAttribute("data-http-status", "200");
  await expect(row).toHaveAttribute("data-video-id", existing.id);
  await expect(row).toHaveAttribute("data-status", "ready");
  await expect(row.getByTestId("upload-message")).toContainText("Already in the library");
  await expect(row.getByRole("link", { name: "Open video" })).toHaveAttribute("href", `/videos/${existing.id}`);

  expect((await request.delete(`/api/videos/${existing.id}`)).status()).toBe(200);
});
