/**
 * Datasets in both directions, on both databases: a dataset folder imported with batch
 * predictions fills the review queue; decisions give the hand-computed evaluation; the
 * export reads back as the shared format, re-imports with the same spans, and
 * `npm run eval` on it prints the dashboard's numbers. Also: several annotators per item
 * and their agreement, flagged results, Charades-STA and ActivityNet imports from the
 * browser's multipart, and the errors bad input gets.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/datasets/export/route";
import { GET as listDatasetsRoute, POST as importRoute } from "@/app/api/datasets/route";
import { GET as evaluationRoute } from "@/app/api/evaluation/route";
import { GET as batchRoute } from "@/app/api/review/batches/[id]/route";
import { POST as batchesRoute } from "@/app/api/review/batches/route";
import { POST as decisionRoute } from "@/app/api/review/items/[id]/decision/route";
import { GET as itemRoute } from "@/app/api/review/items/[id]/route";
import { POST as createRoute } from "@/app/api/review/items/route";
import { GET as nextRoute } from "@/app/api/review/next/route";
import { GET as getSettingsRoute, PUT as putSettingsRoute } from "@/app/api/review/settings/route";
import { importDatasetDir } from "@/lib/datasets/import";
import { writeExport } from "@/lib/datasets/export";
import { listDatasetQueries } from "@/db/repositories/datasets";
import { iou } from "@/ml/data/metrics";
import { bearerRequest, createTestAccount, type TestAccount } from "../helpers/accounts";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";
import { makeTestVideo } from "../helpers/media";

let h: Harness;
let ann1: TestAccount;
let ann2: TestAccount;
let datasetDir: string;
const B = "http://test";

interface Span {
  start: number;
  end: number;
}
interface Item {
  id: string;
  videoId: string;
  sentence: string;
  source: string;
  prediction: Span;
  modelVersion: string;
  batchId: string | null;
  annotationsWanted: number;
}
interface Batch {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
}

const post = (token: string, url: string, body: unknown) =>
  bearerRequest(token, `${B}${url}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function next(token: string): Promise<Item | null> {
  return ((await (await nextRoute(bearerRequest(token, `${B}/api/review/next`))).json()) as { item: Item | null }).item;
}
async function decide(token: string, id: string, body: unknown): Promise<void> {
  const res = await decisionRoute(post(token, `/api/review/items/${id}/decision`, body), params(id));
  expect(res.status, await res.clone().text()).toBe(200);
}
async function evaluation(token: string) {
  const res = await evaluationRoute(bearerRequest(token, `${B}/api/evaluation`));
  expect(res.status).toBe(200);
  return (await res.json()) as {
    versions: Record<string, number | string>[];
    bySource: Record<string, number | string>[];
    worst: { itemId: string; iou: number }[];
    agreement: { overall: number | null; items: number };
    decisions: Record<string, number>;
  };
}
/** Polls the batch until its job has finished (it waits for its videos to be processed first). */
async function finishedBatch(id: string): Promise<Batch> {
  const get = async (bid: string) =>
    ((await (await batchRoute(h.request(`${B}/api/review/batches/${bid}`), params(bid))).json()) as { batch: Batch })
      .batch;
  return waitForStatus(get, id, ["done", "failed"], 240_000);
}
/** A correction of `p` with IoU exactly 0.5: twice as long, from the same start (or to the same end). */
function halfIoU(p: Span, duration: number): Span {
  const w = p.end - p.start;
  return p.start + 2 * w <= duration ? { start: p.start, end: p.start + 2 * w } : { start: p.end - 2 * w, end: p.end };
}

beforeAll(async () => {
  h = await startHarness();
  ann1 = await createTestAccount(h.ctx, "annotator", "ann1");
  ann2 = await createTestAccount(h.ctx, "annotator", "ann2");
  datasetDir = path.join(h.dataDir, "fixtures", "tiny-dataset");
  await makeTestVideo(path.join(datasetDir, "videos", "a.mp4"), { seconds: 10 });
  await makeTestVideo(path.join(datasetDir, "videos", "b.mp4"), { seconds: 8, source: "smptebars" });
  writeFileSync(
    path.join(datasetDir, "annotations.json"),
    JSON.stringify({
      name: "tiny",
      videos: [
        { id: "a", file: "videos/a.mp4" },
        { id: "b", file: "videos/b.mp4" },
      ],
      queries: [
        { video: "a", query: "the picture moves", start: 1, end: 4 },
        { video: "a", query: "colours change", start: 5, end: 9 },
        { video: "b", query: "the bars stand still", start: 0, end: 8 },
      ],
    }),
  );
});

afterAll(async () => {
  await h?.stop();
});

describe(`datasets and review batches (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  let items: Item[] = [];
  let dashboard: Awaited<ReturnType<typeof evaluation>>;

  it("importing a dataset folder with batch predictions fills the review queue", async () => {
    const r = await importDatasetDir(h.ctx, datasetDir, { review: true, addedBy: h.admin.id });
    expect(r.videos.map((v) => [v.datasetId, !!v.videoId, v.error])).toEqual([
      ["a", true, undefined],
      ["b", true, undefined],
    ]);
    expect(r.dataset).toMatchObject({ name: "tiny", format: "moments", videos: 2, queries: 3, timedQueries: 3 });
    expect(r.batch).toMatchObject({ total: 3, datasetId: r.dataset.id });
    const batch = await finishedBatch(r.batch!.id);
    expect(batch).toMatchObject({ status: "done", total: 3, done: 3, failed: 0 });

    const listed = await h.ctx.db.query<{ id: string }>(
      "SELECT id FROM review_items WHERE batch_id = $1 ORDER BY batch_position",
      [batch.id],
    );
    items = await Promise.all(
      listed.rows.map(
        async ({ id }) =>
          (
            (await (await itemRoute(bearerRequest(ann1.token, `${B}/api/review/items/${id}`), params(id))).json()) as {
              item: Item;
            }
          ).item,
      ),
    );
    expect(items.map((i) => i.sentence)).toEqual(["the picture moves", "colours change", "the bars stand still"]);
    for (const i of items) expect(i).toMatchObject({ source: "imported", batchId: batch.id });
    const dq = await listDatasetQueries(h.ctx.db, r.dataset.id);
    expect(dq.map((q) => q.videoId)).toEqual([items[0].videoId, items[1].videoId, items[2].videoId]);
  });

  it("after review, the dashboard equals the hand computation", async () => {
    // annotator 1 takes the queue in order: accept, correct (IoU 0.5), reject
    const first = (await next(ann1.token))!;
    expect(first.id).toBe(items[0].id);
    await decide(ann1.token, first.id, { decision: "accept" });
    const second = (await next(ann1.token))!;
    await decide(ann1.token, second.id, { decision: "correct", ...halfIoU(second.prediction, 10) });
    const third = (await next(ann1.token))!;
    await decide(ann1.token, third.id, { decision: "reject", notInVideo: true });
    expect(await next(ann1.token)).toBeNull();

    dashboard = await evaluation(ann1.token);
    expect(dashboard.versions).toEqual([
      { modelVersion: first.modelVersion, count: 2, "R1@0.3": 100, "R1@0.5": 100, "R1@0.7": 50, mIoU: 75 },
    ]);
    expect(dashboard.bySource).toEqual([
      {
        modelVersion: first.modelVersion,
        source: "imported",
        count: 2,
        "R1@0.3": 100,
        "R1@0.5": 100,
        "R1@0.7": 50,
        mIoU: 75,
      },
    ]);
    expect(dashboard.decisions).toEqual({ accept: 1, correct: 1, reject: 1 });
    expect(dashboard.worst.map((w) => [w.itemId, Number(w.iou.toFixed(6))])).toEqual([
      [second.id, 0.5],
      [first.id, 1],
    ]);
    expect(dashboard.agreement).toEqual({ overall: null, items: 0 });
  });

  it("the export is the shared format with the corrected spans; npm run eval on it reproduces the dashboard; it re-imports with the same spans", async () => {
    const res = await exportRoute(bearerRequest(ann1.token, `${B}/api/datasets/export?status=accepted,corrected`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("annotations.json");
    const doc = (await res.json()) as {
      videos: { id: string }[];
      queries: (Span & { video: string; query: string; decision: string; prediction: Span; annotator: string })[];
    };
    expect(doc.queries).toHaveLength(2);
    expect(doc.queries[0]).toMatchObject({
      video: items[0].videoId,
      query: "the picture moves",
      ...items[0].prediction,
      decision: "accept",
      prediction: items[0].prediction,
      annotator: ann1.email,
    });
    expect(doc.queries[1].decision).toBe("correct");
    expect(iou(doc.queries[1], doc.queries[1].prediction)).toBeCloseTo(0.5, 9);
    expect(doc.videos.map((v) => v.id)).toEqual([items[0].videoId]);

    const out = path.join(h.dataDir, "export");
    await writeExport(h.ctx, out);
    const cli = spawnSync("npx", ["tsx", "scripts/eval.ts", "--dataset", out, "--recorded"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(cli.status, cli.stderr).toBe(0);
    const row = cli.stdout.split("\n").find((l) => l.startsWith(items[0].modelVersion))!;
    // columns: R1@0.3 R1@0.5 R1@0.7 R5@… mIoU queries
    const cells = row.slice(items[0].modelVersion.length).trim().split(/\s+/);
    expect(Number(cells[1])).toBe(dashboard.versions[0]["R1@0.5"]);
    expect(Number(cells[6])).toBe(dashboard.versions[0].mIoU);
    expect(Number(cells[7])).toBe(2);

    // round trip: the exported folder imports as a dataset with the same spans on the same videos
    const again = await importDatasetDir(h.ctx, out, { addedBy: h.admin.id });
    expect(again.videos.every((v) => v.videoId === items[0].videoId && !v.created)).toBe(true);
    const spans = (await listDatasetQueries(h.ctx.db, again.dataset.id)).map((q) => ({
      videoId: q.videoId,
      sentence: q.sentence,
      ...q.span,
    }));
    expect(spans).toEqual(
      doc.queries.map((q) => ({ videoId: q.video, sentence: q.query, start: q.start, end: q.end })),
    );
  });

  it("with two annotators per item, each decides it once and the dashboard reports their agreement", async () => {
    expect(
      (
        await putSettingsRoute(
          bearerRequest(ann1.token, `${B}/api/review/settings`, {
            method: "PUT",
            body: '{"annotationsPerItem":2}',
            headers: { "content-type": "application/json" },
          }),
        )
      ).status,
    ).toBe(403);
    const put = await putSettingsRoute(
      h.request(`${B}/api/review/settings`, {
        method: "PUT",
        body: '{"annotationsPerItem":2}',
        headers: { "content-type": "application/json" },
      }),
    );
    expect(await put.json()).toEqual({ annotationsPerItem: 2 });
    expect(
      (
        await putSettingsRoute(
          h.request(`${B}/api/review/settings`, {
            method: "PUT",
            body: '{"annotationsPerItem":0}',
            headers: { "content-type": "application/json" },
          }),
        )
      ).status,
    ).toBe(400);
    expect(await (await getSettingsRoute(bearerRequest(ann1.token, `${B}/api/review/settings`))).json()).toEqual({
      annotationsPerItem: 2,
    });

    // a typed-sentences batch: one pair
    const start = await batchesRoute(
      post(ann1.token, "/api/review/batches", { items: [{ videoId: items[0].videoId, sentence: "stripes slide" }] }),
    );
    expect(start.status).toBe(202);
    const batch = await finishedBatch(((await start.json()) as { batch: Batch }).batch.id);
    expect(batch).toMatchObject({ status: "done", done: 1 });

    const a = (await next(ann1.token))!;
    expect(a).toMatchObject({ annotationsWanted: 2, source: "batch" });
    // while annotator 1 holds it, annotator 2 does not get it; once decided, it wants a second decision
    expect(await next(ann2.token)).toBeNull();
    // spans [0,4] and [2,6]: IoU 2/6
    await decide(ann1.token, a.id, { decision: "correct", start: 0, end: 4 });
    expect((await next(ann2.token))!.id).toBe(a.id);
    await decide(ann2.token, a.id, { decision: "correct", start: 2, end: 6 });
    expect(await next(ann1.token)).toBeNull();

    const detail = (await (
      await itemRoute(bearerRequest(ann2.token, `${B}/api/review/items/${a.id}`), params(a.id))
    ).json()) as { agreement: number; annotations: unknown[]; item: { status: string } };
    expect(detail.annotations).toHaveLength(2);
    expect(detail.item.status).toBe("decided");
    expect(detail.agreement).toBeCloseTo(1 / 3, 9);
    const d = await evaluation(ann1.token);
    expect(d.agreement.items).toBe(1);
    expect(d.agreement.overall).toBeCloseTo(1 / 3, 9);
    expect(d.bySource.map((s) => s.source).sort()).toEqual(["batch", "imported"]);
    await putSettingsRoute(
      h.request(`${B}/api/review/settings`, {
        method: "PUT",
        body: '{"annotationsPerItem":1}',
        headers: { "content-type": "application/json" },
      }),
    );
  });

  it("a flagged search result is filed with the span the user saw", async () => {
    const res = await createRoute(
      post(ann1.token, "/api/review/items", {
        videoId: items[0].videoId,
        sentence: "the picture moves",
        source: "flagged",
        start: 2,
        end: 3.5,
        alternatives: [{ start: 6, end: 7 }],
      }),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const { item } = (await res.json()) as { item: Item & { alternatives: Span[] } };
    expect(item).toMatchObject({
      source: "flagged",
      prediction: { start: 2, end: 3.5 },
      alternatives: [{ start: 6, end: 7 }],
    });
    expect(
      (
        await createRoute(
          post(ann1.token, "/api/review/items", {
            videoId: items[0].videoId,
            sentence: "x",
            source: "flagged",
            start: 2,
          }),
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await createRoute(
          post(ann1.token, "/api/review/items", {
            videoId: items[0].videoId,
            sentence: "x",
            source: "flagged",
            start: 2,
            end: 99,
          }),
        )
      ).status,
    ).toBe(400);
  });

  it("Charades-STA and ActivityNet annotations import from the browser, matched to uploaded videos", async () => {
    const [a, b] = [items[0].videoId, items[2].videoId];
    const send = (fields: Record<string, string>, token = ann1.token) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, k === "annotations" ? new Blob([v]) : v);
      return importRoute(bearerRequest(token, `${B}/api/datasets`, { method: "POST", body: form }));
    };
    const charades = await send({
      annotations: "A1 1.0 3.5##the picture moves\nB1 0 2##bars\nZZ 0 1##no such video\nA1 4 2##backwards\n",
      format: "auto",
      videoIds: JSON.stringify({ "A1.mp4": a, B1: b }),
      name: "charades test",
    });
    expect(charades.status, await charades.clone().text()).toBe(201);
    const c = (await charades.json()) as {
      dataset: { format: string; queries: number; videos: number };
      videos: { datasetVideoId?: string; datasetId: string; videoId: string | null; error?: string }[];
      skipped: { where: string }[];
    };
    expect(c.dataset).toMatchObject({ format: "charades", queries: 3, videos: 2 });
    expect(c.videos.find((v) => v.datasetId === "ZZ")).toMatchObject({ videoId: null });
    expect(c.videos.find((v) => v.datasetId === "ZZ")!.error).toMatch(/no library video/);
    expect(c.skipped).toEqual([{ where: "line 4", reason: "end 2 not after start 4" }]);

    const anet = await send({
      annotations: JSON.stringify({
        v_a: {
          duration: 10,
          timestamps: [
            [0, 5],
            [5, 10],
          ],
          sentences: ["first half.", "second half."],
        },
      }),
      format: "activitynet",
      videoIds: JSON.stringify({ v_a: a }),
      captions: "1",
    });
    expect(anet.status, await anet.clone().text()).toBe(201);
    expect(((await anet.json()) as { dataset: unknown }).dataset).toMatchObject({
      format: "activitynet",
      queries: 2,
      videos: 1,
    });

    const listed = (await (await listDatasetsRoute(bearerRequest(ann1.token, `${B}/api/datasets`))).json()) as {
      datasets: { name: string }[];
    };
    expect(listed.datasets.map((d) => d.name)).toContain("charades test");

    // bad input: 4xx that say what is wrong
    expect((await send({ format: "auto" })).status).toBe(400);
    const wrong = await send({ annotations: "not a dataset at all", format: "charades" });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/Charades-STA/);
    expect((await send({ annotations: "{}", format: "moments" })).status).toBe(400);
    expect((await send({ annotations: "A1 0 1##x", format: "nope" })).status).toBe(400);
    expect((await send({ annotations: "A1 0 1##x", videoIds: "[1]" })).status).toBe(400);
    const viewer = await createTestAccount(h.ctx, "viewer", "viewer-ds");
    expect((await send({ annotations: "A1 0 1##x" }, viewer.token)).status).toBe(403);
  });

  it("batches refuse what cannot be predicted", async () => {
    expect((await batchesRoute(post(ann1.token, "/api/review/batches", { items: [] }))).status).toBe(400);
    expect(
      (
        await batchesRoute(
          post(ann1.token, "/api/review/batches", {
            items: [{ videoId: "8c1b7f0e-0000-4000-8000-000000000000", sentence: "x" }],
          }),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await batchesRoute(
          post(ann1.token, "/api/review/batches", { items: [{ videoId: items[0].videoId, sentence: "  " }] }),
        )
      ).status,
    ).toBe(400);
    expect(
      (await batchesRoute(post(ann1.token, "/api/review/batches", { dataset: "8c1b7f0e-0000-4000-8000-000000000000" })))
        .status,
    ).toBe(404);
    expect((await batchesRoute(post(ann1.token, "/api/review/batches", { dataset: "x", items: [] }))).status).toBe(400);
  });
});
