/** (b) A file that is not a video is refused, and the row shows the server's own message. */
import { expect, test } from "@playwright/test";
import { NOT_A_VIDEO } from "./fixtures";

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
  await expect(row).toHaveAttribute("data-http-status", "415");
  await expect(row.getByTestId("upload-message")).toContainText(message!);
  await expect(row.getByRole("link")).toHaveCount(0);
});
