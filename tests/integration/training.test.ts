/**
 * Training model versions on the library's own sentences, on both databases: a tiny library
 * with weak captions (descriptions without times) and one corrected review span; an admin
 * starts a run (POST /api/models/train), the worker's `train-model` job extracts features,
 * fine-tunes, evaluates new against active and stores a ready version with metrics and a loss
 * curve; a run that dies after a checkpoint resumes from it; a cancelled run stops and leaves
 * nothing behind; bad requests are 400/409/422.
 */
import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as cancelRoute } from "@/app/api/models/[version]/cancel/route";
import { GET as versionRoute } from "@/app/api/models/[version]/route";
import { POST as trainRoute } from "@/app/api/models/train/route";
import { GET as getRoute } from "@/app/api/videos/[id]/route";
import { POST as uploadRoute } from "@/app/api/videos/route";
import { addDescriptions } from "@/db/repositories/descriptions";
import * as modelVersions from "@/db/repositories/model-versions";
import type { ModelVersionDetailDto } from "@/lib/models/registry";
import { ParamStore } from "@/ml/core/params";
import { loadCalibrator, loadGroundingModels } from "@/ml";
import { calibrateForLibrary } from "@/ml/calibration/library";
import { createItem, decide } from "@/lib/review/service";
import { runTraining } from "@/lib/training/job";
import { bearerRequest, createTestAccount, type TestAccount } from "../helpers/accounts";
import { startHarness, waitForStatus, type Harness } from "../helpers/harness";
import { makeTestVideo } from "../helpers/media";

let h: Harness;
let annotator: TestAccount;
const ids: string[] = [];
const B = "http://test";
const params = (id: string) => ({ params: Promise.resolve({ id }) });

const CAPTIONS: Record<string, string[]> = {
  "pattern.mp4": [
    "a test pattern with a moving gradient",
    "coloured squares slide across the frame",
    "a counter ticks",
  ],
  "bars.mp4": ["colour bars stand still", "the bars do not move", "a steady tone card"],
  "zoom.mp4": ["a fractal zooms in", "swirling shapes grow", "the spiral gets bigger"],
};

beforeAll(async () => {
  h = await startHarness();
  annotator = await createTestAccount(h.ctx, "annotator", "trainer");
  for (const [name, source] of [
    ["pattern.mp4", "testsrc2"],
    ["bars.mp4", "smptebars"],
    ["zoom.mp4", "mandelbrot"],
  ]) {
    const file = await makeTestVideo(path.join(h.dataDir, "fixtures", name), { seconds: 4, source });
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(readFileSync(file))]), name);
    const res = await uploadRoute(h.request(`${B}/api/videos`, { method: "POST", body: form }));
    ids.push(((await res.json()) as { id: string }).id);
  }
  const get = async (id: string) =>
    ((await (await getRoute(h.request(`${B}/api/videos/${id}`), params(id))).json()) as { video: { status: string } })
      .video;
  for (const id of ids) expect((await waitForStatus(get, id, ["ready", "failed"])).status).toBe("ready");
  for (const [i, sentences] of Object.values(CAPTIONS).entries())
    await addDescriptions(h.ctx.db, ids[i], sentences, annotator.id);
  // one span an annotator vouches for: the ground truth evaluation measures
  const item = await createItem(h.ctx, {
    videoId: ids[2],
    sentence: "the spiral gets bigger",
    source: "described",
    createdBy: annotator.id,
  });
  await decide(h.ctx, annotator.id, item.id, { decision: "correct", start: 1, end: 3 });
});

afterAll(async () => {
  await h?.stop();
});

const train = (body: unknown, token = h.admin.token) =>
  trainRoute(
    bearerRequest(token, `${B}/api/models/train`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
  );

const TINY = { models: ["relevance", "cpl"], recipe: "tiny", sources: ["descriptions", "review"] };

async function start(body: unknown = TINY): Promise<number> {
  const res = await train(body);
  expect(res.status).toBe(202);
  const { job } = (await res.json()) as { job: { id: string; version: number } };
  expect(job.id).toEqual(expect.any(String));
  return job.version;
}

/** GET /api/models/:version, as the Models page reads it. */
async function detail(version: number): Promise<ModelVersionDetailDto> {
  const res = await versionRoute(h.request(`${B}/api/models/${version}`), {
    params: Promise.resolve({ version: String(version) }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { version: ModelVersionDetailDto }).version;
}

/** Polls the version (as the Models page does) until it leaves training/evaluating. */
async function finished(version: number, timeoutMs = 240_000): Promise<ModelVersionDetailDto> {
  const t0 = Date.now();
  for (;;) {
    const v = await detail(version);
    if (!["training", "evaluating"].includes(v.status)) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`version ${version} still ${v.status} (${v.phase})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const versionFolder = (version: number) => path.join(h.dataDir, "models", String(version));

describe(`training model versions (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("refuses bad requests: unknown model, recipe or source 400, LocVTP without CPL 400, no sentences 422, annotators 403", async () => {
    const code = async (body: unknown, status: number, token?: string) => {
      const res = await train(body, token);
      expect(res.status, JSON.stringify(body)).toBe(status);
      return ((await res.json()) as { error: { code: string; message: string } }).error;
    };
    expect((await code({ models: ["grounder"] }, 400)).message).toMatch(/relevance, cpl, locvtp/);
    expect((await code({ models: [] }, 400)).message).toMatch(/at least one model/);
    expect((await code({ models: ["locvtp"] }, 400)).code).toBe("cpl_required");
    expect((await code({ models: ["relevance"], recipe: "shipped" }, 400)).code).toBe("unknown_recipe");
    expect((await code({ models: ["relevance"], sources: ["ocr"] }, 400)).message).toMatch(/descriptions/);
    expect((await code({ models: ["relevance"], sources: ["subtitles"] }, 422)).code).toBe("no_sentences");
    expect((await code(TINY, 403, annotator.token)).code).toBe("forbidden");
    expect(await modelVersions.versionsInProgress(h.ctx.db)).toEqual([]);
  });

  it("an admin's run trains in the worker and ends with an evaluated version: metrics, curve, weights", async () => {
    const version = await start();
    expect(version).toBe(2);
    // one run at a time
    const again = await train(TINY);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("training_in_progress");

    const v = await finished(version);
    expect(v.error).toBeNull();
    expect(["ready", "active"]).toContain(v.status);
    expect(v).toMatchObject({ parent: 1, models: ["relevance", "cpl"], recipe: "tiny", seed: 1 });
    expect((await modelVersions.getVersion(h.ctx.db, version))!.checkpoint).toBeNull();
    expect(v.sources).toEqual(["descriptions", "review"]);
    // 9 descriptions (the review item's sentence is one of them): 1 held out, 8 to train on
    expect(v.data).toMatchObject({ videos: 3, sentences: 8, heldOut: 1, annotatedSpans: 1 });
    // every step's loss, in order, for each model
    const steps = (m: string) => v.curve.filter((p) => p.model === m).map((p) => p.step);
    expect(steps("relevance")).toEqual([1, 2, 3, 4]);
    expect(steps("cpl")).toEqual([1, 2, 3]);
    expect(v.curve.every((p) => Number.isFinite(p.loss) && typeof p.at === "string")).toBe(true);
    // evaluated beside the active version on the same corrected span and held-out sentence
    const m = v.metrics as Record<string, any>;
    expect(m.annotated).toMatchObject({ n: 1 });
    expect(m.baseline).toMatchObject({ version: 1, annotated: { n: 1 } });
    for (const set of [m.annotated, m.baseline.annotated])
      for (const k of ["r1_03", "r1_05", "r1_07", "miou"]) expect(set[k]).toBeGreaterThanOrEqual(0);
    expect(m.heldOut).toMatchObject({ ranked: 1 });
    // then the gate was asked: a version it lets through is being re-embedded (or already active)
    const state = await modelVersions.getState(h.ctx.db);
    if (v.status === "ready" && v.gate?.pass) expect([state.pending, state.active]).toContain(version);
    expect([0, 100]).toContain(m.heldOut.videoR1);
    // its confidence was fitted anew on the library's annotated span (the tiny recipe asks for 1)
    expect(m.calibration).toMatchObject({ source: "library", spans: 1 });

    // the version's folder: the retrained models under their new names, the rest the parent's
    const dir = versionFolder(version);
    expect(ParamStore.readManifest(path.join(dir, "relevance")).version).toBe("relevance-v2-tiny-s1");
    expect(ParamStore.readManifest(path.join(dir, "cpl")).version).toBe("cpl-cpl-v2-tiny-s1");
    expect(ParamStore.readManifest(path.join(dir, "locvtp")).version).toBe(
      ParamStore.readManifest(path.join(h.ctx.config.ml.modelsDir, "locvtp")).version,
    );
    expect(existsSync(path.join(dir, "checkpoint"))).toBe(false);
    const models = await loadGroundingModels(dir);
    expect(models.version).toContain("relevance-v2-tiny-s1");
    const installed = {
      relevance: models.ranker!.version,
      locvtp: ParamStore.readManifest(path.join(dir, "locvtp")).version,
    };
    const fitted = loadCalibrator(path.join(dir, "calibration"), installed);
    expect(fitted).toMatchObject({ calibrated: true, version: m.calibration.version });
    expect(fitted.reason).toBeUndefined();
    // with fewer annotated spans than a fit needs, the parent's fit is carried over for the new models, and said so
    const copy = path.join(h.dataDir, "inherit-check");
    cpSync(dir, copy, { recursive: true });
    const inherited = await calibrateForLibrary(copy, h.ctx.config.ml.modelsDir, [], [], { minSpans: 30 });
    const shipped = loadCalibrator(path.join(h.ctx.config.ml.modelsDir, "calibration"));
    expect(inherited).toMatchObject({
      source: "inherited",
      from: shipped.version,
      spans: 0,
      threshold: shipped.threshold,
    });
    expect(loadCalibrator(path.join(copy, "calibration"), installed)).toMatchObject({
      calibrated: true,
      threshold: shipped.threshold,
      version: expect.stringContaining("-inherited-by-relevance-v2-tiny-s1"),
    });
    // the features were cached in each video's folder: the next run decodes nothing
    for (const id of ids) expect(existsSync(path.join(h.ctx.config.mediaDir, id, "features"))).toBe(true);
  });

  it("a run that dies after a checkpoint resumes from it when the job runs again", async () => {
    await h.stopWorker();
    const version = await start({ ...TINY, models: ["relevance"] });
    // the first attempt stops right after its first checkpoint (relevance step 2), as a crash would
    await expect(
      runTraining(h.ctx, version, {
        afterCheckpoint: () => {
          throw new Error("simulated crash");
        },
      }),
    ).rejects.toThrow("simulated crash");
    expect((await modelVersions.getVersion(h.ctx.db, version))!.checkpoint).toBe(
      path.join(versionFolder(version), "checkpoint"),
    );
    let v = await detail(version);
    expect(v.status).toBe("training");
    expect(v.curve.map((p) => p.step)).toEqual([1, 2]);
    // the queued job, taken by a worker again, continues from step 2
    await h.startWorker();
    v = await finished(version);
    expect(["ready", "active"]).toContain(v.status);
    expect(v.data.resumes).toEqual([{ model: "relevance", step: 2, at: expect.any(String) }]);
    expect(v.curve.map((p) => `${p.model}:${p.step}`)).toEqual([
      "relevance:1",
      "relevance:2",
      "relevance:3",
      "relevance:4",
    ]);
    expect(ParamStore.readManifest(path.join(versionFolder(version), "relevance")).version).toBe(
      `relevance-v${version}-tiny-s1`,
    );
  });

  it("a cancelled run stops at its next progress write and leaves no models behind", async () => {
    await h.stopWorker();
    const version = await start();
    // an admin cancels it while it trains, right after its first checkpoint
    const result = await runTraining(h.ctx, version, {
      afterCheckpoint: async () => {
        const res = await cancelRoute(h.request(`${B}/api/models/${version}/cancel`, { method: "POST" }), {
          params: Promise.resolve({ version: String(version) }),
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ version, cancelled: "training" });
      },
    });
    expect(result).toBe("cancelled");
    const v = await detail(version);
    expect(v.status).toBe("cancelled");
    expect(v.metrics).toBeNull();
    // it stopped within the scorer's steps: CPL never started
    expect(v.curve.length).toBeGreaterThanOrEqual(2);
    expect(v.curve.every((p) => p.model === "relevance")).toBe(true);
    expect(existsSync(versionFolder(version))).toBe(false);
    // its queued job finds it cancelled and ends; a new run may start
    await h.startWorker();
    expect(await modelVersions.versionsInProgress(h.ctx.db)).toEqual([]);
    const next = await train({ ...TINY, models: ["cpl"] });
    expect(next.status).toBe(202);
    const { job } = (await next.json()) as { job: { version: number } };
    expect((await finished(job.version)).status).not.toBe("failed");
  });

  it("a run that cannot succeed fails its version with the reason, and the next run may start", async () => {
    // a version whose recipe was removed since it was asked for
    const { active } = await modelVersions.getState(h.ctx.db);
    const v = await modelVersions.createVersion(h.ctx.db, {
      parent: active,
      models: ["relevance"],
      recipe: "no-such-recipe",
      sources: ["descriptions"],
    });
    await (await h.ctx.queue()).enqueueTraining(v.version);
    const done = await finished(v.version);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/no recipe "no-such-recipe"/);
    expect(existsSync(versionFolder(v.version))).toBe(false);
    expect(await modelVersions.versionsInProgress(h.ctx.db)).toEqual([]);
  });
});
