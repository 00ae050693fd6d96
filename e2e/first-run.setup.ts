/**
 * First run, in the browser: a library without accounts sends every page to /setup; the
 * form creates the admin, who lands on the library signed in and creates an API token
 * in Settings. The signed-in state and the token are saved for the other specs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_STATE, ADMIN_TOKEN_FILE, AUTH_DIR, NO_STATE } from "./auth";

test.use({ storageState: NO_STATE });

test("first run: create the admin account, then an API token", async ({ page, playwright, baseURL }) => {
  mkdirSync(AUTH_DIR, { recursive: true });

  // no account yet: the library and sign-in both lead to the first-run form
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await page.goto("/login");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { level: 1, name: "Create the admin account" })).toBeVisible();
  // anonymous: the header is the logo alone
  await expect(page.getByTestId("search-input")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  // the API says the same
  const anon = await page.request.get("/api/me");
  expect(anon.status()).toBe(401);
  expect(((await anon.json()) as { error: { code: string } }).error.code).toBe("setup_required");

  const form = page.getByTestId("setup-form");
  await form.getByLabel("Name").fill(ADMIN.name);
  await form.getByLabel("Email").fill(ADMIN.email);

  // checked before anything is sent: length, then that both passwords match
  await form.getByLabel("Password", { exact: true }).fill("short");
  await form.getByLabel("Confirm password").fill("short");
  await form.getByRole("button", { name: "Create the admin account" }).click();
  await expect(form).toContainText("at least 8 characters");
  await form.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await form.getByLabel("Confirm password").fill(`${ADMIN.password}!`);
  await form.getByRole("button", { name: "Create the admin account" }).click();
  await expect(form).toContainText("The passwords do not match.");
  await expect(form.getByLabel("Confirm password")).toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("Confirm password").fill(ADMIN.password);
  await form.getByRole("button", { name: "Create the admin account" }).click();

  // signed in, on the library, the header names the admin
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: "Library" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveText(ADMIN.name);
  await expect(page.getByTestId("user-menu-button").getByTestId("role-badge")).toHaveText("Admin");
  await expect(page.getByTestId("library-upload")).toBeVisible();

  // the first-run page is gone for good
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/$/);

  // an API token from Settings, shown once
  await page.getByTestId("user-menu-button").click();
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId("profile-email")).toHaveText(ADMIN.email);
  await expect(page.getByTestId("tokens-empty")).toBeVisible();
  const tokenForm = page.getByTestId("token-form");
  await tokenForm.getByLabel("Name").fill("e2e admin");
  await expect(tokenForm.getByLabel("Role")).toHaveValue("admin");
  await tokenForm.getByRole("button", { name: "Create token" }).click();
  const panel = page.getByTestId("new-token-panel");
  await expect(panel).toContainText("it will not be shown again");
  const token = await panel.getByTestId("new-token").inputValue();
  expect(token).toMatch(/^mst_[A-Za-z0-9_-]{20,}$/);
  const row = page.getByTestId("token-row").filter({ hasText: "e2e admin" });
  await expect(row).toContainText(`${token.slice(0, 10)}…`);
  await expect(row).toContainText("never");
  await panel.getByRole("button", { name: "I have copied it" }).click();
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId("new-token")).toHaveCount(0);

  // the token works on its own, as the admin
  const api = await playwright.request.newContext({
    baseURL,
    storageState: NO_STATE,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  const me = await api.get("/api/me");
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ via: "token", role: "admin", user: { email: ADMIN.email } });
  await api.dispose();

  writeFileSync(ADMIN_TOKEN_FILE, `${token}\n`, { mode: 0o600 });
  await page.context().storageState({ path: ADMIN_STATE });
});
