/**
 * Retraining from the UI (issue 22): an admin opens Models from the navigation, starts a
 * run with the quick recipe on the library's typed descriptions, follows it (the progress
 * bar while it trains, the loss curve as it grows), waits until it is evaluated, sees its
 * numbers next to those of the version it is compared with, activates it (through the
 * gate's "activate anyway" when the gate refuses it; nothing to do when the server
 * activated it on its own), sees the re-embedding and then the new version in use: on the
 * Models page, on a video's page, on the health page, and in a search's answer.
 *
 * Everything is awaited on the page's own requests and DOM, with long timeouts where the
 * worker trains and re-embeds (a few minutes each on a 2-core machine). At the end the
 * version active before is activated again (forced) and awaited, so the specs after this
 * one search with the models they expect; the two videos are deleted.
 */
import type { APIRequestContext, Page, Response } from "@playwright/test";
import { MODELS_VIDEOS } from "./fixtures";
import { uploadViaApi, waitUntilProcessed, type ApiVideo } from "./helpers";
import { adminApi, expect, test } from "./test";

const SENTENCES = [
  ["a test pattern of coloured stripes with a moving counter", "the counter in the test pattern ticks upwards"],
  ["colour bars stand still on the screen", "seven vertical colour bars above a dark strip"],
] as const;

/** Training, evaluating and re-embedding run in the worker: minutes each here. */
const TRAINING_TIMEOUT = 15 * 60_000;
const SWITCH_TIMEOUT = 10 * 60_000;

interface Overview {
  active: { version: number };
  pending: { version: number; progress: number; done: number; total: number } | null;
  versions: { version: number; status: string; error?: string | null }[];
}

let api: APIRequestContext;
const videos: ApiVideo[] = [];
/** the version active before the test: activated again at the end */
let before: number | undefined;

async function overview(): Promise<Overview> {
  const res = await api.get("/api/models");
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Overview;
}

/** Polls the API until `version` answers searches and no switch is running. */
async function waitUntilActive(version: number, timeout = SWITCH_TIMEOUT): Promise<void> {
  await expect
    .poll(
      async () => {
        const o = await overview();
        return o.pending === null ? o.active.version : -1;
      },
      { timeout, intervals: [1000, 2000] },
    )
    .toBe(version);
}

test.beforeAll(async ({ playwright }, testInfo) => {
  api = await adminApi(playwright, testInfo.project.use.baseURL);
  for (const [i, file] of MODELS_VIDEOS.entries()) {
    const video = await uploadViaApi(api, file);
    videos.push(video);
    expect((await waitUntilProcessed(api, video.id)).status).toBe("ready");
    const described = await api.post(`/api/videos/${video.id}/descriptions`, { data: { sentences: SENTENCES[i] } });
    expect(described.status(), await described.text()).toBe(201);
  }
  before = (await overview()).active.version;
});

test.afterAll(async () => {
  test.setTimeout(SWITCH_TIMEOUT + 120_000);
  try {
    if (before !== undefined) {
      const now = await overview();
      // a run still going (the test failed half-way) is stopped first
      for (const v of now.versions.filter((x) => x.status === "training" || x.status === "evaluating"))
        await api.post(`/api/models/${v.version}/cancel`);
      if (now.pending && now.pending.version !== before) await api.post(`/api/models/${now.pending.version}/cancel`);
      if (now.active.version !== before) {
        const res = await api.post(`/api/models/${before}/activate`, { data: { force: true } });
        expect(res.status(), await res.text()).toBe(202);
        await waitUntilActive(before);
      }
    }
  } finally {
    for (const v of videos) await api.delete(`/api/videos/${v.id}`);
    await api.dispose();
  }
});

const isPost = (path: string) => (r: Response) => new URL(r.url()).pathname === path && r.request().method() === "POST";

/** Clicks Activate on the version's page; a 409 from the gate opens the dialog, whose "Activate anyway" forces it. */
async function activate(page: Page, version: number): Promise<void> {
  const path = `/api/models/${version}/activate`;
  const asked = page.waitForResponse(isPost(path));
  await page.getByRole("button", { name: `Activate version ${version}`, exact: true }).click();
  const res = await asked;
  expect(res.request().postDataJSON()).toEqual({});
  if (res.status() === 202) return;
  expect(res.status(), await res.text()).toBe(409);

  const dialog = page.getByRole("dialog", { name: `Activate version ${version} anyway?` });
  await expect(dialog).toBeVisible();
  // the gate's reason, as the server worded it
  const reason = ((await res.json()) as { error: { message: string } }).error.message;
  await expect(dialog.getByTestId("activate-gate-reason")).toHaveText(reason);
  const forced = page.waitForResponse(isPost(path));
  await dialog.getByRole("button", { name: "Activate anyway" }).click();
  const f = await forced;
  expect(f.request().postDataJSON()).toEqual({ force: true });
  if (f.status() !== 202) {
    // only acceptable when the server had started the switch on its own in between (auto-activation)
    const o = await overview();
    expect(o.pending?.version === version || o.active.version === version, await f.text()).toBe(true);
  }
  await expect(dialog).toBeHidden();
}

test("an admin trains a version with the quick recipe, watches its progress and loss curve, and activates it", async ({
  page,
}) => {
  test.setTimeout(TRAINING_TIMEOUT + 2 * SWITCH_TIMEOUT);
  expect(before).toBeDefined();
  const previous = before!;

  // Models, from the main navigation
  const listed = page.waitForResponse(
    (r) => new URL(r.url()).pathname === "/api/models" && r.request().method() === "GET",
  );
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
  await expect(page).toHaveURL(/\/models$/);
  expect((await listed).status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Models" })).toBeVisible();
  await expect(page.getByTestId("active-version")).toHaveAttribute("data-version", String(previous));
  await expect(
    page.locator(`[data-testid="model-version-row"][data-version="${previous}"]`).getByTestId("model-status"),
  ).toHaveAttribute("data-status", "active");

  // the form: relevance scorer and CPL (the defaults), the quick recipe, the typed descriptions only
  const form = page.getByTestId("train-form");
  await expect(form.getByRole("checkbox", { name: /^Relevance scorer/ })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: /^CPL grounder/ })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: /^LocVTP/ })).not.toBeChecked();
  await form.getByLabel("Recipe").selectOption("quick");
  const typed = form.locator('[data-testid="train-source"][value="descriptions"]');
  await expect(typed).toBeVisible(); // the counts are in
  expect(Number(await typed.getAttribute("data-sentences"))).toBeGreaterThanOrEqual(4);
  for (const box of await form.getByTestId("train-source").all()) {
    if ((await box.getAttribute("value")) === "descriptions") await box.check();
    else await box.uncheck();
  }

  const posted = page.waitForResponse(isPost("/api/models/train"));
  await form.getByRole("button", { name: "Start training" }).click();
  const res = await posted;
  expect(res.status(), await res.text()).toBe(202);
  expect(res.request().postDataJSON()).toEqual({
    models: ["relevance", "cpl"],
    recipe: "quick",
    sources: ["descriptions"],
  });
  const version = ((await res.json()) as { job: { version: number } }).job.version;
  expect(version).toBeGreaterThan(previous);

  // listed at once, newest first, with the button to start another run held back while it runs
  const row = page.locator(`[data-testid="model-version-row"][data-version="${version}"]`);
  await expect(page.getByTestId("model-version-row").first()).toHaveAttribute("data-version", String(version));
  await expect(row.getByTestId("model-status")).toHaveAttribute("data-status", /^(training|evaluating)$/);
  await expect(form.getByRole("button", { name: "Start training" })).toBeDisabled();

  // its page: the progress bar with the phase, then the loss curve as the first steps are logged
  await form.getByTestId("train-follow").click();
  await expect(page).toHaveURL(new RegExp(`/models/${version}$`));
  await expect(page.getByRole("heading", { level: 1, name: `Model version ${version}` })).toBeVisible();
  const view = page.getByTestId("model-version");
  const progress = page.getByTestId("training-progress");
  await expect(progress.getByRole("progressbar")).toBeVisible();
  // the phase and how far it is ("Training · 42% · about 3 min left")
  await expect(page.getByTestId("training-progress-line")).toHaveText(/^\S.* · \d+%/);
  await expect(page.getByTestId("loss-curve-series").first()).toBeVisible({ timeout: TRAINING_TIMEOUT });
  await expect(page.getByTestId("loss-curve-series").first()).toHaveAttribute("data-points", /^[1-9]\d*$/);
  await expect(page.getByTestId("loss-curve-summary").first()).toContainText("loss");

  // done: evaluated (ready), or already being switched to when the gate let it through
  await expect(view).toHaveAttribute("data-status", /^(ready|switching|active|failed|cancelled)$/, {
    timeout: TRAINING_TIMEOUT,
  });
  if ((await view.getAttribute("data-status")) === "failed")
    throw new Error(`training failed: ${await page.getByTestId("model-version-error").textContent()}`);
  await expect(view).not.toHaveAttribute("data-status", "cancelled");
  await expect(progress).toHaveCount(0);
  // the loss curve stays once the run is done
  await expect(page.getByTestId("loss-curve")).toBeVisible();

  // its numbers next to the version it was compared with (the one active when it was evaluated)
  const metrics = page.getByTestId("version-metrics");
  await expect(metrics).toBeVisible();
  await expect(page.getByTestId("version-comparison-note")).toContainText(`version ${previous}`);
  for (const split of ["annotated", "heldOut"]) {
    await expect(metrics.getByTestId(`metric-${split}-r1_05`)).toHaveAttribute(
      "data-compared-version",
      String(previous),
    );
  }
  const measured = metrics.locator('td[data-value]:not([data-value=""])');
  expect(await measured.count(), "some metric of the new version is measured").toBeGreaterThan(0);
  // where its confidence comes from: the demo library has too few annotated spans for a fit of its own
  await expect(page.getByTestId("version-calibration")).toContainText(
    /parent version's calibration|fitted for this version/,
  );

  // activate it (unless the server already started the switch), then the re-embedding, then the switch
  if ((await view.getAttribute("data-status")) === "ready") await activate(page, version);
  // the re-embedding's progress bar (unless the library was re-embedded before the page asked: a tiny library)
  const switchBar = page
    .getByTestId("pending-switch")
    .getByRole("progressbar", { name: `Switching to version ${version}` });
  await expect(switchBar.or(page.locator('[data-testid="model-version"][data-status="active"]'))).toBeVisible();
  test.info().annotations.push({
    type: "switch",
    description: (await switchBar.isVisible())
      ? "the re-embedding progress bar was seen"
      : "the switch was already done",
  });
  await expect(view).toHaveAttribute("data-status", "active", { timeout: SWITCH_TIMEOUT });
  await expect(page.getByTestId("pending-switch")).toHaveCount(0);
  await expect(page.getByTestId("models-announcer")).toContainText(`Search now answers with version ${version}.`);

  // the Models page: the new version in use, the previous one ready to roll back to, numbers side by side
  await page.getByRole("link", { name: "All versions" }).click();
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByTestId("active-version")).toHaveAttribute("data-version", String(version));
  await expect(row.getByTestId("model-status")).toHaveAttribute("data-status", "active");
  await expect(row).toContainText("In use");
  const previousRow = page.locator(`[data-testid="model-version-row"][data-version="${previous}"]`);
  await expect(previousRow.getByTestId("model-status")).toHaveAttribute("data-status", "ready");
  await expect(previousRow.getByRole("button", { name: `Activate version ${previous}`, exact: true })).toBeEnabled();
  // the previous version's numbers, now with the new active version's under them
  await expect(previousRow.getByTestId("metric-annotated-r1_05")).toHaveAttribute(
    "data-compared-version",
    String(version),
  );

  // the video page names the version its vectors came from
  await page.goto(`/videos/${videos[0].id}`);
  await expect(page.getByTestId("video-details")).toBeVisible();
  await expect(page.getByTestId("video-model-version")).toHaveAttribute("data-version", String(version));

  // the health page names the version in use
  await page.goto("/health");
  await page.getByTestId("health-details").locator("summary").click();
  await expect(page.getByTestId("health-model-version")).toHaveAttribute("data-version", String(version));

  // and a search is answered by it, which the results page says
  const searched = page.waitForResponse(
    (r) => new URL(r.url()).pathname === "/api/search" && r.request().method() === "GET",
  );
  await page.goto(`/search?q=${encodeURIComponent(SENTENCES[1][0])}`);
  const answer = await searched;
  expect(answer.status(), await answer.text()).toBe(200);
  expect(((await answer.json()) as { models: { version: number } }).models.version).toBe(version);
  await expect(page.getByTestId("search-model-version")).toHaveAttribute("data-version", String(version));
  await expect(page.getByTestId("search-model-version")).toContainText(`model v${version}`);
});
