/**
 * Review on both databases: items from a real video and the shipped grounder, claims that
 * never hand one item to two annotators, decisions saved at once, undo, and evaluation
 * numbers that match a hand computation.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as evaluationRoute } from "@/app/api/evaluation/route";
import { POST as decisionRoute } from "@/app/api/review/items/[id]/decision/route";
import { POST as createRoute } from "@/app/api/review/items/route";
import { GET as nextRoute } from "@/app/api/review/next/route";
import { POST as skipRoute } from "@/app/api/review/items/[id]/skip/route";
import { POST as undoRoute } from "@/app/api/review/undo/route";
import { GET as getRoute } from "@/app/api/videos/[id]/route";
import { POST as uploadRoute } from "@/app/api/videos/route";
import { bearerRequest, createTestAccount, type TestAccount } from "../helpers/accounts";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";
import { makeTestVideo } from "../helpers/media";

let h: Harness;
let videoId: string;
let ann1: TestAccount;
let ann2: TestAccount;
const B = "http://test";

interface Item {
  id: string;
  prediction: { start: number; end: number };
  alternatives: { start: number; end: number }[];
  modelVersion: string;
  status: string;
}

const post = (token: string, url: string, body: unknown) =>
  bearerRequest(token, `${B}${url}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });

async function create(token: string, sentence: string): Promise<Item> {
  const res = await createRoute(post(token, "/api/review/items", { videoId, sentence }));
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { item: Item }).item;
}
async function next(token: string): Promise<Item | null> {
  const res = await nextRoute(bearerRequest(token, `${B}/api/review/next`));
  expect(res.status).toBe(200);
  return ((await res.json()) as { item: Item | null }).item;
}
async function decide(token: string, id: string, body: unknown): Promise<Response> {
  return decisionRoute(post(token, `/api/review/items/${id}/decision`, body), { params: Promise.resolve({ id }) });
}

beforeAll(async () => {
  h = await startHarness();
  ann1 = await createTestAccount(h.ctx, "annotator", "ann1");
  ann2 = await createTestAccount(h.ctx, "annotator", "ann2");
  const file = await makeTestVideo(path.join(h.dataDir, "fixtures", "review.mp4"), { seconds: 12 });
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(readFileSync(file))]), "review.mp4");
  videoId = (
    (await (await uploadRoute(h.request(`${B}/api/videos`, { method: "POST", body: form }))).json()) as { id: string }
  ).id;
  const get = async (id: string) =>
    (await (await getRoute(h.request(`${B}/api/videos/${id}`), { params: Promise.resolve({ id }) })).json()).video;
  expect((await waitForStatus(get, videoId, ["ready", "failed"])).status).toBe("ready");
});

afterAll(async () => {
  await h?.stop();
});

describe(`review (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  const items: Item[] = [];

  it("a typed sentence becomes an item with the model's span and alternatives inside the video", async () => {
    // four: annotator 2 holds one while annotator 1 decides three
    for (const sentence of ["the picture moves", "colours change", "a red square spins", "the circle sweeps around"])
      items.push(await create(ann1.token, sentence));
    for (const i of items) {
      expect(i.status).toBe("open");
      expect(i.prediction.end).toBeGreaterThan(i.prediction.start);
      expect(i.prediction.start).toBeGreaterThanOrEqual(0);
      expect(i.prediction.end).toBeLessThanOrEqual(12.05);
      expect(i.modelVersion).toMatch(/relevance/);
    }
    const bad = await createRoute(post(ann1.token, "/api/review/items", { videoId, sentence: "   " }));
    expect(bad.status).toBe(400);
    const missing = await createRoute(
      post(ann1.token, "/api/review/items", { videoId: "8c1b7f0e-0000-4000-8000-000000000000", sentence: "x" }),
    );
    expect(missing.status).toBe(404);
  });

  it("two annotators asking at once never get the same item, and each keeps theirs", async () => {
    const [a, b] = await Promise.all([next(ann1.token), next(ann2.token)]);
    expect(a && b).toBeTruthy();
    expect(a!.id).not.toBe(b!.id);
    expect((await next(ann1.token))!.id).toBe(a!.id);
    const taken = await decide(ann2.token, a!.id, { decision: "accept" });
    expect(taken.status).toBe(409);
  });

  it("decisions are saved at once; evaluation equals the hand computation; undo brings an item back", async () => {
    // annotator 1 works through the queue: accept, correct to a span with IoU exactly 0.5, reject
    const first = (await next(ann1.token))!;
    expect((await decide(ann1.token, first.id, { decision: "accept" })).status).toBe(200);
    const second = (await next(ann1.token))!;
    expect(second.id).not.toBe(first.id);
    const p = second.prediction;
    const width = p.end - p.start;
    // a span twice as long, starting where the prediction starts: overlap w, union 2w → IoU 0.5
    const corrected =
      p.start + 2 * width <= 12
        ? { start: p.start, end: p.start + 2 * width }
        : { start: p.end - 2 * width, end: p.end };
    const res = await decide(ann1.token, second.id, {
      decision: "correct",
      ...corrected,
      sentence: "the test picture moves",
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { annotation: { span: unknown } }).annotation.span).toEqual(corrected);
    expect((await decide(ann1.token, second.id, { decision: "accept" })).status).toBe(409);
    const third = (await next(ann1.token))!;
    expect((await decide(ann1.token, third.id, { decision: "reject", notInVideo: true })).status).toBe(200);
    expect(await next(ann1.token)).toBeNull();
    expect((await decide(ann1.token, third.id, { decision: "correct", start: 5, end: 2 })).status).toBe(409);

    const evalRes = (await (await evaluationRoute(bearerRequest(ann1.token, `${B}/api/evaluation`))).json()) as {
      versions: Record<string, number | string>[];
    };
    expect(evalRes.versions).toHaveLength(1);
    // accept: IoU 1; correct: IoU 0.5; the reject has no span
    expect(evalRes.versions[0]).toMatchObject({
      modelVersion: first.modelVersion,
      count: 2,
      "R1@0.3": 100,
      "R1@0.5": 100,
      "R1@0.7": 50,
      mIoU: 75,
    });

    const undone = await undoRoute(post(ann1.token, "/api/review/undo", {}));
    expect(undone.status).toBe(200);
    expect(((await undone.json()) as { annotation: { decision: string; undone: boolean } }).annotation).toMatchObject({
      decision: "reject",
      undone: true,
    });
    expect((await next(ann1.token))!.id).toBe(third.id);
  });

  it("a skipped item comes back after the others", async () => {
    const extra = await create(ann2.token, "the stripes stand still");
    const held = (await next(ann2.token))!;
    const skip = await skipRoute(post(ann2.token, `/api/review/items/${held.id}/skip`, {}), {
      params: Promise.resolve({ id: held.id }),
    });
    expect(skip.status).toBe(200);
    const after = (await next(ann2.token))!;
    expect(after.id).not.toBe(held.id);
    expect([extra.id, ...items.map((i) => i.id)]).toContain(after.id);
    expect((await decide(ann2.token, after.id, { decision: "accept" })).status).toBe(200);
    // nothing else left for annotator 2 but what they skipped
    let last = (await next(ann2.token))!;
    while (last.id !== held.id) {
      expect((await decide(ann2.token, last.id, { decision: "accept" })).status).toBe(200);
      last = (await next(ann2.token))!;
    }
    expect(last.id).toBe(held.id);
  });

  it("bad decisions are 400s that say what is wrong", async () => {
    const item = (await next(ann2.token))!;
    expect((await decide(ann2.token, item.id, { decision: "maybe" })).status).toBe(400);
    expect((await decide(ann2.token, item.id, { decision: "correct" })).status).toBe(400);
    expect((await decide(ann2.token, item.id, { decision: "correct", start: 3, end: 2 })).status).toBe(400);
    expect((await decide(ann2.token, item.id, { decision: "correct", start: 0, end: 500 })).status).toBe(400);
  });
});
