/**
 * End-to-end tests: the real server (`npm start`: web + worker + embedded database) on
 * a throw-away data directory, driven by Debian's chromium.
 *
 *   npm run test:e2e               # builds Next if needed, starts the server, runs e2e/
 *   E2E_PORT=3311 npm run test:e2e # another port
 *
 * Two projects: `first-run` creates the admin account through the browser on the empty
 * library (no ADMIN_EMAIL/ADMIN_PASSWORD: the first-run page is under test) and saves its
 * signed-in state and an API token under .tmp/e2e-auth/; `e2e` runs every spec with that
 * state (e2e/test.ts gives the specs' `request` the token).
 */
import { defineConfig } from "@playwright/test";
import { ADMIN_STATE } from "./e2e/auth";

const PORT = Number(process.env.E2E_PORT ?? 3310);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const E2E_DATA_DIR = ".tmp/e2e-data";

export default defineConfig({
  testDir: "./e2e",
  // Playwright starts the webServer *before* globalSetup, so the data directory is wiped
  // by the server command itself; globalSetup only generates the media fixtures.
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results/e2e",
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL: BASE_URL,
    browserName: "chromium",
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "first-run", testMatch: /first-run\.setup\.ts$/ },
    { name: "e2e", testMatch: /\.spec\.ts$/, dependencies: ["first-run"], use: { storageState: ADMIN_STATE } },
  ],
  webServer: {
    command: `node -e "require('node:fs').rmSync('${E2E_DATA_DIR}', { recursive: true, force: true })" && npm start`,
    url: `${BASE_URL}/api/health`,
    // empty ADMIN_*: no unattended admin even if the shell sets them; first-run.setup.ts creates it
    env: { PORT: String(PORT), DATA_DIR: E2E_DATA_DIR, SEED_DEMO: "0", ADMIN_EMAIL: "", ADMIN_PASSWORD: "" },
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
