/**
 * The accounts the e2e run works with. The first-run project (first-run.setup.ts)
 * creates the admin through the browser and leaves its signed-in storage state and an
 * admin API token here for every other spec.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext } from "@playwright/test";

export const AUTH_DIR = path.resolve(".tmp/e2e-auth");
/** the admin's signed-in browser state: `use.storageState` of the main project */
export const ADMIN_STATE = path.join(AUTH_DIR, "admin.json");
/** an admin API token, for the specs' API calls (cookie-authenticated API mutations need a page's Origin) */
export const ADMIN_TOKEN_FILE = path.join(AUTH_DIR, "admin-token.txt");

export const ADMIN = { name: "E2E Admin", email: "admin@e2e.example.com", password: "correct horse battery" } as const;

export function adminToken(): string {
  const token = readFileSync(ADMIN_TOKEN_FILE, "utf8").trim();
  if (!token.startsWith("mst_"))
    throw new Error(`${ADMIN_TOKEN_FILE} holds no API token; did the first-run project run?`);
  return token;
}

/** No cookies at all: Playwright otherwise applies the project's storageState to browser.newContext() too. */
export const NO_STATE = { cookies: [], origins: [] };

export function anonymousContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ storageState: NO_STATE });
}
