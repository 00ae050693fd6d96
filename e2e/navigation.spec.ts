/** The shell: search box shortcut, the search page, unknown videos. */
import { expect, test } from "./test";

test("'/' focuses the search box, and searching opens the search page", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Library" })).toBeVisible();
  const input = page.getByTestId("search-input");
  // the heading is server-rendered: a key pressed before hydration attaches the shortcut is lost,
  // so press again until the shortcut is live (it must then focus the box)
  await expect(async () => {
    await page.keyboard.press("/");
    await expect(input).toBeFocused({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await input.fill("a dog on a beach");
  await input.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=a\+dog\+on\+a\+beach$/);
  // results or the empty state, whatever the library holds; never an error
  await expect(page.getByTestId("search-result").first().or(page.getByTestId("search-empty"))).toBeVisible();
  await expect(page.getByTestId("search-error")).toHaveCount(0);
  await expect(page.getByTestId("search-input")).toHaveValue("a dog on a beach");
});

test("an unknown video id shows a not-found state", async ({ page }) => {
  await page.goto("/videos/00000000-0000-4000-8000-000000000000");
  await expect(page.getByTestId("video-not-found")).toBeVisible();
  await page.getByRole("link", { name: "Back to the library" }).click();
  await expect(page).toHaveURL(/\/$/);
});
