/**
 * axe-core on every page, at desktop (1280×800) and phone (390×844) sizes: any serious or
 * critical violation fails, with each rule's id, impact and the elements it flagged. The
 * pages show real content: a processed video with a subtitle (so search finds it), a
 * review item for it (so the review page shows the workspace, not its empty state) and a
 * sentence typed for it (the video page's "What happens in this video" list).
 * Also: the video page of a 20-minute video (1,200 clips) has fewer than 30 Tab stops
 * before the side panel's search box.
 */
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page } from "@playwright/test";
import { anonymousContext } from "./auth";
import { attachSubtitles, uploadViaApi, waitUntilProcessed, type ApiVideo } from "./helpers";
import { A11Y_VIDEO, LONG_VIDEO } from "./player-fixtures";
import { adminApi, expect, test } from "./test";

const QUERY = "a violet walrus whistles";
const SUBTITLES = `1\n00:00:01,000 --> 00:00:04,000\n${QUERY[0].toUpperCase()}${QUERY.slice(1)}\n`;

/** Serious and critical violations fail; the message names each rule, its impact and its elements. */
async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .map((n) => {
            const target = n.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : String(t))).join(" ");
            const why = n.failureSummary ? ` — ${n.failureSummary.replace(/\s*\n\s*/g, " ")}` : "";
            return `    ${target}${why}`;
          })
          .join("\n"),
    )
    .join("\n");
  expect(
    bad.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) })),
    `${what}: ${bad.length} serious or critical axe violation${bad.length === 1 ? "" : "s"}:\n${report}`,
  ).toEqual([]);
}

/** The page has its heading and nothing is loading any more. */
async function settled(page: Page): Promise<void> {
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

let api: APIRequestContext;
let video: ApiVideo; // set by beforeAll

test.beforeAll(async ({ playwright }, testInfo) => {
  api = await adminApi(playwright, testInfo.project.use.baseURL);
  video = await uploadViaApi(api, A11Y_VIDEO);
  expect((await waitUntilProcessed(api, video.id)).status).toBe("ready");
  expect(await attachSubtitles(api, video.id, SUBTITLES)).toBe(1);
  // an item to review, so /review shows the workspace (deleted with the video)
  const item = await api.post("/api/review/items", {
    data: { videoId: video.id, sentence: "the colour bars stand still" },
  });
  expect(item.status(), await item.text()).toBe(201);
  // a sentence typed for it, so the video page shows "What happens in this video" with its Remove button
  const described = await api.post(`/api/videos/${video.id}/descriptions`, {
    data: { sentences: ["colour bars stand still on the screen"] },
  });
  expect(described.status(), await described.text()).toBe(201);
});

test.afterAll(async () => {
  if (video) await api.delete(`/api/videos/${video.id}`);
  await api.dispose();
});

interface Check {
  name: string;
  path: () => string;
  /** what shows once the page has its content */
  ready: (page: Page) => Promise<void>;
  /** a page that may not exist in this build (404: skipped) */
  optional?: boolean;
}

const PAGES: Check[] = [
  { name: "library", path: () => "/", ready: settled },
  { name: "upload", path: () => "/upload", ready: settled },
  {
    name: "search results",
    path: () => `/search?q=${encodeURIComponent(QUERY)}`,
    ready: async (page) => {
      await expect(page.locator(`[data-testid="search-result"][data-video-id="${video.id}"]`).first()).toBeVisible();
      await settled(page);
    },
  },
  {
    name: "search results, by video in time order, weaker matches too",
    path: () => `/search?q=${encodeURIComponent(QUERY)}&sort=time&weak=1`,
    ready: async (page) => {
      await expect(page.locator(`[data-testid="search-result"][data-video-id="${video.id}"]`).first()).toBeVisible();
      await settled(page);
    },
  },
  {
    name: "search, a query nothing matches well",
    path: () => `/search?q=${encodeURIComponent("asdf qwerty zxcv")}`,
    ready: async (page) => {
      // "no good match", or the cards if the models found something
      await expect(page.getByTestId("search-empty").or(page.getByTestId("search-result").first())).toBeVisible();
      await settled(page);
    },
  },
  {
    name: "video",
    path: () => `/videos/${video.id}`,
    ready: async (page) => {
      await expect(page.getByTestId("clip-cell").first()).toBeVisible();
      await expect(page.getByTestId("video-details")).toBeVisible();
      await expect(page.getByTestId("video-search-input")).toBeEnabled();
      await expect(page.getByTestId("description-sentence").first()).toBeVisible();
      await settled(page);
    },
  },
  {
    name: "video, opened from a result",
    path: () => `/videos/${video.id}?t=1&end=4&q=${encodeURIComponent(QUERY)}`,
    ready: async (page) => {
      await expect(page.getByTestId("player-moment")).toBeVisible();
      await expect(page.getByTestId("clip-cell").first()).toBeVisible();
      await settled(page);
    },
  },
  {
    name: "health",
    path: () => "/health",
    ready: async (page) => {
      await expect(page.getByTestId("health-summary")).toBeVisible();
      // the folded details are checked too
      await page.getByTestId("health-details").locator("summary").click();
      await expect(page.getByTestId("health")).toBeVisible();
      await settled(page);
    },
  },
  {
    name: "review",
    path: () => "/review",
    ready: async (page) => {
      await expect(page.getByTestId("review-item").or(page.getByTestId("review-empty"))).toBeVisible();
      await settled(page);
    },
  },
  { name: "evaluation", path: () => "/evaluation", ready: settled },
  {
    name: "settings",
    path: () => "/settings",
    ready: async (page) => {
      await expect(page.getByTestId("profile-email")).toBeVisible();
      await expect(page.getByTestId("token-row").first().or(page.getByTestId("tokens-empty"))).toBeVisible();
      await settled(page);
    },
  },
  {
    name: "users",
    path: () => "/admin/users",
    ready: async (page) => {
      await expect(page.getByTestId("user-row").first()).toBeVisible();
      await settled(page);
    },
  },
  { name: "datasets", path: () => "/datasets", ready: settled, optional: true },
  {
    name: "models",
    path: () => "/models",
    ready: async (page) => {
      await expect(page.getByTestId("active-version")).toBeVisible();
      await expect(page.getByTestId("model-version-row").first()).toBeVisible();
      // the training form with its sources' counts
      await expect(page.getByTestId("train-source").first()).toBeVisible();
      await settled(page);
    },
  },
  {
    name: "model version (the shipped version 1)",
    path: () => "/models/1",
    ready: async (page) => {
      await expect(page.getByTestId("model-version")).toBeVisible();
      await expect(page.getByTestId("version-data")).toBeVisible();
      await settled(page);
    },
  },
];

const SIZES = [
  { label: "desktop", viewport: { width: 1280, height: 800 } },
  { label: "phone", viewport: { width: 390, height: 844 } },
] as const;

for (const size of SIZES) {
  test.describe(`axe at ${size.label} size (${size.viewport.width}×${size.viewport.height})`, () => {
    test.use({ viewport: size.viewport });

    for (const check of PAGES) {
      test(`${check.name}: no serious or critical violations`, async ({ page }) => {
        const res = await page.goto(check.path());
        if (check.optional && res?.status() === 404) {
          test.skip(true, `${check.path()} does not exist in this build`);
          return;
        }
        await check.ready(page);
        await expectNoSeriousViolations(page, `${check.name} (${check.path()}) at ${size.label} size`);
      });
    }

    test("sign-in page, signed out: no serious or critical violations", async ({ browser }) => {
      const context = await anonymousContext(browser);
      try {
        const page = await context.newPage();
        await page.setViewportSize(size.viewport);
        await page.goto("/login");
        await expect(page).toHaveURL(/\/login/);
        await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
        await settled(page);
        await expectNoSeriousViolations(page, `sign-in (/login) at ${size.label} size`);
      } finally {
        await context.close();
      }
    });
  });
}

test.describe("the video page of a 20-minute video", () => {
  let long: ApiVideo;

  test.beforeAll(async () => {
    long = await uploadViaApi(api, LONG_VIDEO);
    expect((await waitUntilProcessed(api, long.id)).status).toBe("ready");
  });

  test.afterAll(async () => {
    if (long) await api.delete(`/api/videos/${long.id}`);
  });

  test("has fewer than 30 Tab stops before the side panel's search box, one of them the clip strip", async ({
    page,
  }) => {
    const clips = ((await (await api.get(`/api/videos/${long.id}/clips`)).json()) as { clips: unknown[] }).clips;
    expect(clips.length).toBeGreaterThanOrEqual(1100);

    await page.goto(`/videos/${long.id}`);
    await expect(page.getByTestId("clip-cell")).toHaveCount(clips.length);
    const search = page.getByTestId("video-search-input");
    await expect(search).toBeEnabled();
    // nothing has focus yet: Tab starts at the top of the page
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);

    const visited: string[] = [];
    let reached = false;
    while (visited.length < 60) {
      await page.keyboard.press("Tab");
      const at = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return "body";
        const name =
          el.getAttribute("data-testid") ?? el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 30) ?? "";
        return `${el.tagName.toLowerCase()}:${name}`;
      });
      if (at === "input:video-search-input") {
        reached = true;
        break;
      }
      visited.push(at);
    }
    expect(reached, `the search box was not reached in 60 Tab presses: ${visited.join(", ")}`).toBe(true);
    expect(visited.length, `Tab stops before the search box: ${visited.join(", ")}`).toBeLessThan(30);
    expect(visited.filter((v) => v === "button:clip-cell")).toHaveLength(1);
  });
});
