/**
 * Health as a page for people: the server's summary (green/amber/red, headline, notes)
 * first, the details folded underneath, optional accelerators that are not installed in
 * neutral words, models by readable name with the version on hover.
 */
import { describeModelVersion } from "../lib/model-names";
import { expect, test } from "./test";

interface Report {
  status: string;
  summary: { level: "ok" | "warning" | "error"; headline: string; notes: { level: string; text: string }[] };
  tfjs: { backend: string; tried: { name: string; ok: boolean; reason?: string }[] };
  models: {
    clipEncoder: { version: string | null; label?: string };
    grounder: { version: string | null; label?: string };
  };
}

test("the health page leads with the summary, folds the details, names the models and calls missing accelerators optional", async ({
  page,
}) => {
  // what the page itself was answered, so nothing can change in between
  const answered = page.waitForResponse(
    (r) => new URL(r.url()).pathname === "/api/health" && r.request().method() === "GET",
  );
  await page.goto("/health");
  const report = (await (await answered).json()) as Report;
  expect(report.summary).toBeTruthy();

  const card = page.getByTestId("health-summary");
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute("data-level", report.summary.level);
  await expect(page.getByTestId("health-headline")).toContainText(report.summary.headline);
  const notes = page.getByTestId("health-note");
  await expect(notes).toHaveCount(report.summary.notes.length);
  for (const [i, note] of report.summary.notes.entries()) {
    await expect(notes.nth(i)).toContainText(note.text);
    await expect(notes.nth(i)).toHaveAttribute("data-level", note.level);
  }

  // the details are folded until asked for
  const details = page.getByTestId("health-details");
  expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
  await expect(page.getByTestId("health")).toBeHidden();
  await details.locator("summary").click();
  await expect(page.getByTestId("health")).toBeVisible();

  // models: a readable name, the full version on hover
  for (const [testId, model] of [
    ["health-model-clip", report.models.clipEncoder],
    ["health-model-grounder", report.models.grounder],
  ] as const) {
    if (!model.version) continue;
    const shown = page.getByTestId(testId);
    await expect(shown).toHaveAttribute("title", model.version);
    await expect(shown).toContainText(describeModelVersion(model.version)[0].name);
  }

  // backends tried before the one in use are optional: neutral words, not red rows or stack traces
  const working = report.tfjs.tried.findIndex((t) => t.ok);
  expect(working).toBeGreaterThanOrEqual(0);
  for (const t of report.tfjs.tried.slice(0, working)) {
    const row = page.locator(`[data-testid="health-backend"][data-name="${t.name}"]`);
    await expect(row.locator("[data-tone]")).toHaveAttribute("data-tone", "neutral");
    await expect(row).toContainText(/not (installed|available) \(optional\)/);
  }
  await expect(
    page.locator(`[data-testid="health-backend"][data-name="${report.tfjs.tried[working].name}"]`),
  ).toContainText("in use");
  // a server whose summary is green shows nothing as a fault
  if (report.summary.level === "ok")
    await expect(page.locator('[data-testid="health"] [data-tone="bad"]')).toHaveCount(0);
});
