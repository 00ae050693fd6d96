/**
 * Search over a real ingested library: the seeded demo videos (rendered from the Shapes
 * world, with known events), API validation, subtitles in the ranking.
 */
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as searchRoute } from "@/app/api/search/route";
import { PUT as subtitlesRoute } from "@/app/api/videos/[id]/subtitles/route";
import { findVideo } from "@/db/repositories/videos";
import { clipRelevancePrefixes, clipVectors } from "@/db/repositories/search";
import { getGroundingModels } from "@/lib/models";
import { DEMO_SEED } from "@/lib/demo";
import { ffmpegBinaries } from "@/lib/media/ffmpeg";
import { importDatasetDir } from "@/lib/datasets/import";
import { addLocalFile } from "@/lib/videos/service";
import { generateShapesDataset } from "@/ml/data/shapes/generate";
import { iou } from "@/ml/data/metrics";
import { OBJECT_SLOTS } from "@/ml/encoders";
import { SLOT_FEATURES } from "@/ml/features/slots";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";
import { warmUpSearch } from "@/lib/search/warm-up";

let h: Harness;
const idByFile = new Map<string, string>();
let datasetDir: string;
let annotations: {
  videos: { id: string; file: string }[];
  queries: { video: string; query: string; start: number; end: number }[];
};

async function get(q: Record<string, string>) {
  const res = await searchRoute(h.request(`http://test/api/search?${new URLSearchParams(q)}`));
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  h = await startHarness();
  const out = path.join(h.dataDir, "demo");
  const result = await generateShapesDataset({
    out,
    videos: 4,
    seed: DEMO_SEED,
    splitRatios: [0, 0, 1],
    ffmpegPath: ffmpegBinaries().ffmpeg,
  });
  const dir = result.splits.test!.dir;
  datasetDir = dir;
  annotations = JSON.parse(readFileSync(path.join(dir, "annotations.json"), "utf8"));
  for (const f of (await readdir(path.join(dir, "videos"))).sort()) {
    const { video } = await addLocalFile(h.ctx, path.join(dir, "videos", f));
    idByFile.set(`videos/${f}`, video.id);
  }
  for (const id of idByFile.values()) {
    await waitForStatus((x) => findVideo(h.ctx.db, x).then((v) => v!), id, ["ready", "failed"]);
  }
});

afterAll(async () => {
  await h?.stop();
});

describe("search API validation", () => {
  it("an empty query is 400 with a message", async () => {
    const { status, body } = await get({ q: "   " });
    expect(status).toBe(400);
    expect(body.error.code).toBe("empty_query");
  });
  it("a query over 500 characters is 400", async () => {
    const { status, body } = await get({ q: "a".repeat(501) });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/501 characters.*500/);
  });
  it("an unknown video is 404", async () => {
    expect((await get({ q: "a red circle", video: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    expect((await get({ q: "a red circle", video: "nope" })).status).toBe(404);
  });
  it("bad limit, offset or method are 400 naming the parameter", async () => {
    expect((await get({ q: "x", limit: "0" })).body.error.message).toMatch(/limit/);
    expect((await get({ q: "x", offset: "-3" })).body.error.message).toMatch(/offset/);
    expect((await get({ q: "x", method: "magic" })).body.error.message).toMatch(/method/);
  });
});

describe("search results", () => {
  it("returns moments inside their videos, with alternatives and per-stage timings", async () => {
    const { status, body } = await get({ q: "the blue square moves to the left", limit: "3", minConfidence: "0" });
    expect(status).toBe(200);
    expect(body.moments.length).toBeGreaterThan(0);
    expect(body.moments.length).toBeLessThanOrEqual(3);
    for (const m of body.moments) {
      expect(m.start).toBeGreaterThanOrEqual(0);
      expect(m.end).toBeGreaterThan(m.start);
      expect(m.end).toBeLessThanOrEqual(m.video.duration + 1e-6);
      expect(Array.isArray(m.alternatives)).toBe(true);
    }
    const scores = body.moments.map((m: { confidence: number }) => m.confidence);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const m of body.moments) {
      expect(m.confidence).toBeGreaterThanOrEqual(0);
      expect(m.confidence).toBeLessThanOrEqual(1);
      expect(m.score).toBe(m.confidence);
      expect(["strong", "possible", "weak"]).toContain(m.level);
    }
    for (const k of ["embed", "ann", "text", "rank", "fetch", "ground", "fuse", "total"])
      expect(typeof body.timings[k]).toBe("number");
    // unless told otherwise, search grounds with the best method on val: the boundary head's
    // proposals ranked with the relevance scorer's readout
    expect(body.method).toBe("boundary-rerank");
    // the earlier names still work and answer with today's
    for (const [method, canonical] of [
      ["relevance", "relevance"],
      ["vote", "cpl-vote"],
      ["loss", "cpl-loss"],
      ["cpl-vote", "cpl-vote"],
    ]) {
      const other = await get({ q: "the blue square moves to the left", limit: "3", method, minConfidence: "0" });
      expect(other.status).toBe(200);
      expect(other.body.method).toBe(canonical);
      expect(other.body.moments.length).toBeGreaterThan(0);
    }
  });

  it("pages with offset without repeating moments; total and weaker do not depend on the page", async () => {
    const key = (m: { videoId: string; start: number }) => `${m.videoId}@${m.start}`;
    const first = (await get({ q: "a circle appears", limit: "4", minConfidence: "0" })).body;
    const second = (await get({ q: "a circle appears", limit: "2", offset: "2", minConfidence: "0" })).body;
    expect(second.moments.map(key)).toEqual(first.moments.slice(2, 4).map(key));
    expect(second.total).toBe(first.total);
    for (const limit of ["1", "10", "50"]) {
      const r = (await get({ q: "a circle appears", limit })).body;
      const ref = (await get({ q: "a circle appears", limit: "3" })).body;
      expect([r.total, r.weaker]).toEqual([ref.total, ref.weaker]);
      expect(r.moments.length).toBe(Math.min(Number(limit), r.total));
      for (const m of r.moments) expect(m.confidence).toBeGreaterThanOrEqual(r.minConfidence);
    }
  });

  it("the results page's filters: what found the moment, the video's length, and moments in time order", async () => {
    const all = (await get({ q: "a circle appears", limit: "50", minConfidence: "0" })).body.moments as {
      source: string;
      start: number;
      videoId: string;
      video: { duration: number };
    }[];
    expect(all.length).toBeGreaterThan(1);
    const visual = (await get({ q: "a circle appears", limit: "50", minConfidence: "0", source: "visual" })).body
      .moments as typeof all;
    expect(visual.every((m) => m.source !== "text")).toBe(true);
    const shortest = Math.min(...all.map((m) => m.video.duration));
    const long = (
      await get({ q: "a circle appears", limit: "50", minConfidence: "0", minDuration: String(shortest + 0.01) })
    ).body.moments as typeof all;
    expect(long.every((m) => m.video.duration > shortest)).toBe(true);
    expect(long.length).toBeLessThan(all.length);
    const timed = (await get({ q: "a circle appears", limit: "50", minConfidence: "0", sort: "time" })).body
      .moments as typeof all;
    const order = timed.map((m) => `${m.videoId}/${String(m.start.toFixed(3)).padStart(9, "0")}`);
    expect(order).toEqual([...order].sort());
    const bad: Record<string, string>[] = [
      { minConfidence: "2" },
      { source: "audio" },
      { sort: "random" },
      { minDuration: "-1" },
    ];
    for (const b of bad) expect((await get({ q: "x", ...b })).status).toBe(400);
  });

  it("searching inside one video lists that video's distinct moments only", async () => {
    const id = [...idByFile.values()][1];
    const { body } = await get({ q: "something grows", video: id, minConfidence: "0" });
    expect(body.moments.length).toBeGreaterThanOrEqual(1);
    for (const m of body.moments) expect(m.videoId).toBe(id);
    for (let i = 0; i < body.moments.length; i++)
      for (let j = 0; j < i; j++) expect(iou(body.moments[i], body.moments[j])).toBeLessThanOrEqual(0.7);
  });

  it("subtitle text joins the ranking: a phrase only the subtitles contain finds its moment first", async () => {
    const id = [...idByFile.values()][2];
    const srt =
      "1\n00:00:02,000 --> 00:00:04,000\nHello there\n\n2\n00:00:12,000 --> 00:00:15,500\nA purple elephant dances on the table\n";
    const res = await subtitlesRoute(h.request("http://test", { method: "PUT", body: srt }), {
      params: Promise.resolve({ id }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).cues).toBe(2);
    const { body } = await get({ q: "purple elephant" });
    expect(body.moments[0].videoId).toBe(id);
    expect(body.moments[0]).toMatchObject({ textSource: "subtitles", level: "strong" });
    expect(body.moments[0].confidence).toBeGreaterThanOrEqual(0.97);
    // the video's other moments do not repeat it
    for (const m of body.moments.slice(1))
      if (m.videoId === id) expect(iou(m, body.moments[0])).toBeLessThanOrEqual(0.3);
    expect(body.moments[0].text).toMatch(/purple elephant/);
    expect(iou(body.moments[0], { start: 12, end: 15.5 })).toBeGreaterThan(0.5);
    const bad = await subtitlesRoute(h.request("http://test", { method: "PUT", body: "not subtitles" }), {
      params: Promise.resolve({ id }),
    });
    expect(bad.status).toBe(415);
  });

  it("the warm-up at start loads the active version's search models", async () => {
    expect(await warmUpSearch(h.ctx)).toBe(1);
  });

  it("the first-pass ranker reads a slice of the stored features and scores as the full vectors' first member", async () => {
    const ranker = (await getGroundingModels()).ranker!;
    expect(ranker.firstPassDims).toBe(64);
    const ids = [...idByFile.values()];
    const [prefixes, full] = await Promise.all([
      clipRelevancePrefixes(h.ctx.db, ids, ranker.firstPassDims),
      clipVectors(h.ctx.db, ids),
    ]);
    for (const id of ids) {
      const clips = full.get(id)!;
      expect(prefixes.get(id)!.length).toBe(clips.length);
      // the slice is the first member's block of the relevance features
      expect(Array.from(prefixes.get(id)![3])).toEqual(Array.from(clips[3].relevance!.subarray(0, 64)));
      // every clip also comes back with its object-slot statistics (what the span verifier reads)
      expect(clips.every((c) => c.slots?.length === OBJECT_SLOTS * SLOT_FEATURES)).toBe(true);
    }
    // … unless nothing will read them: search asks for them only for a sentence the verifier reads
    const bare = await clipVectors(h.ctx.db, ids, { slots: false });
    expect([...bare.values()].flat().some((c) => c.slots !== undefined)).toBe(false);
    expect(bare.get(ids[0])!.length).toBe(full.get(ids[0])!.length);
    expect(ranker.readsSlots("the red square spins")).toBe(true);
    expect(ranker.readsSlots("a dog on a beach")).toBe(false);
    // a video whose clips lack the features (inserted directly, or before a re-embed) gets none
    await h.ctx.db.query("UPDATE clips SET relevance = NULL WHERE video_id = $1 AND idx = 0", [ids[0]]);
    try {
      expect((await clipRelevancePrefixes(h.ctx.db, ids, 64)).get(ids[0])).toEqual([]);
    } finally {
      await h.ctx.db.query("UPDATE clips SET relevance = $2 WHERE video_id = $1 AND idx = 0", [
        ids[0],
        `[${Array.from(full.get(ids[0])![0].relevance!).join(",")}]`,
      ]);
    }
    // the first pass ranks the paired video of a demo sentence above at least one other video
    const q = annotations.queries.find((x) => /background/.test(x.query)) ?? annotations.queries[0];
    const own = idByFile.get(annotations.videos.find((v) => v.id === q.video)!.file)!;
    const scores = ranker.firstPass(
      q.query,
      ids.map((id) => prefixes.get(id)!),
    );
    expect(scores.every((x) => typeof x === "number")).toBe(true);
    expect(scores.filter((x, i) => ids[i] !== own && x! < scores[ids.indexOf(own)]!).length).toBeGreaterThan(0);
  });

  it("ranks the demo library's annotated events in the right video first more often than chance", async () => {
    let rightVideo = 0;
    let hit = 0;
    for (const q of annotations.queries) {
      const file = annotations.videos.find((v) => v.id === q.video)!.file;
      const { body } = await get({ q: q.query, limit: "1", minConfidence: "0" });
      const top = body.moments[0];
      if (top?.videoId === idByFile.get(file)) {
        rightVideo++;
        if (iou(top, q) >= 0.5) hit++;
      }
    }
    const n = annotations.queries.length;
    const chance = 1 / idByFile.size;
    console.log(
      `[search] demo queries: ${n}; right video first ${rightVideo}/${n} (chance ${(100 * chance).toFixed(0)}%); ` +
        `right video and IoU≥0.5 ${hit}/${n} (${((100 * hit) / n).toFixed(1)}%)`,
    );
    expect(n).toBeGreaterThanOrEqual(12);
    // Floors under what the shipped models measure (docs/models.md: 21/27 right video first, 14/27
    // with IoU ≥ 0.5, ranked by confidence; 18/27 and 12/27 in the twelfth session, before the
    // span verifier); the two databases have differed by one.
    expect(rightVideo / n).toBeGreaterThanOrEqual(Number(process.env.SEARCH_DEMO_MIN_VIDEO ?? 19 / 27));
    expect(hit / n).toBeGreaterThanOrEqual(Number(process.env.SEARCH_DEMO_MIN_HIT ?? 12 / 27));
  });

  // Last: from here on the demo videos carry their annotations as captions.
  it("importing a dataset with --captions makes its timed sentences searchable text", async () => {
    const imported = (await importDatasetDir(h.ctx, datasetDir, { captions: true, addedBy: null })).videos;
    expect(imported.every((v) => v.videoId && !v.created && !v.error)).toBe(true);
    expect(imported.reduce((n, v) => n + v.captions, 0)).toBe(annotations.queries.length);
    const q = annotations.queries[0];
    const { body } = await get({ q: q.query, limit: "3" });
    const file = annotations.videos.find((v) => v.id === q.video)!.file;
    const match = body.moments.find((m: { text: string | null }) => m.text === q.query);
    expect(match.videoId).toBe(idByFile.get(file));
    expect(iou(match, q)).toBeGreaterThan(0.99);
  });
});
