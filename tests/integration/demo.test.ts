/**
 * The seeded demo library as a newcomer meets it, on both databases: its titles say what
 * each video holds, the example queries search suggests come from its annotated events
 * and each finds a correct moment first, and a query about something absent from it
 * ("a dog on a beach") or nonsense shows no good match.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as examplesRoute } from "@/app/api/search/examples/route";
import { GET as searchRoute } from "@/app/api/search/route";
import { listDatasets, listDatasetQueries } from "@/db/repositories/datasets";
import { findVideo, listVideos } from "@/db/repositories/videos";
import { DEMO_DATASET_NAME, seedDemoLibrary } from "@/lib/demo";
import { iou } from "@/ml/data/metrics";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";

let h: Harness;

async function search(q: string) {
  const res = await searchRoute(h.request(`http://test/api/search?${new URLSearchParams({ q, limit: "5" })}`));
  expect(res.status).toBe(200);
  return (await res.json()) as {
    moments: { videoId: string; start: number; end: number; confidence: number }[];
    total: number;
    weaker: number;
  };
}

beforeAll(async () => {
  h = await startHarness({ demoVideos: 4 });
  expect(await seedDemoLibrary(h.ctx, () => undefined)).toBe(4);
  for (const v of (await listVideos(h.ctx.db, { limit: 10, offset: 0 })).videos) {
    await waitForStatus((id) => findVideo(h.ctx.db, id).then((x) => x!), v.id, ["ready", "failed"]);
  }
});

afterAll(async () => {
  await h?.stop();
});

describe(`the demo library (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("records its events as a dataset; titles say how many events a video holds", async () => {
    const [demo] = await listDatasets(h.ctx.db);
    expect(demo).toMatchObject({ name: DEMO_DATASET_NAME, videos: 4 });
    const queries = await listDatasetQueries(h.ctx.db, demo.id);
    const { videos } = await listVideos(h.ctx.db, { limit: 10, offset: 0 });
    for (const v of videos) {
      const n = queries.filter((q) => q.videoId === v.id).length;
      expect(v.originalName).toMatch(new RegExp(`^Shapes demo \\d \\(${n} events\\)\\.mp4$`));
    }
  });

  it("each example query search suggests finds a correct moment first", async () => {
    const { examples } = (await (await examplesRoute(h.request("http://test/api/search/examples"))).json()) as {
      examples: string[];
    };
    console.log(`[demo] examples: ${JSON.stringify(examples)}`);
    expect(examples.length).toBeGreaterThan(0);
    const [demo] = await listDatasets(h.ctx.db);
    const queries = await listDatasetQueries(h.ctx.db, demo.id);
    for (const sentence of examples) {
      const [top] = (await search(sentence)).moments;
      const truth = queries.filter(
        (q) => q.sentence === sentence && q.videoId === top?.videoId && q.span && iou(top, q.span) >= 0.5,
      );
      expect(truth.length, sentence).toBeGreaterThan(0);
    }
  });

  it("a dog on a beach, or nonsense, is no good match", async () => {
    for (const q of ["a dog on a beach", "asdf qwerty zxcv"]) {
      const r = await search(q);
      console.log(
        `[demo] "${q}": best confidence ${Math.max(0, ...r.moments.map((m) => m.confidence))}, weaker ${r.weaker}`,
      );
      expect(r.total, q).toBe(0);
      expect(r.moments).toEqual([]);
    }
  });
});
