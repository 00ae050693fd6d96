/**
 * (issue 19) The results page people can trust: confidence in words, "no good match" with
 * the weaker matches behind a control, several moments of one video, filters and sort in
 * the URL, "more like this", the scoped search, honest examples.
 *
 * The confidences come from models, and the e2e library holds a few test patterns: every
 * assertion on real searches holds whatever the numbers are (it reads the API's answer and
 * checks that the page shows that answer). Where a state has to be reached whatever the
 * models say (weak cards, the quiet "show weaker" link), the API's answer is replaced by one
 * built from a real answer (page.route), so the page is what is under test.
 */
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page, Request, Response } from "@playwright/test";
import { RESULTS_VIDEO } from "./fixtures";
import { attachSubtitles, uploadViaApi, waitUntilProcessed, type ApiVideo } from "./helpers";
import { adminApi, expect, test } from "./test";

/** The sentence both subtitles say: two moments of one video, 10 s apart. */
const QUERY = "an orange giraffe yawns";
const SUBTITLES = [
  "1",
  "00:00:02,000 --> 00:00:05,000",
  "An orange giraffe yawns",
  "",
  "2",
  "00:00:14,000 --> 00:00:17,000",
  "Later an orange giraffe yawns again",
  "",
].join("\n");
const NONSENSE = "asdf qwerty zxcv";

interface ApiMoment {
  videoId: string;
  start: number;
  end: number;
  confidence: number;
  level: "strong" | "possible" | "weak";
  score: number;
  source: "visual" | "text" | "both";
  text: string | null;
  video: { id: string; name: string; duration: number | null };
}

interface ApiSearch {
  query: string;
  moments: ApiMoment[];
  total: number;
  weaker: number;
  minConfidence: number;
  limit: number;
  offset: number;
}

let api: APIRequestContext;
let video: ApiVideo; // set by beforeAll

test.beforeAll(async ({ playwright }, testInfo) => {
  api = await adminApi(playwright, testInfo.project.use.baseURL);
  video = await uploadViaApi(api, RESULTS_VIDEO);
  expect((await waitUntilProcessed(api, video.id)).status).toBe("ready");
  expect(await attachSubtitles(api, video.id, SUBTITLES)).toBe(2);
});

test.afterAll(async () => {
  if (video) await api.delete(`/api/videos/${video.id}`);
  await api.dispose();
});

const isSearch = (url: string) => new URL(url).pathname === "/api/search";
const paramsOf = (r: Request | Response) => new URL(r.url()).searchParams;

/** The page's next search request, whose parameters pass `check`. */
function nextSearch(page: Page, check: (p: URLSearchParams) => boolean = () => true): Promise<Response> {
  return page.waitForResponse((r) => isSearch(r.url()) && check(paramsOf(r)));
}

async function bodyOf(res: Response): Promise<ApiSearch> {
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as ApiSearch;
}

const cards = (page: Page) => page.getByTestId("search-result");

/** The page shows exactly the moments of the answer, in its order. */
async function expectCardsOf(page: Page, body: ApiSearch): Promise<void> {
  await expect(cards(page)).toHaveCount(body.moments.length);
  const shown = await cards(page).evaluateAll((els) =>
    els.map((e) => `${e.getAttribute("data-video-id")}@${e.getAttribute("data-start")}`),
  );
  expect(shown).toEqual(body.moments.map((m) => `${m.videoId}@${m.start}`));
}

test("every card says how sure it is in words, with the number for screen readers and on hover", async ({ page }) => {
  const answered = nextSearch(page);
  await page.goto(`/search?q=${encodeURIComponent(QUERY)}`);
  const body = await bodyOf(await answered);
  // two exact subtitle hits (a documented 0.97 each): the video is there
  expect(body.moments.some((m) => m.videoId === video.id)).toBe(true);
  await expectCardsOf(page, body);

  for (const [i, m] of body.moments.entries()) {
    const card = cards(page).nth(i);
    const badge = card.getByTestId("search-result-confidence");
    const words = { strong: "Strong match", possible: "Possible match", weak: "Weak match" }[m.level];
    await expect(badge).toContainText(words);
    await expect(card).toHaveAttribute("data-level", m.level);
    const pct = Math.round(m.confidence * 100);
    await expect(badge).toHaveAttribute("title", new RegExp(`^Confidence ${pct}\\s%$`));
    // read with the badge (visually hidden until hover or focus)
    await expect(badge).toContainText(new RegExp(`confidence\\s+·?\\s*${pct}\\s%`));
    await expect(card.getByTestId("search-result-source")).toHaveText(
      /^(Visual match|Subtitles|On-screen text|Pictures and subtitles|Pictures and on-screen text)$/,
    );
  }
  // the subtitle hits quote the cue, words marked
  const quoted = cards(page)
    .filter({ has: page.getByTestId("search-result-text") })
    .first();
  await expect(quoted.locator("mark").first()).toBeVisible();
});

test("two moments of one video: each card highlights its own span and shows the other faint", async ({ page }) => {
  const answered = nextSearch(page);
  await page.goto(`/search?q=${encodeURIComponent(QUERY)}&video=${video.id}`);
  const body = await bodyOf(await answered);
  const mine = body.moments.filter((m) => m.videoId === video.id);
  // both subtitles are exact hits, 10 s apart: two moments, not one
  expect(mine.length).toBeGreaterThanOrEqual(2);
  await expectCardsOf(page, body);
  const starts = mine.map((m) => m.start);
  expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThan(5);
  for (let i = 0; i < mine.length; i++) {
    const card = cards(page).nth(i);
    await expect(card.getByTestId("search-span")).toBeVisible();
    // the other moment of the same video, faint on the same bar
    expect(await card.getByTestId("moment-alternative").count()).toBeGreaterThanOrEqual(1);
  }
});

test("a nonsense query: the no-good-match state when nothing clears the threshold, and the weaker matches on request", async ({
  page,
}) => {
  const answered = nextSearch(page, (p) => p.get("q") === NONSENSE && !p.has("minConfidence"));
  await page.goto(`/search?q=${encodeURIComponent(NONSENSE)}`);
  const body = await bodyOf(await answered);
  if (body.total > 0) {
    // the models found something above the threshold in this library: then it is shown
    await expectCardsOf(page, body);
    await expect(page.getByTestId("search-empty")).toHaveCount(0);
    return;
  }
  const empty = page.getByTestId("search-empty");
  await expect(empty).toHaveAttribute("data-reason", "no-good-match");
  await expect(empty.getByRole("heading", { level: 2 })).toHaveText(`No good match for “${NONSENSE}”`);
  await expect(cards(page)).toHaveCount(0);
  const show = page.getByTestId("show-weaker");
  if (body.weaker === 0) {
    await expect(show).toHaveCount(0);
    return;
  }
  await expect(show).toHaveText(`Show weaker matches (${body.weaker})`);
  const weakAnswer = nextSearch(page, (p) => p.get("minConfidence") === "0");
  await show.click();
  const weak = await bodyOf(await weakAnswer);
  await expect(page).toHaveURL(/[?&]weak=1(&|$)/);
  await expect(page.getByTestId("search-weak-note")).toBeVisible();
  await expectCardsOf(page, weak);
  // nothing cleared the threshold, so every one of them is a weak match, and says so
  for (const card of await cards(page).all()) {
    await expect(card).toHaveAttribute("data-level", "weak");
    await expect(card.getByTestId("search-result-confidence")).toContainText("Weak match");
  }

  // the URL holds it: a reload shows the weaker matches again
  const again = nextSearch(page, (p) => p.get("minConfidence") === "0");
  await page.reload();
  await bodyOf(await again);
  await expect(cards(page).first()).toHaveAttribute("data-level", "weak");

  // and back to the threshold
  const hidden = nextSearch(page, (p) => !p.has("minConfidence"));
  await page.getByTestId("hide-weaker").click();
  await bodyOf(await hidden);
  await expect(page.getByTestId("search-empty")).toHaveAttribute("data-reason", "no-good-match");
});

test("the weaker matches, whatever the models say: below the threshold they are marked weak; after good ones, a quieter link", async ({
  page,
}) => {
  // a real answer with every moment, to dress up as the states under test
  const real = (await (
    await api.get(`/api/search?q=${encodeURIComponent(QUERY)}&minConfidence=0&limit=12`)
  ).json()) as ApiSearch;
  expect(real.moments.length).toBeGreaterThanOrEqual(1);
  const base = real.moments[0];
  const moment = (i: number, confidence: number, level: ApiMoment["level"]): ApiMoment => ({
    ...base,
    start: i * 2,
    end: i * 2 + 1.5,
    confidence,
    score: confidence,
    level,
  });

  // nothing above the threshold, 3 below
  let mode: "none" | "some" = "none";
  await page.route(
    (url) => url.pathname === "/api/search",
    async (route) => {
      const p = new URL(route.request().url()).searchParams;
      const all = p.get("minConfidence") === "0";
      let moments: ApiMoment[];
      if (mode === "none")
        moments = all ? [moment(0, 0.42, "weak"), moment(1, 0.3, "weak"), moment(2, 0.12, "weak")] : [];
      else
        moments = all
          ? [moment(0, 0.9, "strong"), moment(1, 0.6, "possible"), moment(2, 0.3, "weak")]
          : [moment(0, 0.9, "strong"), moment(1, 0.6, "possible")];
      const strong = mode === "none" ? 0 : 2;
      await route.fulfill({
        json: {
          ...real,
          moments,
          total: all ? 3 : strong,
          weaker: all ? 0 : 3 - strong,
          minConfidence: all ? 0 : 0.5,
          // the default threshold the server words the moments against, whatever was asked
          threshold: 0.5,
        },
      });
    },
  );

  await page.goto(`/search?q=${encodeURIComponent(QUERY)}`);
  const empty = page.getByTestId("search-empty");
  await expect(empty).toHaveAttribute("data-reason", "no-good-match");
  await expect(empty).toContainText(`No good match for “${QUERY}”`);
  const show = page.getByTestId("show-weaker");
  await expect(show).toHaveText("Show weaker matches (3)");
  const asked = page.waitForRequest((r) => isSearch(r.url()) && paramsOf(r).get("minConfidence") === "0");
  await show.click();
  await asked;
  await expect(cards(page)).toHaveCount(3);
  // the server words them against its default threshold, also when asked for everything: weak
  await expect(cards(page).and(page.locator('[data-level="weak"]'))).toHaveCount(3);
  await expect(cards(page).first().getByTestId("search-result-confidence")).toContainText("Weak match");

  // good matches and weaker ones: the good ones, then a quiet link to the rest
  mode = "some";
  await page.goto(`/search?q=${encodeURIComponent(QUERY)}`);
  await expect(cards(page)).toHaveCount(2);
  await expect(cards(page).nth(0)).toHaveAttribute("data-level", "strong");
  await expect(cards(page).nth(0).getByTestId("search-result-confidence")).toContainText("Strong match");
  await expect(cards(page).nth(1)).toHaveAttribute("data-level", "possible");
  await expect(cards(page).nth(1).getByTestId("search-result-confidence")).toContainText("Possible match");
  const more = page.getByTestId("show-weaker");
  await expect(more).toHaveText("Show 1 weaker match");
  await more.click();
  await expect(page).toHaveURL(/[?&]weak=1(&|$)/);
  await expect(cards(page)).toHaveCount(3);
  await expect(cards(page).nth(2)).toHaveAttribute("data-level", "weak");
  await expect(cards(page).nth(0)).toHaveAttribute("data-level", "strong");
});

test("the filters and the sort go into the URL and the request, and the cards follow", async ({ page }) => {
  const first = nextSearch(page);
  await page.goto(`/search?q=${encodeURIComponent(QUERY)}`);
  await bodyOf(await first);

  // length: under a minute → maxDuration=60
  const short = page.waitForRequest((r) => isSearch(r.url()) && paramsOf(r).get("maxDuration") === "60");
  const shortAnswer = nextSearch(page, (p) => p.get("maxDuration") === "60");
  await page.getByLabel("Video length").selectOption("short");
  const shortReq = await short;
  expect(paramsOf(shortReq).has("minDuration")).toBe(false);
  await expect(page).toHaveURL(/[?&]duration=short(&|$)/);
  const shortBody = await bodyOf(await shortAnswer);
  for (const m of shortBody.moments) expect(m.video.duration ?? 0).toBeLessThanOrEqual(60);
  await expectCardsOf(page, shortBody);

  // found by: subtitles and on-screen text → source=text
  const text = nextSearch(page, (p) => p.get("source") === "text" && p.get("maxDuration") === "60");
  await page.getByLabel("Found by").selectOption("text");
  const textBody = await bodyOf(await text);
  await expect(page).toHaveURL(/[?&]source=text(&|$)/);
  for (const m of textBody.moments) expect(m.source).not.toBe("visual");
  await expectCardsOf(page, textBody);
  for (const card of await cards(page).all())
    await expect(card.getByTestId("search-result-match")).not.toHaveAttribute("data-source", "visual");
  // the active filters as chips
  await expect(page.getByRole("list", { name: "Active filters" }).getByRole("link")).toHaveCount(3); // two chips and "Clear all filters"

  // sort by time: by video, then start
  const timed = nextSearch(page, (p) => p.get("sort") === "time");
  await page.getByLabel("Sort", { exact: true }).selectOption("time");
  const timeBody = await bodyOf(await timed);
  await expect(page).toHaveURL(/[?&]sort=time(&|$)/);
  await expectCardsOf(page, timeBody);
  for (let i = 1; i < timeBody.moments.length; i++) {
    const [a, b] = [timeBody.moments[i - 1], timeBody.moments[i]];
    if (a.videoId === b.videoId) expect(b.start).toBeGreaterThanOrEqual(a.start);
  }
  await expect(page.getByTestId("search-group").first()).toBeVisible();

  // one video: the select lists the videos seen in the results
  const scoped = nextSearch(page, (p) => p.get("video") === video.id);
  await page.getByLabel("Video", { exact: true }).selectOption(video.id);
  const scopedBody = await bodyOf(await scoped);
  await expect(page).toHaveURL(new RegExp(`[?&]video=${video.id}(&|$)`));
  for (const m of scopedBody.moments) expect(m.videoId).toBe(video.id);
  await expectCardsOf(page, scopedBody);
  const chip = page.getByTestId("search-scope");
  await expect(chip).toContainText("moments-e2e-results");

  // Back undoes one step
  const back = nextSearch(page, (p) => !p.has("video") && p.get("sort") === "time");
  await page.goBack();
  await bodyOf(await back);
  await expect(page).not.toHaveURL(/[?&]video=/);

  // over ten minutes: this video is out; whatever is left is long
  const long = nextSearch(page, (p) => p.get("minDuration") === "600" && !p.has("maxDuration"));
  await page.getByLabel("Video length").selectOption("long");
  const longBody = await bodyOf(await long);
  for (const m of longBody.moments) expect(m.video.duration ?? 0).toBeGreaterThanOrEqual(600);
  await expect(page.locator(`[data-testid="search-result"][data-video-id="${video.id}"]`)).toHaveCount(0);
  if (longBody.total === 0) await expect(page.getByTestId("search-empty")).toBeVisible();

  // clearing the filters keeps the sort
  const cleared = nextSearch(page, (p) => !p.has("minDuration") && !p.has("source") && p.get("sort") === "time");
  await page.getByRole("link", { name: "Clear all filters" }).click();
  await bodyOf(await cleared);
  await expect(page).toHaveURL(/[?&]sort=time(&|$)/);
  await expect(page).not.toHaveURL(/[?&](duration|source)=/);
});

test("“More like this” lists the nearest moments, each a link to it; Escape closes and focus returns", async ({
  page,
}) => {
  const answered = nextSearch(page);
  await page.goto(`/search?q=${encodeURIComponent(QUERY)}&video=${video.id}`);
  const body = await bodyOf(await answered);
  expect(body.moments.length).toBeGreaterThanOrEqual(1);
  const card = cards(page).first();
  const start = await card.getAttribute("data-start");
  const end = await card.getAttribute("data-end");

  const similar = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/moments/similar");
  const button = card.getByRole("button", { name: "More like this" });
  await button.click();
  const res = await similar;
  const p = paramsOf(res);
  expect([p.get("video"), p.get("start"), p.get("end")]).toEqual([video.id, start, end]);
  expect(res.status(), await res.text()).toBe(200);
  const { moments } = (await res.json()) as {
    moments: { videoId: string; start: number; end: number; similarity: number }[];
  };

  const dialog = page.getByRole("dialog", { name: "More like this" });
  await expect(dialog).toBeVisible();
  const rows = dialog.getByTestId("similar-moment");
  if (moments.length === 0) await expect(dialog.getByTestId("similar-empty")).toBeVisible();
  await expect(rows).toHaveCount(moments.length);
  for (const [i, m] of moments.entries()) {
    // never the moment itself
    expect(m.videoId === video.id && m.start < Number(end) && m.end > Number(start)).toBe(false);
    await expect(rows.nth(i)).toHaveAttribute("href", new RegExp(`^/videos/${m.videoId}\\?t=[\\d.]+&end=[\\d.]+$`));
    await expect(rows.nth(i).getByTestId("similar-similarity")).toContainText(
      new RegExp(`^${Math.round(m.similarity * 100)}\\s%`),
    );
  }

  // the open dialog passes axe too (the pages' own check sees it closed)
  await expect(dialog.locator('[aria-busy="true"]')).toHaveCount(0);
  const axe = await new AxeBuilder({ page }).include('[data-testid="similar-dialog"]').analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();

  if (moments.length > 0) {
    await button.click();
    await expect(rows.first()).toBeVisible();
    await rows.first().click();
    await expect(page).toHaveURL(new RegExp(`/videos/${moments[0].videoId}\\?t=`));
    await expect(page.getByTestId("player-span")).toBeVisible();
  }
});

test("the scoped search: from a card, from the video page, and the scope as a removable chip", async ({ page }) => {
  const answered = nextSearch(page);
  await page.goto(`/search?q=${encodeURIComponent(QUERY)}`);
  await bodyOf(await answered);
  const card = page.locator(`[data-testid="search-result"][data-video-id="${video.id}"]`).first();
  const scoped = nextSearch(page, (p) => p.get("video") === video.id);
  await card.getByRole("link", { name: "Search in this video" }).click();
  await bodyOf(await scoped);
  await expect(page).toHaveURL(new RegExp(`/search\\?q=an\\+orange\\+giraffe\\+yawns&video=${video.id}$`));
  const chip = page.getByTestId("search-scope");
  await expect(chip).toContainText("moments-e2e-results");
  // the cards of this video offer no "Search in this video" again
  await expect(page.getByTestId("search-in-video")).toHaveCount(0);

  const all = nextSearch(page, (p) => !p.has("video"));
  await chip.click();
  await bodyOf(await all);
  await expect(page).toHaveURL(/\/search\?q=an\+orange\+giraffe\+yawns$/);
  await expect(page.getByTestId("search-scope")).toHaveCount(0);

  // from the video page: its own box, then the full results
  await page.goto(`/videos/${video.id}`);
  const input = page.getByTestId("video-search-input");
  await expect(input).toBeEnabled();
  await input.fill(QUERY);
  await input.press("Enter");
  await expect(page.getByTestId("video-search-result").first()).toBeVisible();
  const full = nextSearch(page, (p) => p.get("video") === video.id);
  await page.getByRole("link", { name: "Open full results for this video" }).click();
  await bodyOf(await full);
  await expect(page).toHaveURL(new RegExp(`/search\\?q=an\\+orange\\+giraffe\\+yawns&video=${video.id}$`));
  await expect(page.getByTestId("search-scope")).toBeVisible();
});

test("example searches come from the library (GET /api/search/examples), or a plain hint when it has none", async ({
  page,
}) => {
  const examples = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/search/examples");
  await page.goto("/search");
  const res = await examples;
  expect(res.status(), await res.text()).toBe(200);
  const list = ((await res.json()) as { examples: string[] }).examples;
  const landing = page.getByTestId("search-landing");
  if (list.length === 0) {
    await expect(landing.getByTestId("search-hint")).toBeVisible();
    await expect(landing.getByTestId("search-examples")).toHaveCount(0);
  } else {
    await expect(landing.getByTestId("search-examples").getByRole("link")).toHaveText(list);
  }

  // whatever this library has, both ways render: examples as links to their search…
  const examplesUrl = (url: URL) => url.pathname === "/api/search/examples";
  await page.route(examplesUrl, (route) =>
    route.fulfill({ json: { examples: ["a kite rises over the dunes", "the clock strikes noon"] } }),
  );
  await page.reload();
  const links = page.getByTestId("search-examples").getByRole("link");
  await expect(links).toHaveText(["a kite rises over the dunes", "the clock strikes noon"]);
  await expect(links.first()).toHaveAttribute("href", "/search?q=a+kite+rises+over+the+dunes");
  // …and none: no made-up examples
  await page.unroute(examplesUrl);
  await page.route(examplesUrl, (route) => route.fulfill({ json: { examples: [] } }));
  await page.reload();
  await expect(page.getByTestId("search-hint")).toBeVisible();
  await expect(page.getByTestId("search-examples")).toHaveCount(0);
});
