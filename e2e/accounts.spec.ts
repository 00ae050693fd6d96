/**
 * Accounts and roles in the browser: anonymous visitors are sent to sign in, an admin
 * adds a viewer who then sees only what a viewer may use (and the API refuses the rest),
 * signing out ends the session, a wrong password is answered with the server's message,
 * tokens are revoked after confirming, and pages carry the security headers.
 */
import path from "node:path";
import type { Page } from "@playwright/test";
import { ADMIN, anonymousContext, NO_STATE } from "./auth";
import { DELETE_VIDEO } from "./fixtures";
import { uploadViaApi, waitUntilProcessed } from "./helpers";
import { expect, test } from "./test";

const VIEWER = { name: "Vera Viewer", email: `viewer-${Date.now()}@e2e.example.com`, password: "viewer password 1" };

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  const form = page.getByTestId("login-form");
  await form.getByLabel("Email").fill(who.email);
  await form.getByLabel("Password").fill(who.password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

async function signOutFromMenu(page: Page): Promise<void> {
  await page.getByTestId("user-menu-button").click();
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login$/);
}

test("anonymous visitors are sent to sign in, and the API answers 401", async ({ browser, playwright, baseURL }) => {
  const context = await anonymousContext(browser);
  const page = await context.newPage();
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Moments" })).toBeVisible();
  await expect(page.getByTestId("search-input")).toHaveCount(0);
  // a search keeps its query through the sign-in
  await page.goto("/search?q=red+square");
  await expect(page).toHaveURL(/\/login\?next=%2Fsearch%3Fq%3Dred%2Bsquare$/);
  await context.close();

  const api = await playwright.request.newContext({ baseURL, storageState: NO_STATE });
  const res = await api.get("/api/videos");
  expect(res.status()).toBe(401);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
  await api.dispose();
});

test("a wrong password shows the server's message", async ({ browser }) => {
  const context = await anonymousContext(browser);
  const page = await context.newPage();
  await page.goto("/login");
  await signIn(page, { email: ADMIN.email, password: "not the password" });
  const error = page.getByTestId("login-error");
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute("data-code", "invalid_credentials");
  await expect(error).toContainText("Wrong email or password.");
  await expect(page).toHaveURL(/\/login$/);
  await context.close();
});

test("an admin adds a viewer, who can only search and watch", async ({ browser, request, baseURL }) => {
  const video = await uploadViaApi(request, DELETE_VIDEO);
  try {
    await waitUntilProcessed(request, video.id);

    // the admin signs in (in a context of their own: signing out must not end the suite's session)
    const adminContext = await anonymousContext(browser);
    const admin = await adminContext.newPage();
    await admin.goto("/admin/users");
    await expect(admin).toHaveURL(/\/login\?next=%2Fadmin%2Fusers$/);
    await signIn(admin, ADMIN);
    await expect(admin).toHaveURL(/\/admin\/users$/);
    await expect(admin.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
    await expect(admin.getByTestId("user-row").filter({ hasText: ADMIN.email })).toContainText("(you)");

    // …adds the viewer
    const form = admin.getByTestId("new-user-form");
    await form.getByLabel("Email").fill(VIEWER.email);
    await form.getByLabel("Name").fill(VIEWER.name);
    await form.getByLabel("Password").fill(VIEWER.password);
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(admin.getByTestId("user-added")).toContainText(VIEWER.email);
    const row = admin.locator(`[data-testid="user-row"][data-email="${VIEWER.email}"]`);
    await expect(row).toHaveAttribute("data-role", "viewer");
    await expect(row.getByTestId("user-status")).toHaveText("Enabled");
    await expect(row.getByTestId("user-sessions")).toHaveText("0");

    // the same email twice: the server's message, inline
    await form.getByLabel("Email").fill(VIEWER.email);
    await form.getByLabel("Password").fill(VIEWER.password);
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByRole("alert")).toContainText(`An account for ${VIEWER.email} already exists.`);

    // the only admin cannot demote themself: the server says why, in the row
    const self = admin.locator(`[data-testid="user-row"][data-email="${ADMIN.email}"]`);
    await self.getByTestId("user-role").selectOption("viewer");
    await expect(admin.getByTestId("user-row-message")).toContainText("only enabled admin");
    await expect(self).toHaveAttribute("data-role", "admin");
    await expect(self.getByTestId("user-role")).toHaveValue("admin");

    // …and signs out
    await signOutFromMenu(admin);
    await adminContext.close();

    // the viewer signs in
    const context = await anonymousContext(browser);
    const page = await context.newPage();
    await page.goto("/login");
    await signIn(page, VIEWER);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 1, name: "Library" })).toBeVisible();
    await expect(page.getByTestId("signed-in-as")).toHaveText(VIEWER.name);
    await expect(page.getByTestId("user-menu-button").getByTestId("role-badge")).toHaveText("Viewer");

    // no Upload anywhere, no delete on the card
    const card = page.locator(`[data-testid="video-card"][data-video-id="${video.id}"]`);
    await expect(card).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Upload" })).toHaveCount(0);
    await expect(page.getByTestId("library-upload")).toHaveCount(0);
    await card.hover();
    await card.getByTestId("card-menu-button").click();
    await expect(card.getByRole("menu")).toBeVisible();
    await expect(card.getByRole("menuitem", { name: "Open" })).toBeVisible();
    await expect(card.getByTestId("delete-button")).toHaveCount(0);
    await page.keyboard.press("Escape");

    // the video page has no Delete either; admin pages are not in the menu
    await page.goto(`/videos/${video.id}`);
    // the title: the file name without its extension
    await expect(page.getByTestId("video-title")).toHaveText(path.basename(DELETE_VIDEO, ".mp4"));
    await expect(page.getByTestId("delete-button")).toHaveCount(0);
    await page.getByTestId("user-menu-button").click();
    await expect(page.getByRole("link", { name: "Settings" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Health" })).toHaveCount(0);
    await page.keyboard.press("Escape");

    // /upload and /admin/users say what they need
    await page.goto("/upload");
    const notAllowed = page.getByTestId("not-allowed");
    await expect(notAllowed).toBeVisible();
    await expect(notAllowed).toHaveAttribute("data-needed-role", "annotator");
    await expect(notAllowed).toContainText("Annotator");
    await expect(page.getByTestId("upload-input")).toHaveCount(0);
    await page.goto("/admin/users");
    await expect(page.getByTestId("not-allowed")).toHaveAttribute("data-needed-role", "admin");

    // the API refuses a viewer's upload: 403 for the role (Origin sent, as a page would)
    const refused = await page.request.post("/api/videos", {
      headers: { origin: baseURL! },
      multipart: { file: { name: "viewer.mp4", mimeType: "video/mp4", buffer: Buffer.from("not even a video") } },
    });
    expect(refused.status()).toBe(403);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("forbidden");
    expect(error.message).toContain("annotator");
    // deleting, too
    expect((await page.request.delete(`/api/videos/${video.id}`, { headers: { origin: baseURL! } })).status()).toBe(
      403,
    );

    // the viewer changes their password in Settings (a wrong current one is named as such)
    const newPassword = `${VIEWER.password} changed`;
    await page.goto("/settings");
    await expect(page.getByTestId("profile-email")).toHaveText(VIEWER.email);
    const pw = page.getByTestId("password-form");
    await pw.getByLabel("Current password").fill("not my password");
    await pw.getByLabel("New password", { exact: true }).fill(newPassword);
    await pw.getByLabel("Confirm new password").fill(newPassword);
    await pw.getByRole("button", { name: "Change password" }).click();
    await expect(pw).toContainText("The current password is wrong.");
    await expect(pw.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");
    await pw.getByLabel("Current password").fill(VIEWER.password);
    await pw.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByTestId("password-changed")).toBeVisible();

    // signing out ends the session: back to sign-in, and pages ask again
    await page.getByTestId("settings-sign-out").click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    const moment = `/videos/${video.id}?t=1&end=2`;
    await page.goto(moment);
    await expect(page).toHaveURL(`/login?next=${encodeURIComponent(moment)}`);
    expect((await page.request.get("/api/me")).status()).toBe(401);

    // the old password no longer works; the new one returns to the moment asked for
    await signIn(page, VIEWER);
    await expect(page.getByTestId("login-error")).toContainText("Wrong email or password.");
    await signIn(page, { email: VIEWER.email, password: newPassword });
    await expect(page).toHaveURL(moment);
    await expect(page.getByTestId("video-title")).toBeVisible();

    // and the menu's Sign out does the same
    await signOutFromMenu(page);
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
    await context.close();
  } finally {
    await request.delete(`/api/videos/${video.id}`);
  }
});

test("a token is revoked after confirming, and then refused", async ({ page, playwright, baseURL }) => {
  await page.goto("/settings");
  const form = page.getByTestId("token-form");
  await form.getByLabel("Name").fill("short-lived");
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByTestId("new-token").inputValue();
  await page.getByRole("button", { name: "I have copied it" }).click();

  const api = await playwright.request.newContext({
    baseURL,
    storageState: NO_STATE,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  expect(await (await api.get("/api/me")).json()).toMatchObject({ via: "token", role: "viewer" });
  // a viewer token of an admin holds only the viewer's rights
  expect((await api.delete("/api/videos/00000000-0000-4000-8000-000000000000")).status()).toBe(403);

  const row = page.getByTestId("token-row").filter({ hasText: "short-lived" });
  await page.reload();
  await expect(row).not.toContainText("never"); // it has been used now
  await row.getByRole("button", { name: "Revoke short-lived" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke this token?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toHaveAttribute("data-revoked", "false");
  await row.getByRole("button", { name: "Revoke short-lived" }).click();
  await page.getByTestId("confirm-revoke").click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveAttribute("data-revoked", "true");
  await expect(row).toContainText("Revoked");

  const res = await api.get("/api/me");
  expect(res.status()).toBe(401);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_token");
  await api.dispose();
  // the suite's own token is untouched
  await expect(page.getByTestId("token-row").filter({ hasText: "e2e admin" })).toHaveAttribute("data-revoked", "false");
});

test("pages carry the security headers", async ({ page }) => {
  const res = await page.goto("/");
  expect(res).not.toBeNull();
  const headers = res!.headers();
  expect(headers["content-security-policy"]).toMatch(/frame-ancestors\s/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBeTruthy();
});
