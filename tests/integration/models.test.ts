/**
 * Model versions over a real library (PGlite, or the PostgreSQL in TEST_DATABASE_URL): a second
 * version made from the shipped one with a deliberately perturbed relevance scorer (so its clip
 * vectors differ), the evaluation gate, forced activation, the background re-embedding with
 * search answering from the old version until the atomic switch, an upload during the
 * re-embedding, rollback, cancel, and the API's answers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import { GET as modelsRoute } from "@/app/api/models/route";
import { GET as modelRoute } from "@/app/api/models/[version]/route";
import { POST as activateRoute } from "@/app/api/models/[version]/activate/route";
import { GET as similarRoute } from "@/app/api/moments/similar/route";
import { POST as cancelRoute } from "@/app/api/models/[version]/cancel/route";
import { GET as searchRoute } from "@/app/api/search/route";
import { GET as videoRoute } from "@/app/api/videos/[id]/route";
import * as modelVersions from "@/db/repositories/model-versions";
import { findVideo } from "@/db/repositories/videos";
import { backup } from "@/lib/backup";
import { prepareVersionDir, versionDir } from "@/lib/models/versions";
import { runReembedSlice } from "@/lib/models/reembed";
import { addLocalFile } from "@/lib/videos/service";
import { makeTestVideo } from "../helpers/media";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";

let h: Harness;
const videoIds: string[] = [];
/** the relevance features of every clip as version 1 made them, by "video/idx" */
let v1Relevance: Map<string, string>;

const BASE = "http://test";
const QUERY = "a coloured pattern moves";

const asJson = async <T>(res: Response) => ({ status: res.status, body: (await res.json()) as T });
const params = <P>(p: P) => ({ params: Promise.resolve(p) });

interface ModelsBody {
  active: { version: number };
  pending: { version: number; progress: number; done: number; total: number } | null;
  versions: { version: number; status: string; parent: number | null; gate: { pass: boolean } | null }[];
}

const models = () => modelsRoute(h.request(`${BASE}/api/models`)).then(asJson<ModelsBody>);
const activate = (version: number | string, body?: unknown) =>
  activateRoute(
    h.request(`${BASE}/api/models/${version}/activate`, {
      method: "POST",
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    }),
    params({ version: String(version) }),
  ).then(asJson<{ pending?: { version: number }; forced?: boolean; error?: { code: string; message: string } }>);
const cancel = (version: number) =>
  cancelRoute(
    h.request(`${BASE}/api/models/${version}/cancel`, { method: "POST" }),
    params({ version: String(version) }),
  ).then(asJson<{ version?: number; cancelled?: string; error?: { code: string } }>);
const search = () =>
  searchRoute(h.request(`${BASE}/api/search?${new URLSearchParams({ q: QUERY, minConfidence: "0" })}`)).then(
    asJson<{ models: { version: number }; moments: unknown[] }>,
  );

/** "More like this" on the first video's first second. */
const similar = () =>
  similarRoute(h.request(`${BASE}/api/moments/similar?video=${videoIds[0]}&start=0&end=1`)).then(
    asJson<{ models: { version: number }; moments: { videoId: string; start: number }[] }>,
  );

/** Every clip's model version and relevance features (as text), by "video/idx". */
async function clipsByKey(): Promise<Map<string, { version: number; relevance: string }>> {
  const r = await h.ctx.db.query<{ video_id: string; idx: number; model_version: number; relevance: string }>(
    "SELECT video_id, idx, model_version, relevance::text AS relevance FROM clips ORDER BY video_id, idx",
  );
  return new Map(
    r.rows.map((row) => [`${row.video_id}/${row.idx}`, { version: row.model_version, relevance: row.relevance }]),
  );
}

async function addVideo(name: string, source: string): Promise<string> {
  const file = await makeTestVideo(path.join(h.dataDir, "fixtures", name), { seconds: 3, source });
  const { video } = await addLocalFile(h.ctx, file);
  return video.id;
}

const ready = (id: string) =>
  waitForStatus((x) => findVideo(h.ctx.db, x).then((v) => v!), id, ["ready", "failed"]).then((v) => v.status);

/** Waits (polling the API, as the Models page does) until no switch is pending. */
async function switchDone(timeoutMs = 120_000): Promise<ModelsBody> {
  const t0 = Date.now();
  for (;;) {
    const { body } = await models();
    if (body.pending === null) return body;
    if (Date.now() - t0 > timeoutMs) throw new Error(`still re-embedding for version ${body.pending.version}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Version 2: the shipped models with the relevance scorer's weights perturbed (seeded), under its
 * own name; evaluated worse than version 1 on the annotated spans.
 */
async function makeWorseVersion(): Promise<number> {
  const v = await modelVersions.createVersion(h.ctx.db, {
    parent: 1,
    models: ["relevance"],
    recipe: "test-perturbed",
    sources: ["descriptions"],
    seed: 7,
    data: { videos: 2, sentences: { descriptions: 4 } },
    requestedBy: h.admin.id,
  });
  const dir = path.join(await prepareVersionDir(h.ctx.config, v.version, 1), "relevance");
  const buf = readFileSync(path.join(dir, "weights.bin"));
  const w = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  let s = 7;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let i = 0; i < w.length; i++) w[i] = w[i] * (1 + 0.5 * rand()) + 0.05 * rand();
  writeFileSync(path.join(dir, "weights.bin"), Buffer.from(w.buffer));
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as { version: string };
  manifest.version = `${manifest.version}-perturbed`;
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
  await modelVersions.appendCurve(h.ctx.db, v.version, [
    { step: 1, loss: 2, model: "relevance" },
    { step: 2, loss: 1.5, model: "relevance" },
  ]);
  await modelVersions.setMetrics(h.ctx.db, v.version, {
    annotated: { n: 20, r1_03: 60, r1_05: 40, r1_07: 20, miou: 35 },
    heldOut: { n: 8, r1_03: 50, r1_05: 25, r1_07: 10, miou: 30 },
    baseline: {
      version: 1,
      annotated: { n: 20, r1_03: 70, r1_05: 50, r1_07: 30, miou: 45 },
      heldOut: { n: 8, r1_03: 50, r1_05: 25, r1_07: 10, miou: 30 },
    },
  });
  await modelVersions.setStatus(h.ctx.db, v.version, "ready", { from: ["training"] });
  return v.version;
}

beforeAll(async () => {
  h = await startHarness();
  videoIds.push(await addVideo("bars.mp4", "smptebars"), await addVideo("pattern.mp4", "testsrc2"));
  for (const id of videoIds) expect(await ready(id)).toBe("ready");
  v1Relevance = new Map([...(await clipsByKey())].map(([k, c]) => [k, c.relevance]));
});

afterAll(async () => {
  await h?.stop();
});

describe(`model versions (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("starts with the shipped models as version 1, active, named by search, health and the video", async () => {
    const { status, body } = await models();
    expect(status).toBe(200);
    expect(body).toMatchObject({ active: { version: 1 }, pending: null });
    expect(body.versions).toEqual([expect.objectContaining({ version: 1, status: "active", parent: null })]);
    expect((await search()).body.models.version).toBe(1);
    const health = (await healthRoute(h.request(`${BASE}/api/health`)).then(asJson)).body as {
      models: { version: number; pending: unknown };
    };
    expect(health.models).toMatchObject({ version: 1, pending: null });
    const video = await videoRoute(h.request(`${BASE}/api/videos/${videoIds[0]}`), params({ id: videoIds[0] })).then(
      asJson<{ video: { clipsModelVersion: number } }>,
    );
    expect(video.body.video.clipsModelVersion).toBe(1);
    expect([...(await clipsByKey()).values()].every((c) => c.version === 1)).toBe(true);
  });

  it("refuses a version evaluated worse than the active one, and names why; force starts its re-embedding", async () => {
    const version = await makeWorseVersion();
    expect(version).toBe(2);
    const detail = await modelRoute(h.request(`${BASE}/api/models/2`), params({ version: "2" })).then(
      asJson<{ version: { curve: unknown[]; data: unknown; gate: { pass: boolean } } }>,
    );
    expect(detail.body.version).toMatchObject({ curve: [{ step: 1 }, { step: 2 }], data: { videos: 2 } });
    expect(detail.body.version.gate.pass).toBe(false);

    // the worker stays stopped so that the re-embedding advances only when the test says so
    await h.stopWorker();
    const refused = await activate(2);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: "gate_refused",
      message: expect.stringMatching(/40\.0 %.*50\.0 %/),
    });
    expect((await models()).body.pending).toBeNull();

    const forced = await activate(2, { force: true });
    expect(forced.status).toBe(202);
    expect(forced.body).toMatchObject({ pending: { version: 2 }, forced: true });
    expect((await models()).body).toMatchObject({ active: { version: 1 }, pending: { version: 2 } });
  });

  it("keeps answering from version 1 while version 2 re-embeds, and resumes where a slice stopped", async () => {
    const staged: string[] = [];
    const first = await runReembedSlice(h.ctx, { maxVideos: 1, log: (m) => staged.push(m) });
    expect(first).toEqual({ outcome: "continue", version: 2 });
    expect(staged).toEqual([expect.stringMatching(/re-embedded \(1 of 2\)/)]);
    // a later slice (or a retried job after a crash) has only the other video left to do
    const done = videoIds.find((id) => staged[0].includes(id))!;
    expect(await modelVersions.videosToStage(h.ctx.db, 2)).toEqual(videoIds.filter((id) => id !== done));
    const { body } = await models();
    expect(body).toMatchObject({ active: { version: 1 }, pending: { version: 2, done: 1, total: 2, progress: 0.5 } });

    // mid-way: search, "more like this", the clips and the video page are all still version 1's
    expect((await search()).body.models.version).toBe(1);
    const alike = await similar();
    expect(alike.body.models.version).toBe(1);
    expect(alike.body.moments.length).toBeGreaterThan(0);
    expect([...(await clipsByKey()).values()].every((c) => c.version === 1)).toBe(true);
    const health = (await healthRoute(h.request(`${BASE}/api/health`)).then(asJson)).body as {
      models: { version: number; pending: { version: number; done: number } };
      summary: { notes: { text: string }[] };
    };
    expect(health.models).toMatchObject({ version: 1, pending: { version: 2, done: 1 } });
    expect(health.summary.notes.map((n) => n.text).join(" ")).toMatch(/version 2 is being prepared/);

    // an upload during the re-embedding: processed with version 1 now, re-embedded for 2 before the switch
    videoIds.push(await addVideo("mandelbrot.mp4", "mandelbrot"));
    // the worker takes the upload and the queued re-embedding; the switch waits for every ready video
    await h.startWorker();
    expect(await ready(videoIds[2])).toBe("ready");
    const after = await switchDone();
    expect(after.active.version).toBe(2);
    expect(after.versions.find((v) => v.version === 2)?.status).toBe("active");
    expect(after.versions.find((v) => v.version === 1)?.status).toBe("ready");
  });

  it("after the switch every clip holds version 2's vectors, and search and the video page say so", async () => {
    const clips = await clipsByKey();
    expect(clips.size).toBeGreaterThan(v1Relevance.size);
    for (const [key, c] of clips) {
      expect(c.version, key).toBe(2);
      // the perturbed scorer made different relevance features for the clips version 1 had embedded
      if (v1Relevance.has(key)) expect(c.relevance, key).not.toBe(v1Relevance.get(key));
    }
    expect((await search()).body.models.version).toBe(2);
    expect((await similar()).body.models.version).toBe(2);
    for (const id of videoIds) {
      const video = await videoRoute(h.request(`${BASE}/api/videos/${id}`), params({ id })).then(
        asJson<{ video: { clipsModelVersion: number; modelVersion: string } }>,
      );
      expect(video.body.video).toMatchObject({
        clipsModelVersion: 2,
        modelVersion: expect.stringMatching(/-perturbed$/),
      });
    }
    const staged = await h.ctx.db.query<{ n: number }>(
      "SELECT (SELECT count(*) FROM clips_pending) + (SELECT count(*) FROM videos_pending) AS n",
    );
    expect(Number(staged.rows[0].n)).toBe(0);
  });

  it("rolls back to version 1 (its own numbers, measured beside version 2, pass the gate) with the original vectors", async () => {
    const back = await activate(1);
    expect(back.status).toBe(202);
    expect(back.body).toMatchObject({ pending: { version: 1 }, forced: false });
    expect((await switchDone()).active.version).toBe(1);
    const clips = await clipsByKey();
    for (const [key, relevance] of v1Relevance) expect(clips.get(key)).toEqual({ version: 1, relevance });
    expect((await search()).body.models.version).toBe(1);
  });

  it("copies the vectors of a version whose clip encoder is unchanged (only the grounder retrained)", async () => {
    await h.stopWorker();
    const v = await modelVersions.createVersion(h.ctx.db, { parent: 1, models: ["cpl"], recipe: "test-copy" });
    await prepareVersionDir(h.ctx.config, v.version, 1);
    const same = { n: 20, r1_03: 70, r1_05: 50, r1_07: 30, miou: 45 };
    await modelVersions.setMetrics(h.ctx.db, v.version, { annotated: same, baseline: { version: 1, annotated: same } });
    await modelVersions.setStatus(h.ctx.db, v.version, "ready");
    expect((await activate(v.version)).status).toBe(202);
    const log: string[] = [];
    expect(await runReembedSlice(h.ctx, { log: (m) => log.push(m) })).toMatchObject({ outcome: "switched" });
    expect(log).toEqual([
      expect.stringMatching(/3 video\(s\) keep their vectors/),
      expect.stringMatching(new RegExp(`model version ${v.version} is active \\(was 1\\); 3 video`)),
    ]);
    const clips = await clipsByKey();
    for (const [key, relevance] of v1Relevance) expect(clips.get(key)).toEqual({ version: v.version, relevance });
    expect((await search()).body.models.version).toBe(v.version);
    // and back to version 1, the same way
    expect((await activate(1)).status).toBe(202);
    expect(await runReembedSlice(h.ctx)).toMatchObject({ outcome: "switched" });
    await h.startWorker();
  });

  it("cancels a pending re-embedding: search stays on the active version and the staged vectors are dropped", async () => {
    await h.stopWorker();
    expect((await activate(2, { force: true })).status).toBe(202);
    expect((await runReembedSlice(h.ctx, { maxVideos: 1 })).outcome).toBe("continue");
    const cancelled = await cancel(2);
    expect(cancelled).toEqual({ status: 200, body: { version: 2, cancelled: "re-embedding" } });
    const { body } = await models();
    expect(body).toMatchObject({ active: { version: 1 }, pending: null });
    expect(body.versions.find((v) => v.version === 2)?.status).toBe("ready");
    const staged = await h.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM clips_pending");
    expect(staged.rows[0].n).toBe(0);
    // the queued job finds nothing pending and ends without switching
    expect(await runReembedSlice(h.ctx)).toEqual({ outcome: "idle" });
    await h.startWorker();
    expect((await search()).body.models.version).toBe(1);
    expect((await cancel(2)).body.error?.code).toBe("nothing_to_cancel");
  });

  it("cancels a training run; refuses what cannot be activated with 404 or 409", async () => {
    const training = await modelVersions.createVersion(h.ctx.db, { parent: 1, models: ["cpl"], recipe: "quick" });
    expect(await cancel(training.version)).toEqual({
      status: 200,
      body: { version: training.version, cancelled: "training" },
    });
    expect((await modelVersions.getVersion(h.ctx.db, training.version))?.status).toBe("cancelled");
    // the training job's next progress report learns it was cancelled
    expect(
      await modelVersions.updateProgress(h.ctx.db, { version: training.version, phase: "training", progress: 0.5 }),
    ).toBe(false);
    expect((await activate(training.version)).body.error?.code).toBe("not_ready");
    expect((await activate(1)).body.error?.code).toBe("already_active");
    expect((await activate(99)).status).toBe(404);
    expect((await activate("two")).status).toBe(404);
    expect((await activate(2, { force: "yes" })).status).toBe(400);
    expect((await modelRoute(h.request(`${BASE}/api/models/99`), params({ version: "99" }))).status).toBe(404);
  });

  it("keeps each version's weights in its own folder under DATA_DIR/models, and backups carry them", async () => {
    expect(versionDir(h.ctx.config, 1)).toBe(h.ctx.config.ml.modelsDir);
    expect(versionDir(h.ctx.config, 2)).toBe(path.join(h.dataDir, "models", "2"));
    const out = path.join(h.dataDir, "backup");
    const manifest = await backup(h.ctx, out);
    expect(manifest.rows.model_versions).toBe((await modelVersions.listVersions(h.ctx.db)).length);
    expect(manifest.rows.model_state).toBe(1);
    expect(readFileSync(path.join(out, "models", "2", "relevance", "weights.bin"))).toEqual(
      readFileSync(path.join(versionDir(h.ctx.config, 2), "relevance", "weights.bin")),
    );
  });
});
